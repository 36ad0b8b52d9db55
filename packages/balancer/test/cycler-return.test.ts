/**
 * A cycler that rests a minute or more (an oven's thermostat, a heat pump) is not cut for before its return as deep
 * as its whole step: its return may take the line up to what a breaker never trips at (IEC 60898-1: 1.13 × In for
 * an hour), over the fuse only until the cut lands. One that rests less keeps its whole room (a car raised or
 * started into every 20 s rest would be cut again at each return); so does every cycler with a meter whose
 * telegrams come too seldom for the cut to land within 10 s, and on a line over its fuse for another load: that is
 * the shipped regression `be-3x230-25a-oven-before-hob-returns` (fleet house 555/872, 11 s over). So does one resting
 * less than 5 min beside a car too slow for a second cut within 10 s (a lag over 4 s): another load of those hours
 * may follow its return before the cut lands (`nl-3n400-25a-twin-cyclers-slow-car`, fleet house nl 8675309/127).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, followingCar, input, mostInAnHour, reading, step, T0 } from './helpers';

const FUSE_A = 40;
const HOUSE_A = 2;
const CAR_MAX_A = 32;
/** The cycler has shown its rhythm by then. */
const LEARNED_S = 900;
const END_S = 4200;

interface House {
  lagS: number;
  cyclerA: number;
  onS: number;
  offS: number;
  /** Seconds between telegrams (1: DSMR 5 / e-MUCS, 10: DSMR 4). */
  everyS: number;
}

/**
 * A charger's raises wait 2 min once this many of its changes came within the hour (its promise is 120 an hour).
 * A return lent at every rest costs up to four (the cut, the cut's room given back, the raise, the hold before the
 * next return): 145 an hour for a zone 40 s on and 60 s off.
 */
const BUSY_CHANGES_PER_HOUR = 90;

/**
 * A hob zone cycling `onS` on, `offS` off from second 60, beside a car with a lag of `lagS` on a 40 A line. From
 * `LEARNED_S` on: the highest line current, the longest run over the fuse, and the most the car was offered; over
 * the whole run, the most setpoint changes within an hour.
 */
function run(h: House) {
  const b = createBalancer({ site: { connection: '1x230', fuseA: FUSE_A } });
  const cap = charger({ phases: [1], maxA: CAR_MAX_A });
  const car = followingCar(cap, h.lagS);
  const periodS = h.onS + h.offS;
  let runS = 0;
  let longestS = 0;
  let peakA = 0;
  /**
   * Per rest after `LEARNED_S`: the car's offer as the load went off, in the second before it came back, and the
   * least of the 10 s before.
   */
  const rests: Array<{ offA: number; beforeA: number; leastBeforeA: number; busy: boolean }> = [];
  const changedAtS: number[] = [];
  /** Changes within the hour before second `s`. */
  const hourBefore = (s: number) => changedAtS.filter((t) => t > s - 3600 && t < s).length;
  for (let s = 0; s < END_S; s++) {
    const cycling = s >= 60 && (s - 60) % periodS < h.onS;
    const drawA = car.drawA(s);
    const lineA = HOUSE_A + (cycling ? h.cyclerA : 0) + drawA;
    const ms = T0 + s * 1000;
    const telegram = s % h.everyS === 0 ? reading(ms, [lineA]) : null;
    const d = b.step(step(ms, telegram, [input(cap, drawA)])).chargers[0]!;
    car.offers.push(d.limitA);
    if (d.changed) changedAtS.push(s);
    if (s < LEARNED_S) continue;
    runS = lineA > FUSE_A ? runS + 1 : 0;
    longestS = Math.max(longestS, runS);
    peakA = Math.max(peakA, lineA);
    const intoS = (s - 60) % periodS;
    if (intoS === 0 && s - periodS >= LEARNED_S)
      rests.push({
        offA: car.offers[s - h.offS]!,
        beforeA: car.offers[s - 1]!,
        leastBeforeA: Math.min(...car.offers.slice(s - 10, s)),
        // the raise into this rest came when it began: did the charger's hour hold it?
        busy: hourBefore(s - h.offS) >= BUSY_CHANGES_PER_HOUR,
      });
  }
  return { longestS, peakA, rests, mostPerHour: mostInAnHour(changedAtS) };
}

