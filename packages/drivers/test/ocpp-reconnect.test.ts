import { describe, expect, it } from 'vitest';
import { FAILSAFE_PROFILE_ID, LIMIT_PROFILE_ID } from '../src/charger/ocpp/charging-profile';
import { capabilities, chargePoint, startSystem, until, waitForEvent } from './ocpp-harness';

const limitOf = (cp: ReturnType<typeof chargePoint>, id: number) =>
  cp.profiles.find((p) => p.profile.chargingProfileId === id)?.profile.chargingSchedule.chargingSchedulePeriod[0]
    ?.limit;

describe('reconnection re-applies the limit', () => {
  it('a limit changed while the charge point was away is sent when it comes back', { timeout: 30_000 }, async () => {
    const { system } = await startSystem({ chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }] });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', { password: 'pw' });
    await cp.start();
    await charger.setLimit(14);
    expect(limitOf(cp, LIMIT_PROFILE_ID)).toBe(14);

    const down = waitForEvent(charger, 'status', (s: { connected: boolean }) => !s.connected);
    const dropping = cp.dropConnection(300);
    await down;
    expect(charger.measurement.connected).toBe(false);
    await charger.setLimit(9); // nobody to send it to: kept for later
    expect(limitOf(cp, LIMIT_PROFILE_ID)).toBe(14);
    await dropping;

    await waitForEvent(cp, 'profile', () => limitOf(cp, LIMIT_PROFILE_ID) === 9);
    await until(() => charger.measurement.appliedLimitA === 9, 'acknowledged');
    expect(charger.measurement.connected).toBe(true);
  });

  it('a charge point that rebooted and lost its profiles gets the fail-safe and the same limit again', {
    timeout: 30_000,
  }, async () => {
    const { system, logger } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1', { safeA: 7 }), password: 'pw' }],
    });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', { password: 'pw' });
    await cp.start();
    await charger.setLimit(12);
    const sent = charger.limitProfilesSent;

    await cp.reboot();
    await until(
      () => limitOf(cp, LIMIT_PROFILE_ID) === 12 && limitOf(cp, FAILSAFE_PROFILE_ID) === 7,
      'profiles re-applied after reboot',
    );
    expect(charger.limitProfilesSent).toBe(sent + 1);
    expect(cp.offeredA).toBe(12);
    expect(logger.lines.filter((l) => l.msg === 'BootNotification')).toHaveLength(2);
  });

  it('a newer connection for the same identity replaces the old one', { timeout: 30_000 }, async () => {
    const { system } = await startSystem({ chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }] });
    const charger = system.charger('cp1');
    const first = chargePoint(system.url, 'cp1', {
      password: 'pw',
      car: null,
      reconnectBackoffMs: { initial: 60_000, max: 120_000 },
    });
    await first.start();
    await charger.setLimit(11);
    const second = chargePoint(system.url, 'cp1', { password: 'pw', car: null });
    const firstDown = waitForEvent(first, 'connection', (up: boolean) => !up);
    await second.start();
    await firstDown;
    await until(() => limitOf(second, LIMIT_PROFILE_ID) === 11, 'limit on the new connection');
    expect(charger.measurement.connected).toBe(true);
  });
});
