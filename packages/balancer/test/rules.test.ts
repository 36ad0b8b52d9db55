import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer, type Decision } from '../src/index';
import { charger, followingCar, input, mostInAnHour, reading, step, T0 } from './helpers';

const site3 = { connection: '3N400' as const, fuseA: 25 };
/**
 * The rule tables below use a 1 A fuse margin (the default is 0.5 A) and test the fuse rule alone: no room
 * for an appliance not seen yet (its own tests are in 'room for the first switch-on').
 */
const M = { fuseA: 1, unseenStepKw: 0 };
const lim = (d: Decision, i = 0) => d.chargers[i]!.limitA;
const why = (d: Decision, i = 0) => d.chargers[i]!.reason;

/** Runs a balancer for `seconds` with a house drawing `houseA` per line and the car drawing what it is offered. */
function settle(
  b: ReturnType<typeof createBalancer>,
  from: number,
  seconds: number,
  houseA: number[],
  cap = charger(),
) {
  let d: Decision | undefined;
  let offered = 0;
  for (let s = 0; s < seconds; s++) {
    const ms = from + s * 1000;
    const car = cap.phases.map(() => offered);
    const lines = houseA.map((h, l) => h + (cap.phases.includes((l + 1) as 1 | 2 | 3) ? offered : 0));
    d = b.step(step(ms, reading(ms, lines), [input(cap, car)]));
    offered = lim(d);
  }
  return d!;
}

/**
 * 40 min on a 3N400 16 A supply: a single-phase car on L1 ('one') charges, and `second`'s car plugs in after a
 * minute, drawing `draws(offered)`. Returns which of the two charged, turn by turn (`second` counted while both
 * do), and what each is offered at the end.
 */
function turnsBeside(
  second: ReturnType<typeof charger>,
  lines: (s: number, offered: readonly number[]) => number[],
  draws: (offeredA: number) => number | number[],
) {
  const b = createBalancer({ site: { connection: '3N400', fuseA: 16 } });
  const one = charger({ id: 'one', phases: [1] });
  const offered = [0, 0];
  const turns: string[] = [];
  for (let s = 0; s < 2400; s++) {
    const ms = T0 + s * 1000;
    const plugged = s >= 60;
    const cars = [input(one, offered[0]!), input(second, draws(offered[1]!), plugged)];
    const d = b.step(step(ms, reading(ms, lines(s, offered)), cars));
    offered[0] = lim(d, 0);
    offered[1] = plugged ? lim(d, 1) : 0;
    const now = offered[1] > 0 ? second.id : offered[0] > 0 ? 'one' : '';
    if (now !== '' && now !== turns.at(-1)) turns.push(now);
  }
  return { turns, offered };
}

describe('room for the first switch-on', () => {
  // 1.45 × 25 A = 36.25 A; a 3 kW appliance not seen yet steps 13.04 A on its line.
  it.each([
    // house per line, unseen step (kW), expected limit
    [[10, 2, 2], undefined, 12.2],
    [[10, 2, 2], 2, 14],
    [[2, 2, 2], 5, 11.5],
  ])('house %j, unseen step %s kW → limit %s', (house, unseenStepKw, limit) => {
    const b = createBalancer({ margins: { fuseA: 1, unseenStepKw }, site: site3 });
    const d = b.step(step(T0, reading(T0, house), [input(charger(), 0)]));
    expect(lim(d)).toBe(limit);
  });

  it('sizes the unseen appliance no larger than what takes the house alone to its fuse', () => {
    // 3N400 16 A, 8 A of house on L1: an unseen step of more than 8 A would take the house alone over its fuse,
    // so 1.45 × 16 − 1 − 8 − 8 leaves the car 6.2 A (with the whole 13.04 A kept it would be paused).
    const b = createBalancer({ margins: { fuseA: 1 }, site: { connection: '3N400', fuseA: 16 } });
    expect(lim(b.step(step(T0, reading(T0, [8, 1, 1]), [input(charger(), 0)])))).toBe(6.2);
    // 2 A of house: the house alone has room for the whole 3 kW step, and it is kept (limits go by 0.1 A).
    const light = createBalancer({ margins: { fuseA: 1 }, site: { connection: '3N400', fuseA: 16 } });
    expect(lim(light.step(step(T0, reading(T0, [2, 1, 1]), [input(charger(), 0)])))).toBe(7.1);
  });

  it('says "headroom kept" only where the fuse alone would let the car charge', () => {
    const b = createBalancer({ margins: { fuseA: 1 }, site: site3 });
    // 25 − 1 − 10 = 14 A under the fuse; the room for a step holds the car at 12.2 A
    expect(why(b.step(step(T0, reading(T0, [10, 2, 2]), [input(charger(), 0)])))).toBe('headroom kept');
    // 25 − 1 − 20 = 4 A, under the car's minimum: the fuse is the reason, whatever the room
    const full = createBalancer({ margins: { fuseA: 1 }, site: site3 });
    expect(why(full.step(step(T0, reading(T0, [20, 2, 2]), [input(charger(), 0)])))).toBe('L1 fuse');
  });

  it('keeps the room the largest load seen takes when it is larger than the unseen one', () => {
    const b = createBalancer({ margins: { fuseA: 1, unseenStepKw: 1 }, site: site3 });
    settle(b, T0, 20, [2, 2, 2]);
    // An 18 A load on L1 comes and goes while the car is paused for it; afterwards its step stays reserved.
    settle(b, T0 + 20_000, 120, [20, 2, 2]);
    const d = settle(b, T0 + 140_000, 300, [2, 2, 2]);
    expect(lim(d)).toBeCloseTo(36.25 - 1 - 2 - 18, 0);
  });
});

