import { describe, expect, it } from 'vitest';
import { DEFAULT_UNSEEN_STEP_KW, HouseModel } from '../src/house-model';
import { LineRoom } from '../src/line-room';
import { settingsOf } from '../src/settings';
import { type Connection, LINE_V } from '../src/site';
import { T0 } from './helpers';

const noCars = { minA: [0, 0, 0], minFastA: [0, 0, 0], slow: [false, false, false] };
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
  );
  return room;
}

describe('what each line leaves the cars', () => {
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
    const atMin = { minA: [6, 6, 6], minFastA: [6, 6, 6], slow: [false, false, false] };
    const over = roomFor('3N400', 25, [15, 15, 15], 16, atMin);
    expect(over.plainCutLine[0]).toBeCloseTo(9.5, 6);
    expect(over.cutLine[0]).toBe(6);
    expect(over.overFuse).toBe(true);
    // Under the fuse (a car at 9 A: 24 A), the cut is what the fuse leaves.
    const under = roomFor('3N400', 25, [15, 15, 15], 9, atMin);
    expect(under.cutLine[0]).toBeCloseTo(9.5, 6);
    expect(under.overFuse).toBe(false);
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
