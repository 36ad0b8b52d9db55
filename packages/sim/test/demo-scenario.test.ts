/**
 * The embedded default's household, run faster than real time by the scenario runner with the default's car:
 * it must show the balancer at work and keep every promise, with no target and with the 4 kW target an owner
 * sets first (a three-phase car's 6 A minimum, 4.1 kW, does not fit that target's even rate).
 */
import { formatMeterIso } from '@p1/dsmr';
import { runScenario, type Scenario } from '@p1/scenario';
import { describe, expect, it } from 'vitest';
import { demoScenario } from '../src';

// A start in the middle of a quarter: the car plugs in with whatever budget that quarter has left.
const START_MS = Date.parse('2026-11-30T17:07:40+01:00');

function withCar(targetKw: number | null): Scenario {
  const house = demoScenario('3N400', START_MS, 1);
  const at = formatMeterIso(START_MS).slice(11, 16);
  return {
    ...house,
    durationS: 3 * 3600,
    site: { ...house.site, capacityTargetKw: targetKw },
    chargers: [{ id: 'sim1', phases: [1, 2, 3], minA: 6, maxA: 16, switchPhases: false }],
    evs: [
      {
        name: 'car',
        charger: 'sim1',
        phases: 3,
        arrive: at,
        depart: '23:59',
        needKwh: 80,
        minA: 6,
        maxA: 16,
        lagS: 3,
        rampS: 10,
      },
    ],
  };
}

describe("the embedded default's household", () => {
  it.each([null, 4])('with target %s kW the car charges and every promise holds', (targetKw) => {
    const { metrics } = runScenario(withCar(targetKw));
    expect(metrics.evEnergyKwh).toBeGreaterThan(1);
    expect(metrics.evEnergyRatio).toBeGreaterThanOrEqual(0.8);
    expect(metrics.quartersOverTarget).toBe(0);
    expect(metrics.over145Seconds).toBe(0);
    expect(metrics.overloadMaxEventS).toBeLessThanOrEqual(10);
    expect(metrics.thermalPeak).toBeLessThanOrEqual(1);
  });

  it('cuts the car for the hob: without the balancer its first pulse overloads L1', () => {
    // The hob's 16 A on L1 beside a car at 16 A and the base load is over the 25 A fuse: the balancer must act.
    const { metrics } = runScenario(withCar(null), { strategy: 'none' });
    expect(metrics.overloadSeconds).toBeGreaterThan(0);
  });
});