describe('fuse loop', () => {
  it.each([
    // house per line, car measured, expected limit, reason
    [[2, 2, 2], 0, 16, 'charger max'],
    [[10, 2, 2], 0, 14, 'L1 fuse'],
    [[2, 2, 12], 0, 12, 'L3 fuse'],
    [[20, 2, 2], 0, 0, 'L1 fuse'],
  ])('house %j, car %s A → limit %s (%s)', (house, _car, limit, reason) => {
    const b = createBalancer({ margins: M, site: site3 });
    const d = b.step(step(T0, reading(T0, house), [input(charger(), 0)]));
    expect(lim(d)).toBe(limit);
    expect(why(d)).toBe(reason);
  });

  it('cuts at once, using the car’s measured current to find the house load', () => {
    const b = createBalancer({ margins: M, site: site3 });
    settle(b, T0, 20, [2, 2, 2]);
    // The car draws 16 A; an oven adds 10 A on L1: 28 A on L1.
    const d = b.step(step(T0 + 20_000, reading(T0 + 20_000, [28, 18, 18]), [input(charger(), 16)]));
    expect(lim(d)).toBe(12);
    expect(why(d)).toBe('L1 fuse');
    expect(d.chargers[0]!.changed).toBe(true);
  });

  it('raises no more often than every 5 s, in ramps of at most 8 A', () => {
    const b = createBalancer({ margins: M, site: site3 });
    settle(b, T0, 10, [18, 2, 2]); // limit 6
    let offered = 6;
    const seen: number[] = [offered];
    for (let s = 10; s < 30; s++) {
      const ms = T0 + s * 1000;
      const d = b.step(
        step(ms, reading(ms, [2 + offered, 2 + offered, 2 + offered]), [input(charger({ maxA: 32 }), offered)]),
      );
      offered = lim(d);
      seen.push(offered);
    }
    const changes = seen.filter((v, i) => i > 0 && v !== seen[i - 1]);
    expect(changes).toEqual([14, 22]);
    expect(seen.at(-1)).toBe(22);
    // 22 A is the fuse limit: 25 − 1 margin − 2 house.
    expect(seen.indexOf(22) - seen.indexOf(14)).toBeGreaterThanOrEqual(5);
  });

  it('gives the headroom a car leaves unused to nobody else but keeps offering it (draws less than offered)', () => {
    const b = createBalancer({ margins: M, site: site3 });
    // The car draws 10 A of 16 offered; house 12 A on L1 → line 22 A. Headroom is from the measured 10 A.
    const d = b.step(step(T0, reading(T0, [22, 12, 12]), [input(charger(), 10)]));
    expect(lim(d)).toBe(12);
  });

  it('does not throttle a single-phase car for load on another line', () => {
    const b = createBalancer({ margins: M, site: site3 });
    const cap = charger({ phases: [2], maxA: 32 });
    const d = b.step(step(T0, reading(T0, [23, 3, 23]), [input(cap, 0)]));
    expect(lim(d)).toBe(21);
    expect(d.chargers[0]!.phases).toBe(1);
  });

  it('on 3x230 a single-phase charger between L1 and L2 ignores load on L3', () => {
    const b = createBalancer({ margins: M, site: { connection: '3x230', fuseA: 25 } });
    const cap = charger({ phases: [1, 2], maxA: 32 });
    const d = b.step(step(T0, reading(T0, [3, 5, 24]), [input(cap, 0)]));
    expect(lim(d)).toBe(19);
    expect(why(d)).toBe('L2 fuse');
  });

  it('respects a configured fuse margin', () => {
    const b = createBalancer({ site: site3, margins: { ...M, fuseA: 3 } });
    const d = b.step(step(T0, reading(T0, [10, 2, 2]), [input(charger(), 0)]));
    expect(lim(d)).toBe(12);
  });

  it('keeps the offer within the car’s own range when configured', () => {
    const b = createBalancer({ margins: M, site: site3, chargers: [{ id: 'cp1', carMinA: 8, carMaxA: 13 }] });
    const cap = charger({ maxA: 32 });
    expect(lim(b.step(step(T0, reading(T0, [2, 2, 2]), [input(cap, 0)])))).toBe(13);
    // 7 A of headroom: enough for the charger's 6 A minimum, not for the car's 8 A.
    const d = b.step(step(T0 + 10_000, reading(T0 + 10_000, [17 + 13, 2 + 13, 2 + 13]), [input(cap, 13)]));
    expect(lim(d)).toBe(0);
    expect(why(d)).toBe('L1 fuse');
  });

  it('offers 0 to an unplugged charger', () => {
    const b = createBalancer({ margins: M, site: site3 });
    const d = b.step(step(T0, reading(T0, [2, 2, 2]), [input(charger(), 0, false)]));
    expect(lim(d)).toBe(0);
    expect(why(d)).toBe('unplugged');
  });
});

