import type { ChargerCapabilities } from '@p1/balancer/charger-state';
import { describe, expect, it } from 'vitest';
import { createSimulatedCharger } from '../src/charger/simulated-charger';

function capabilities(id: string, over: Partial<ChargerCapabilities> = {}): ChargerCapabilities {
  return { id, phases: [1, 2, 3], minA: 6, maxA: 32, switchPhases: false, safeA: 6, ...over };
}

function clock(start = 1_750_000_000_000) {
  let t = start;
  return { now: () => t, advance: (s: number) => (t += s * 1000) };
}

describe('in-process simulated charger', () => {
  it('offers its safe current until told, then the car follows a cut after its lag and ramps up', async () => {
    const c = clock();
    const charger = createSimulatedCharger(capabilities('sim1', { safeA: 6, maxA: 32 }), {
      now: c.now,
      tickMs: false,
      car: { maxA: 16, lagS: 5, rampS: 16, phases: 3 },
    });
    expect(charger.offeredA).toBe(6);
    const seconds = (n: number) =>
      Array.from({ length: n }, () => {
        c.advance(1);
        return charger.step().currentA[0] ?? 0;
      });

    const start = seconds(40);
    expect(start.at(-1)).toBeCloseTo(6, 6); // safe current, car following it
    await charger.setLimit(16);
    expect(charger.measurement.appliedLimitA).toBe(16);
    const up = seconds(30);
    expect(up[3]).toBeCloseTo(6, 6); // lag: still at 6 A four seconds later
    expect(up.at(-1)).toBeCloseTo(16, 6);
    for (let i = 1; i < up.length; i++) expect((up[i] ?? 0) - (up[i - 1] ?? 0)).toBeLessThanOrEqual(1 + 1e-9); // ramp 1 A/s

    await charger.setLimit(8);
    const down = seconds(10);
    expect(down[2]).toBeCloseTo(16, 6);
    expect(down.at(-1)).toBeCloseTo(8, 6);
    expect(charger.measurement.currentA).toEqual([8, 8, 8]);
    expect(charger.measurement.sessionKwh).toBeGreaterThan(0);
  });

  it('publishes a limit only when it changes, clamps to maxA and refuses nonsense', async () => {
    const charger = createSimulatedCharger(capabilities('sim1', { maxA: 16 }), { tickMs: false });
    const applied: (number | null)[] = [];
    charger.on('measurement', (m) => applied.push(m.appliedLimitA));
    await charger.setLimit(10);
    await charger.setLimit(10);
    await charger.setLimit(40);
    expect(applied).toEqual([10, 16]);
    await expect(charger.setLimit(Number.NaN)).rejects.toThrow(/sim1.*finite/);
    await expect(charger.setLimit(-1)).rejects.toThrow(RangeError);
  });

  it('a 1-phase car on a 3-phase charger loads only the first line; unplugged draws nothing', async () => {
    const c = clock();
    const charger = createSimulatedCharger(capabilities('sim1'), {
      now: c.now,
      tickMs: false,
      car: { phases: 1, lagS: 0, rampS: 1, maxA: 32 },
    });
    await charger.setLimit(10);
    for (let i = 0; i < 5; i++) {
      c.advance(1);
      charger.step();
    }
    expect(charger.measurement.currentA).toEqual([10, 0, 0]);
    charger.unplug();
    c.advance(1);
    expect(charger.step().currentA).toEqual([0, 0, 0]);
    expect(charger.measurement.vehiclePlugged).toBe(false);
  });

  it('ticks on its own with the real clock', async () => {
    const charger = createSimulatedCharger(capabilities('sim1'), { tickMs: 20, car: { lagS: 0, rampS: 1 } });
    await charger.setLimit(8);
    await new Promise<void>((resolve) => charger.on('measurement', (m) => (m.currentA[0] ?? 0) > 0 && resolve()));
    await charger.stop();
  });
});
