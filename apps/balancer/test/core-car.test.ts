/**
 * What the installer configures for the car reaches the balancer and holds at the charger: a car's shortest
 * tolerated pause, its own current range, and a settings change in between forgets neither.
 * The module's core on the rig of helpers/core-rig.ts (real balancer, SQLite, simulated charger, virtual clock).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreRig } from './helpers/core-rig';

/** A 4.5 kW oven on L1: with the house's 5 A it leaves the charger no room under the 25 A fuse. */
const OVEN_A = 4500 / 230;

/** The charger's limit over time: each second's limit as the charger holds it (null before the first). */
function pausesOf(limits: readonly (number | null)[]) {
  const pauses: { fromS: number; toS: number | null }[] = [];
  for (let t = 1; t < limits.length; t++) {
    const [before, now] = [limits[t - 1] ?? 0, limits[t] ?? 0];
    if (before > 0 && now === 0) pauses.push({ fromS: t, toS: null });
    const open = pauses.at(-1);
    if (before === 0 && now > 0 && open && open.toS === null) open.toS = t;
  }
  return pauses;
}

describe("the car's shortest pause", () => {
  /**
   * The car charges, an oven cuts it for `ovenS` seconds, a settings change comes during the pause, and the
   * house is quiet again long enough for any restart: the pause lasts at least the longer of the two minimums.
   */
  function pauseWith(charger: Record<string, unknown>, timing: Record<string, unknown> | undefined, ovenS: number) {
    const { core, charger: sim, second } = coreRig({ charger, ...(timing ? { sections: { timing } } : {}) });
    const limits: (number | null)[] = [];
    const run = (seconds: number, extraL1A = 0) => {
      for (let i = 0; i < seconds; i++) {
        second(extraL1A);
        limits.push(sim.measurement.appliedLimitA);
      }
    };
    run(30);
    run(ovenS, OVEN_A);
    run(10);
    core.updateSettings({ solar: 'off' });
    run(600);
    return pausesOf(limits);
  }

  it('chargers[i].minPauseS: 300 holds a pause the balancer makes for 300 s, across a settings change', () => {
    const pauses = pauseWith({ minPauseS: 300 }, undefined, 20);
    expect(pauses).toHaveLength(1);
    const [pause] = pauses;
    expect(pause?.toS).not.toBeNull();
    expect((pause?.toS ?? 0) - (pause?.fromS ?? 0)).toBeGreaterThanOrEqual(300);
  });

  it('holds max(timing.minPauseS, chargers[i].minPauseS) whichever is given (property)', () => {
    const seconds = fc.integer({ min: 0, max: 420 });
    fc.assert(
      fc.property(
        fc.option(seconds, { nil: undefined }),
        fc.option(seconds, { nil: undefined }),
        fc.integer({ min: 5, max: 40 }),
        (own, global, ovenS) => {
          const pauses = pauseWith(
            own === undefined ? {} : { minPauseS: own },
            global === undefined ? undefined : { minPauseS: global },
            ovenS,
          );
          const least = Math.max(own ?? 0, global ?? 60);
          const pause = pauses[0];
          return (
            pauses.length === 1 &&
            pause?.toS !== null &&
            pause !== undefined &&
            (pause.toS as number) - pause.fromS >= least
          );
        },
      ),
      { numRuns: 8, seed: 1410 },
    );
  });
});

describe("the car's own current range", () => {
  /** The house's extra load on L1 (A) for a number of seconds; each second's limit at the charger. */
  function limitsWith(charger: Record<string, unknown>, steps: readonly [number, number][]) {
    const { core, charger: sim, second } = coreRig({ charger, car: { minA: 8 } });
    const limits: number[] = [];
    steps.forEach(([seconds, extraL1A], i) => {
      if (i === Math.floor(steps.length / 2)) core.updateSettings({ solar: 'off' });
      for (let s = 0; s < seconds; s++) {
        second(extraL1A);
        const limit = sim.measurement.appliedLimitA;
        if (limit !== null) limits.push(limit);
      }
    });
    return limits;
  }

  it('carMinA: 8 offers 0 A where only 7 A are free, and at least 8 A once there is room', () => {
    // room on L1 is 25 − 0.5 (margin) − 5 (house) − extra: 7 A with 12.5 A extra, 10.5 A with 9 A extra
    const limits = limitsWith({ carMinA: 8 }, [
      [30, 0],
      [120, 12.5],
      [300, 9],
    ]);
    expect(limits.every((a) => a === 0 || a >= 8)).toBe(true);
    expect(limits.slice(30, 150)).toContain(0);
    expect(limits.at(-1)).toBeGreaterThanOrEqual(8);
  });

  it('offers 0 or carMinA..carMaxA under any house load (property)', () => {
    const step = fc.tuple(fc.integer({ min: 5, max: 120 }), fc.double({ min: 0, max: 20, noNaN: true }));
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 6 }), (steps) => {
        const limits = limitsWith({ carMinA: 8, carMaxA: 10 }, [[30, 0], ...steps]);
        return limits.every((a) => a === 0 || (a >= 8 && a <= 10));
      }),
      { numRuns: 10, seed: 1410 },
    );
  });
});
