import { QUARTER_MS } from '@p1/balancer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuarterTracker } from '../src/live/quarter';

const Q0 = Date.UTC(2025, 0, 15, 9, 0, 0); // a quarter boundary

describe('QuarterTracker', () => {
  it('a constant import gives that average, whatever the sampling (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 30, noNaN: true }),
        fc.array(fc.integer({ min: 200, max: 10_000 }), { minLength: 5, maxLength: 400 }),
        (kw, gaps) => {
          const q = new QuarterTracker();
          let t = Q0;
          q.push(t, kw, null);
          let closed = null;
          while (!closed) {
            t += gaps[Math.floor(t / 1000) % gaps.length] as number;
            closed = q.push(t, kw, null);
          }
          return Math.abs(closed.averageKw - kw) < 1e-9 * Math.max(1, kw) && closed.startTs === Q0;
        },
      ),
    );
  });

  it('splits a sample interval at the quarter boundary and counts import only', () => {
    const q = new QuarterTracker();
    q.push(Q0, 4, null);
    q.push(Q0 + QUARTER_MS / 2, -3, null); // exporting: counts as 0
    const closed = q.push(Q0 + QUARTER_MS + 60_000, 8, null);
    // 7.5 min at 4 kW, 7.5 min at 0 kW → 2 kW; the minute after the boundary belongs to the next quarter
    expect(closed?.averageKw).toBeCloseTo(2, 9);
    expect(q.status()?.energyKwh).toBeCloseTo(0, 9); // 0 kW held from the export sample
    expect(q.status()?.elapsedS).toBe(60);
  });

  it('projects the present import to the end of the quarter', () => {
    const q = new QuarterTracker();
    q.push(Q0, 6, null);
    q.push(Q0 + 300_000, 3, null); // 5 min at 6 kW = 0.5 kWh
    const s = q.status();
    expect(s?.averageKw).toBeCloseTo(2, 9);
    expect(s?.projectedKw).toBeCloseTo(2 + 3 * (10 / 15), 9); // + 10 min at 3 kW
  });

  it('after a gap of more than a quarter, starts the new quarter empty', () => {
    const q = new QuarterTracker();
    q.push(Q0, 5, null);
    const closed = q.push(Q0 + 3 * QUARTER_MS + 1000, 1, '2025-01-15T10:45:01+01:00');
    expect(closed?.averageKw).toBeCloseTo(5, 9);
    expect(q.status()).toMatchObject({
      startTs: Q0 + 3 * QUARTER_MS,
      energyKwh: 0,
      startLocal: '2025-01-15T10:45:01+01:00',
    });
  });
});
