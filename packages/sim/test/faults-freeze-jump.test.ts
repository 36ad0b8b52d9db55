import { parseTelegram } from '@p1/dsmr';
import { describe, expect, it } from 'vitest';
import { FaultInjector, MeterSimulation, seededRandom } from '../src/index';

function run(kind: 'freeze' | 'clockJump', offsetS?: number) {
  const sim = new MeterSimulation({ model: 'fluvius-3ph', startMs: Date.parse('2025-01-15T18:00:00+01:00') });
  const faults = new FaultInjector(seededRandom(1));
  const seen: Array<{ ts: string | null; raw: string }> = [];
  for (let i = 0; i < 30; i++) {
    if (i === 10) faults.add({ kind, durationS: 10, ...(offsetS !== undefined ? { offsetS } : {}) }, sim.nowMs, sim);
    const wire = faults.apply(sim.next(), sim);
    const bytes = Buffer.concat(wire.chunks);
    seen.push({ ts: parseTelegram(bytes).timestamp, raw: bytes.toString('latin1') });
  }
  return seen;
}

describe('meter faults for a stuck dongle and a jumping clock', () => {
  it('freeze repeats the last telegram byte for byte, then the meter carries on', () => {
    const seen = run('freeze');
    // injected between telegrams 9 and 10, for 10 s of meter time: telegrams 10–18 repeat telegram 9
    for (let i = 10; i < 19; i++) expect(seen[i]!.raw, `telegram ${i}`).toBe(seen[9]!.raw);
    expect(seen[19]!.raw).not.toBe(seen[9]!.raw);
    expect(Date.parse(seen[19]!.ts!) - Date.parse(seen[9]!.ts!)).toBe(10_000);
  });

  it('clockJump shows the clock a quarter ahead for its duration, then the true time again', () => {
    const seen = run('clockJump');
    const at = (i: number) => Date.parse(seen[i]!.ts!);
    // the meter writes its clock into the telegram before the wire sees the fault end: one more telegram
    expect(at(10) - at(9)).toBe(901_000);
    expect(at(19) - at(9)).toBe(910_000);
    expect(at(20) - at(9)).toBe(11_000);
  });
});
