/**
 * The module in a house on a virtual clock, for the owner-level scenarios that take minutes of the house's
 * time (a car held at zero past its OCPP lease, a dongle frozen for a minute): the rig of the module's
 * model-based test (apps/balancer/test/model/rig.ts) — the real module, its meter on TCP, simulated OCPP
 * charge points on real websockets, the cars' current fed back into the meter — about a hundred times
 * faster than real time. Cucumber took its own timers before the clock is installed, so its step
 * time-outs stay real.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Line } from '@p1/scenario';
import { type ChargerSetup, ModuleRig } from '../../apps/balancer/test/model/rig';
import type { P1World } from './world';

/** A car as the owner has one: 6 to 16 A, follows a new limit after 3 s, ramps up in 10 s. */
export function carOn(id: string, lines: Line[]): ChargerSetup {
  return { id, lines, maxA: 16, safeA: 6, car: { phases: lines.length === 3 ? 3 : 1, maxA: 16, lagS: 3, rampS: 10 } };
}

/** Starts the module with these chargers in the house the Background described (January, early evening). */
export async function startVirtualHouse(world: P1World, chargers: ChargerSetup[]): Promise<ModuleRig> {
  const dir = path.join(world.tmp, 'virtual-house');
  mkdirSync(dir, { recursive: true });
  const rig = await ModuleRig.start({
    dir,
    startMs: Date.parse('2025-01-15T17:02:00Z'),
    fuseA: world.virtualFuseA ?? 25,
    capacityTargetKw: null,
    solar: 'off',
    leaseS: 120,
    baseLoadKw: 0.3,
    chargers,
  });
  world.virtualHouse = rig;
  world.defer(() => rig.stop());
  return rig;
}

export function virtualHouseOf(world: P1World): ModuleRig {
  if (!world.virtualHouse) throw new Error('The module is not running on a virtual clock in this scenario.');
  return world.virtualHouse;
}

/** Runs the clock until `done()` holds at a telegram, or fails naming `what` after `seconds` of house time. */
export async function within(rig: ModuleRig, seconds: number, done: () => boolean, what: string): Promise<number> {
  const from = rig.clock.nowMs;
  let took: number | null = null;
  for (let s = 0; s < seconds && took === null; s++) {
    await rig.run(1, () => {
      if (took === null && done()) took = (rig.clock.nowMs - from) / 1000;
    });
  }
  if (took === null) throw new Error(`${what} did not happen within ${seconds} s of the house's time`);
  return took;
}
