/**
 * Every fault kind of the simulator (@p1/sim), through the stream source: the simulated meter's bytes
 * go through the same framer and diagnosis as a real port's. The expected driver state and counters for each.
 */
import { createSimulatedMeter, type FaultRequest, type SimulatedMeterOptions } from '@p1/sim';
import { describe, expect, it } from 'vitest';
import type { MeterDiagnosis } from '../src/meter/index';
import { StreamMeterSource } from '../src/meter/stream-source';

const START = Date.parse('2025-06-10T12:00:00+02:00');

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The meter at speed 0 (a telegram per `tick()`) read by a stream source that notices silence in 60 ms. */
function simulatedMeter(options: SimulatedMeterOptions) {
  const sim = createSimulatedMeter({ ...options, speed: 0 });
  const m = new StreamMeterSource({
    source: 'stream',
    open: () => sim.open(),
    ...(sim.key ? { smartyKey: sim.key } : {}),
    silenceMs: 60,
    invalidMs: 60,
    reconnectMinMs: 5,
    reconnectMaxMs: 5,
  });
  /** One telegram interval; its bytes reach the framer before this resolves. */
  const tick = async () => {
    sim.tick();
    await new Promise((r) => setImmediate(r));
  };
  return { sim, m, tick };
}

function meter(model = 'fluvius-3ph') {
  const x = simulatedMeter({ model, startMs: START, seed: 9 });
  const diagnoses: MeterDiagnosis[] = [];
  const timestamps: Array<string | null> = [];
  x.m.on('diagnosis', (d) => diagnoses.push(d));
  x.m.on('reading', (r) => timestamps.push(r.ok ? r.timestamp : 'bad'));
  return { ...x, diagnoses, timestamps };
}

async function run(fault: FaultRequest, ticks = 10, model = 'fluvius-3ph') {
  const x = meter(model);
  await x.m.start();
  await x.tick(); // one clean telegram first
  x.sim.injectFault(fault);
  for (let i = 0; i < ticks; i++) await x.tick();
  await x.m.stop();
  return x;
}