describe('sharing', () => {
  it('shares equally between chargers of the same priority', () => {
    const b = createBalancer({ margins: M, site: site3 });
    const a = charger({ id: 'a' });
    const c = charger({ id: 'b' });
    const d = b.step(step(T0, reading(T0, [4, 4, 4]), [input(a, 0), input(c, 0)]));
    expect(d.chargers.map((x) => x.limitA)).toEqual([10, 10]);
  });

  it('serves the higher priority first, the other keeps its minimum', () => {
    const b = createBalancer({ margins: M, site: site3 });
    const a = charger({ id: 'a', priority: 0 });
    const c = charger({ id: 'b', priority: 1 });
    const d = b.step(step(T0, reading(T0, [4, 4, 4]), [input(a, 0), input(c, 0)]));
    expect(d.chargers.map((x) => x.limitA)).toEqual([6, 14]);
  });

  it('pauses the lower priority when both minimums do not fit', () => {
    const b = createBalancer({ margins: M, site: site3 });
    const a = charger({ id: 'a' });
    const c = charger({ id: 'b', priority: 2 });
    const d = b.step(step(T0, reading(T0, [14, 4, 4]), [input(a, 0), input(c, 0)]));
    expect(d.chargers.map((x) => [x.limitA, x.reason])).toEqual([
      [0, 'L1 fuse'],
      [10, 'L1 fuse'],
    ]);
  });

  it('holds only what a full car takes, so the other car gets the rest', () => {
    const b = createBalancer({ margins: M, site: site3 });
    const a = charger({ id: 'a' });
    const c = charger({ id: 'b' });
    let offered = [0, 0];
    let d: Decision | undefined;
    for (let s = 0; s < 60; s++) {
      const ms = T0 + s * 1000;
      // Car a is full: it takes nothing. Car b takes what it is offered.
      const line = 4 + offered[1]!;
      d = b.step(step(ms, reading(ms, [line, line, line]), [input(a, 0), input(c, offered[1]!)]));
      offered = d.chargers.map((x) => x.limitA);
    }
    expect(d!.chargers.map((x) => [x.limitA, x.reason])).toEqual([
      [10, 'car limit'],
      [16, 'charger max'],
    ]);
  });

  it('takes a car that draws 90 % of a 32 A offer for one that follows it, not one at its own limit', () => {
    // 3.2 A under its offer: counted as limited by itself, its full power looked 10 % low, and under a budget
    // that just covered it the cap flipped between lifted and binding (fleet house 424242/463).
    const b = createBalancer({ margins: M, site: { connection: '1x230', fuseA: 63 } });
    const cap = charger({ phases: [1], maxA: 32 });
    let d: Decision | undefined;
    let offered = 0;
    for (let s = 0; s < 120; s++) {
      const ms = T0 + s * 1000;
      const drawn = offered * 0.9;
      d = b.step(step(ms, reading(ms, [2 + drawn]), [input(cap, drawn)]));
      offered = lim(d);
    }
    expect([lim(d!), why(d!)]).toEqual([32, 'charger max']);
  });

  it('lets a three-phase car go first where a single-phase one holds the line both minimums need', () => {
    // 3N400 16 A with the room kept for an appliance not seen yet: about 9 A per line is left for the cars. A
    // single-phase car charging on L1 held it, and the three-phase car that came later never fit its 6 A there:
    // 2.1 kW all night where the lines give 6.3 kW (fleet houses 1/66, 1/603, 1/887: 3 times the energy).
    const b = createBalancer({ site: { connection: '3N400', fuseA: 16 } });
    const one = charger({ id: 'one', phases: [1] });
    const three = charger({ id: 'three' });
    const offered = [0, 0];
    let d: Decision | undefined;
    for (let s = 0; s < 300; s++) {
      const ms = T0 + s * 1000;
      const plugged3 = s >= 60;
      const lines = [1 + offered[0]! + offered[1]!, 1 + offered[1]!, 1 + offered[1]!];
      d = b.step(step(ms, reading(ms, lines), [input(one, offered[0]!), input(three, offered[1]!, plugged3)]));
      offered[0] = lim(d, 0);
      offered[1] = plugged3 ? lim(d, 1) : 0;
      if (s === 59) expect(offered[0]).toBeGreaterThan(8);
    }
    const kw = offered[0]! * 0.23 + offered[1]! * 3 * 0.23;
    expect(offered[1]).toBeGreaterThanOrEqual(6);
    expect(kw).toBeGreaterThan(5);
  });

  it('gives the line back when the car that went first on trial charges on one phase', () => {
    // A car on a three-phase charger, not yet seen charging, goes first on trial: it may take three times the
    // power. This one draws on one phase only: the car that charged before gets its place back, for good (seen
    // on one phase, it makes no more of the lines a quarter-hour later either).
    const { turns } = turnsBeside(
      charger({ id: 'other' }),
      (_s, offered) => [1 + offered[0]! + offered[1]!, 1, 1],
      (a) => [a, 0, 0],
    );
    expect(turns).toEqual(['one', 'other', 'one']);
  });

  it('tries a three-phase car first again once the load that failed its trial is gone', () => {
    // The three-phase car goes first on trial; as it starts, a 10 A load on L3 leaves that line too little for its
    // minimum, and the single-phase car gets L1 back. The load stays 10 min. Banned for the session, the
    // three-phase car stayed out all evening at 2.1 kW where the lines gave 6.3 (fleet house 555/709: 0.76 of the
    // bound); tried again a quarter-hour later, it goes first and charges.
    let loadFrom = -1;
    const { turns, offered } = turnsBeside(
      charger({ id: 'three' }),
      (s, offered) => {
        if (loadFrom < 0 && offered[1]! > 0) loadFrom = s;
        const l3 = loadFrom >= 0 && s < loadFrom + 600 ? 10 : 0;
        return [1 + offered[0]! + offered[1]!, 1 + offered[1]!, 1 + l3 + offered[1]!];
      },
      (a) => a,
    );
    expect(turns).toEqual(['one', 'three', 'one', 'three']);
    expect(offered[1]).toBeGreaterThan(8);
  });

  it('config priorities override the charger’s own', () => {
    const b = createBalancer({ margins: M, site: site3, chargers: [{ id: 'a', priority: 5 }] });
    const d = b.step(
      step(T0, reading(T0, [4, 4, 4]), [input(charger({ id: 'a' }), 0), input(charger({ id: 'b', priority: 1 }), 0)]),
    );
    expect(d.chargers.map((x) => x.limitA)).toEqual([14, 6]);
  });
});

