/**
 * A charger's current reaches the balancer later than the meter's telegram: an OCPP charger samples every 1–10 s
 * (MeterValueSampleInterval) and its message takes a moment more. While the car ramps up to a new limit,
 * meter minus car then counts the unmeasured ramp as house. Found in the Gherkin evening with the oven under
 * CPU load: the quarter plan took the car’s own ramp for a house load and paused the car seconds after
 * starting it, for its minimum pause. A sample may also come before the telegram that shows its move: the same
 * error with the sign turned.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, followingCar, input, lateSample, reading, step, T0 } from './helpers';

/** The Gherkin evening's house: the quarter plan binds. */
const TARGET = { connection: '3N400' as const, fuseA: 25, capacityTargetKw: 8 };
/** A 16 A house without a target: the fuse binds. */
const FUSE = { connection: '3N400' as const, fuseA: 16 };
type Site = typeof TARGET | typeof FUSE;
const HOUSE_A = 400 / 230 / 3;

interface Car {
  /** Seconds until the car follows a new limit, and how fast it ramps up (A/s). */
  lagS: number;
  rampAps: number;
}

interface Charger {
  /** Seconds between the charger's samples, and how late each arrives. */
  everyS: number;
  delayS: number;
  /**
   * The other way round: the telegram shows the car as it drew this many seconds before (0 or 1), and the sample
   * was taken `leadMs` before the telegram arrived: newer than the meter's reading.
   */
  meterLagS?: number;
  leadMs?: number;
}

/**
 * What a car draws one second on: it follows a new offer after its lag, ramping up, and a cut at once; below its
 * minimum it draws nothing.
 */
function follow(car: Car, minA: number, offeredA: number, sinceOfferS: number, drawnA: number): number {
  let a = sinceOfferS >= car.lagS ? (offeredA >= minA ? Math.min(offeredA, drawnA + car.rampAps) : 0) : drawnA;
  if (a > offeredA) a = offeredA >= minA ? offeredA : 0;
  return a;
}

interface Run {
  /** Seconds after the car was first offered its minimum that it was paused again (NaN: never). */
  pausedAfterS: number;
  /** Seconds after an oven came on that the car was first cut (NaN: never, or no oven). */
  cutAfterOvenS: number;
  /** The highest limit the car was given before the oven. */
  highestA: number;
}

/**
 * A car plugs in at a quarter's start in a house of 0.4 kW; from `ovenAtS` (if given) an oven takes 3.5 kW on
 * line 1. The car follows its limit after its lag, ramping up; it draws nothing below its minimum. The charger
 * reports what the car drew `delayS` before, sampled every `everyS`.
 */
function run(site: Site, car: Car, ch: Charger, seconds: number, ovenAtS = Number.POSITIVE_INFINITY): Run {
  const b = createBalancer({ site });
  const cap = charger();
  const drawn: number[] = [];
  let offered = 0;
  let offeredAtS = 0;
  let draw = 0;
  let startedS = Number.NaN;
  const out: Run = { pausedAfterS: Number.NaN, cutAfterOvenS: Number.NaN, highestA: 0 };
  for (let s = 0; s < seconds; s++) {
    draw = follow(car, cap.minA, offered, s - offeredAtS, draw);
    drawn.push(draw);
    const ms = T0 + s * 1000;
    const lineA = HOUSE_A + (s >= ovenAtS ? 3500 / 230 / 3 : 0) + drawn[Math.max(0, s - (ch.meterLagS ?? 0))]!;
    const d = b.step(step(ms, reading(ms, [lineA, lineA, lineA]), [lateSample(cap, drawn, s, ch)]));
    const limitA = d.chargers[0]!.limitA;
    if (limitA >= cap.minA && offered < cap.minA && Number.isNaN(startedS)) startedS = s;
    if (limitA < cap.minA && offered >= cap.minA && Number.isNaN(out.pausedAfterS)) out.pausedAfterS = s - startedS;
    if (limitA < offered && s >= ovenAtS && Number.isNaN(out.cutAfterOvenS)) out.cutAfterOvenS = s - ovenAtS;
    if (s < ovenAtS) out.highestA = Math.max(out.highestA, limitA);
    if (limitA !== offered) offeredAtS = s;
    offered = limitA;
  }
  return out;
}

const carArb = fc.record({ lagS: fc.integer({ min: 1, max: 5 }), rampAps: fc.integer({ min: 2, max: 16 }) });
const chargerArb = fc.record({ everyS: fc.integer({ min: 1, max: 10 }), delayS: fc.integer({ min: 0, max: 2 }) });

