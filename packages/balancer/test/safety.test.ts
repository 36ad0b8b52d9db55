/**
 * The balancer keeps its promises when its inputs lie: a frozen meter, a meter clock that jumps, a charger
 * that reports nonsense or stale currents, and two cars whose changes land at different moments.
 */
import { describe, expect, it } from 'vitest';
import { createBalancer, type Decision } from '../src/index';
import { charger, input, reading, step, T0 } from './helpers';

const site = { connection: '3N400' as const, fuseA: 25 };

/** Runs one car that follows its offer at once, over a house drawing `house(s)` per line. */
function drive(b: ReturnType<typeof createBalancer>, from: number, to: number, house: (s: number) => number[]) {
  let offered = 0;
  let d: Decision | undefined;
  for (let s = from; s < to; s++) {
    const ms = T0 + s * 1000;
    const lines = house(s).map((h) => h + offered);
    d = b.step(step(ms, reading(ms, lines), [input(charger(), offered)]));
    offered = d.chargers[0]!.limitA;
  }
  return d!;
}

describe('a frozen meter is no data', () => {
  it('the same telegram repeated for 40 s brings the car to its safe current within the timeout, never up', () => {
    const b = createBalancer({ site });
    drive(b, 0, 60, () => [2, 2, 2]);
    const frozen = reading(T0 + 59_000, [18, 18, 18]);
    const limits: number[] = [];
    let d: Decision | undefined;
    for (let s = 60; s < 100; s++) {
      // the dongle repeats its last telegram; meanwhile the house drops, the car would be raised on it
      d = b.step(step(T0 + s * 1000, frozen, [input(charger(), 16)]));
      limits.push(d.chargers[0]!.limitA);
    }
    expect(d!.meter.data).toBe('stale');
    expect(d!.failsafe).toBe(true);
    expect(d!.chargers[0]!.reason).toBe('stale meter');
    // safe current (6 A) reached within the 10 s timeout, and never raised on the stale telegram
    expect(limits.slice(11).every((l) => l <= 6)).toBe(true);
    expect(Math.max(...limits)).toBeLessThanOrEqual(16);
  });
});

describe('a meter clock that jumps', () => {
  it('+15 min for 4 s while importing 16 kW raises no peak and closes no quarter', () => {
    const b = createBalancer({ site: { ...site, capacityTargetKw: 5 } });
    drive(b, 0, 120, () => [5, 5, 5]);
    const closed: unknown[] = [];
    let d: Decision | undefined;
    for (let s = 120; s < 124; s++) {
      const ms = T0 + s * 1000;
      const jumped = reading(ms + 900_000, [23, 23, 23]);
      d = b.step(step(ms, jumped, [input(charger(), 0, false)]));
      if (d.quarter.closed) closed.push(d.quarter.closed);
      expect(d.meter.clock).toBe('jump');
    }
    for (let s = 124; s < 200; s++) {
      const ms = T0 + s * 1000;
      d = b.step(step(ms, reading(ms, [5, 5, 5]), [input(charger(), 0, false)]));
      if (d.quarter.closed) closed.push(d.quarter.closed);
    }
    expect(closed).toEqual([]);
    expect(d!.quarter.targetKw).toBe(5);
    expect(d!.quarter.quarterStart).toBe('2025-01-15T18:00:00+01:00');
  });

  it('a clock set one hour ahead for good is followed after a minute, without a quarter for the skipped hour', () => {
    const b = createBalancer({ site: { ...site, capacityTargetKw: 5 } });
    drive(b, 0, 60, () => [5, 5, 5]);
    const closed: Array<{ averageKw: number }> = [];
    let d: Decision | undefined;
    for (let s = 60; s < 200; s++) {
      const ms = T0 + s * 1000;
      d = b.step(step(ms, reading(ms + 3_600_000, [5, 5, 5]), [input(charger(), 0, false)]));
      if (d.quarter.closed) closed.push(d.quarter.closed);
    }
    expect(closed).toEqual([]);
    expect(d!.meter.clock).toBe('ok');
    expect(d!.quarter.quarterStart).toBe('2025-01-15T19:00:00+01:00');
    expect(d!.quarter.targetKw).toBe(5);
  });
});