describe('quarter budget', () => {
  const quarterStart = Date.parse('2025-01-15T18:00:00+01:00');

  it('target = max(2.5 kW, owner’s target, month peak)', () => {
    const cases: Array<[number, number, boolean, number]> = [
      [2, 0, false, 2.5],
      [4, 0, false, 4],
      [4, 5.2, false, 5.2],
      [4, 3, true, 3],
      [4, 1, true, 2.5],
    ];
    for (const [owner, peak, never, expected] of cases) {
      const b = createBalancer({
        site: { ...site3, capacityTargetKw: owner, monthPeakKw: peak, neverRaiseMonthPeak: never },
      });
      const d = b.step(step(quarterStart, reading(quarterStart, [1, 1, 1]), [input(charger(), 0)]));
      expect(d.quarter.targetKw).toBe(expected);
    }
  });

  it('raises the target to the month peak the meter reports', () => {
    const b = createBalancer({ site: { ...site3, capacityTargetKw: 3 } });
    const r = reading(quarterStart, [1, 1, 1], { capacity: { quarterAverageKw: 0.5, monthPeakKw: 6.1 } });
    expect(b.step(step(quarterStart, r, [input(charger(), 0)])).quarter.targetKw).toBe(6.1);
  });

  it('keeps the house’s expected use aside and runs the car at the end of the quarter on the rest', () => {
    const b = createBalancer({
      site: { ...site3, capacityTargetKw: 4 },
      margins: { capacityKw: 0 },
      actuationLagS: 10,
    });
    // 5 minutes into the quarter the meter says the average so far is 1 kW → 1/12 kWh used.
    const at = quarterStart + 300_000;
    const r = reading(at, [1, 1, 1], { capacity: { quarterAverageKw: 1, monthPeakKw: 0 } });
    const d = b.step(step(at, r, [input(charger(), 0)]));
    const houseKw = (3 * 230) / 1000;
    expect(d.quarter.usedKwh).toBeCloseTo(1 / 12, 6);
    expect(d.quarter.allowedKw).toBeCloseTo(((1 - 1 / 12) * 3600) / 600, 6);
    expect(d.quarter.houseRestKwh).toBeCloseTo((houseKw * 600) / 3600, 6);
    expect(d.quarter.quarterStart).toBe('2025-01-15T18:00:00+01:00');
    // 16 A on three phases (11 kW) fits the 0.80 kWh left for about 4.4 minutes; the car waits until the
    // budget covers both its 6 A minimum and a 3 kW surge of the house until the quarter ends.
    expect(lim(d)).toBe(0);
    expect(why(d)).toBe('quarter plan');
    let offered = 0;
    let importKwh = 1 / 12;
    let started = Number.NaN;
    for (let t = 301; t < 900; t++) {
      const ms = quarterStart + t * 1000;
      const lines = [1 + offered, 1 + offered, 1 + offered];
      const dt = b.step(step(ms, reading(ms, lines), [input(charger(), offered)]));
      importKwh += ((lines[0]! + lines[1]! + lines[2]!) * 0.23) / 3600;
      if (lim(dt) > 0 && Number.isNaN(started)) started = t;
      offered = lim(dt);
    }
    expect(started).toBeGreaterThan(450);
    expect(started).toBeLessThan(680);
    // the quarter ends at its target, not over it, with most of the budget used
    expect(importKwh * 4).toBeLessThanOrEqual(4.001);
    expect(importKwh * 4).toBeGreaterThan(3.7);
  });

  /**
   * Three quarters of a house drawing `houseA` per line, a car that follows its offer on `follow` and a full one
   * on `full` (listed first when `fullFirst`); the average import of each quarter (kW).
   */
  function quarterAverages(
    b: ReturnType<typeof createBalancer>,
    follow: ReturnType<typeof charger>,
    full: ReturnType<typeof charger>,
    houseA: number[],
    fullFirst = false,
  ): number[] {
    let offered = 0;
    const averages: number[] = [];
    for (let q = 0; q < 3; q++) {
      let kwh = 0;
      for (let t = 0; t < 900; t++) {
        const ms = quarterStart + (q * 900 + t) * 1000;
        const lineA = houseA.map((h, l) => h + (follow.phases.includes((l + 1) as 1 | 2 | 3) ? offered : 0));
        const drawn = follow.phases.map(() => offered);
        const cars = [input(follow, drawn), input(full, 0)];
        const d = b.step(step(ms, reading(ms, lineA), fullFirst ? cars.reverse() : cars));
        kwh += (lineA.reduce((x, y) => x + y, 0) * 0.23) / 3600;
        offered = d.chargers[fullFirst ? 1 : 0]!.limitA;
      }
      averages.push(kwh * 4);
    }
    return averages;
  }

  // Two cars under a 2.5 kW target; the second is full and takes nothing. Paused between runs it was counted
  // at its charger's 16 A, so the run started later than it had to and up to half of each quarter's budget was
  // left (fleet house 20261201/289).
  it.each([
    ['1x230', 63, [1]],
    ['3N400', 16, [1, 2, 3]],
  ] as const)(
    'sizes the run at the end by the pace the cars showed: a full car adds nothing (%s %i A)',
    (connection, fuseA, phases) => {
      const b = createBalancer({ site: { connection, fuseA, capacityTargetKw: 2.5 }, margins: M });
      const a = charger({ id: 'a', phases: [...phases], maxA: 16 });
      const full = charger({ id: 'b', phases: [...phases], maxA: 16 });
      const houseA = phases.map(() => 0.5);
      const quarterKw = quarterAverages(b, a, full, houseA);
      // the first quarter shows that the second car takes nothing; the next ones spend their budget
      expect(quarterKw[2]).toBeLessThanOrEqual(2.5);
      expect(quarterKw[2]).toBeGreaterThan(2.3);
    },
  );

  it('lets a full single-phase car hold no line from a three-phase one on a 16 A fuse', () => {
    // The room kept on L1 for an appliance not seen yet leaves the cars about 7 A: one minimum. The full car,
    // admitted first, held 6 A of it whenever it was offered again; the three-phase car's minimum then did not
    // fit until the full one had been seen to take nothing, and each run started late (fleet houses 1/371 and
    // 424242/797). A full car now comes last.
    const b = createBalancer({
      site: { connection: '3N400', fuseA: 16, capacityTargetKw: 2.5 },
      margins: { fuseA: 1 },
    });
    const full = charger({ id: 'full', phases: [1], maxA: 16 });
    const a = charger({ id: 'a', phases: [1, 2, 3], maxA: 16 });
    const quarterKw = quarterAverages(b, a, full, [2, 0.5, 0.5], true);
    // the full car, seen full in the first quarter, no longer holds the line at the start of each run
    expect(quarterKw[2]).toBeLessThanOrEqual(2.5);
    expect(quarterKw[2]).toBeGreaterThan(2.42);
  });

  it('cuts when the quarter would end over target, and freezes raises near its end', () => {
    const b = createBalancer({ site: { ...site3, capacityTargetKw: 4 } });
    // 14:45 into the quarter, already at 4 kW average: nothing left for the car.
    const at = quarterStart + 885_000;
    const r = reading(at, [6, 6, 6], { capacity: { quarterAverageKw: 4.2, monthPeakKw: 0 } });
    expect(lim(b.step(step(at, r, [input(charger(), 0)])))).toBe(0);
    // A fresh balancer that charges at 6 A sees the budget recover in the last seconds but does not raise.
    const b2 = createBalancer({ site: { ...site3, capacityTargetKw: 4 } });
    const early = quarterStart + 600_000;
    b2.step(
      step(early, reading(early, [7, 7, 7], { capacity: { quarterAverageKw: 3.7, monthPeakKw: 0 } }), [
        input(charger(), 6),
      ]),
    );
    const late = quarterStart + 890_000;
    const d = b2.step(
      step(late, reading(late, [1, 1, 1], { capacity: { quarterAverageKw: 1, monthPeakKw: 0 } }), [
        input(charger(), 0),
      ]),
    );
    expect(lim(d)).toBeLessThanOrEqual(6);
  });

  it('pulses a car whose minimum is above the budget rate instead of never charging', () => {
    const b = createBalancer({ site: { ...site3, capacityTargetKw: 2.5 } });
    // House 0.46 kW; 6 A × 3 phases = 4.1 kW > 2.4 kW budget rate: the car waits, then runs on the saved budget.
    let charged = 0;
    let offered = 0;
    for (let s = 0; s < 900; s++) {
      const ms = quarterStart + s * 1000;
      const d = b.step(
        step(ms, reading(ms, [0.67 + offered, 0.67 + offered, 0.67 + offered]), [input(charger(), offered)]),
      );
      offered = lim(d);
      if (offered > 0) charged++;
    }
    expect(charged).toBeGreaterThan(100);
  });
});

