/**
 * A run over the fuse lasts as long as the cars take to follow a cut. A second load that switches on before
 * the first cut has landed must not need a cut of its own, one more response time over the fuse: fleet house
 * 424242/320 (an air fryer 5 s after a hob zone, a car with a 5 s lag) was 11 s over its 40 A fuse.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, followingCar, input, reading, step, T0 } from './helpers';

const SITE = { connection: '1x230' as const, fuseA: 40 };
const HOUSE_A = 2;
const CAR_MAX_A = 32;
const FIRST_S = 400;
/** When a second load that is not new ran before: long enough before `FIRST_S` to have no part in its cut. */
const SEEN_S = [100, 220] as const;

/**
 * A car that follows each limit `lagS` seconds after it was offered, as IEC 61851 has it for a PWM change (and
 * draws nothing below its minimum), charges on one line. At `FIRST_S` a load of `firstA` switches on, at
 * `FIRST_S + gapS` one of `secondA`, which the house has shown once before, in the seconds `seenS` (from, to), or
 * never. Returns the longest run of seconds the line spent over its fuse after that, the least limit the car was
 * offered, and its offers from `FIRST_S` on (second by second).
 */
function afterFirstLoad(
  lagS: number,
  firstA: number,
  gapS: number,
  secondA: number,
  seenS: readonly [number, number] | null,
) {
  const b = createBalancer({ site: SITE });
  const cap = charger({ phases: [1], maxA: CAR_MAX_A });
  const car = followingCar(cap, lagS);
  const { offers } = car;
  let run = 0;
  let longest = 0;
  let lowestA = Number.POSITIVE_INFINITY;
  for (let s = 0; s < FIRST_S + 120; s++) {
    const draw = car.drawA(s);
    const second = (seenS && s >= seenS[0] && s < seenS[1]) || s >= FIRST_S + gapS ? secondA : 0;
    const lineA = HOUSE_A + (s >= FIRST_S ? firstA : 0) + second + draw;
    if (s >= FIRST_S) {
      run = lineA > SITE.fuseA ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    const ms = T0 + s * 1000;
    offers.push(b.step(step(ms, reading(ms, [lineA]), [input(cap, draw)])).chargers[0]!.limitA);
    if (s >= FIRST_S) lowestA = Math.min(lowestA, offers[s]!);
  }
  return { longest, lowestA, after: offers.slice(FIRST_S) };
}

describe('a second load before a cut has landed', () => {
  it('finds room under the fuse: the run over it ends when the first cut lands', () => {
    // 424242/320's timing: a hob zone, an air fryer (6.4 A) 5 s later, a car with a 5 s lag.
    expect(afterFirstLoad(5, 13, 5, 6.4, SEEN_S).longest).toBeLessThanOrEqual(5);
    // Any second load up to the room kept for an appliance not seen yet (3 kW, 13 A), before the cut lands.
    const lag = fc.integer({ min: 2, max: 5 });
    const loadA = (max: number) => fc.integer({ min: 4, max });
    fc.assert(
      fc.property(
        lag,
        loadA(16),
        fc.integer({ min: 1, max: 4 }),
        loadA(13),
        fc.boolean(),
        (lagS, firstA, gapS, secondA, seen) => {
          // The car charges at its maximum when the first load puts the line over the fuse.
          fc.pre(gapS < lagS && HOUSE_A + CAR_MAX_A + firstA > SITE.fuseA);
          expect(afterFirstLoad(lagS, firstA, gapS, secondA, seen ? SEEN_S : null).longest).toBeLessThanOrEqual(lagS);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('is given back as soon as the cut has landed, not after the raise delay', () => {
    fc.assert(
      // Lags shorter than the 5 s raise delay: the raise back would otherwise wait for it.
      fc.property(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 8, max: 16 }), (lagS, firstA) => {
        const { after } = afterFirstLoad(lagS, firstA, 60, 0, null);
        const settledA = after[50]!;
        // cut deeper than the load alone needs, while the line is over the fuse
        expect(after[0]!).toBeLessThan(settledA);
        // the first telegram that shows the line under the fuse gives the room back
        expect(after[lagS + 1]!).toBe(settledA);
      }),
      { numRuns: 20 },
    );
  });

  it('is held in the cut when it went off a moment ago: its return before the cut lands needs no second cut', () => {
    // Fleet house 314159/751: a washing machine's heater on top of a car, cut to its minimum; the drum motor,
    // off for half a minute, back 4 s later, on top of the minimum, and a second cut: 10 s over the fuse.
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 20, max: 30 }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        fc.integer({ min: 30, max: 90 }),
        fc.double({ min: 0.1, max: 0.9, noNaN: true }),
        fc.integer({ min: 1, max: 4 }),
        (lagS, motorDeciA, share, onS, offShare, gapS) => {
          fc.pre(gapS < lagS);
          const motorA = motorDeciA / 10;
          // A first load that leaves the car its minimum (6 A) under the fuse, but not the motor's step beside it.
          const firstA = SITE.fuseA - 8 - motorA + share * (motorA - 0.5);
          const offS = Math.round(offShare * onS);
          const seenS = [FIRST_S - offS - onS, FIRST_S - offS] as const;
          expect(afterFirstLoad(lagS, firstA, gapS, motorA, seenS).longest).toBeLessThanOrEqual(lagS);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is kept only down to the car’s minimum: a load that may not come pauses nobody', () => {
    fc.assert(
      // A first load that leaves the car 6–19 A under the fuse: less than its minimum beside 13 A of room.
      fc.property(fc.integer({ min: 2, max: 5 }), fc.integer({ min: 19, max: 31 }), (lagS, firstA) => {
        expect(afterFirstLoad(lagS, firstA, 60, 0, null).lowestA).toBeGreaterThanOrEqual(6);
      }),
      { numRuns: 30 },
    );
  });

  it('pauses a car too slow for two cuts in 10 s where a step the house has shown would not fit', () => {
    // Fleet house 1618033/497 (1x230 50 A, a car with a 5 s lag): a hob zone's first switch-on cut the car to its
    // minimum, a second zone seen before came 5 s later as the cut landed, and its own cut left the line 11 s over.
    fc.assert(
      fc.property(
        fc.integer({ min: 19, max: 31 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 4, max: 13 }),
        (firstA, gapS, secondA) => {
          // The house alone stays under the fuse with both loads: what is over is the car's.
          fc.pre(HOUSE_A + firstA + secondA <= SITE.fuseA - 1);
          const { longest, lowestA } = afterFirstLoad(5, firstA, gapS, secondA, SEEN_S);
          // the run ends when the first cut lands, whether the second load came or not
          expect(longest).toBeLessThanOrEqual(5);
          // paused only where the second load would not have fitted beside the car's minimum (6 A)
          const fitsA = SITE.fuseA - 0.5 - HOUSE_A - firstA - secondA;
          expect(lowestA === 0).toBe(fitsA < 6);
        },
      ),
      { numRuns: 40 },
    );
  });
});
