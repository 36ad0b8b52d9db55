import { describe, expect, it } from 'vitest';
import { HouseModel } from '../src/house-model';
import { LineRoom } from '../src/line-room';
import { settingsOf } from '../src/settings';
import type { Connection } from '../src/site';
import { T0 } from './helpers';

const noCars = { minA: [0, 0, 0], minFastA: [0, 0, 0], slow: [false, false, false] };
/** 3 kW, the default room for an appliance not seen yet, at 230 V. */
const UNSEEN_A = 3000 / 230;

/** The room a house with these line currents leaves the cars at its first telegram (no loads learned yet). */
function roomFor(connection: Connection, fuseA: number, houseA: number[]): LineRoom {
  const s = settingsOf({ site: { connection, fuseA }, chargers: [] });
  const house = new HouseModel(connection, s.unseenStepKw);
  house.observe(T0, houseA, [false, false, false]);
  const room = new LineRoom();
  room.update(T0, houseA, houseA, s, house, 1000, noCars);
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