describe('fail-safe and stale data', () => {
  // An OCPP charger reports its current once a second, not at the meter's instant: while the car followed a new
  // limit the two disagreed, the difference was learned as a load switching on and off, and that phantom
  // cycler then held room and budget from the car.
  it('learns no load from a car that follows its limit while its charger reports a second late', () => {
    const b = createBalancer({ site: site3, margins: M });
    const cap = charger();
    let drawn = 0;
    let reported = 0;
    let offered = 0;
    for (let s = 0; s < 600; s++) {
      const ms = T0 + s * 1000;
      // an oven on L1 (4.6 kW) 40 s of every 100: the balancer cuts the car for it and raises it after
      const ovenA = s % 100 >= 60 ? 20 : 0;
      // the car follows its offer at 2 A/s; the charger reports what it drew a second ago
      drawn += Math.max(-2, Math.min(2, offered - drawn));
      const car = input(cap, reported);
      car.measurement.at = ms - 1000;
      const d = b.step(step(ms, reading(ms, [1 + ovenA + drawn, 1 + drawn, 1 + drawn]), [car]));
      reported = drawn;
      offered = lim(d);
    }
    // the oven, and nothing on three lines
    const learned = b.learnedLoads(T0 + 600_000);
    expect(learned.map((l) => l.lines)).toEqual([[1]]);
    expect(learned[0]!.kw).toBeCloseTo(4.6, 0);
  });

  it('holds on missing telegrams, drops to the safe current after 10 s, resumes with a ramp', () => {
    const b = createBalancer({ margins: M, site: site3 });
    settle(b, T0, 15, [2, 2, 2]);
    const cap = charger();
    const at = (s: number) => T0 + (15 + s) * 1000;
    for (let s = 0; s < 9; s++) {
      const d = b.step(step(at(s), null, [input(cap, 16)]));
      expect(lim(d)).toBe(16);
      expect(d.failsafe).toBe(false);
    }
    const d = b.step(step(at(10), null, [input(cap, 16)]));
    expect(d.failsafe).toBe(true);
    expect(lim(d)).toBe(6);
    expect(why(d)).toBe('fail-safe');
    // Data back: raise again, but no faster than the raise rules allow.
    const back = b.step(step(at(11), reading(at(11), [8, 8, 8]), [input(cap, 6)]));
    expect(back.failsafe).toBe(false);
    expect(lim(back)).toBe(6);
    const later = b.step(step(at(16), reading(at(16), [8, 8, 8]), [input(cap, 6)]));
    expect(lim(later)).toBe(14);
  });

  it('does not mistake a DSMR 4 meter (a telegram every 10 s) for a silent one', () => {
    const b = createBalancer({ margins: M, site: site3 });
    const cap = charger();
    let failsafes = 0;
    for (let s = 0; s <= 120; s++) {
      const ms = T0 + s * 1000;
      const d = b.step(step(ms, s % 10 === 0 ? reading(ms, [2, 2, 2]) : null, [input(cap, 0)]));
      if (d.failsafe) failsafes++;
    }
    expect(failsafes).toBe(0);
    // Silence for 2.5 intervals still fails safe.
    const d = b.step(step(T0 + 146_000, null, [input(cap, 0)]));
    expect(d.failsafe).toBe(true);
  });

  it('derives line currents from line powers when the meter reports no currents', () => {
    const b = createBalancer({ margins: M, site: site3 });
    const r = reading(T0, [10, 2, 2]);
    for (const p of r.phases) p.currentA = null;
    const d = b.step(step(T0, r, [input(charger(), 0)]));
    expect(lim(d)).toBe(14);
    expect(why(d)).toBe('L1 fuse');
  });

  it('ignores rejected telegrams as if none came', () => {
    const b = createBalancer({ margins: M, site: site3 });
    settle(b, T0, 12, [18, 2, 2]);
    const bad = { ...reading(T0 + 12_000, [2, 2, 2]), ok: false };
    const d = b.step(step(T0 + 12_000, bad, [input(charger(), 6)]));
    expect(lim(d)).toBe(6);
  });

  it('starts at 0 until the first telegram, and fails safe if none ever comes', () => {
    const b = createBalancer({ margins: M, site: site3 });
    expect(lim(b.step(step(T0, null, [input(charger(), 0)])))).toBe(0);
    expect(b.step(step(T0 + 10_000, null, [input(charger(), 0)])).failsafe).toBe(true);
  });
});

