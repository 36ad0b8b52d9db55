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
import { SimulatedChargePoint, type SimulatedChargePointOptions } from '@p1/sim/charge-point';
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
  startedAt: string;
  endedAt: string | null;
  energyKwh: number;
}

/** A `p1 run` configuration with one OCPP charger `cp1`, its SQLite file named after it. */
function runConfig(name: string, ocppPort: number): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    runConfigYaml([
      'chargers:',
      '  - { id: cp1, driver: ocpp, phases: [1, 2, 3], minA: 6, maxA: 16, safeA: 6, password: cp1-password-x }',
      `ocpp: { host: 127.0.0.1, port: ${ocppPort} }`,
      'http: { host: 127.0.0.1, port: 0, token: crash-test-token-0123 }',
      `store: { path: ${join(dir, `${name}.db`)} }`,
      'log: { level: info }',
    ]),
  );
  return file;
}

/** Charge point `cp1` of `runConfig`, with a car that follows at once, reconnecting within a second. */
function chargePoint(ocppPort: number, over: Partial<SimulatedChargePointOptions>): SimulatedChargePoint {
  return new SimulatedChargePoint({
    url: `ws://127.0.0.1:${ocppPort}`,
    identity: 'cp1',
    password: 'cp1-password-x',
    car: createCar({ lagS: 0, rampS: 1, maxA: 16 }, [1, 2, 3]),
    reconnectBackoffMs: { initial: 200, max: 1000 },
    ...over,
  });
}

const get = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;
const plugged = async (url: string) =>
  (await get<{ chargers: { vehiclePlugged: boolean }[] }>(`${url}/api/v1/state`)).chargers[0]?.vehiclePlugged;

describe('p1 run killed while a car charges on OCPP, and started again', () => {
  it('knows the car from a silent charge point, goes on with the session, and closes it at the unplug', async () => {
    const ocppPort = await freePort();
    const file = runConfig('run', ocppPort);
    const first = await startP1Run(file);
    children.push(first.child);
    const cp = chargePoint(ocppPort, { statusOnReconnect: false });
    try {
      await cp.start();
      await expect.poll(() => plugged(first.url), { timeout: 20_000 }).toBe(true);
      await expect.poll(async () => (await get<SessionJson[]>(`${first.url}/api/v1/sessions`)).length).toBe(1);
      const [before] = await get<SessionJson[]>(`${first.url}/api/v1/sessions`);

      const offered: number[] = [];
      cp.on('tick', (t) => offered.push(t.offeredA));
      const killed = once(first.child, 'close');
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

/**
 * While `p1 run` is down the car leaves and another plugs in. The charge point queues both transactions, as
 * OCPP 1.6 asks, and sends them once the module is back: 3 s after its connector status (the module first
 * takes the old session on for the car it sees, and learns of the new transaction only later), or at once with
 * no status of its own (the module hears the queue first). Either way the old session ends where the module
 * last saw its car, with the energy it had, and the new car's session counts from its own start. The charger's
 * register is at 1,234 kWh, as on one that has charged for years: a stop read against a start this run never
 * saw would show it.
 */
describe.each([
  { order: 'its status, and its queued transactions 3 s later', statusOnReconnect: true, backlogDelayMs: 3000 },
  { order: 'only its queued transactions', statusOnReconnect: false, backlogDelayMs: 0 },
])(
  'p1 run down while one car leaves and another plugs in; the charger sends $order',
  ({ statusOnReconnect, backlogDelayMs }) => {
    it('closes the old session where its car was last seen and gives the new car its own', async () => {
      const ocppPort = await freePort();
      const file = runConfig(`swap-${statusOnReconnect}`, ocppPort);
      const first = await startP1Run(file);
      children.push(first.child);
      const cp = chargePoint(ocppPort, { statusOnReconnect, backlogDelayMs });
      cp.energyWh = 1_234_000;
      try {
        await cp.start();
        await expect.poll(async () => (await get<SessionJson[]>(`${first.url}/api/v1/sessions`)).length).toBe(1);
        await expect.poll(() => cp.drawnA, { timeout: 20_000 }).toBeGreaterThan(6);
        const killed = once(first.child, 'close');
        first.child.kill('SIGKILL');
        await killed;
        const killedAt = Date.now();

        await expect.poll(() => cp.connected).toBe(false);
        await cp.unplug();
        await new Promise((resolve) => setTimeout(resolve, 1500));
        const registerAtSwapWh = cp.energyWh;
        await cp.plugIn(createCar({ lagS: 0, rampS: 1, maxA: 16 }, [1, 2, 3]));
        expect(cp.transactionId).toBeNull(); // its StartTransaction waits for the module

        const second = await startP1Run(file);
        children.push(second.child);
        const sessions = () => get<SessionJson[]>(`${second.url}/api/v1/sessions`);
        await expect.poll(async () => (await sessions()).length, { timeout: 20_000 }).toBe(2);
        await expect.poll(() => cp.transactionId, { timeout: 10_000 }).not.toBeNull();
        await expect.poll(() => plugged(second.url), { timeout: 20_000 }).toBe(true);
        // let the module write the open session's energy and settle
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const [current, old] = await sessions();
        expect(old?.endedAt).not.toBeNull();
        expect(Date.parse(old?.endedAt ?? '')).toBeLessThanOrEqual(killedAt);
        // the first car charged a few seconds at 11 kW: a few Wh, never the register
        expect(old?.energyKwh).toBeLessThan(1);
        expect(current?.endedAt).toBeNull();
        expect(Date.parse(current?.startedAt ?? '')).toBeGreaterThan(Date.parse(old?.endedAt ?? ''));
        const newCarKwh = (cp.energyWh - registerAtSwapWh) / 1000;
        expect(current?.energyKwh).toBeLessThanOrEqual(newCarKwh + 0.01);

        await cp.unplug();
        await expect.poll(async () => (await sessions())[0]?.endedAt, { timeout: 10_000 }).not.toBeNull();
        expect(await sessions()).toHaveLength(2);
      } finally {
        await cp.stop();
      }
    }, 120_000);
  },
);
