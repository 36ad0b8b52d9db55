/**
 * In a quarter's last seconds no car is started or raised: the change could not be undone before the quarter ends.
 * The start is taken back before it is sent, so nothing was sent: a car plugged in then starts at the next
 * quarter's first telegram. Taken back after `setLimit` had counted it as a change, the raise delay ran from it,
 * and a car plugged in a second before the quarter's end started 4 s into the next, its reason `raise delay` meanwhile.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, followingCar, input, reading, step, T0 } from './helpers';

/** A target the car never reaches: only the quarter's end holds it. T0 is a quarter's start. */
const SITE = { connection: '1x230' as const, fuseA: 40, capacityTargetKw: 20 };
const QUARTER_S = 900;
const HOUSE_A = 2;

/** A car plugged in at `plugS`: its limit and reason each second from then until 10 s into the next quarter. */
function afterPlugIn(plugS: number, lagS: number) {
  const b = createBalancer({ site: SITE });
  const cap = charger({ phases: [1], maxA: 32 });
  const car = followingCar(cap, lagS);
  const seen: { s: number; limitA: number; reason: string }[] = [];
  for (let s = 0; s < QUARTER_S + 10; s++) {
    const draw = car.drawA(s);
    const ms = T0 + s * 1000;
    const d = b.step(step(ms, reading(ms, [HOUSE_A + draw]), [input(cap, draw, s >= plugS)])).chargers[0]!;
    car.offers.push(d.limitA);
    if (s >= plugS) seen.push({ s, limitA: d.limitA, reason: d.reason });
  }
  return seen;
}

describe('a car plugged in during a quarter’s last seconds', () => {
  it('waits with the reason `quarter end` and starts at the next quarter’s first telegram', () => {
    fc.assert(
      // Within the last 20 s (the freeze, with the 5 s lag taken for a car not seen yet), any car lag.
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 2, max: 5 }), (beforeEndS, lagS) => {
        const seen = afterPlugIn(QUARTER_S - beforeEndS, lagS);
        for (const { s, limitA, reason } of seen.filter((x) => x.s < QUARTER_S)) {
          expect({ s, limitA, reason }).toEqual({ s, limitA: 0, reason: 'quarter end' });
        }
        expect(seen.find((x) => x.limitA > 0)?.s).toBe(QUARTER_S);
      }),
      { numRuns: 30 },
    );
  });
});