describe('anti-flapping', () => {
  it('keeps a paused charger paused for the minimum pause time', () => {
    const b = createBalancer({ margins: M, site: site3, minPauseS: 120 });
    settle(b, T0, 10, [2, 2, 2]);
    const cap = charger();
    // an 18 A load on L1 for 20 s
    const d1 = b.step(step(T0 + 10_000, reading(T0 + 10_000, [36, 18, 18]), [input(cap, 16)]));
    expect(lim(d1)).toBe(0);
    b.step(step(T0 + 30_000, reading(T0 + 30_000, [2, 2, 2]), [input(cap, 0)]));
    const d2 = b.step(step(T0 + 100_000, reading(T0 + 100_000, [2, 2, 2]), [input(cap, 0)]));
    expect(lim(d2)).toBe(0);
    expect(why(d2)).toBe('min pause');
    const d3 = b.step(step(T0 + 131_000, reading(T0 + 131_000, [2, 2, 2]), [input(cap, 0)]));
    // back on, with room kept under 1.45 × 25 A on L1 for the load's next 18 A step
    expect(lim(d3)).toBe(15.2);
    expect(why(d3)).toBe('headroom kept');
  });

  it('trims a shrinking reserve once the car has followed, and cuts for the fuse at once', () => {
    // On a 40 A fuse the room under 1.45 × In for a 5 kW appliance not seen yet binds on L1 (58 − 1 − 21.74 A −
    // house), and the house creeps up 0.2 A a second on L1 (a cloud over the panels, 5 → 11 A). The car follows
    // its limit 4 s late; the fuse itself stays clear of it.
    const cap = charger({ maxA: 32 });
    const b = createBalancer({ margins: { fuseA: 1, unseenStepKw: 5 }, site: { connection: '3N400', fuseA: 40 } });
    const ev = followingCar(cap, 4);
    const { offers } = ev;
    const houseL1 = (s: number) => (s < 60 ? 5 : s < 90 ? 5 + 0.2 * (s - 60) : s < 100 ? 11 : 24);
    let changes = 0;
    for (let s = 0; s < 100; s++) {
      const ms = T0 + s * 1000;
      const car = ev.drawA(s);
      const d = b.step(step(ms, reading(ms, [houseL1(s) + car, 1 + car, 1 + car]), [input(cap, car)]));
      offers.push(lim(d));
      if (s >= 60 && d.chargers[0]!.changed) changes++;
    }
    // 30 s of creep, 6 A: a trim every second would be 30 setpoints, each superseding one the car had not followed.
    expect(changes).toBeLessThanOrEqual(8);
    expect(offers[99]).toBeCloseTo(58 - 1 - 21.74 - 11, 0);
    // A kettle takes L1 over its fuse while the car is still following the last trim: that cut goes at once.
    const ms = T0 + 100_000;
    const car = ev.drawA(100);
    const d = b.step(step(ms, reading(ms, [houseL1(100) + car, 1 + car, 1 + car]), [input(cap, car)]));
    expect(lim(d)).toBeLessThan(offers[99]! - 0.2);
  });

  /** The seconds the setpoint changed, the car drawing what it is offered beside `houseL1` (4 A on L2 and L3). */
  function changedAtBeside(houseL1: (s: number) => number, seconds: number): number[] {
    const b = createBalancer({ margins: M, site: site3 });
    let offered = 0;
    const changedAtS: number[] = [];
    for (let s = 0; s < seconds; s++) {
      const ms = T0 + s * 1000;
      const lines = [houseL1(s) + offered, 4 + offered, 4 + offered];
      const d = b.step(step(ms, reading(ms, lines), [input(charger(), offered)]));
      if (d.chargers[0]!.changed) changedAtS.push(s);
      offered = lim(d);
    }
    return changedAtS;
  }

  /** Setpoint changes from `fromS` on (see `changedAtBeside`). */
  const changesBeside = (houseL1: (s: number) => number, seconds: number, fromS = 0) =>
    changedAtBeside(houseL1, seconds).filter((s) => s >= fromS).length;

  it('backs off raises when a load keeps cycling', () => {
    const fryer = (s: number) => (s > 60 && Math.floor(s / 30) % 2 === 0 ? 8 : 0);
    // Without back-off every 30 s cycle would cost a cut and a raise: 36 changes in 9 minutes.
    expect(changesBeside((s) => 4 + fryer(s), 600)).toBeLessThan(24);
  });

  it('backs off raises for up to 2 min when a load too small to learn keeps cycling', () => {
    // A washing machine's drum motor of 0.3 kW (1.3 A, under the 1.5 A a step must have to be learned), 50 s on
    // and 20 s off on L1 beside a car held by the fuse: each off-time frees 1.3 A for 20 s, each return takes it
    // back. A back-off that stops at 60 s raises into every off-time: two changes a cycle, 86 in the 50 min
    // counted; up to 2 min it takes every other off-time at most.
    const motor = (s: number) => (s % 70 < 50 ? 1.3 : 0);
    expect(changesBeside((s) => 10 + motor(s), 3600, 600)).toBeLessThanOrEqual(50);
  });

  it('stays under 120 setpoint changes in any hour whatever a load too small to learn does', () => {
    // A motor under the 1.5 A a step needs to be learned, off for longer than the 30 s within which a cut backs the
    // raises off: each off-time is lent to the car, each return takes it back. Without a limit of the hour's own,
    // 129 to 200 changes an hour (1.4 A: 20 s on and 36 s off; 5 s on and 31 s off).
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 30 }),
        fc.integer({ min: 31, max: 60 }),
        fc.double({ min: 0.6, max: 1.45, noNaN: true }),
        (onS, offS, motorA) => {
          const motor = (s: number) => (s % (onS + offS) < onS ? motorA : 0);
          expect(mostInAnHour(changedAtBeside((s) => 10 + motor(s), 2 * 3600))).toBeLessThanOrEqual(120);
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);
});

