/**
 * A cycling load's rest is lent to the car up to what a breaker never trips at (IEC 60898-1: 1.13 × In for an
 * hour): its return takes the line over the fuse only until the cut lands. Not with a meter whose telegrams come
 * too seldom for the cut to land within 10 s, nor while the line is over its fuse for another load: that is the
 * shipped regression `be-3x230-25a-oven-before-hob-returns` (fleet house 555/872, 11 s over).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, followingCar, input, reading, step, T0 } from './helpers';

const FUSE_A = 40;
const HOUSE_A = 2;
const CAR_MAX_A = 32;
/** The cycler has shown its rhythm by then. */
const LEARNED_S = 900;
const END_S = 2400;

interface House {
  lagS: number;
  cyclerA: number;
  onS: number;
  offS: number;
  /** Seconds between telegrams (1: DSMR 5 / e-MUCS, 10: DSMR 4). */
  everyS: number;
}

/**
 * A hob zone cycling `onS` on, `offS` off from second 60, beside a car with a lag of `lagS` on a 40 A line. From
 * `LEARNED_S` on: the highest line current, the longest run over the fuse, and the most the car was offered.
 */
function run(h: House) {
  const b = createBalancer({ site: { connection: '1x230', fuseA: FUSE_A } });
  const cap = charger({ phases: [1], maxA: CAR_MAX_A });
  const car = followingCar(cap, h.lagS);
  let runS = 0;
  let longestS = 0;
  let peakA = 0;
  let mostOfferedA = 0;
  for (let s = 0; s < END_S; s++) {
    const cycling = s >= 60 && (s - 60) % (h.onS + h.offS) < h.onS;
    const drawA = car.drawA(s);
    const lineA = HOUSE_A + (cycling ? h.cyclerA : 0) + drawA;
    const ms = T0 + s * 1000;
    const telegram = s % h.everyS === 0 ? reading(ms, [lineA]) : null;
    car.offers.push(b.step(step(ms, telegram, [input(cap, drawA)])).chargers[0]!.limitA);
    if (s < LEARNED_S) continue;
    runS = lineA > FUSE_A ? runS + 1 : 0;
    longestS = Math.max(longestS, runS);
    peakA = Math.max(peakA, lineA);
    mostOfferedA = Math.max(mostOfferedA, car.offers[s]!);
  }
  return { longestS, peakA, mostOfferedA };
}

const cycler = {
  lagS: fc.integer({ min: 2, max: 5 }),
  cyclerA: fc.integer({ min: 10, max: 13 }),
  onS: fc.integer({ min: 40, max: 120 }),
  offS: fc.integer({ min: 30, max: 150 }),
};

describe("a cycling load's return", () => {
  it('may land on the car up to 1.13 × In, over the fuse only until the cut lands', () => {
    fc.assert(
      fc.property(fc.record(cycler), (c) => {
        const r = run({ ...c, everyS: 1 });
        expect(r.peakA).toBeLessThanOrEqual(1.13 * FUSE_A);
        expect(r.longestS).toBeLessThanOrEqual(c.lagS + 1);
        // The car is raised into the rest beyond what holding the load's whole step would leave it.
        expect(r.mostOfferedA).toBeGreaterThanOrEqual(Math.min(CAR_MAX_A, FUSE_A - HOUSE_A - c.cyclerA + 2));
      }),
      { numRuns: 40 },
    );
  });

  it('keeps the whole step under the fuse where telegrams come every 10 s', () => {
    fc.assert(
      fc.property(fc.record(cycler), (c) => {
        const r = run({ ...c, everyS: 10 });
        expect(r.peakA).toBeLessThanOrEqual(FUSE_A);
      }),
      { numRuns: 20 },
    );
  });
});
