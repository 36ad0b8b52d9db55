import { OCPP16 } from '@p1/ocpp16';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { capabilities, chargePoint, startSystem } from './ocpp-harness';

/** Opens a websocket and reports the HTTP status of a refused handshake (101 when accepted). */
function handshake(url: string, options: { protocol?: string; user?: string; password?: string }): Promise<number> {
  const headers: Record<string, string> = {};
  if (options.password !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  }
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocol ?? OCPP16, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

describe('security profile 1: basic auth per charge point and an identity allowlist', () => {
  it('accepts the right password and refuses wrong, missing and unknown at the handshake', {
    timeout: 30_000,
  }, async () => {
    const password = 'Correct-Horse-9';
    const { system, logger } = await startSystem({
      chargers: [
        { capabilities: capabilities('cp1'), password },
        { capabilities: capabilities('cp2'), password: 'other-one' },
      ],
    });
    const base = system.url;
    expect(await handshake(`${base}/cp1`, { user: 'cp1', password })).toBe(101);
    expect(await handshake(`${base}/cp1`, { user: 'cp1', password: 'Wr0ng-Guess' })).toBe(401);
    expect(await handshake(`${base}/cp1`, { user: 'cp1', password: 'other-one' })).toBe(401);
    expect(await handshake(`${base}/cp1`, {})).toBe(401);
    // Basic auth user must be the identity itself.
    expect(await handshake(`${base}/cp1`, { user: 'cp2', password: 'other-one' })).toBe(401);
    expect(await handshake(`${base}/intruder`, { user: 'intruder', password })).toBe(404);
    expect(await handshake(`${base}/cp1`, { user: 'cp1', password, protocol: 'ocpp2.0.1' })).toBe(400);

    const refused = logger.lines.filter((l) => l.msg.includes('refused'));
    expect(refused.map((l) => l.obj.chargerId)).toEqual(expect.arrayContaining(['cp1', 'intruder']));
    expect(logger.text()).not.toContain(password);
    expect(logger.text()).not.toContain('Wr0ng-Guess');
    expect(logger.text()).not.toContain(Buffer.from(`cp1:${password}`).toString('base64'));
  });

  it('a charge point with a wrong password cannot start', { timeout: 30_000 }, async () => {
    const { system, logger } = await startSystem({
      chargers: [{ capabilities: capabilities('cp1'), password: 'right' }],
    });
    const cp = chargePoint(system.url, 'cp1', { password: 'not-right' });
    await expect(cp.start()).rejects.toThrow(/401|Unauthorized/);
    expect(system.charger('cp1').measurement.connected).toBe(false);
    expect(logger.text()).not.toContain('not-right');
  });

  it('many refused handshakes make few log lines: one per identity and address per minute, with a count', {
    timeout: 60_000,
  }, async () => {
    const { system, logger } = await startSystem({ chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }] });
    const refused = () => logger.lines.filter((l) => l.msg.startsWith('charge point refused'));
    for (let i = 0; i < 200; i++) expect(await handshake(`${system.url}/intruder`, {})).toBe(404);
    for (let i = 0; i < 50; i++) {
      expect(await handshake(`${system.url}/cp1`, { user: 'cp1', password: `guess-${i}` })).toBe(401);
    }
    // a stranger rotating identities: at most 20 distinct lines a minute, the rest summed
    for (let i = 0; i < 100; i++) expect(await handshake(`${system.url}/probe-${i}`, {})).toBe(404);
    expect(refused().length).toBe(20);
    expect(refused().map((l) => l.obj.reason)).toEqual(
      expect.arrayContaining(['unknown identity', 'wrong or missing password']),
    );
    await system.close(); // what the window still holds is logged on the way out
    const repeats = refused().filter((l) => l.msg.endsWith('(repeated)'));
    expect(repeats.map((l) => [l.obj.chargerId, l.obj.repeats])).toEqual(
      expect.arrayContaining([
        ['intruder', 199],
        ['cp1', 49],
      ]),
    );
    const summary = refused().find((l) => l.msg.endsWith('more from other identities or addresses'));
    expect(summary?.obj.count).toBe(82);
    expect(refused().length).toBeLessThanOrEqual(23);
    expect(logger.text()).not.toContain('guess-');
  });
});
