/**
 * A settings change must not make the module forget what the charger was told: the cut that follows
 * it, the fail-safe after meter silence and the quarter's energy so far all survive it.
 * The module's core on the rig of helpers/core-rig.ts (real balancer, SQLite, simulated charger, virtual clock).
 */
import { describe, expect, it } from 'vitest';
import { coreRig, RIG_FUSE_A } from './helpers/core-rig';

/** A 4.5 kW oven on L1. */
const OVEN_A = 4500 / 230;

const rig = (site: Record<string, unknown> = {}, withQuarterAverage = true) => coreRig({ site, withQuarterAverage });

describe('a settings change keeps every cut', () => {
  it('the oven comes on 0.2 s after a PATCH: the charger is still cut below the fuse', () => {
    const { core, charger, second } = rig();
    for (let i = 0; i < 30; i++) second();
    expect(charger.measurement.appliedLimitA).toBe(16);

    core.updateSettings({ solar: 'off' });
    // the oven is in the first telegram after the PATCH
    let l1 = 0;
    for (let i = 0; i < 20; i++) l1 = second(OVEN_A)[0];
    // the cut reached the charger, and the line is back under its fuse
    expect(core.decision?.chargers[0]?.limitA).toBe(0);
    expect(charger.measurement.appliedLimitA).toBe(0);
    expect(l1).toBeLessThanOrEqual(RIG_FUSE_A);
  });

  it('meter silence after a PATCH still brings the charger to its safe current within 15 s', () => {
    const { core, charger, second, silentSecond } = rig();
    for (let i = 0; i < 30; i++) second();
    core.updateSettings({ capacityTargetKw: 9 });
    for (let i = 0; i < 15; i++) silentSecond();
    expect(core.decision?.failsafe).toBe(true);
    expect(charger.measurement.appliedLimitA).toBeLessThanOrEqual(6);
  });

  it('a PATCH to solar mode at night stops the car, not only on the dashboard', () => {
    const { core, charger, second } = rig();
    for (let i = 0; i < 30; i++) second();
    expect(charger.measurement.appliedLimitA).toBe(16);
    core.updateSettings({ solar: 'surplus' });
    // no surplus at night: the car is held at its minimum through the solar stop delay, then stopped;
    // what the charger holds is what the balancer says at every second
    for (let i = 0; i < 240; i++) {
      second();
      expect(charger.measurement.appliedLimitA).toBe(core.decision?.chargers[0]?.limitA);
    }
    expect(charger.measurement.appliedLimitA).toBe(0);
  });

  it('on a meter without 1-0:1.4.0 the quarter keeps its energy across a PATCH', () => {
    const { core, second } = rig({ capacityTargetKw: 8 }, false);
    for (let i = 0; i < 120; i++) second();
    const before = core.decision?.quarter.usedKwh ?? 0;
    expect(before).toBeGreaterThan(0);
    core.updateSettings({ capacityTargetKw: 7.5 });
    second();
    expect(core.decision?.quarter.usedKwh ?? 0).toBeGreaterThan(before);
    expect(core.decision?.quarter.targetKw).toBe(7.5);
  });

  it("keeps site.neverRaiseMonthPeak across a PATCH of the target: the aim stays the month's peak", () => {
    // the telegrams say this month's peak is 4.2 kW
    const { core, second } = rig({ capacityTargetKw: 8, neverRaiseMonthPeak: true });
    for (let i = 0; i < 30; i++) second();
    expect(core.decision?.quarter.targetKw).toBeCloseTo(4.2, 3);
    core.updateSettings({ capacityTargetKw: 9 });
    second();
    expect(core.decision?.quarter.targetKw).toBeCloseTo(4.2, 3);
  });
});
