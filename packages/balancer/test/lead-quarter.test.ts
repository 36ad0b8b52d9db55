/**
 * Which car goes first under a capacity target: the quarter plan runs a car at its full power for part of the
 * quarter, so what a car that goes first makes of the lines counts up to what a quarter leaves the cars, not up
 * to that power held steadily. Before, a three-phase car whose 4.1 kW minimum was above the room a 4 kW target
 * left never went first: a single-phase car held L1 at 9 A (2.1 kW of 3.3) all night (fleet houses 555/468 and
 * 555/137: 0.63 and 0.73 of the bound).
 */
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, input, quarterAverages, reading, step, T0 } from './helpers';

const HOUSE_A = 1;

/**
 * 3N400 16 A under `targetKw`, the house at `HOUSE_A` a line: a single-phase car on L1 from the start, a
 * three-phase car (minimum pause `pauseS`) from a minute on, both following their offer at once. Returns the
 * cars' kWh and each car's pauses (offer from its minimum or more to 0) over the last `lastS` seconds of
 * `seconds`, and the quarters' average imports (kW).
 */
function night(targetKw: number, seconds: number, lastS: number, pauseS: number) {
  const b = createBalancer({
    site: { connection: '3N400', fuseA: 16, capacityTargetKw: targetKw },
    chargers: [{ id: 'three', minPauseS: pauseS }],
  });
  const one = charger({ id: 'one', phases: [1] });
  const three = charger({ id: 'three' });
  const offered = [0, 0];
  const pauses = [0, 0];
  let kwh = 0;
  const quarters = quarterAverages();
  for (let s = 0; s < seconds; s++) {
    const ms = T0 + s * 1000;
    const plugged3 = s >= 60;
    const a1 = offered[0]! >= 6 ? offered[0]! : 0;
    const a3 = plugged3 && offered[1]! >= 6 ? offered[1]! : 0;
    const lines = [HOUSE_A + a1 + a3, HOUSE_A + a3, HOUSE_A + a3];
    const d = b.step(step(ms, reading(ms, lines), [input(one, a1), input(three, a3, plugged3)]));
    const kw = ((a1 + 3 * a3) * 230) / 1000;
    for (let k = 0; k < 2; k++) {
      if (s >= seconds - lastS && offered[k]! >= 6 && d.chargers[k]!.limitA === 0) pauses[k]!++;
      offered[k] = d.chargers[k]!.limitA;
    }
    if (s >= seconds - lastS) kwh += kw / 3600;
    quarters.add(kw + (3 * HOUSE_A * 230) / 1000);
  }
  return { kwh, pauses, quarters: quarters.averages };
}

describe('which car goes first under a capacity target', () => {
  it('lets the three-phase car go first where the target leaves more than the single-phase car takes', () => {
    // A 4 kW target leaves 3.29 kW (less the 0.02 kW margin and the house's 0.69 kW); the single-phase car alone
    // takes 9.2 A × 230 V, 2.1 kW. Over the last hour the cars spend most of the room, and no quarter ends over.
    const { kwh, quarters } = night(4, 3 * 3600, 3600, 60);
    expect(kwh).toBeGreaterThan(0.9 * 3.29);
    expect(Math.max(...quarters)).toBeLessThanOrEqual(4);
  });

  it('lets the other car charge while the one that goes first rests its pause', () => {
    // A 6 kW target leaves 5.29 kW; the three-phase car, which needs 5 min between runs, stops at each
    // quarter's end and must run about 12 of the next 15 minutes at the 6.3 kW the lines give it. Resting, it held
    // them for nobody: 3.96 kWh in the last hour, now 5.1.
    const { kwh, quarters } = night(6, 3 * 3600, 3600, 300);
    expect(kwh).toBeGreaterThan(0.9 * 5.29);
    expect(Math.max(...quarters)).toBeLessThanOrEqual(6);
  });

  it('hands a quarter’s run to the car that goes first without a second pause of the other', () => {
    // A 5 kW target leaves 4.29 kW. Each quarter the single-phase car takes the early share and pauses once for the
    // three-phase car's run. That car's start is held back a step or more (until the other's cut lands, or by the
    // raise delay); with no car charging then, the plan took the run as over: the single-phase car started again
    // on the early share, was cut again, and paused four times a quarter (fleet house 1/603: 170 pauses a day,
    // now 130).
    const { kwh, pauses, quarters } = night(5, 3 * 3600, 3600, 60);
    expect(pauses[0]).toBeLessThanOrEqual(4);
    expect(pauses[1]).toBeLessThanOrEqual(4);
    expect(kwh).toBeGreaterThan(0.95 * 4.29);
    expect(Math.max(...quarters)).toBeLessThanOrEqual(5);
  });
});
