import { describe, expect, it } from 'vitest';
import { capabilities, chargePoint, startSystem, until, waitForEvent } from './ocpp-harness';

describe('charge point faults', () => {
  it('a rejected profile is reported, not acknowledged, and retried after the back-off', {
    timeout: 30_000,
  }, async () => {
    const { system, logger } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }],
      profileRetryS: 0.3,
    });
    const charger = system.charger('cp1');
    const problem = waitForEvent(
      charger,
      'status',
      (s: { problem?: string }) => s.problem === 'limit profile Rejected',
    );
    const cp = chargePoint(system.url, 'cp1', { password: 'pw', faults: [{ kind: 'reject-profile' }] });
    await cp.start();
    await charger.setLimit(10);
    await problem;
    expect(charger.measurement.appliedLimitA).toBeNull();
    const sent = charger.limitProfilesSent;
    await charger.setLimit(10); // inside the back-off: not re-sent
    expect(charger.limitProfilesSent).toBe(sent);
    await new Promise((r) => setTimeout(r, 400));
    await charger.setLimit(10);
    expect(charger.limitProfilesSent).toBe(sent + 1);
    expect(logger.lines.find((l) => l.msg === 'charger refused the limit profile')?.obj).toMatchObject({
      chargerId: 'cp1',
      status: 'Rejected',
    });
    expect(logger.lines.some((l) => l.msg === 'fail-safe default profile refused')).toBe(true);
  });

  it('slow acknowledgements delay the limit but later wishes coalesce into one profile', {
    timeout: 30_000,
  }, async () => {
    const { system } = await startSystem({ chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }] });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', { password: 'pw', faults: [{ kind: 'slow-ack', delayMs: 300 }] });
    await cp.start();
    await until(() => cp.profiles.length === 1, 'fail-safe installed');
    const before = charger.limitProfilesSent;
    const t0 = Date.now();
    const first = charger.setLimit(10);
    await until(() => charger.limitProfilesSent === before + 1, '10 A on its way');
    const rest = [charger.setLimit(11), charger.setLimit(12), charger.setLimit(13)];
    await Promise.all([first, ...rest]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(charger.measurement.appliedLimitA).toBe(13);
    expect(cp.offeredA).toBe(13);
    // 10 went out at once; 11 and 12 were overtaken while it waited: only 13 followed.
    expect(charger.limitProfilesSent - before).toBe(2);
  });

  it('a charge point that keeps disconnecting is steered again each time it is back', { timeout: 30_000 }, async () => {
    const { system } = await startSystem({ chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }] });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', {
      password: 'pw',
      faults: [{ kind: 'disconnect', everyS: 0.5, downS: 0.2 }],
    });
    let drops = 0;
    charger.on('status', (s) => {
      // within its lease a dropped charger is held, not offline: the problem says the link is gone
      if (!s.connected || s.problem?.startsWith('connection lost')) drops++;
    });
    await cp.start();
    await charger.setLimit(8);
    await until(() => drops >= 2, 'two drops');
    await charger.setLimit(15);
    await until(() => cp.offeredA === 15 && charger.measurement.appliedLimitA === 15, 'limit held across drops');
  });
});