describe('fault injection → driver counters and diagnosis', () => {
  it('crc: rejected frames counted as crc_mismatch', async () => {
    const { m } = await run({ kind: 'crc', count: 3 });
    expect(m.counters.goodFrames).toBe(8);
    expect(m.counters.badByCode).toEqual({ crc_mismatch: 3 });
  });

  it('crc on the encrypted Smarty model: the tag fails (decrypt_failed)', async () => {
    const { m } = await run({ kind: 'crc', count: 1 }, 3, 'smarty');
    expect(m.counters.badByCode).toEqual({ decrypt_failed: 1 });
    expect(m.counters.goodFrames).toBe(3);
  });

  it('truncate: the cut telegram is reported as truncated, the next one is fine', async () => {
    const { m } = await run({ kind: 'truncate', count: 2 });
    expect(m.counters.badByCode).toEqual({ truncated: 2 });
    expect(m.counters.goodFrames).toBe(9);
  });

  it('noise: bytes counted, no telegram lost, diagnosis stays valid', async () => {
    const clean = await run({ kind: 'noise', count: 0, bytes: 0 }, 10);
    const { m, diagnoses } = await run({ kind: 'noise', count: 5, bytes: 100 });
    expect(m.counters.goodFrames).toBe(11);
    expect(m.counters.badFrames).toBe(0);
    expect(m.counters.bytes).toBeGreaterThan(clean.m.counters.bytes + 400);
    expect(diagnoses.at(-1)).toBe('valid-telegrams');
  });

  it('drop: missing telegrams, no errors', async () => {
    const { m } = await run({ kind: 'drop', count: 4 });
    expect(m.counters.goodFrames).toBe(7);
    expect(m.counters.badFrames).toBe(0);
  });

  it('drop at a rate: about that share is missing', async () => {
    const { m } = await run({ kind: 'drop', rate: 0.5, durationS: 400 }, 400);
    expect(m.counters.goodFrames).toBeGreaterThan(140);
    expect(m.counters.goodFrames).toBeLessThan(260);
  });

  it('jitter: telegrams in pieces still all parse', async () => {
    const { m } = await run({ kind: 'jitter', durationS: 10, maxMs: 50 });
    expect(m.counters.goodFrames).toBe(11);
    expect(m.counters.badFrames).toBe(0);
  });

  it('outage: silence is diagnosed as no-bytes, then valid again', async () => {
    const x = meter();
    await x.m.start();
    await x.tick();
    x.sim.injectFault({ kind: 'outage', durationS: 5 });
    for (let i = 0; i < 4; i++) await x.tick();
    await new Promise((r) => setTimeout(r, 250));
    expect(x.m.diagnosis).toBe('no-bytes');
    for (let i = 0; i < 3; i++) await x.tick();
    expect(x.m.diagnosis).toBe('valid-telegrams');
    expect(x.m.counters.goodFrames).toBe(1 + 3);
    await x.m.stop();
  });

  it('unplug: the stream ends while pulled; reopened once the cable is back, and its first telegram is kept', async () => {
    const x = meter();
    await x.m.start();
    await x.tick();
    x.sim.injectFault({ kind: 'unplug', durationS: 3 });
    await x.tick();
    expect(x.m.diagnosis).toBe('disconnected');
    await x.tick();
    await x.tick(); // the cable is back; its telegram went to nobody
    // by the reopen, not the state: 'connecting' lasts only until the 60 ms silence watch calls it 'no-bytes'
    await until(() => x.m.counters.reconnects === 1, 'the stream to be reopened');
    await x.tick();
    expect(x.m.diagnosis).toBe('valid-telegrams');
    expect(x.m.counters.reconnects).toBe(1);
    expect(x.m.counters.goodFrames).toBe(2);
    expect(x.diagnoses).toContain('disconnected');
    expect(x.diagnoses.slice(x.diagnoses.indexOf('disconnected'))).toContain('connecting');
    await x.m.stop();
  });

  it('clockUnset: valid telegrams whose timestamp is null, then the clock is back', async () => {
    const { timestamps } = await run({ kind: 'clockUnset', durationS: 3 }, 5);
    expect(timestamps.slice(1, 3)).toEqual([null, null]);
    expect(timestamps.at(-1)).toMatch(/^2025-06-10T12:00:06\+02:00$/);
  });

  it('invert (an uninverted signal): bytes but no valid telegram, then valid again', async () => {
    const x = meter();
    await x.m.start();
    await x.tick();
    x.sim.injectFault({ kind: 'invert', durationS: 20 });
    for (let i = 0; i < 5; i++) await x.tick();
    // Garbage is judged over time (invalidMs), not on the first odd byte.
    await new Promise((r) => setTimeout(r, 200));
    await x.tick();
    expect(x.m.diagnosis).toBe('bytes-no-telegram');
    expect(x.m.counters.goodFrames).toBe(1);
    for (let i = 0; i < 20; i++) await x.tick();
    expect(x.m.diagnosis).toBe('valid-telegrams');
    await x.m.stop();
  });

  it('powerFailure: silent meter, then a counted failure', async () => {
    const x = meter('dsmr5');
    const counts: Array<number | null> = [];
    x.m.on('reading', (r) => counts.push(r.powerFailures?.count ?? null));
    await x.m.start();
    await x.tick();
    x.sim.injectFault({ kind: 'powerFailure', durationS: 4 });
    for (let i = 0; i < 6; i++) await x.tick();
    expect(x.m.counters.goodFrames).toBe(4);
    expect(counts.at(-1)).toBe((counts[0] as number) + 1);
    await x.m.stop();
  });
});

describe('scenario faults', () => {
  it("a scenario's meterOutage silences the meter at that meter-clock time; dropTelegrams drops a share", async () => {
    const { m, tick } = simulatedMeter({
      seed: 1,
      scenario: {
        name: 'faulty',
        start: '2025-06-10T12:00:00+02:00',
        durationS: 600,
        seed: 1,
        site: { connection: '3N400', fuseA: 25, capacityTargetKw: null, monthPeakKw: 0 },
        baseLoadKw: 0.3,
        loads: [],
        pv: null,
        chargers: [],
        evs: [],
        faults: [
          { kind: 'meterOutage', at: '12:00:05', durationS: 3 },
          { kind: 'dropTelegrams', rate: 0 },
        ],
      },
    });
    const stamps: Array<string | null> = [];
    m.on('reading', (r) => stamps.push(r.timestamp));
    await m.start();
    for (let i = 0; i < 10; i++) await tick();
    await m.stop();
    expect(stamps.map((s) => s?.slice(17, 19))).toEqual(['01', '02', '03', '04', '08', '09', '10']);
  });
});
