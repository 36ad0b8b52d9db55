/**
 * A car resting its minimum pause cannot start, so beside other cars it takes no share of the lines or of the
 * quarter's budget. Fleet house 16180/280 (3N400 25 A, 2.5 kW target): a three-phase car resting its 300 s pause
 * held half of L3 from the single-phase car running the quarter's run, and the quarters ended at 1.7 kW of 2.5
 * (0.67 of the bound; 0.80 once the resting car holds nothing).
 */
import { describe, expect, it } from 'vitest';
import { createBalancer, type Decision } from '../src/index';
import { charger, followingCar, input, reading, step, T0 } from './helpers';

const HOUSE_A = 2;

/**
 * 3N400 25 A, 1 A fuse margin, no room for an appliance not seen yet: a single-phase car on L1 ('one', up to 32 A)
 * and a three-phase car ('three', resting `pauseS` after a pause), both following their offers 2 s late. From
 * 60 s to 70 s a load of 19 A on L2 leaves the three-phase car less than its minimum: it pauses. Returns the
 * decisions second by second.
 */
function run(seconds: number, pauseS: number) {
  const b = createBalancer({
    site: { connection: '3N400', fuseA: 25 },
    margins: { fuseA: 1, unseenStepKw: 0 },
    minPauseS: pauseS,
  });
  const one = charger({ id: 'one', phases: [1], maxA: 32 });
  const three = charger({ id: 'three' });
  const carOne = followingCar(one, 2);
  const carThree = followingCar(three, 2);
  const out: Decision[] = [];
  for (let s = 0; s < seconds; s++) {
    const ms = T0 + s * 1000;
    const a = carOne.drawA(s);
    const c = carThree.drawA(s);
    const load = s >= 60 && s < 70 ? 19 : 0;
    const lines = [HOUSE_A + a + c, HOUSE_A + load + c, HOUSE_A + c];
    const d = b.step(step(ms, reading(ms, lines), [input(one, a), input(three, c)]));
    carOne.offers.push(d.chargers[0]!.limitA);
    carThree.offers.push(d.chargers[1]!.limitA);
    out.push(d);
  }
  return out;
}

describe('a car resting its minimum pause', () => {
  it('leaves its share of a line to the car that charges', () => {
    const d = run(500, 300);
    // Both charging: L1's 22 A are shared.
    expect(d[55]!.chargers[0]!.limitA).toBeCloseTo(11, 0);
    expect(d[55]!.chargers[1]!.limitA).toBeCloseTo(11, 0);
    // The three-phase car paused for the load on L2 and rests: the single-phase car takes all of L1.
    const resting = d[200]!;
    expect(resting.chargers[1]!.limitA).toBe(0);
    expect(resting.chargers[1]!.reason).toBe('min pause');
    expect(resting.chargers[0]!.limitA).toBeCloseTo(22, 0);
    // Rested, it charges again beside the other, and L1 is shared again.
    const after = d[499]!;
    expect(after.chargers[1]!.limitA).toBeGreaterThanOrEqual(6);
    expect(after.chargers[0]!.limitA + after.chargers[1]!.limitA).toBeLessThanOrEqual(22.05);
  });
});
