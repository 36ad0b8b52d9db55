import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUARTER_MS, QuarterBudget } from '../src/index';

const Q0 = Date.parse('2025-01-15T18:00:00+01:00');
const options = { ownerTargetKw: 4, monthPeakKw: 0, neverRaiseMonthPeak: false, marginKw: 0.02 };

/** Feeds one telegram a second from `fromS` to `toS` (exclusive) at `kw`, the meter's running average beside it. */
function feed(q: QuarterBudget, fromS: number, toS: number, kw: number, meterAvgKw: (s: number) => number | null) {
  let closed = null;
  for (let s = fromS; s < toS; s++) {
    closed = q.update(Q0 + s * 1000, kw, kw, meterAvgKw(s), null, '2025-01', true) ?? closed;
  }
  return closed;
}

describe('QuarterBudget', () => {
  it('after a quiet meter takes the meter’s own count, not the import held through the gap', () => {
    const q = new QuarterBudget(options);
    feed(q, 0, 300, 6, () => 6);
    // 60 s without telegrams (the fail-safe cut the car), then the house alone at 1 kW: the meter counted
    // 300 s at 6 kW and 60 + 1 s at 1 kW.
    const meterAvg = (s: number) => (300 * 6 + (s - 300) * 1) / s;
    // the balancer's 1 s timer moves the quarter on through the gap, holding the last import
    for (let s = 300; s < 360; s++) q.advance(Q0 + s * 1000);
    feed(q, 360, 361, 1, meterAvg);
    expect(q.usedKwh).toBeCloseTo((300 * 6 + 61 * 1) / 3600, 3);
    const closed = feed(q, 361, 901, 1, meterAvg);
    expect(closed?.averageKw).toBeCloseTo((300 * 6 + 600 * 1) / 900, 2);
  });

  it('a quarter whose clock was set anew is kept but is no month peak', () => {
    const q = new QuarterBudget({ ...options, ownerTargetKw: null });
    feed(q, 0, 60, 3, () => null);
    // set anew a minute in: telegrams still cover 93 % of the quarter, but its energy is over the wrong span
    q.rebase(Q0 + 60_000);
    const closed = feed(q, 60, 901, 9, () => null);
    expect(closed?.coverage).toBeGreaterThan(0.8);
    expect(closed?.peakWorthy).toBe(false);
    expect(q.monthPeakKw).toBe(0);
    // the next quarter, measured whole, is one
    const next = feed(q, 901, 1801, 2, () => null);
    expect(next?.startMs).toBe(Q0 + QUARTER_MS);
    expect(next?.peakWorthy).toBe(true);
    expect(q.monthPeakKw).toBeCloseTo(2, 2);
  });

  it('a quarter with a gap raises the month peak no higher than the meter’s own peak says', () => {
    const q = new QuarterBudget(options);
    // A sauna at 7 kW for 800 s; it switches off during a 110 s silence that runs past the quarter's end:
    // held through the gap its power would make the quarter 7 kW, the meter measured 6.22 kW.
    feed(q, 0, 800, 7, () => null);
    for (let s = 800; s < 910; s++) q.advance(Q0 + s * 1000);
    expect(q.monthPeakKw).toBe(0);
    const meterPeak = (800 * 7 + 100 * 0.3) / 900;
    q.update(Q0 + 910_000, 0.3, 0.3, 0.3, meterPeak, '2025-01', true);
    expect(q.monthPeakKw).toBeCloseTo(meterPeak, 3);
    // A meter that has not yet shown the quarter in its peak cannot lower what was measured for sure.
    const r = new QuarterBudget(options);
    feed(r, 0, 800, 7, () => null);
    for (let s = 800; s < 910; s++) r.advance(Q0 + s * 1000);
    r.update(Q0 + 910_000, 0.3, 0.3, 0.3, 2, '2025-01', true);
    // (the telegrams from the first to the 800th measured 799 s at 7 kW)
    expect(r.monthPeakKw).toBeCloseTo((799 * 7) / 900, 3);
  });

  /**
   * A meter that sends every 10 s (DSMR 4, Smarty) over a quarter whose loads switch between its telegrams: the
   * budget counts by the meter's own figure where it sends one, and closes the quarter at what the meter
   * counted. `meter`: 'average' sends the Belgian running quarter average, 'register' the import register
   * (kWh, whole Wh), 'none' nothing. Loads switch only between the quarter's first and last telegram.
   */
  function tenSecondQuarter(steps: Array<{ atS: number; kw: number }>, meter: 'average' | 'register' | 'none') {
    const q = new QuarterBudget({ ...options, ownerTargetKw: null });
    const kwAt = (s: number) => {
      let kw = 0.4;
      for (const step of steps) if (900 + step.atS < s) kw = step.kw;
      return kw;
    };
    let registerKwh = 777.7777;
    let quarterKwh = 0;
    let closed = null;
    for (let s = 1; s <= 1800; s++) {
      // second s is the power over (s − 1, s]
      registerKwh += kwAt(s) / 3600;
      if (s > 900) quarterKwh += kwAt(s) / 3600;
      const ms = Q0 + s * 1000;
      if (s % 10 !== 0) {
        closed = q.advance(ms) ?? closed;
        continue;
      }
      const elapsedS = s > 900 ? s - 900 : s;
      const avg = meter === 'average' ? Math.round((quarterKwh * 3_600_000) / elapsedS) / 1000 : null;
      const reg = meter === 'register' ? Math.round(registerKwh * 1000) / 1000 : null;
      closed = q.update(ms, kwAt(s), kwAt(s), s > 900 ? avg : null, null, '2025-01', true, reg) ?? closed;
    }
    return { closed, trueKw: quarterKwh / 0.25 };
  }
  const steps = fc.array(
    fc.record({ atS: fc.integer({ min: 11, max: 889 }), kw: fc.double({ min: 0, max: 9, noNaN: true }) }),
    {
      minLength: 1,
      maxLength: 40,
    },
  );

  it('with a 10 s meter counts the quarter as the meter does: its average, else its import register', () => {
    fc.assert(
      fc.property(steps, fc.constantFrom('average' as const, 'register' as const), (sorted, meter) => {
        const { closed, trueKw } = tenSecondQuarter(
          [...sorted].sort((a, b) => a.atS - b.atS),
          meter,
        );
        expect(closed?.startMs).toBe(Q0 + QUARTER_MS);
        // Within the register's whole Wh at both ends (and the average's W); the house alone drew all of it.
        expect(Math.abs(closed!.averageKw - trueKw)).toBeLessThan(0.01);
        expect(Math.abs(closed!.houseAverageKw - trueKw)).toBeLessThan(0.01);
      }),
      { numRuns: 200 },
    );
  });

  it('without either, a 10 s meter’s quarter of cycling loads is counted from the powers held (0.06 kW off)', () => {
    // A hob zone of 2.2 kW that comes on 8 s after each of eight telegrams and goes off 2 s after another: held
    // at its power from telegrams that saw it on, the count is 9 s high at every off-step and 7 s low at every on.
    const cycle = Array.from({ length: 8 }, (_, k) => [
      { atS: 48 + k * 100, kw: 2.6 },
      { atS: 92 + k * 100, kw: 0.4 },
    ]).flat();
    const { closed: held, trueKw } = tenSecondQuarter(cycle, 'none');
    const { closed: counted } = tenSecondQuarter(cycle, 'register');
    expect(held!.averageKw - trueKw).toBeGreaterThan(0.05);
    expect(Math.abs(counted!.averageKw - trueKw)).toBeLessThan(0.01);
  });

  it('a register that does not move while power flows is not believed: the count goes on from the powers', () => {
    // 4 kW for two minutes, the register stuck at one value (a meter that repeats it, a parser's fixed field)
    const q = new QuarterBudget(options);
    for (let s = 1; s <= 120; s++) q.update(Q0 + s * 1000, 4, 4, null, null, '2025-01', true, 100);
    // counted from the powers, less at most the 5 Wh the register may lag by before it counts as stuck
    expect(q.usedKwh).toBeGreaterThan((4 * 119) / 3600 - 0.0051);
    // once it moves again it counts from there
    for (let s = 121; s <= 180; s++)
      q.update(Q0 + s * 1000, 4, 4, null, null, '2025-01', true, 100 + ((s - 120) * 4) / 3600);
    expect(q.usedKwh).toBeGreaterThan((4 * 179) / 3600 - 0.0051);
  });
});
