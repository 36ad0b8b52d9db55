import { describe, expect, it } from 'vitest';
import { MeterClock } from '../src/index';

const T0 = Date.parse('2025-01-15T18:00:00+01:00');
/** The balancer's clock runs 2.3 s behind the meter's, as a host clock may. */
const OFFSET = 2_300;

function run(clock: MeterClock, seconds: number, meterAt: (s: number) => number, from = 0) {
  const out: Array<{ fresh: boolean; quarterMs: number; state: string }> = [];
  for (let s = from; s < from + seconds; s++) {
    const v = clock.judge(meterAt(s), T0 + s * 1000, '');
    out.push({ ...v });
  }
  return out;
}

describe('meter clock', () => {
  it('takes a meter whose clock advances a second a telegram as fresh, on its own clock', () => {
    const clock = new MeterClock();
    const v = run(clock, 30, (s) => T0 + OFFSET + s * 1000);
    expect(v.every((x) => x.fresh && x.state === 'ok')).toBe(true);
    expect(v[29]!.quarterMs).toBe(T0 + OFFSET + 29_000);
  });

  it('a stuck dongle repeating one telegram is no data from the first repeat on', () => {
    const clock = new MeterClock();
    run(clock, 10, (s) => T0 + OFFSET + s * 1000);
    const frozen = run(clock, 40, () => T0 + OFFSET + 9_000, 10);
    expect(frozen.every((x) => !x.fresh)).toBe(true);
    expect(clock.state).toBe('stopped');
    // and the telegrams that follow, once it recovers, are fresh again
    const after = run(clock, 5, (s) => T0 + OFFSET + s * 1000, 50);
    expect(after.every((x) => x.fresh)).toBe(true);
  });

  it('a bridge replaying its buffer (old timestamps) is no data', () => {
    const clock = new MeterClock();
    run(clock, 60, (s) => T0 + OFFSET + s * 1000);
    const replay = run(clock, 30, (s) => T0 + OFFSET + (s - 40) * 1000, 60);
    expect(replay.every((x) => !x.fresh)).toBe(true);
  });

  it('a +15 min jump for 4 s keeps the currents fresh but the quarter on the usual clock', () => {
    const clock = new MeterClock();
    run(clock, 100, (s) => T0 + OFFSET + s * 1000);
    const jump = run(clock, 4, (s) => T0 + OFFSET + s * 1000 + 900_000, 100);
    expect(jump.every((x) => x.fresh && x.state === 'jump')).toBe(true);
    expect(jump.map((x) => x.quarterMs - (T0 + OFFSET))).toEqual([100_000, 101_000, 102_000, 103_000]);
    const back = run(clock, 3, (s) => T0 + OFFSET + s * 1000, 104);
    expect(back.every((x) => x.fresh && x.state === 'ok')).toBe(true);
  });

  it('a clock set anew (+1 h) is followed once it has held for a minute', () => {
    const clock = new MeterClock();
    run(clock, 10, (s) => T0 + OFFSET + s * 1000);
    const moved = run(clock, 70, (s) => T0 + OFFSET + s * 1000 + 3_600_000, 10);
    expect(moved[0]!.state).toBe('jump');
    expect(moved[0]!.quarterMs).toBe(T0 + OFFSET + 10_000);
    expect(moved.at(-1)!.state).toBe('ok');
    expect(moved.at(-1)!.quarterMs).toBe(T0 + OFFSET + 79_000 + 3_600_000);
  });

  it('a meter without a clock is judged by what it measures', () => {
    const clock = new MeterClock();
    const changing = [0, 1, 2, 3].map((s) => clock.judge(Number.NaN, T0 + s * 1000, `p${s}`));
    expect(changing.every((x) => x.fresh)).toBe(true);
    expect(clock.state).toBe('unset');
    let last = changing[0]!;
    for (let s = 4; s < 40; s++) last = { ...clock.judge(Number.NaN, T0 + s * 1000, 'same') };
    expect(last.fresh).toBe(false);
    expect(clock.state).toBe('repeating');
  });
});
