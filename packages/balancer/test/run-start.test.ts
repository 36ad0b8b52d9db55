/**
 * The run at a quarter's end on a budget that holds little more than the car's minimum is not withdrawn as it starts.
 * Fleet house 16180/613 (1x230 50 A, a 3.2 kW target, the oven's 2.6 kW on): 22 Wh were left for the car 73 s
 * before the quarter's end, the run started at 1.35 kW for a 1.34 kW minimum, and a second later the budget no longer
 * held the minimum: the start was withdrawn before the car drew on it, and the car rested its minimum pause. Started
 * with a margin, a run on a few watt-hours was still stopped as the car began to draw: it then keeps its lag's energy
 * aside for the stop, which its start had not counted.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, swingingHouse } from './helpers';

describe('the run at the quarter’s end on a small budget', () => {
  it('is not withdrawn before the car draws, and the quarter stays under the target', () => {
    // 1x230 50 A under a 3.2 kW target, a single-phase car (6–16 A, 1.38–3.7 kW) with a 5 s lag; the house draws
    // what leaves the car 6–30 Wh a quarter (its minimum for 15–80 s), swinging up to ±40 W every second.
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 30 }),
        fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 900, maxLength: 900 }),
        (budgetWh, swingW) => {
          const b = createBalancer({ site: { connection: '1x230', fuseA: 50, capacityTargetKw: 3.2 } });
          // the target less its 20 W margin, less the car's budget spread over the quarter
          const houseW = 3200 - 20 - budgetWh * 4;
          const caps = [charger({ phases: [1] })];
          const run = swingingHouse(b, caps, { lines: 1, houseW, swingW, lagS: 5, rampAps: 2, quarters: 4 });
          // no start taken back before the car could draw on it (its lag is 5 s)
          expect(run.withdrawn).toEqual([0]);
          for (const avg of run.quarters) expect(avg).toBeLessThanOrEqual(3.2);
          // the car still charges on what is left
          if (budgetWh >= 15) expect(run.chargedS).toBeGreaterThan(0);
        },
      ),
      { numRuns: 20 },
    );
  });
});
