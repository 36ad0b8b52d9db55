import { describe, expect, it } from 'vitest';
import { FAILSAFE_PROFILE_ID, LIMIT_PROFILE_ID } from '../src/charger/ocpp/charging-profile';
import { capabilities, chargePoint, startSystem, until, waitForEvent } from './ocpp-harness';

describe('OCPP 1.6J session lifecycle against a real charge point', () => {
  it('boots, installs the fail-safe, steers by TxDefaultProfile, reads meter values, ends the session', {
    timeout: 30_000,
  }, async () => {
    const { system, logger } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1', { safeA: 8 }), password: 's3cret-pw' }],
    });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', { password: 's3cret-pw' });
    await cp.start();

    await until(
      () => cp.profiles.some((p) => p.profile.chargingProfileId === FAILSAFE_PROFILE_ID),
      'fail-safe installed',
    );
    const failsafe = cp.profiles.find((p) => p.profile.chargingProfileId === FAILSAFE_PROFILE_ID)?.profile;
    expect(failsafe).toMatchObject({
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingSchedule: {
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 8, numberPhases: 3 }],
      },
    });
    expect(failsafe?.validTo).toBeUndefined();
    expect(charger.measurement.connected).toBe(true);

    await until(() => cp.transactionId !== null, 'transaction started');
    await charger.setLimit(10);
    expect(charger.measurement.appliedLimitA).toBe(10);
    expect(cp.offeredA).toBe(10);
    const limit = cp.profiles.find((p) => p.profile.chargingProfileId === LIMIT_PROFILE_ID)?.profile;
    expect(limit).toMatchObject({ stackLevel: 1, chargingProfilePurpose: 'TxDefaultProfile' });
    expect(Date.parse(limit?.validTo ?? '')).toBeGreaterThan(Date.now());

    // The same limit again is not re-sent.
    const sent = charger.limitProfilesSent;
    await charger.setLimit(10);
    await charger.setLimit(10.04); // rounds down to the same tenth
    expect(charger.limitProfilesSent).toBe(sent);

    // The car follows and the meter values arrive per line.
    await waitForEvent(charger, 'measurement', (m: typeof charger.measurement) =>
      m.currentA.every((a) => a !== null && Math.abs(a - 10) < 0.01),
    );
    await until(() => charger.measurement.sessionKwh > 0, 'energy counted');

    await charger.setLimit(7.5, 1);
    expect(cp.offeredA).toBe(7.5);
    expect(charger.measurement.appliedPhases).toBe(1);
    expect(charger.limitProfilesSent).toBe(sent + 1);

    await cp.unplug();
    await until(() => !charger.measurement.vehiclePlugged, 'session over');
    expect(charger.measurement.currentA).toEqual([0, 0, 0]);
    expect(logger.lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining(['BootNotification', 'transaction started', 'transaction stopped']),
    );
    expect(logger.text()).not.toContain('s3cret-pw');
  });
});

describe('charge points with less smart-charging support', () => {
  it('one that takes only watts gets the limit in W at 230 V per phase', { timeout: 30_000 }, async () => {
    const { system } = await startSystem({ chargers: [{ capabilities: capabilities('cpW'), password: 'pw' }] });
    const cp = chargePoint(system.url, 'cpW', { password: 'pw', rateUnit: 'Power' });
    await cp.start();
    await until(() => cp.transactionId !== null, 'session');
    await system.charger('cpW').setLimit(10, 1);
    const limit = cp.profiles.find((p) => p.profile.chargingProfileId === LIMIT_PROFILE_ID)?.profile.chargingSchedule;
    expect(limit).toMatchObject({ chargingRateUnit: 'W', chargingSchedulePeriod: [{ limit: 2300, numberPhases: 1 }] });
    expect(cp.offeredA).toBeCloseTo(10, 9);
  });

  it('one with a single stack level gets no fail-safe layer and a limit without expiry', {
    timeout: 30_000,
  }, async () => {
    const { system, logger } = await startSystem({ chargers: [{ capabilities: capabilities('cp0'), password: 'pw' }] });
    const cp = chargePoint(system.url, 'cp0', { password: 'pw', maxStackLevel: 0 });
    await cp.start();
    await until(() => logger.lines.some((l) => l.msg.includes('no fail-safe default profile')), 'warning logged');
    await system.charger('cp0').setLimit(9);
    expect(cp.profiles).toHaveLength(1);
    expect(cp.profiles[0]?.profile).toMatchObject({ chargingProfileId: LIMIT_PROFILE_ID, stackLevel: 0 });
    expect(cp.profiles[0]?.profile.validTo).toBeUndefined();
    expect(cp.offeredA).toBe(9);
  });
});