const siteArb = fc.constantFrom(TARGET, FUSE);

describe('a charger whose samples come late', () => {
  it('does not make the car’s own ramp look like a house load that pauses it', () => {
    // Seen first: samples every 5 s, the car paused 2 s after its start (a 3 A ramp read as 2 kW of house).
    expect(run(TARGET, { lagS: 2, rampAps: 3 }, { everyS: 5, delayS: 0 }, 120).pausedAfterS).toBeNaN();
    // On a 16 A line the ramp read as house cut the car under its minimum (fleet house 1/119).
    expect(run(FUSE, { lagS: 2, rampAps: 3 }, { everyS: 5, delayS: 0 }, 120).pausedAfterS).toBeNaN();
    fc.assert(
      fc.property(siteArb, carArb, chargerArb, (site, car, ch) => {
        expect(run(site, car, ch, 180).pausedAfterS).toBeNaN();
      }),
      { numRuns: 80 },
    );
  });

  it('still sees a load that comes on while the car ramps, once the samples catch up', () => {
    fc.assert(
      fc.property(siteArb, carArb, chargerArb, fc.integer({ min: 0, max: 6 }), (site, car, ch, ovenAfterS) => {
        const inStep = run(site, car, { everyS: 1, delayS: 0 }, 240, 1 + ovenAfterS);
        const late = run(site, car, ch, 240, 1 + ovenAfterS);
        expect(inStep.cutAfterOvenS).not.toBeNaN();
        // The plan waits at most for the car to follow its limit and for the next sample after that.
        const boundS = car.lagS + Math.ceil(16 / car.rampAps) + 2 + ch.everyS + ch.delayS;
        expect(late.cutAfterOvenS).toBeLessThanOrEqual(inStep.cutAfterOvenS + boundS);
      }),
      { numRuns: 80 },
    );
  });
});

describe('a charger whose samples come before the meter shows them', () => {
  // The Gherkin evening on a fresh clone (2026-12-02): the charger's sample of the car's start came a telegram
  // before the meter showed it; meter minus car read as 1 kW exported, the plan raised the car from 6.7 to
  // 10.2 A on it, and once the samples showed the car following that raise and then the cut back before the
  // meter did, as a house load that paused the car for its minimum pause before the oven came on.
  // A charger sampling as often as the meter (the driver asks for 1 s): one sampling less often shows a move
  // over several telegrams, most of it in the meter already.
  const earlyArb = fc.record({
    everyS: fc.constant(1),
    delayS: fc.constant(0),
    meterLagS: fc.constant(1),
    leadMs: fc.integer({ min: 0, max: 900 }),
  });

  it('neither spends a phantom export on the car nor pauses it for a phantom load', () => {
    const evening = run(TARGET, { lagS: 5, rampAps: 2 }, { everyS: 1, delayS: 0, meterLagS: 1, leadMs: 150 }, 120);
    expect(evening.pausedAfterS).toBeNaN();
    expect(evening.highestA).toBeLessThan(7.5);
    fc.assert(
      fc.property(siteArb, carArb, earlyArb, (site, car, ch) => {
        const inStep = run(site, car, { everyS: 1, delayS: 0 }, 180);
        const early = run(site, car, ch, 180);
        expect(early.pausedAfterS).toBeNaN();
        expect(early.highestA).toBeLessThanOrEqual(inStep.highestA + 0.5);
      }),
      { numRuns: 80 },
    );
  });
});

describe('a house cycler beside a charger that samples every 5 s', () => {
  /**
   * Fleet house 1/976: an oven's thermostat (3.2 kW on line 3, 23 s on, 76 s off) beside a car on a 16 A
   * supply. Lines were kept from learning for 30 s after each new limit while the car's samples were late,
   * so the thermostat's returns went unseen and landed on the car, again and again above 1.45 × In.
   * Returns the on-steps (by their start second) that found line 3 above 1.45 × In.
   */
  function ovenSteps(everyS: number): number[] {
    const b = createBalancer({ site: FUSE });
    const cap = charger();
    const car: Car = { lagS: 2, rampAps: 1.8 };
    const drawn: number[] = [];
    let offered = 0;
    let offeredAtS = 0;
    let draw = 0;
    const over: number[] = [];
    const ovenA = 3200 / 230;
    for (let s = 0; s < 3600; s++) {
      draw = follow(car, cap.minA, offered, s - offeredAtS, draw);
      drawn.push(draw);
      const ms = T0 + s * 1000;
      const sample = lateSample(cap, drawn, s, { everyS, delayS: 0 });
      // The thermostat from the tenth minute: 23 s on, 76 s off.
      const cycleS = s - 600;
      const on = cycleS >= 0 && cycleS % 99 < 23;
      const l3 = HOUSE_A + (on ? ovenA : 0) + draw;
      if (l3 > 1.45 * FUSE.fuseA && !over.includes(cycleS - (cycleS % 99))) over.push(cycleS - (cycleS % 99));
      const d = b.step(step(ms, reading(ms, [HOUSE_A + draw, HOUSE_A + draw, l3]), [sample]));
      const limitA = d.chargers[0]!.limitA;
      if (limitA !== offered) offeredAtS = s;
      offered = limitA;
    }
    return over;
  }

  it('learns the thermostat: only its first return may find the line above 1.45 × In', () => {
    expect(ovenSteps(1).length).toBeLessThanOrEqual(1);
    expect(ovenSteps(5).length).toBeLessThanOrEqual(1);
  });
});

