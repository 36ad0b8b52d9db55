import { describe, expect, it } from 'vitest';
import { FAILSAFE_PROFILE_ID, LIMIT_PROFILE_ID } from '../src/charger/ocpp/charging-profile';
import { capabilities, chargePoint, startSystem, until, waitForEvent } from './ocpp-harness';

const limitOf = (cp: ReturnType<typeof chargePoint>, id: number) =>
  cp.profiles.find((p) => p.profile.chargingProfileId === id)?.profile.chargingSchedule.chargingSchedulePeriod[0]
    ?.limit;

describe('reconnection re-applies the limit', () => {
  it('a charge point back within its lease resumes its limit: the car keeps charging, no 0 A, no pause', {
    timeout: 30_000,
  }, async () => {
    const { system, logger } = await startSystem({ chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }] });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', { password: 'pw' });
    await cp.start();
    await until(() => cp.transactionId !== null, 'session');
    await charger.setLimit(16);
    await until(() => Math.abs(cp.drawnA - 16) < 0.01, 'the car draws 16 A');

    const offered: number[] = [];
    const drawn: number[] = [];
    const profiles: number[] = [];
    const connected: boolean[] = [];
    cp.on('tick', (t) => {
      offered.push(t.offeredA);
      drawn.push(t.drawnA);
    });
    cp.on('profile', () => profiles.push(limitOf(cp, LIMIT_PROFILE_ID) as number));
    charger.on('measurement', (m) => connected.push(m.connected));
    const statuses: { connected: boolean; problem?: string }[] = [];
    charger.on('status', (s) => statuses.push(s));
    const sent = charger.limitProfilesSent;

    const down = waitForEvent(cp, 'connection', (up: boolean) => !up);
    const dropping = cp.dropConnection(1500);
    await down;
    await until(() => statuses.some((s) => s.problem?.startsWith('connection lost')), 'the hold reported');
    expect(charger.connected).toBe(false); // the websocket is down ...
    expect(charger.measurement.connected).toBe(true); // ... but the charger still holds what it was told
    expect(charger.measurement.currentA).toEqual([null, null, null]); // unknown while away
    expect(charger.measurement.appliedLimitA).toBe(16);
    await dropping;
    await until(() => charger.limitProfilesSent === sent + 1 && charger.connected, 'limit confirmed on the new link');
    await until(() => charger.measurement.currentA.every((a) => a !== null), 'currents again');

    expect(new Set(profiles)).toEqual(new Set([16])); // the same limit, lease renewed: never 0 A
    expect(offered.length).toBeGreaterThan(10);
    expect(Math.min(...offered)).toBe(16);
    expect(Math.min(...drawn)).toBeGreaterThan(15.9);
    expect(connected).not.toContain(false);
    expect(statuses.filter((s) => !s.connected)).toEqual([]);
    expect(logger.lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'charge point connection lost; it holds its limit until the lease ends',
        'charge point back within its lease: it resumes its limit',
      ]),
    );
  });

  it('a limit changed while the charge point was away is sent when it comes back', { timeout: 30_000 }, async () => {
    const { system } = await startSystem({ chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }] });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', { password: 'pw' });
    await cp.start();
    await charger.setLimit(14);
    expect(limitOf(cp, LIMIT_PROFILE_ID)).toBe(14);

    const down = waitForEvent(charger, 'status', (s: { problem?: string }) => !!s.problem?.startsWith('connection'));
    const dropping = cp.dropConnection(300);
    await down;
    expect(charger.connected).toBe(false);
    await charger.setLimit(9); // nobody to send it to: kept for later
    expect(limitOf(cp, LIMIT_PROFILE_ID)).toBe(14);
    await dropping;

    await waitForEvent(cp, 'profile', () => limitOf(cp, LIMIT_PROFILE_ID) === 9);
    await until(() => charger.measurement.appliedLimitA === 9, 'acknowledged');
    expect(charger.measurement.connected).toBe(true);
  });

  it('away longer than the lease: offline on its fail-safe, then steered again when back', {
    timeout: 30_000,
  }, async () => {
    const { system, logger } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1', { safeA: 7 }), password: 'pw' }],
      failsafeLeaseS: 2,
    });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', { password: 'pw' });
    await cp.start();
    await until(() => cp.transactionId !== null, 'session');
    await charger.setLimit(12);
    await until(() => cp.offeredA === 12, 'held');

    const offline = waitForEvent(charger, 'status', (s: { connected: boolean }) => !s.connected);
    const dropping = cp.dropConnection(4_000);
    await offline;
    // the lease is over: the charger offers its own fail-safe, and the driver says so
    expect(charger.measurement).toMatchObject({ connected: false, appliedLimitA: 7 });
    expect(cp.offeredA).toBe(7);
    await charger.setLimit(10);
    await dropping;
    // As the module does, every step: a limit decided while the charger was away is dropped when its first
    // sample comes back before the limit went out (it was decided without its currents), and decided again.
    await until(() => {
      void charger.setLimit(10);
      return cp.offeredA === 10 && charger.measurement.connected;
    }, 'steered again');
    expect(logger.lines.filter((l) => l.msg === 'charge point disconnected')).toHaveLength(1);
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
