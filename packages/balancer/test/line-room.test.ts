import { describe, expect, it } from 'vitest';
import { DEFAULT_UNSEEN_STEP_KW, HouseModel } from '../src/house-model';
import { LineRoom } from '../src/line-room';
import { settingsOf } from '../src/settings';
import { type Connection, LINE_V } from '../src/site';
import { T0 } from './helpers';

const noCars = { minA: [0, 0, 0], minFastA: [0, 0, 0], slow: [false, false, false], pluggedMinA: [0, 0, 0] };
/** The default room for an appliance not seen yet, in amperes. */
const UNSEEN_A = (DEFAULT_UNSEEN_STEP_KW * 1000) / LINE_V;

/**
 * The room a house with these line currents leaves the cars at its first telegram (no loads learned yet): the
 * meter reads the house plus `carA` on each line, and `cars` are the plugged cars' minimums per line.
 */
function roomFor(connection: Connection, fuseA: number, houseA: number[], carA = 0, cars = noCars): LineRoom {
  const s = settingsOf({ site: { connection, fuseA }, chargers: [] });
  const house = new HouseModel(connection, s.unseenStepKw);
  house.observe(T0, houseA, [false, false, false]);
  const room = new LineRoom();
  room.update(
    T0,
    houseA,
    houseA.map((a) => a + carA),
    s,
    house,
    1000,
    cars,
    houseA,
  );
  return room;
}