describe('solar and phase switching', () => {
  it('charges from export surplus only after the start delay', () => {
    const b = createBalancer({ margins: M, site: site3, solar: { mode: 'surplus', startDelayS: 60 } });
    // 8 A exported per line = 5.5 kW surplus.
    const at = (s: number) => T0 + s * 1000;
    const first = b.step(step(at(0), reading(at(0), [-8, -8, -8]), [input(charger(), 0)]));
    expect(lim(first)).toBe(0);
    expect(why(first)).toBe('solar start delay');
    const d = b.step(step(at(61), reading(at(61), [-8, -8, -8]), [input(charger(), 0)]));
    expect(lim(d)).toBe(8);
    expect(why(d)).toBe('solar surplus');
  });

  it('min+surplus keeps the minimum from the grid and adds the surplus', () => {
    const b = createBalancer({ margins: M, site: site3, solar: { mode: 'min+surplus' } });
    const night = b.step(step(T0, reading(T0, [2, 2, 2]), [input(charger(), 0)]));
    expect(lim(night)).toBe(6);
    // 10 A exported per line while the car takes 6 (since 5 s: the meter shows it): surplus without the car =
    // 16 A a line.
    const car = input(charger(), 6);
    car.measurement.at = T0 + 5_000;
    const d = b.step(step(T0 + 10_000, reading(T0 + 10_000, [-10, -10, -10]), [car]));
    expect(lim(d)).toBe(14);
    expect(why(d)).toBe('ramp');
  });

  it('switches to one phase when three cannot run within the fuse, after its delay', () => {
    const b = createBalancer({ site: site3, phaseSwitch: { delayS: 30, holdS: 60 } });
    const cap = charger({ switchPhases: true });
    let d: Decision | undefined;
    for (let s = 0; s <= 40; s++) {
      const ms = Date.parse('2025-01-15T18:00:00+01:00') + s * 1000;
      // L2 leaves 2.5 A, under the 6 A minimum; on one phase the car uses L1 alone
      d = b.step(step(ms, reading(ms, [2, 22, 2]), [input(cap, 0)]));
      if (d.chargers[0]!.phases === 1) break;
    }
    expect(d!.chargers[0]!.phases).toBe(1);
  });
});
