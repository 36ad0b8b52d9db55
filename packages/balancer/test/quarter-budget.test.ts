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
});