describe('what each line leaves the cars', () => {
  it("over the fuse, counts the house as the cars' physics bound it, not as credited", () => {
    // 1x230 25 A, a car (6 A minimum) ramping behind an old sample: the reading credits it with 5 A of the meter's
    // rise (house 17 A); its ramp since the sample explains only 1 A of it (house 21 A). Over the fuse the cut counts
    // 21 A: 3.5 A, under the car's minimum, so it is paused; counting 17 A it was trimmed to its minimum and the
    // line stayed over (nl 7070707/642). Under the fuse the credited house stands.
    const s = settingsOf({ site: { connection: '1x230', fuseA: 25 }, chargers: [] });
    const house = new HouseModel('1x230', s.unseenStepKw);
    house.observe(T0, [17, 0, 0], [false, false, false]);
    const car = { minA: [6, 0, 0], minFastA: [6, 0, 0], slow: [false, false, false], pluggedMinA: [6, 0, 0] };
    const cutAt = (lineA: number, boundedA: number) => {
      const room = new LineRoom();
      room.update(T0, [17, 0, 0], [lineA, 0, 0], s, house, 1000, car, [boundedA, 0, 0]);
      return room.cutLine[0];
    };
    expect(cutAt(31, 21)).toBeCloseTo(25 - s.marginA - 21, 6);
    expect(cutAt(31, 17)).toBe(6);
    expect(cutAt(24, 21)).toBe(cutAt(24, 17));
  });

  it('keeps room under 1.45 × In for an appliance not seen yet: it binds on a 16 A line, not on a 32 A one', () => {
    // 16 A: the fuse leaves 16 − 0.5 − 2 = 13.5 A, but a 3 kW step on top must stay under 23.2 A.
    const small = roomFor('3N400', 16, [2, 2, 2]);
    expect(small.cutLine[0]).toBeCloseTo(1.45 * 16 - 0.5 - 2 - UNSEEN_A, 6);
    expect(small.heldLine).toEqual([true, true, true]);
    expect(small.fuseRoomA[0]).toBeCloseTo(13.5, 6);
    // 32 A: 1.45 × In leaves more than the fuse does.
    const large = roomFor('3N400', 32, [2, 2, 2]);
    expect(large.cutLine[0]).toBeCloseTo(32 - 0.5 - 2, 6);
    expect(large.heldLine).toEqual([false, false, false]);
  });

  it("over the fuse, cuts for one more step down to the cars' minimums, and not below them", () => {
    // 25 A, 15 A of house and a 16 A car: 31 A. The fuse leaves the car 25 − 0.5 − 15 = 9.5 A; a step that may
    // come before that cut lands (an unseen one, no larger than takes the house alone to its fuse: 10 A) would
    // need the car at −0.5 A, but a car at its 6 A minimum is not paused for a step that may not come.
    const atMin = { minA: [6, 6, 6], minFastA: [6, 6, 6], slow: [false, false, false], pluggedMinA: [6, 6, 6] };
    const over = roomFor('3N400', 25, [15, 15, 15], 16, atMin);
    expect(over.plainCutLine[0]).toBeCloseTo(9.5, 6);
    expect(over.cutLine[0]).toBe(6);
    expect(over.overFuse).toBe(true);
    // Under the fuse (a car at 9 A: 24 A), the cut is what the fuse leaves.
    const under = roomFor('3N400', 25, [15, 15, 15], 9, atMin);
    expect(under.cutLine[0]).toBeCloseTo(9.5, 6);
    expect(under.overFuse).toBe(false);
  });

  it('keeps room under 1.45 × In for a cooking thermostat due back and a step seen, down to the cars’ minimums', () => {
    // 3N400 25 A: a 15 A hob zone on L3 once, then its neighbour zone cycling there, 6.4 A for 76 s, off 73 s. Its
    // return may come within a cut's lag of the other zone's step: both fit under 1.45 × In.
    const s = settingsOf({ site: { connection: '3N400', fuseA: 25 }, chargers: [] });
    const house = new HouseModel('3N400', s.unseenStepKw);
    const zone = (t: number) => (t >= 10 && t < 300 ? 15 : t >= 400 && (t - 400) % 149 < 76 ? 6.4 : 0);
    const houseA = (t: number) => [1, 1, 1 + zone(t)];
    const at = 400 + 3 * 149 + 76 + 65; // off 65 s of its usual 73
    for (let t = 0; t <= at; t++) house.observe(T0 + t * 1000, houseA(t), [false, false, false]);
    const now = T0 + at * 1000;
    // the zone's return and the other zone's step, on L3 alone
    expect(house.returnWithStepA(now, 10)).toEqual([0, 0, expect.closeTo(15 + 6.4, 6)]);
    const bothA = 1.45 * 25 - s.marginA - 1 - 15 - 6.4;
    /** The room beside cars on every line: `runningMinA` the minimums of those charging, `pluggedMinA` of all. */
    const roomBeside = (runningMinA: number, pluggedMinA: number) => {
      const room = new LineRoom();
      const running = [runningMinA, runningMinA, runningMinA];
      const plugged = [pluggedMinA, pluggedMinA, pluggedMinA];
      const cars = { minA: running, minFastA: running, slow: [false, false, false], pluggedMinA: plugged };
      const meterA = houseA(at).map((a) => a + runningMinA);
      room.update(now, houseA(at), meterA, s, house, 1000, cars, houseA(at));
      return room;
    };
    const above = roomBeside(6, 6);
    expect(above.cutLine[2]).toBeCloseTo(bothA, 6);
    expect(above.raiseLine[2]).toBeCloseTo(bothA, 6);
    // the lines without the thermostat keep what the fuse and the next step leave
    expect(above.cutLine[0]).toBeGreaterThan(bothA + 5);
    // cars whose minimums leave less are trimmed to them, not paused, and a paused one may start
    expect(roomBeside(16, 16).cutLine[2]).toBe(16);
    expect(roomBeside(0, 16).raiseLine[2]).toBe(16);
  });

  it('leaves no limit on the lines a single-phase site does not have', () => {
    const room = roomFor('1x230', 40, [5, 0, 0]);
    expect(room.cutLine[0]).toBeCloseTo(40 - 0.5 - 5, 6);
    expect(room.cutLine.slice(1)).toEqual([Infinity, Infinity]);
    expect(room.raiseLine.slice(1)).toEqual([Infinity, Infinity]);
  });

  it('takes a line the meter does not report as loaded as the worst one it does', () => {
    const room = roomFor('3N400', 25, [3, Number.NaN, 9]);
    expect(room.cutLine[1]).toBe(room.cutLine[2]);
    expect(room.cutLine[1]).toBeLessThan(room.cutLine[0]);
  });
});
