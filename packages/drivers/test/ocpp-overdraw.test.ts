import { describe, expect, it } from 'vitest';
import { capabilities, chargePoint, startSystem, until, waitForEvent } from './ocpp-harness';

describe('a charger that accepts its limit but keeps drawing more', () => {
  it('is detected from its meter values, cut to 0 A, then stopped remotely, with its id in the log', {
    timeout: 30_000,
  }, async () => {
    const { system, logger } = await startSystem({
      chargers: [{ capabilities: capabilities('cp-rogue', { maxA: 32 }), password: 'pw' }],
      overdraw: { graceS: 0.4, toleranceA: 1, toleranceRatio: 0.1 },
    });
    const charger = system.charger('cp-rogue');
    const problems: string[] = [];
    charger.on('status', (s) => s.problem && problems.push(s.problem));
    const cp = chargePoint(system.url, 'cp-rogue', { password: 'pw', faults: [{ kind: 'ignore-profile' }] });
    const stopped = waitForEvent(cp, 'transaction', (t: { started: boolean }) => !t.started);
    const held: number[] = [];
    cp.on('profile', (p) => held.push(p.offeredA));
    await cp.start();
    await until(() => cp.transactionId !== null, 'transaction started');
    await charger.setLimit(10);
    expect(charger.measurement.appliedLimitA).toBe(10);

    const [stop] = await stopped;
    expect(stop).toMatchObject({ started: false, reason: 'Remote' });

    const cut = logger.lines.find((l) => l.msg.includes('cutting it to 0 A'));
    expect(cut).toMatchObject({ level: 'warn', obj: { chargerId: 'cp-rogue', limitA: 10 } });
    expect(Number(cut?.obj.drawnA)).toBeGreaterThan(11);
    const remote = logger.lines.find((l) => l.msg.includes('stopping its transaction remotely'));
    expect(remote).toMatchObject({ level: 'error', obj: { chargerId: 'cp-rogue', limitA: 0 } });
    expect(logger.lines.indexOf(cut as never)).toBeLessThan(logger.lines.indexOf(remote as never));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringContaining('cut to 0 A'), expect.stringContaining('stopped remotely')]),
    );
    // The 0 A profile was really held by the charge point (it just ignored it).
    expect(held).toEqual(expect.arrayContaining([10, 0]));

    // After the session the balancer's limit applies again.
    await until(() => charger.measurement.appliedLimitA === 10, 'limit restored after the session');
  });

  it('a car that follows its limit is never escalated', { timeout: 30_000 }, async () => {
    const { system, logger } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }],
      overdraw: { graceS: 0.3, toleranceA: 1, toleranceRatio: 0.1 },
    });
    const charger = system.charger('cp1');
    const cp = chargePoint(system.url, 'cp1', { password: 'pw' });
    await cp.start();
    await until(() => cp.transactionId !== null, 'transaction started');
    for (const a of [16, 8, 12, 6]) {
      await charger.setLimit(a);
      await waitForEvent(charger, 'measurement', (m: typeof charger.measurement) =>
        m.currentA.every((x) => x !== null && Math.abs(x - a) < 0.01),
      );
    }
    await new Promise((r) => setTimeout(r, 800));
    expect(cp.transactionId).not.toBeNull();
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
