/**
 * timing.phaseSwitch reaches the balancer and holds at the charger: a charger that can switch between 1 and
 * 3 phases waits delayS of the other mode being better, and never switches twice within holdS, also across
 * a settings change. The module's core on the rig of helpers/core-rig.ts (real balancer, SQLite, simulated
 * charger with switchPhases, virtual clock).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreRig } from './helpers/core-rig';

/**
 * A 14 A load on L2: with the house's 6 A it leaves 4.5 A there, too little for three phases at 6 A, while
 * L1 still has room for one phase at 16 A. Off again, three phases give clearly more.
 */
const L2_LOAD: readonly [number, number, number] = [0, 14, 0];

/** Runs `steps` of [seconds, L2 load on], from a car charging on three phases; the second of each switch. */
function switchesWith(phaseSwitch: Record<string, unknown> | undefined, steps: readonly [number, boolean][]) {
  const {
    core,
    charger: sim,
    second,
  } = coreRig({
    charger: { switchPhases: true },
    ...(phaseSwitch ? { sections: { timing: { phaseSwitch } } } : {}),
  });
  const switches: { atS: number; to: 1 | 3 }[] = [];
  let t = 0;
  let phases = sim.measurement.appliedPhases;
  steps.forEach(([seconds, loaded], i) => {
    // a settings change in the middle goes through balancerConfigOf again
    if (i === Math.floor(steps.length / 2)) core.updateSettings({ solar: 'off' });
    for (let s = 0; s < seconds; s++) {
      t++;
      second(loaded ? L2_LOAD : 0);
      const now = sim.measurement.appliedPhases;
      if (phases !== null && now !== null && now !== phases) switches.push({ atS: t, to: now });
      phases = now;
    }
  });
  return switches;
}

const gapsOf = (switches: readonly { atS: number }[]) => switches.slice(1).map((s, i) => s.atS - switches[i]!.atS);

describe('timing.phaseSwitch', () => {
  it('holdS: 600 keeps two phase switches at least 600 s apart, across a settings change', () => {
    // the load comes at 30 s and goes at 150 s: one phase is better at once, three again from 150 s
    const switches = switchesWith({ holdS: 600 }, [
      [30, false],
      [120, true],
      [1000, false],
    ]);
    expect(switches.map((s) => s.to)).toEqual([1, 3]);
    expect(gapsOf(switches)[0]).toBeGreaterThanOrEqual(600);
  });

  it('delayS: 200 switches to one phase no sooner than 200 s after it became the better mode', () => {
    const switches = switchesWith({ delayS: 200 }, [
      [30, false],
      [400, true],
    ]);
    expect(switches.map((s) => s.to)).toEqual([1]);
    expect(switches[0]!.atS - 30).toBeGreaterThanOrEqual(200);
  });

  it('never switches twice within holdS; the first switch waits delayS after the load (property)', () => {
    const step = fc.tuple(fc.integer({ min: 20, max: 400 }), fc.boolean());
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 240 }),
        fc.integer({ min: 60, max: 900 }),
        fc.array(step, { minLength: 2, maxLength: 6 }),
        (delayS, holdS, steps) => {
          // three phases first; the load stays long enough for a switch to one; at the end it is gone long
          // enough for the switch back, so every run has at least two switches and one gap to measure
          const plan: [number, boolean][] = [[30, false], [delayS + 30, true], ...steps, [holdS + delayS + 30, false]];
          const switches = switchesWith({ delayS, holdS }, plan);
          return (
            switches.length >= 2 && switches[0]!.atS - 30 >= delayS && gapsOf(switches).every((gap) => gap >= holdS)
          );
        },
      ),
      { numRuns: 6, seed: 1612 },
    );
  });
});
