/**
 * A load that switches on while a car starts, behind a charger whose samples come late: the sample shows the car
 * seconds ago, lower on its ramp, and the meter's rise is the car's and the load's together. Read with a rise up to
 * the car's limit credited to the car, the load hid behind it; a cut to the car's minimum then kept the line over
 * its fuse until the next sample or a stale one (21 s with a charger sampling every 5 s; 15 s in fleet house nl
 * 7070707/642 with one sampling once a minute). Over the fuse the house is counted as the cars' physics bound it:
 * risen since their samples no faster than their ramps, at or under their limits once their lag has passed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, followingCar, lateSample, reading, step, T0 } from './helpers';

interface House {
  connection: '1x230';
  fuseA: number;
  /** The house's own current before the load (A). */
  baseA: number;
  /** The load that switches on, and when (s after the car plugs in). */
  loadA: number;
  loadAfterS: number;
}

interface Car {
  /** When it plugs in (s), how long it takes to follow a new limit (s), how fast it ramps up (A/s). */
  plugS: number;
  lagS: number;
  rampAps: number;
  /** The share of its limit it draws. */
  ratio: number;
}

interface Sampling {
  /** Seconds between the charger's samples, and how late each arrives. */
  everyS: number;
  delayS: number;
}

/** The longest run of seconds with the line over its fuse, in the two minutes after the load switches on. */
function longestOverFuse(house: House, carSpec: Car, ch: Sampling): number {
  const b = createBalancer({ site: { connection: house.connection, fuseA: house.fuseA } });
  const cap = charger({ phases: [1], maxA: 16 });
  // Up at its ramp, down at once, nothing under its minimum.
  const car = followingCar(cap, carSpec.lagS, carSpec.rampAps, { ratio: carSpec.ratio, plugS: carSpec.plugS });
  const drawn: number[] = [];
  const loadS = carSpec.plugS + house.loadAfterS;
  let run = 0;
  let longest = 0;
  for (let s = 0; s < loadS + 120; s++) {
    const draw = car.drawA(s);
    drawn.push(draw);
    const sample = lateSample(cap, drawn, s, ch);
    sample.measurement.vehiclePlugged = s >= carSpec.plugS;
    const lineA = house.baseA + (s >= loadS ? house.loadA : 0) + draw;
    run = lineA > house.fuseA ? run + 1 : 0;
    longest = Math.max(longest, run);
    const ms = T0 + s * 1000;
    car.offers.push(b.step(step(ms, reading(ms, [lineA]), [sample])).chargers[0]!.limitA);
  }
  return longest;
}

const houseArb = fc
  .record({
    fuseA: fc.constantFrom(20, 25, 32, 40),
    baseShare: fc.double({ min: 0, max: 0.5, noNaN: true }),
    loadA: fc.double({ min: 4, max: 16, noNaN: true }),
    loadAfterS: fc.integer({ min: 0, max: 90 }),
  })
  .map(({ fuseA, baseShare, loadA, loadAfterS }): House => {
    return { connection: '1x230', fuseA, baseA: baseShare * fuseA, loadA, loadAfterS };
  });
const carArb = fc.record({
  plugS: fc.integer({ min: 60, max: 120 }),
  lagS: fc.integer({ min: 2, max: 5 }),
  rampAps: fc.constantFrom(0.5, 16 / 30, 1, 2, 4, 16),
  ratio: fc.constantFrom(0.85, 0.97, 1),
});
const samplingArb = fc.record({
  everyS: fc.constantFrom(1, 2, 5, 10, 30, 60),
  delayS: fc.integer({ min: 0, max: 2 }),
});

describe('a load that switches on while a car starts behind a charger that samples late', () => {
  it('keeps the line over its fuse no longer than 10 s', () => {
    // Each of these was over its fuse longer before (21, 16 and 16 s): the car credited a rise to its limit since
    // its sample, or to a raise its cut had superseded, or taken at a sample above a cut it had followed since.
    const pinned: [House, Car, Sampling][] = [
      [
        { connection: '1x230', fuseA: 32, baseA: 15.04, loadA: 13.93, loadAfterS: 5 },
        { plugS: 79, lagS: 4, rampAps: 16 / 30, ratio: 0.97 },
        { everyS: 5, delayS: 2 },
      ],
      [
        { connection: '1x230', fuseA: 25, baseA: 6.39, loadA: 14.09, loadAfterS: 24 },
        { plugS: 113, lagS: 3, rampAps: 0.5, ratio: 0.85 },
        { everyS: 10, delayS: 2 },
      ],
      [
        { connection: '1x230', fuseA: 32, baseA: 14.58, loadA: 12.67, loadAfterS: 14 },
        { plugS: 81, lagS: 4, rampAps: 16 / 30, ratio: 1 },
        { everyS: 10, delayS: 2 },
      ],
    ];
    for (const [house, car, ch] of pinned) expect(longestOverFuse(house, car, ch)).toBeLessThanOrEqual(10);
    fc.assert(
      fc.property(houseArb, carArb, samplingArb, (house, car, ch) => {
        // The house alone leaves the fuse's margin: a run over it is the car's.
        fc.pre(house.baseA + house.loadA <= house.fuseA - 0.5);
        // A charger sampling every 30 or 60 s never shows a ramp whole: until learned it is taken at 16 A in 20 s,
        // and a car ramping slower is credited a little more rise than it made (one second more, in 1 of 6,000).
        expect(longestOverFuse(house, car, ch)).toBeLessThanOrEqual(ch.everyS > 10 ? 11 : 10);
      }),
      { numRuns: 150 },
    );
  });
});