const cycler = (offS: fc.Arbitrary<number>, lagS = fc.integer({ min: 2, max: 5 })) =>
  fc.record({
    lagS,
    cyclerA: fc.integer({ min: 10, max: 13 }),
    onS: fc.integer({ min: 40, max: 180 }),
    offS,
  });

describe("a cycling load's return", () => {
  it('after a rest of a minute or more may land on the car up to 1.13 × In, over the fuse until the cut lands', () => {
    fc.assert(
      // Cars whose lag and a telegram are at most 5 s: a second cut, for a load on top, still lands within 10 s.
      fc.property(cycler(fc.integer({ min: 60, max: 240 }), fc.integer({ min: 2, max: 4 })), (c) => {
        const r = run({ ...c, everyS: 1 });
        expect(r.peakA).toBeLessThanOrEqual(1.13 * FUSE_A);
        expect(r.longestS).toBeLessThanOrEqual(c.lagS + 1);
        // Before each return the car is left above what holding the load's whole step would leave it, while the
        // charger's hour leaves room for the raise: lending every rest must not cost the 120 changes an hour.
        expect(r.rests.filter((rest) => !rest.busy).length).toBeGreaterThan(0);
        for (const rest of r.rests)
          if (!rest.busy)
            expect(rest.beforeA).toBeGreaterThanOrEqual(Math.min(CAR_MAX_A, FUSE_A - HOUSE_A - c.cyclerA + 2));
        expect(r.mostPerHour).toBeLessThanOrEqual(120);
      }),
      { numRuns: 40 },
    );
  });

  it('finds a car too slow for a second cut cut for its whole step after a rest under 5 min, not a longer one', () => {
    fc.assert(
      fc.property(cycler(fc.integer({ min: 60, max: 240 }), fc.constant(5)), (c) => {
        const r = run({ ...c, everyS: 1 });
        expect(r.rests.length).toBeGreaterThan(0);
        expect(r.longestS).toBe(0);
        for (const rest of r.rests) expect(rest.beforeA).toBeLessThanOrEqual(FUSE_A - HOUSE_A - c.cyclerA);
      }),
      { numRuns: 30 },
    );
    // A rest of 5 min or more (a heat pump's) is still lent to it: such a return comes alone.
    fc.assert(
      fc.property(cycler(fc.integer({ min: 320, max: 600 }), fc.constant(5)), (c) => {
        const r = run({ ...c, everyS: 1 });
        expect(r.peakA).toBeLessThanOrEqual(1.13 * FUSE_A);
        expect(r.longestS).toBeLessThanOrEqual(c.lagS + 1);
        const lent = r.rests.filter((rest) => !rest.busy);
        expect(lent.length).toBeGreaterThan(0);
        for (const rest of lent) expect(rest.beforeA).toBeGreaterThan(FUSE_A - HOUSE_A - c.cyclerA + 2);
      }),
      { numRuns: 20 },
    );
  });

  it('after a shorter rest finds the car where the load going off left it', () => {
    fc.assert(
      fc.property(cycler(fc.integer({ min: 15, max: 50 })), (c) => {
        const r = run({ ...c, everyS: 1 });
        expect(r.rests.length).toBeGreaterThan(0);
        for (const rest of r.rests) expect(rest.beforeA).toBeLessThanOrEqual(rest.offA + 0.05);
      }),
      { numRuns: 40 },
    );
  });

  it('is cut for whole where telegrams come every 10 s: the cut could not land within 10 s', () => {
    fc.assert(
      fc.property(cycler(fc.integer({ min: 60, max: 240 })), (c) => {
        const r = run({ ...c, everyS: 10 });
        expect(r.rests.length).toBeGreaterThan(0);
        // Within a telegram interval before each return the car is offered no more than the whole step leaves.
        for (const rest of r.rests) expect(rest.leastBeforeA).toBeLessThanOrEqual(FUSE_A - HOUSE_A - c.cyclerA);
      }),
      { numRuns: 60 },
    );
  });
});

/**
 * Two cyclers of one size on the car's line (an oven's thermostat and a hob zone, 2.3 kW each), which the house
 * model may take for one: a slow car (a 5 s lag, 28 s to ramp its 16 A, sampled every `sampleS` seconds) on a 25 A
 * line for an hour of cooking. Returns the longest run over the fuse.
 */