describe('charger data is checked against physics', () => {
  const two = [charger({ id: 'a', phases: [1, 2, 3] }), charger({ id: 'b', phases: [1, 2, 3] })];

  it.each([
    [16_000, 'implausible'],
    [-500, 'implausible'],
    [Number.NaN, 'implausible'],
  ] as const)(
    'a car reporting %s A is %s: nobody is raised on it, and the line is cut under its fuse',
    (bogus, status) => {
      const b = createBalancer({ site });
      // both cars charging at 8 A, house 2 A
      let d = b.step(step(T0, reading(T0, [18, 18, 18]), [input(two[0]!, 8), input(two[1]!, 8)]));
      for (let s = 1; s < 40; s++) {
        const ms = T0 + s * 1000;
        const [la, lb] = [d.chargers[0]!.limitA, d.chargers[1]!.limitA];
        d = b.step(
          step(ms, reading(ms, [2 + la + lb, 2 + la + lb, 2 + la + lb]), [input(two[0]!, la), input(two[1]!, lb)]),
        );
      }
      const before = d.chargers.map((c) => c.limitA);
      // now charger b reports nonsense while an oven comes on L1
      for (let s = 40; s < 60; s++) {
        const ms = T0 + s * 1000;
        const [la, lb] = [d.chargers[0]!.limitA, d.chargers[1]!.limitA];
        d = b.step(
          step(ms, reading(ms, [2 + 8 + la + lb, 2 + la + lb, 2 + la + lb]), [
            input(two[0]!, la),
            input(two[1]!, [bogus, bogus, bogus]),
          ]),
        );
        expect(d.chargers[1]!.measurement).toBe(status);
        expect(d.chargers[0]!.limitA).toBeLessThanOrEqual(before[0]!);
      }
      expect(2 + 8 + d.chargers[0]!.limitA + d.chargers[1]!.limitA).toBeLessThanOrEqual(25);
      expect(d.chargers[1]!.reason).toBe('measurement unknown');
    },
  );

  it('a measurement older than the fuse loop can act on counts as unknown', () => {
    const b = createBalancer({ site });
    drive(b, 0, 30, () => [2, 2, 2]);
    const old = input(charger(), 4);
    old.measurement.at = T0 + 0; // a charger that reports once a minute
    const d = b.step(step(T0 + 30_000, reading(T0 + 30_000, [6, 6, 6]), [old]));
    expect(d.chargers[0]!.measurement).toBe('stale');
  });
});

describe('an idle charger that reports nothing', () => {
  it('does not hold the other car’s raises, but one offered current does', () => {
    const a = charger({ id: 'a' });
    const idle = charger({ id: 'idle' });
    const b = createBalancer({ site });
    const silent = () => {
      const i = input(idle, 0, false);
      i.measurement.at = T0 - 60_000; // its last meter values are a minute old
      return i;
    };
    let d = b.step(step(T0, reading(T0, [20, 2, 2]), [input(a, 0), silent()]));
    expect(d.chargers[0]!.limitA).toBe(0);
    // the oven goes off: car a is raised although the idle charger's measurement is stale
    for (let s = 1; s < 30; s++) {
      const ms = T0 + s * 1000;
      const la = d.chargers[0]!.limitA;
      d = b.step(step(ms, reading(ms, [2 + la, 2 + la, 2 + la]), [input(a, la), silent()]));
    }
    expect(d.chargers[1]!.measurement).toBe('stale');
    expect(d.chargers[0]!.limitA).toBeGreaterThanOrEqual(6);

    // the same stale charger with a current applied (it may be drawing): nobody is raised on it
    const held = createBalancer({ site });
    const offered = () => {
      const i = silent();
      i.measurement.appliedLimitA = 10;
      return i;
    };
    d = held.step(step(T0, reading(T0, [20, 2, 2]), [input(a, 0), offered()]));
    for (let s = 1; s < 30; s++) {
      const ms = T0 + s * 1000;
      const la = d.chargers[0]!.limitA;
      d = held.step(step(ms, reading(ms, [2 + la, 2 + la, 2 + la]), [input(a, la), offered()]));
    }
    expect(d.chargers[0]!.limitA).toBe(0);
  });
});

