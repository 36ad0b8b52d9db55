import { describe, expect, it } from 'vitest';
import { LIMIT_PROFILE_ID } from '../src/charger/ocpp/charging-profile';
import { capabilities, chargePoint, startSystem, until } from './ocpp-harness';

describe('the limit lease on the central system’s clock', () => {
  it('a limit set every second is renewed once half its lease is spent, for hours, never lapsing', {
    timeout: 30_000,
  }, async () => {
    let now = Date.parse('2025-01-15T18:00:00Z');
    const { system } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }],
      failsafeLeaseS: 120,
      now: () => now,
    });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', { password: 'pw' });
    await cp.start();
    await until(() => cp.transactionId !== null, 'session');

    const validTos: number[] = [];
    let lapsed = 0;
    for (let s = 0; s < 3 * 3600; s++) {
      await charger.setLimit(0);
      const limit = cp.profiles.find((p) => p.profile.chargingProfileId === LIMIT_PROFILE_ID);
      const validTo = Date.parse(limit?.profile.validTo ?? '');
      if (validTos.at(-1) !== validTo) validTos.push(validTo);
      if (!(validTo > now)) lapsed++;
      now += 1000;
    }
    expect(lapsed).toBe(0);
    // one profile, then a renewal about every minute (once half of the 120 s lease is spent)
    expect(validTos.length).toBeGreaterThanOrEqual((3 * 3600) / 62);
    expect(validTos.length).toBeLessThanOrEqual((3 * 3600) / 60 + 1);
  });
});