function twins(t: { onA: number; offA: number; onB: number; offB: number; startB: number; sampleS: number }) {
  const fuseA = 25;
  const b = createBalancer({ site: { connection: '1x230', fuseA } });
  const cap = charger({ phases: [1], maxA: 16 });
  const car = followingCar(cap, 5, 16 / 28);
  const cycling = (s: number, from: number, on: number, off: number) => s >= from && (s - from) % (on + off) < on;
  let sample = input(cap, 0);
  let runS = 0;
  let longestS = 0;
  for (let s = 0; s < 3600; s++) {
    const drawA = car.drawA(s);
    const lineA = 0.5 + (cycling(s, 60, t.onA, t.offA) ? 10 : 0) + (cycling(s, t.startB, t.onB, t.offB) ? 10 : 0);
    const ms = T0 + s * 1000;
    if (s % t.sampleS === 0) sample = input(cap, drawA);
    car.offers.push(b.step(step(ms, reading(ms, [lineA + drawA]), [sample])).chargers[0]!.limitA);
    runS = lineA + drawA > fuseA ? runS + 1 : 0;
    longestS = Math.max(longestS, runS);
  }
  return longestS;
}

describe('two cyclers of one size on the line of a car too slow for a second cut', () => {
  it('never keep the line over the fuse longer than 10 s', () => {
    // Fleet house nl-8675309/127 (3N400 25 A, an oven and a hob zone of 2.3 kW cycling on L1, a car with a 5 s lag
    // sampled every 5 s): one came back onto the car at 16 A, the other 5 s later as the cut to 6 A landed: 11 s.
    fc.assert(
      fc.property(
        fc.record({
          onA: fc.integer({ min: 40, max: 70 }),
          offA: fc.integer({ min: 60, max: 90 }),
          onB: fc.integer({ min: 60, max: 120 }),
          offB: fc.integer({ min: 60, max: 90 }),
          startB: fc.integer({ min: 300, max: 600 }),
          sampleS: fc.constantFrom(1, 5),
        }),
        (t) => {
          expect(twins(t)).toBeLessThanOrEqual(10);
        },
      ),
      { numRuns: 40 },
    );
  });

  // Found by random seeds (2026-12-06). Zone A came back onto the car at 16 A; the cut to 6 A landed 5 s later just
  // as zone B came on, the line flat at 26.5 A, and the charger's next sample (every 5 s) showed the drop 4 s on:
  // 14 s over the fuse. In the second, B's switch-on came as the cut for A's return landed: 13 s. The house model
  // had taken the two zones for one: a car cut to 0 and sampled there still counted as following its cut (its lag
  // and a ramp down it does not make), and a line quiet for longer than 20 s loses the step its house made
  // meanwhile. A car whose sample shows it at its limit has nothing left to move: its line is in step, B's steps
  // are learned, and the returns are held for.
  it('keeps the line over the fuse no longer than 10 s where the second comes on as the cut lands', () => {
    expect(twins({ onA: 52, offA: 61, onB: 74, offB: 76, startB: 521, sampleS: 5 })).toBeLessThanOrEqual(10);
    expect(twins({ onA: 58, offA: 63, onB: 60, offB: 60, startB: 307, sampleS: 5 })).toBeLessThanOrEqual(10);
  });

  // Found by a random seed at 50 times the runs (2026-12-06; 12 s on 20fcc8f too): zone A's off-step came as the car
  // was raised, its line quiet while the car ramped for half a minute, and was seen only when the line could not hold
  // A any more, 29 s late, so A's return was expected half a minute after it came. Zone B, never seen before,
  // switched on 5 s before that return: taken for A, it cost a cut to the car's minimum, and A's return as that cut
  // landed a second cut: 12 s over the fuse. A fall of meter less samples while the car can only rise is the
  // house's own, as a rise while it can only fall is: A's off-step is learned when it comes.
  it('keeps the line over the fuse no longer than 10 s where an unseen zone comes as the first returns', () => {
    expect(twins({ onA: 63, offA: 71, onB: 60, offB: 60, startB: 323, sampleS: 5 })).toBeLessThanOrEqual(10);
  });
});
