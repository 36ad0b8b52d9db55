/**
 * When a charge point comes back without a BootNotification, the module asks it for its connector status
 * (TriggerMessage, optional in OCPP 1.6) before it sets the car's limit again, and waits for the answer only
 * briefly. The promise tested here: a charger that ignores an optional OCPP 1.6 action must not keep the
 * car's limit from being set. One that never answers still gets its limit about 2 s later; one that says
 * it does not implement TriggerMessage gets it at once.
 */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LIMIT_PROFILE_ID } from '../src/charger/ocpp/charging-profile';
import { capabilities, rawSocket, startSystem, until } from './ocpp-harness';

type Call = [2, string, string, Record<string, unknown>];

/**
 * A raw OCPP 1.6J charge point that opens with no BootNotification, which the module takes for a charger
 * that only lost its network. `trigger` is its answer to TriggerMessage; null stays silent (no CALLRESULT,
 * no CALLERROR). It accepts every SetChargingProfile and answers anything else NotImplemented.
 */
async function reconnect(url: string, trigger: ((id: string) => unknown[]) | null) {
  const seen = { triggerAt: null as number | null, limitAt: null as number | null, limitA: null as unknown };
  const ws = rawSocket(url);
  ws.on('message', (data) => {
    const [type, id, action, payload] = JSON.parse(data.toString()) as Call;
    if (type !== 2) return;
    const reply = (frame: unknown[]) => ws.send(JSON.stringify(frame));
    if (action === 'TriggerMessage') {
      seen.triggerAt = Date.now();
      if (trigger) reply(trigger(id));
    } else if (action === 'GetConfiguration') {
      reply([3, id, { configurationKey: [] }]); // the module then assumes one stack level in amperes
    } else if (action === 'SetChargingProfile') {
      const profile = payload.csChargingProfiles as {
        chargingProfileId: number;
        chargingSchedule: { chargingSchedulePeriod: Array<{ limit: number }> };
      };
      if (profile.chargingProfileId === LIMIT_PROFILE_ID) {
        seen.limitAt = Date.now();
        seen.limitA = profile.chargingSchedule.chargingSchedulePeriod[0]?.limit;
      }
      reply([3, id, { status: 'Accepted' }]);
    } else {
      reply([4, id, 'NotImplemented', '', {}]);
    }
  });
  await once(ws, 'open');
  return { openedAt: Date.now(), seen };
}

/** The balancer has set 16 A for cp1 before it connects, as after a restart of the module. */
async function systemWithLimit() {
  const { system, logger } = await startSystem({ chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }] });
  await system.charger('cp1').setLimit(16);
  return { system, logger };
}

describe('a reconnected charger that does not answer the status request', () => {
  it('still gets its limit within about 2 s, and the module logs that it did not answer', {
    timeout: 40_000,
  }, async () => {
    const { system, logger } = await systemWithLimit();
    const { openedAt, seen } = await reconnect(system.url, null);

    // waits far longer than the bound, so that an unbounded wait fails on the bound, with the time it took
    await until(() => seen.limitAt !== null, 'the limit profile reaches the charger', 30_000);
    expect(seen.triggerAt).not.toBeNull();
    expect(seen.limitA).toBe(16);
    // 200 ms boot wait + the 2 s status ask, with 3 s to spare for a loaded machine
    expect((seen.limitAt ?? 0) - openedAt).toBeLessThan(2_000 + 3_000);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'charger did not resend its status',
        obj: expect.objectContaining({ chargerId: 'cp1', answer: 'Call timeout' }),
      }),
    );
  });

  it.each([
    ['a NotImplemented status', (id: string) => [3, id, { status: 'NotImplemented' }]],
    ['a NotImplemented CALLERROR', (id: string) => [4, id, 'NotImplemented', '', {}]],
  ])('gets its limit without the 2 s wait when it answers with %s', { timeout: 20_000 }, async (_, answer) => {
    const { system, logger } = await systemWithLimit();
    const { seen } = await reconnect(system.url, answer);

    await until(() => seen.limitAt !== null, 'the limit profile reaches the charger');
    expect(seen.limitA).toBe(16);
    // an answer ends the wait: well under the 2 s a silent charger costs
    expect((seen.limitAt ?? 0) - (seen.triggerAt ?? 0)).toBeLessThan(1_000);
    // the log says why, for a CALLERROR too (its code; its description is empty)
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        msg: 'charger did not resend its status',
        obj: expect.objectContaining({ chargerId: 'cp1', answer: 'NotImplemented' }),
      }),
    );
  });
});