describe('two cars on one line', () => {
  it('a raise waits until the other car’s cut has landed', () => {
    const a = charger({ id: 'a', phases: [1], maxA: 32, priority: 1 });
    const bCap = charger({ id: 'b', phases: [1], maxA: 32 });
    const bal = createBalancer({ site: { connection: '3N400', fuseA: 40 } });
    // a charges at 30 A, b unplugged
    let d = bal.step(step(T0, reading(T0, [2, 0, 0]), [input(a, 0), input(bCap, 0, false)]));
    let drawnA = 0;
    for (let s = 1; s < 40; s++) {
      const ms = T0 + s * 1000;
      drawnA = d.chargers[0]!.limitA;
      d = bal.step(step(ms, reading(ms, [2 + drawnA, 0, 0]), [input(a, drawnA), input(bCap, 0, false)]));
    }
    expect(d.chargers[0]!.limitA).toBe(32);
    // b plugs in: a is cut to share, but its car follows 5 s later; b must not start before that
    const lagged: number[] = [drawnA, drawnA, drawnA, drawnA, drawnA];
    for (let s = 40; s < 60; s++) {
      const ms = T0 + s * 1000;
      const aDraws = lagged.shift()!;
      const bDraws = Math.min(d.chargers[1]!.limitA, 32);
      d = bal.step(step(ms, reading(ms, [2 + aDraws + bDraws, 0, 0]), [input(a, aDraws), input(bCap, bDraws)]));
      lagged.push(d.chargers[0]!.limitA);
      expect(2 + aDraws + d.chargers[1]!.limitA).toBeLessThanOrEqual(40 - 0.5 + 1e-9);
    }
    expect(d.chargers[1]!.limitA).toBeGreaterThanOrEqual(6);
  });
});

describe('the car behind a charger', () => {
  /**
   * A 16 A charger on three lines whose car takes what it is offered, for `seconds`: `lines` gives the meter's
   * line currents and `drawn` the charger's measurement for an offer. Returns the limit of every second.
   */
  function follow(
    siteOf: { connection: '3N400' | '3x230'; fuseA: number },
    seconds: number,
    lines: (offered: number) => number[],
    drawn: (offered: number) => number[],
  ): number[] {
    // The fuse rule alone: with room for an unseen appliance a loaded line would leave the car nothing.
    const b = createBalancer({ site: siteOf, margins: { unseenStepKw: 0 } });
    const cap = charger({ maxA: 16 });
    const limits: number[] = [];
    let offered = 0;
    for (let s = 0; s < seconds; s++) {
      const ms = T0 + s * 1000;
      offered = b.step(step(ms, reading(ms, lines(offered)), [input(cap, drawn(offered))])).chargers[0]!.limitA;
      limits.push(offered);
    }
    return limits;
  }

  it('a single-phase car on a three-phase charger is counted on one line', () => {
    // L2 carries 18 A of house: a three-phase car could get 6.5 A, a single-phase one on L1 its 16 A
    const limits = follow(
      site,
      60,
      (a) => [2 + a, 18, 2],
      (a) => [a, 0, 0],
    );
    expect(limits.at(-1)).toBe(16);
  });

  it('on 3x230 a single-phase car loads the first two lines, which carry the same current, not the third', () => {
    // Its 230 V lie between L1 and L2; counted on three lines it was held by L3's house load and came out
    // 15 % stronger than it is, which the quarter plan took from the house (fleet house 424242/796).
    // L3 carries 18 A of house: a three-phase car could get 6.5 A, a single-phase one its 16 A
    const limits = follow(
      { connection: '3x230', fuseA: 25 },
      60,
      (a) => [2 + a, 2 + a, 18],
      (a) => [a, a, 0],
    );
    expect(limits.at(-1)).toBe(16);
  });

  it('on 3x230 a single-phase car measured on the first phase only still loads the second line', () => {
    // A charger measures its phase conductors, not N, which goes to L2 on 3x230: it reports (I, 0, 0). Taken
    // as such, the car's own current on L2 counted as house and held it at 6.8 A.
    const limits = follow(
      { connection: '3x230', fuseA: 25 },
      90,
      (a) => [2 + a, 2 + a, 2],
      (a) => [a, 0, 0],
    );
    expect(limits.slice(-30)).toEqual(Array(30).fill(16));
  });
});
