/**
 * The module restarts while a car charges: its charge point sees a reconnect, not a reboot, and a charger
 * that reports its connector only on a change says nothing. The new central system must still know the
 * car is there and keep counting the session's energy.
 */

import type { SimulatedChargePoint } from '@p1/sim/charge-point';
import { describe, expect, it } from 'vitest';
import type { OcppCharger } from '../src/charger/ocpp/ocpp-charger';
import { capabilities, chargePoint, startSystem, until } from './ocpp-harness';

/**
 * A first central system steers the car at 16 A, then closes; a second one opens on the same port. `whileDown`
 * runs on the charge point in between (it queues its transaction messages).
 */
async function restartWhileCharging(
  sampledData?: string[],
  whileDown?: (cp: SimulatedChargePoint) => Promise<void>,
  beforeReturn?: (charger: OcppCharger, cp: SimulatedChargePoint) => void,
) {
  const first = await startSystem({ chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }] });
  const cp = chargePoint(first.system.url, 'cp1', {
    password: 'pw',
    statusOnReconnect: false,
    ...(sampledData ? { sampledData } : {}),
  });
  await cp.start();
  await until(() => cp.transactionId !== null, 'session');
  // a transaction it saw start carries the charger's own start time
  expect(first.system.charger('cp1').measurement.sessionStartMs).toBeGreaterThan(Date.now() - 60_000);
  await first.system.charger('cp1').setLimit(16);
  await until(() => Math.abs(cp.drawnA - 16) < 0.01, 'the car draws 16 A');
  const port = first.system.port;
  await first.system.close();
  if (whileDown) {
    await until(() => !cp.connected, 'the charge point offline');
    await whileDown(cp);
  }
  const second = await startSystem({ port, chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }] });
  const charger = second.system.charger('cp1');
  beforeReturn?.(charger, cp);
  await until(() => charger.connected, 'the charge point back on the new central system');
  return { cp, charger, logger: second.logger };
}

describe('the module restarts while a car charges', () => {
  it('asks a silent charger for its status: the plugged car is known without a status change', {
    timeout: 30_000,
  }, async () => {
    // no energy register in its samples: only the status can tell that a car is there
    const { cp, charger } = await restartWhileCharging(['Current.Import']);
    await until(() => charger.measurement.vehiclePlugged, 'the car known as plugged');
    expect(cp.transactionId).not.toBeNull();
  });

  it("takes over the running transaction: the session's energy counts on from the first sample", {
    timeout: 30_000,
  }, async () => {
    const { cp, charger, logger } = await restartWhileCharging();
    await until(() => charger.measurement.sessionKwh > 0, 'energy counted after the restart');
    const energyAtTakeOver = cp.energyWh;
    expect(charger.measurement.vehiclePlugged).toBe(true);
    // its start is not known: the module goes on with the session it had
    expect(charger.measurement.sessionStartMs).toBeUndefined();
    expect(logger.lines.map((l) => l.msg)).toContain('transaction in progress taken over');

    await cp.unplug();
    await until(() => !charger.measurement.vehiclePlugged, 'the car gone');
    // the StopTransaction's register closes the session: what the car drew since the take-over
    expect(charger.measurement.sessionKwh).toBeGreaterThan(0);
    expect(charger.measurement.sessionKwh).toBeLessThanOrEqual((cp.energyWh - energyAtTakeOver) / 1000 + 0.001);
  });

  it('reads a stop the charger queued while the module was down without taking its register for the session', {
    timeout: 30_000,
  }, async () => {
    // the car leaves during the restart; the charger's register stands at 1,234 kWh, as on one charging for years
    const { charger, logger } = await restartWhileCharging(undefined, async (cp) => {
      cp.energyWh += 1_234_000;
      await cp.unplug();
    });
    await until(() => logger.lines.some((l) => l.msg === 'transaction stopped'), 'the queued stop delivered');
    // its start went to the module's earlier run: this run cannot tell the session's energy from its register
    expect(charger.measurement.sessionKwh).toBeLessThan(1);
    await until(() => !charger.measurement.vehiclePlugged, 'the car known gone');
  });

  it('does not pause the car for what it decided before it knew the car was there', { timeout: 30_000 }, async () => {
    const offers: number[] = [];
    const { cp, charger } = await restartWhileCharging(undefined, undefined, (charger, cp) => {
      cp.on('profile', (e) => offers.push(e.offeredA));
      // the module's first step, at the connect: no car known yet, so an empty charger's 0 A
      charger.on('status', (e) => {
        if (e.connected && !charger.measurement.vehiclePlugged) void charger.setLimit(0);
      });
    });
    await until(() => charger.measurement.vehiclePlugged, 'the car known as plugged');
    await until(() => offers.length > 0, 'the fail-safe profile installed');
    // the next step, on what is known now
    await charger.setLimit(10);
    await until(() => Math.abs(cp.drawnA - 10) < 0.01, 'the car draws 10 A');
    // what the charger held, or its own fail-safe until the next step: never the empty charger's 0 A
    expect(Math.min(...offers)).toBeGreaterThanOrEqual(charger.capabilities.safeA);
    expect(offers.at(-1)).toBe(10);
  });

  it('does not pause the car for what it decided before it knew its current', { timeout: 30_000 }, async () => {
    const offers: number[] = [];
    let asked = false;
    const { cp, charger } = await restartWhileCharging(undefined, undefined, (charger, cp) => {
      cp.on('profile', (e) => offers.push(e.offeredA));
      // a step with the car known and its current not: a balancer that took it for a charger offered nothing
      charger.on('measurement', (m) => {
        if (asked || !m.vehiclePlugged || m.currentA.some((a) => a !== null)) return;
        asked = true;
        void charger.setLimit(0);
      });
    });
    await until(() => charger.measurement.currentA.some((a) => a !== null), 'the first currents');
    await until(() => offers.length > 0, 'the fail-safe profile installed');
    await charger.setLimit(10);
    await until(() => Math.abs(cp.drawnA - 10) < 0.01, 'the car draws 10 A');
    expect(asked).toBe(true);
    expect(Math.min(...offers)).toBeGreaterThanOrEqual(charger.capabilities.safeA);
  });
});
