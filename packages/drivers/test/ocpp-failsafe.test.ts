import { describe, expect, it } from 'vitest';
import { LIMIT_PROFILE_ID } from '../src/charger/ocpp/charging-profile';
import { capabilities, chargePoint, startSystem, until } from './ocpp-harness';

describe("the charger's own fail-safe (second layer)", () => {
  it('when the module goes silent the lease runs out and the charge point falls back to safeA', {
    timeout: 30_000,
  }, async () => {
    const { system } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1', { safeA: 6 }), password: 'pw' }],
      failsafeLeaseS: 2,
    });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', { password: 'pw' });
    await cp.start();
    await until(() => cp.transactionId !== null, 'session');

    // While the balancer keeps calling, the lease is renewed once half spent, and the limit holds.
    // Counted in sends, not in wall time: on a loaded machine 100 ms sleeps stretch.
    const sent = charger.limitProfilesSent;
    const deadline = Date.now() + 15_000;
    let calls = 0;
    // the first send and two renewals
    while (charger.limitProfilesSent - sent < 3) {
      if (Date.now() > deadline) throw new Error('the lease was not renewed twice within 15 s');
      await charger.setLimit(16);
      calls++;
      expect(cp.offeredA).toBe(16);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(calls).toBeGreaterThan(2 * (charger.limitProfilesSent - sent)); // …not one per call

    // Silence: nothing renews the lease, the charge point offers its fail-safe current.
    await until(() => cp.offeredA === 6, 'fall back to safeA', 5_000);
    expect(cp.profiles.some((p) => p.profile.chargingProfileId === LIMIT_PROFILE_ID)).toBe(true); // expired, not removed
  });

  it('a clean shutdown clears the limit profile: the charger is on its fail-safe at once', {
    timeout: 30_000,
  }, async () => {
    const { system } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1', { safeA: 7 }), password: 'pw' }],
    });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', {
      password: 'pw',
      reconnectBackoffMs: { initial: 60_000, max: 120_000 },
    });
    await cp.start();
    await until(() => cp.transactionId !== null, 'session');
    await charger.setLimit(20);
    expect(cp.offeredA).toBe(20);
    await system.close();
    expect(cp.profiles.some((p) => p.profile.chargingProfileId === LIMIT_PROFILE_ID)).toBe(false);
    expect(cp.offeredA).toBe(7);
  });
});
