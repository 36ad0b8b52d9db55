/**
 * The fail-safe's check against the quarter's budget takes the house as the last telegram showed it. Before,
 * it took the last import less what the cars drew now: once the fail-safe had paused a car whose minimum is
 * above its safe current, that car's last current counted as house, and every car was sent to 0 A although
 * the house and the other car's safe current fitted the quarter (seed 1's fleet house 581).
 */
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, input, reading, step, T0 } from './helpers';

const HOUSE_A = 2;

/**
 * Two cars charge, the meter goes silent at `silentS` into the quarter, the house taking `lastHouseA` a line
 * in the half minute before; returns cp2's offer at the last telegram and its offers during the outage.
 */
function outage(targetKw: number, silentS: number, lastHouseA = HOUSE_A): { before: number; during: number[] } {
  const b = createBalancer({
    site: { connection: '3N400', fuseA: 25, capacityTargetKw: targetKw },
    chargers: [{ id: 'cp1', carMinA: 8 }],
  });
  const cps = [charger({ id: 'cp1', safeA: 6 }), charger({ id: 'cp2', safeA: 6 })];
  const mins = [8, 6];
  const offered = [0, 0];
  const during: number[] = [];
  let before = Number.NaN;
  // T0 is a quarter's start; run one quarter to settle, then the outage in the next one until its end.
  const silentFrom = 900 + silentS;
  for (let s = 0; s < 1800; s++) {
    const ms = T0 + s * 1000;
    const draw = offered.map((a, i) => (a >= mins[i]! ? a : 0));
    const houseA = s >= silentFrom - 30 ? lastHouseA : HOUSE_A;
    const lines = [0, 1, 2].map(() => houseA + draw[0]! + draw[1]!);
    const r = s >= silentFrom ? null : reading(ms, lines);
    const d = b.step(
      step(
        ms,
        r,
        cps.map((cap, i) => input(cap, draw[i]!)),
      ),
    );
    for (let i = 0; i < 2; i++) offered[i] = d.chargers[i]!.limitA;
    if (d.failsafe) during.push(offered[1]!);
    else if (r !== null) before = offered[1]!;
  }
  return { before, during };
}

describe('the fail-safe weighs the quarter with the house as last seen', () => {
  it('keeps the other car at its safe current when the house and that current fit the target', () => {
    // 16 kW target: the house (1.4 kW) and cp2 at 6 A (4.1 kW) fit any rest of the quarter; cp1 (8 A
    // minimum) stops at its safe 6 A and draws nothing.
    for (const silentS of [120, 300, 480]) {
      const { during } = outage(16, silentS);
      expect(during.length).toBeGreaterThan(100);
      expect(during.every((a) => a === 6)).toBe(true);
    }
  });

  it('still stops a charging car where the house and its safe current would break the target', () => {
    // 11 kW target, silent 750 s into the quarter with cp2 charging and the house at 4.1 kW since half a
    // minute: the house and cp2's safe 6 A (4.1 kW) for the rest would spend more than the quarter has left.
    // (With the house at 1.4 kW throughout, whether the held import runs out in the quarter's last seconds
    // turns on a few watt-hours spent before the outage: no case to pin. Under a 10 kW target the plan now
    // runs cp1 alone in the quarter's last minutes, and cp2 is not charging when the meter goes silent.)
    const { before, during } = outage(11, 750, 6);
    expect(before).toBeGreaterThanOrEqual(6);
    expect(during.length).toBeGreaterThan(100);
    expect(during.every((a) => a === 0)).toBe(true);
  });
});