describe('an appliance that first switches on as a car starts, beside a charger that samples late', () => {
  /**
   * Fleet house 141421/194 (3N400 20 A, a single-phase car on L1): an oven's 14.8 A came 9 s after the car plugged
   * in; the car's start and the cut for the oven kept L1 from the house model for 21 s, the oven went unlearned,
   * and its thermostat's first return found the car raised into the room kept for an unseen appliance. The oven
   * runs 10 min, then 60 s off and 40 s on for half an hour. Returns the oven's on-steps (by their start second)
   * that found L1 above 1.45 × In.
   */
  function ovenOverSteps(car: Car, ch: Charger, ovenAfterS: number): number[] {
    const site = { connection: '3N400' as const, fuseA: 20 };
    const b = createBalancer({ site });
    const cap = charger({ phases: [1], maxA: 16 });
    const drawn: number[] = [];
    const plugS = 60;
    const ovenS = plugS + ovenAfterS;
    let offered = 0;
    let offeredAtS = 0;
    let draw = 0;
    const over: number[] = [];
    for (let s = 0; s < ovenS + 2400; s++) {
      draw = s >= plugS ? follow(car, cap.minA, offered, s - offeredAtS, draw) : 0;
      drawn.push(draw);
      const ms = T0 + s * 1000;
      const sample = lateSample(cap, drawn, s, ch);
      sample.measurement.vehiclePlugged = s >= plugS;
      const cycleS = s - ovenS - 600;
      const onFromS = cycleS < 0 ? ovenS : s - (cycleS % 100) + 60;
      const on = s >= ovenS && (cycleS < 0 || (cycleS < 1800 && cycleS % 100 >= 60));
      const l1 = 1.5 + (on ? 14.8 : 0) + draw;
      if (on && l1 > 1.45 * site.fuseA && !over.includes(onFromS)) over.push(onFromS);
      const d = b.step(step(ms, reading(ms, [l1, 0.4, 0.4]), [sample]));
      const limitA = d.chargers[0]!.limitA;
      if (limitA !== offered) offeredAtS = s;
      offered = limitA;
    }
    return over;
  }

  it('learns the appliance: only its first switch-on may find the line above 1.45 × In', () => {
    fc.assert(
      fc.property(carArb, chargerArb, fc.integer({ min: 0, max: 20 }), (car, ch, ovenAfterS) => {
        expect(ovenOverSteps(car, ch, ovenAfterS).length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a load that comes on while a cut lands, beside a charger that samples late', () => {
  /**
   * Fleet house 1/444 (1x230 40 A, two cars at 16 A sampled every 5 s): a 2 kW load switched on, the cars were
   * cut, and a boiling-water tap came on 4 s later while the cuts landed. Meter less the samples (still the
   * old 16 A) understated the house by what the cars had already dropped, so the second cut was too small:
   * 13 s over the fuse where chargers in step with the meter gave 9 s.
   * Returns the seconds line 1 is over its fuse; `seen.cutAfterS`: seconds after the first load until a sample
   * first showed a car below its 16 A.
   */
  function overFuseS(
    car: Car,
    ch: Charger,
    tapAfterS: number,
    firstW = 2000,
    seen = { cutAfterS: Number.NaN },
  ): number {
    const site = { connection: '1x230' as const, fuseA: 40 };
    const b = createBalancer({ site });
    const cap = charger({ id: 'cp1', phases: [1], maxA: 16 });
    const cap2 = charger({ id: 'cp2', phases: [1], maxA: 16 });
    const drawn: number[][] = [[], []];
    const offered = [0, 0];
    const offeredAtS = [0, 0];
    const draw = [0, 0];
    let over = 0;
    for (let s = 0; s < 400; s++) {
      for (let k = 0; k < 2; k++) {
        draw[k] = follow(car, 6, offered[k]!, s - offeredAtS[k]!, draw[k]!);
        drawn[k]!.push(draw[k]!);
      }
      const ms = T0 + s * 1000;
      const samples = [cap, cap2].map((c, k) => lateSample(c, drawn[k]!, s, ch));
      if (s >= 300 && Number.isNaN(seen.cutAfterS) && samples.some((x) => x.measurement.currentA[0]! < 16))
        seen.cutAfterS = s - 300;
      const loadA = (s >= 300 ? firstW / 230 : 0) + (s >= 300 + tapAfterS ? 2120 / 230 : 0);
      const l1 = 1.5 + loadA + draw[0]! + draw[1]!;
      if (l1 > site.fuseA) over++;
      const d = b.step(step(ms, reading(ms, [l1]), samples));
      for (let k = 0; k < 2; k++) {
        const limitA = d.chargers[k]!.limitA;
        if (limitA !== offered[k]) offeredAtS[k] = s;
        offered[k] = limitA;
      }
    }
    return over;
  }

  it('cuts for the second load as deep as chargers in step would, give or take one sample', () => {
    // Found by a random seed: the room kept over the fuse given back on the first telegram under it, while the
    // samples still showed the cars before their cut, hid the tap that came meanwhile (6 s over against 1).
    const slow = { lagS: 4, rampAps: 2 };
    expect(overFuseS(slow, { everyS: 10, delayS: 1 }, 1)).toBeLessThanOrEqual(
      overFuseS(slow, { everyS: 1, delayS: 0 }, 1) + 2,
    );
    fc.assert(
      fc.property(carArb, chargerArb, fc.integer({ min: 1, max: 6 }), (car, ch, tapAfterS) => {
        const inStep = overFuseS(car, { everyS: 1, delayS: 0 }, tapAfterS);
        expect(overFuseS(car, ch, tapAfterS)).toBeLessThanOrEqual(inStep + 2);
      }),
      { numRuns: 80 },
    );
  });

  it('sees a load that comes on after the cut landed, before the samples show the cut', () => {
    // Found by the fleet with every charger sampling every 10 s (house 1/147): a tap cut both cars to 6 A; an
    // equal step came 8 s later, once the cars had dropped. Meter less the old samples read as less than the house
    // before it (the cars' unseen fall, 10 A, hid the 9 A step): 12 s over the fuse until the next sample. A step
    // in the very telegram that shows the fall cannot be told from it; one in a later telegram can.
    const slow = { lagS: 2, rampAps: 2 };
    expect(overFuseS(slow, { everyS: 10, delayS: 0 }, 3, 4000)).toBeLessThanOrEqual(
      overFuseS(slow, { everyS: 1, delayS: 0 }, 3, 4000) + 2,
    );
    fc.assert(
      fc.property(carArb, chargerArb, fc.integer({ min: 1, max: 10 }), (car, ch, afterCutS) => {
        const tapAfterS = car.lagS + afterCutS;
        const seen = { cutAfterS: Number.NaN };
        const late = overFuseS(car, ch, tapAfterS, 4000, seen);
        // Once a sample shows the cut, the cars may be raised again: a step in their ramp is another case.
        fc.pre(tapAfterS < seen.cutAfterS);
        expect(late).toBeLessThanOrEqual(overFuseS(car, { everyS: 1, delayS: 0 }, tapAfterS, 4000) + 2);
      }),
      { numRuns: 80 },
    );
  });
});

describe('a car unplugged between two samples of its charger', () => {
  it('teaches the house model nothing: the meter showed it gone before the sample did', () => {
    // Fleet house 1/29: the car left while its last sample still said 14.6 A; meter less that sample read as
    // the house dropping 14.6 A, and the sample catching up as a 3.4 kW load switching on.
    const b = createBalancer({ site: FUSE });
    const cap = charger({ phases: [3] });
    const everyS = 5;
    let sample = input(cap, 0);
    for (let s = 0; s < 400; s++) {
      const ms = T0 + s * 1000;
      const plugged = s < 300;
      const carA = plugged && s >= 10 ? 14.6 : 0;
      if (s % everyS === 3) sample = input(cap, carA, plugged);
      else sample = { ...sample, measurement: { ...sample.measurement, vehiclePlugged: plugged, connected: true } };
      if (sample.measurement.at === 0) sample.measurement.at = ms;
      b.step(step(ms, reading(ms, [HOUSE_A, HOUSE_A, HOUSE_A + carA]), [sample]));
    }
    expect(b.learnedLoads(T0 + 400_000)).toEqual([]);
  });
});

describe('a car whose sample shows it at its limit', () => {
  it('leaves its line in step: a load that comes on while its cuts and raises land is learned', () => {
    // A car with a 5 s lag and 28 s to ramp its 16 A, sampled every 5 s, on a 25 A line. A 10 A load comes on,
    // the car is cut, raised as its cut shows, and cut again as an 8 A load comes on in its ramp. Counted as
    // moving for its whole lag and ramp after each change, and for a sample after each move, the car kept its line
    // from the house model for over 20 s, and the 8 A load went unlearned; the sample that shows the car at its
    // limit says it has nothing left to move.
    const b = createBalancer({ site: { connection: '1x230', fuseA: 25 } });
    const cap = charger({ phases: [1], maxA: 16 });
    const car = followingCar(cap, 5, 16 / 28);
    let sample = input(cap, 0);
    for (let s = 0; s < 240; s++) {
      const drawA = car.drawA(s);
      const houseA = 0.5 + (s >= 200 ? 10 : 0) + (s >= 215 ? 8 : 0);
      const ms = T0 + s * 1000;
      if (s % 5 === 0) sample = input(cap, drawA);
      car.offers.push(b.step(step(ms, reading(ms, [houseA + drawA]), [sample])).chargers[0]!.limitA);
    }
    const kw = b.learnedLoads(T0 + 240_000).map((l) => l.kw);
    expect(kw).toContainEqual(expect.closeTo(2.3, 1));
    expect(kw).toContainEqual(expect.closeTo(1.84, 1));
  });
});

describe('a hob zone that returns while a car starts behind a charger that samples late', () => {
  const SITE = { connection: '1x230' as const, fuseA: 40 };
  /** A 14 A zone on a 40 A line beside 9 A of house: room for it and a car at 16 A whether it is on or off. */
  const ZONE_A = 14;
  const HOUSE_L1_A = 9;
  const PLUG_S = 900;

  /**
   * The zone cycles `onS` on, `offS` off from second 0 (its rhythm learned by `PLUG_S`), when a car plugs in.
   * Returns how often the car was paused once it had started, in the ten minutes after.
   */
  function pausesAfterStart(car: Car, ch: Charger, onS: number, offS: number, plugS: number): number {
    const b = createBalancer({ site: SITE });
    const cap = charger({ phases: [1] });
    const drawn: number[] = [];
    let offered = 0;
    let offeredAtS = 0;
    let draw = 0;
    let started = false;
    let pauses = 0;
    for (let s = 0; s < plugS + 600; s++) {
      draw = follow(car, cap.minA, offered, s - offeredAtS, draw);
      drawn.push(draw);
      const ms = T0 + s * 1000;
      const sample = lateSample(cap, drawn, s, ch);
      sample.measurement.vehiclePlugged = s >= plugS;
      const zone = s % (onS + offS) < onS ? ZONE_A : 0;
      const d = b.step(step(ms, reading(ms, [HOUSE_L1_A + zone + draw]), [sample]));
      const limitA = d.chargers[0]!.limitA;
      if (limitA >= cap.minA) started = true;
      else if (started && offered >= cap.minA) pauses++;
      if (limitA !== offered) offeredAtS = s;
      offered = limitA;
    }
    return pauses;
  }

  it('does not pause the car for room the zone’s return already took', () => {
    // Fleet house 8388607/545 (a 13.4 A zone, 30 s on, 60 s off; a charger sampling every 5 s): the zone came back
    // as the car began to ramp; the house's current showed it, the model not yet, and its room held again cut the
    // car to 0.6 A and paused it a minute, twice in three minutes.
    expect(pausesAfterStart({ lagS: 3, rampAps: 2 }, { everyS: 5, delayS: 0 }, 30, 60, PLUG_S + 80)).toBe(0);
    // The zone going off as the car ramps: the model learned its off-step while the limits kept the house as last
    // measured in step, the zone on, and held its return on top (found by the property below).
    expect(pausesAfterStart({ lagS: 1, rampAps: 2 }, { everyS: 2, delayS: 0 }, 20, 33, PLUG_S + 119)).toBe(0);
    fc.assert(
      fc.property(
        carArb,
        chargerArb,
        fc.integer({ min: 20, max: 40 }),
        fc.integer({ min: 30, max: 90 }),
        fc.integer({ min: 0, max: 130 }),
        (car, ch, onS, offS, atS) => {
          expect(pausesAfterStart(car, ch, onS, offS, PLUG_S + atS)).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });
});
