/**
 * `p1 run` killed with SIGKILL while an OCPP car charges, then started again: the charge point only
 * reconnects and, like many real ones, does not report its connector until something changes. The module
 * must know the car is still there, go on with the same session, and close it when the car leaves.
 * Real parts: the `p1` process, its SQLite file, a websocket OCPP 1.6J charge point, the simulated meter.
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCar } from '@p1/sim';
import { SimulatedChargePoint } from '@p1/sim/charge-point';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './helpers/mosquitto';
import { runConfigYaml, startP1Run } from './helpers/p1-run';

const dir = mkdtempSync(join(tmpdir(), 'p1-crash-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface SessionJson {
  id: number;
  endedAt: string | null;
}

const get = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;
const plugged = async (url: string) =>
  (await get<{ chargers: { vehiclePlugged: boolean }[] }>(`${url}/api/v1/state`)).chargers[0]?.vehiclePlugged;

describe('p1 run killed while a car charges on OCPP, and started again', () => {
  it('knows the car from a silent charge point, goes on with the session, and closes it at the unplug', async () => {
    const ocppPort = await freePort();
    const file = join(dir, 'run.yaml');
    writeFileSync(
      file,
      runConfigYaml([
        'chargers:',
        '  - { id: cp1, driver: ocpp, phases: [1, 2, 3], minA: 6, maxA: 16, safeA: 6, password: cp1-password-x }',
        `ocpp: { host: 127.0.0.1, port: ${ocppPort} }`,
        'http: { host: 127.0.0.1, port: 0, token: crash-test-token-0123 }',
        `store: { path: ${join(dir, 'state.db')} }`,
        'log: { level: info }',
      ]),
    );
    const first = await startP1Run(file);
    children.push(first.child);
    const cp = new SimulatedChargePoint({
      url: `ws://127.0.0.1:${ocppPort}`,
      identity: 'cp1',
      password: 'cp1-password-x',
      car: createCar({ lagS: 0, rampS: 1, maxA: 16 }, [1, 2, 3]),
      reconnectBackoffMs: { initial: 200, max: 1000 },
      statusOnReconnect: false,
    });
    try {
      await cp.start();
      await expect.poll(() => plugged(first.url), { timeout: 20_000 }).toBe(true);
      await expect.poll(async () => (await get<SessionJson[]>(`${first.url}/api/v1/sessions`)).length).toBe(1);
      const [before] = await get<SessionJson[]>(`${first.url}/api/v1/sessions`);

      const offered: number[] = [];
      cp.on('tick', (t) => offered.push(t.offeredA));
      const killed = once(first.child, 'exit');
      first.child.kill('SIGKILL');
      await killed;
      const second = await startP1Run(file);
      children.push(second.child);
      // the charge point said nothing since it plugged in: only the module's question tells it the car is there
      await expect.poll(() => plugged(second.url), { timeout: 20_000 }).toBe(true);
      expect(cp.transactionId).not.toBeNull();
      const during = await get<SessionJson[]>(`${second.url}/api/v1/sessions`);
      expect(during).toEqual([expect.objectContaining({ id: before?.id, endedAt: null })]);
      // taken for a charger without a car, it would have been paused (0 A) until it said otherwise
      await expect.poll(() => offered.length, { timeout: 10_000 }).toBeGreaterThan(8);
      expect(Math.min(...offered)).toBeGreaterThanOrEqual(6);

      await cp.unplug();
      await expect
        .poll(async () => (await get<SessionJson[]>(`${second.url}/api/v1/sessions`))[0]?.endedAt, { timeout: 10_000 })
        .not.toBeNull();
      expect(await get<SessionJson[]>(`${second.url}/api/v1/sessions`)).toHaveLength(1);
    } finally {
      await cp.stop();
    }
  }, 120_000);
});
