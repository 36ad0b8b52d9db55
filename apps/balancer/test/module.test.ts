import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChargerMeasurement, kwForAmps } from '@p1/balancer';
import type { Charger } from '@p1/drivers';
import { TelegramFramer } from '@p1/dsmr';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { startModule } from '../src/wiring/module';
import { TEST_TOKEN, testConfig } from './helpers/module';
import { runConfigYaml, startP1Run } from './helpers/p1-run';

const dir = mkdtempSync(join(tmpdir(), 'p1-module-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const auth = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };

describe('the module end to end (simulated meter on a socat pair, simulated charger)', () => {
  it('balances, stores, re-serves raw P1, stops at safe current, and resumes its state after a restart', async () => {
    const config = testConfig(dir);
    const module = await startModule(config, pino({ level: 'silent' }));
    const charger = module.chargers[0];
    if (!charger) throw new Error('no charger');
    const applied: (number | null)[] = [];
    charger.on('measurement', (m: ChargerMeasurement) => applied.push(m.appliedLimitA));
    try {
      // telegrams flow from the pty through the serial driver into the balancer
      await expect.poll(() => module.live.meter.diagnosis, { timeout: 15_000 }).toBe('valid-telegrams');
      await expect.poll(() => module.live.chargers[0]?.limitA ?? null, { timeout: 10_000 }).not.toBeNull();
      expect(module.store.recentDecisions(5)[0]).toMatchObject({ chargerId: 'sim1' });
      await expect.poll(() => module.store.secondsSince(0).length, { timeout: 10_000 }).toBeGreaterThan(2);
      const state = (await (await fetch(`${module.http.url}/api/v1/state`)).json()) as {
        lines: { currentA: number }[];
        quarter: { projectedKw: number } | null;
      };
      expect(state.lines).toHaveLength(3);
      expect(state.quarter?.projectedKw).toBeGreaterThanOrEqual(0);

      // raw P1 for other readers: whole, valid telegrams
      const socket = createConnection({ host: '127.0.0.1', port: module.rawP1?.port as number });
      await once(socket, 'connect');
      const framer = new TelegramFramer();
      const frames: { ok: boolean }[] = [];
      socket.on('data', (chunk: Buffer) => {
        for (const f of framer.push(chunk)) frames.push(f.reading);
      });
      await expect.poll(() => frames.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
      expect(frames.every((f) => f.ok)).toBe(true);
      socket.destroy();

      // state to keep across a restart
      const patched = await fetch(`${module.http.url}/api/v1/settings`, {
        method: 'PATCH',
        headers: auth,
        body: JSON.stringify({ capacityTargetKw: 4.7 }),
      });
      expect(patched.status).toBe(200);
      const acted = await fetch(`${module.http.url}/api/v1/activation`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ action: 'register-eid' }),
      });
      expect(acted.status).toBe(200);
    } finally {
      await module.stop();
    }
    // graceful shutdown: the charger was told its safe current last
    expect(applied.at(-1)).toBe(config.chargers[0]?.safeA);

    const month = module.live.month.month as string;
    const peakBefore = module.live.month.peakKw;
    const again = await startModule(config, pino({ level: 'silent' }));
    try {
      expect(again.core.settings.capacityTargetKw).toBe(4.7);
      const view = (await (await fetch(`${again.http.url}/api/v1/activation?lang=en`)).json()) as { state: string };
      expect(view.state).toBe('registered');
      expect(again.store.monthPeak(month)?.peakKw ?? null).toBe(peakBefore);
    } finally {
      await again.stop();
    }
  }, 60_000);

  it('drops the charger to its safe current within 15 s when the meter goes silent', async () => {
    const failDir = mkdtempSync(join(tmpdir(), 'p1-failsafe-'));
    const module = await startModule(testConfig(failDir), pino({ level: 'silent' }));
    try {
      await expect.poll(() => module.live.meter.diagnosis, { timeout: 15_000 }).toBe('valid-telegrams');
      await expect.poll(() => module.live.chargers[0]?.limitA ?? null, { timeout: 10_000 }).not.toBeNull();
      const silentSince = Date.now();
      await module.embedded?.stop(); // the meter's end of the serial pair disappears
      await expect.poll(() => module.live.chargers[0]?.reason, { timeout: 20_000 }).toMatch(/fail-safe|no meter data/);
      expect(Date.now() - silentSince).toBeLessThan(15_000);
      expect(module.live.chargers[0]?.limitA).toBeLessThanOrEqual(6);
    } finally {
      await module.stop();
      rmSync(failDir, { recursive: true, force: true });
    }
  }, 40_000);

  it('keeps balancing when the database fails', async () => {
    const brokenDir = mkdtempSync(join(tmpdir(), 'p1-broken-store-'));
    const module = await startModule(testConfig(brokenDir), pino({ level: 'silent' }));
    try {
      await expect.poll(() => module.live.meter.diagnosis, { timeout: 15_000 }).toBe('valid-telegrams');
      module.store.close(); // every write from now on throws
      const before = module.live.reading?.timestamp;
      await expect.poll(() => module.live.reading?.timestamp, { timeout: 10_000 }).not.toBe(before);
      expect(module.live.chargers[0]?.limitA).not.toBeNull();
      const res = await fetch(`${module.http.url}/api/v1/state`);
      expect(res.status).toBe(200);
    } finally {
      await module.stop();
      rmSync(brokenDir, { recursive: true, force: true });
    }
  }, 40_000);

  it('p1 run --config serves, stops on SIGTERM with exit 0, and never logs the token', async () => {
    const file = join(dir, 'run.yaml');
    const token = 'very-secret-token-42';
    writeFileSync(
      file,
      runConfigYaml([
        'chargers:',
        '  - { id: cp9, driver: simulated, phases: [1, 2, 3], minA: 6, maxA: 16, password: also-secret-pw }',
        `http: { host: 127.0.0.1, port: 0, token: ${token} }`,
        `store: { path: ${join(dir, 'run.db')} }`,
        'log: { level: debug }',
      ]),
    );
    const { child, url, output } = await startP1Run(file);
    expect((await (await fetch(`${url}/api`)).json()) as object).toMatchObject({ product_type: 'HWE-P1' });
    const patched = await fetch(`${url}/api/v1/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"capacityTargetKw": 3.5}',
    });
    expect(patched.status).toBe(200);
    const exited = once(child, 'close');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(output()).toMatch(/chargers set to their safe current/);
    expect(output()).not.toContain(token);
    expect(output()).not.toContain('also-secret-pw');
  }, 60_000);

  it('p1 run refuses an invalid configuration with one line per problem', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'version: 1\nmeter: { source: serial }\nchargers: [{ id: a, maxA: 99 }]\n');
    const tsx = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
    const child = spawn(tsx, [join(import.meta.dirname, '..', 'src', 'cli', 'p1.ts'), 'run', '--config', file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const [code] = await once(child, 'close');
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      `${file}: meter.device: is required`,
      `${file}: chargers[0].maxA: must be a number between 6 and 80`,
    ]);
  }, 30_000);
});

describe('a Luxembourg Smarty meter (encrypted DLMS frames)', () => {
  it('decrypts with the key and serves the plain telegram on /api/v1/telegram', async () => {
    const smartyDir = mkdtempSync(join(tmpdir(), 'p1-smarty-'));
    const module = await startModule(
      testConfig(smartyDir, {
        meter: { source: 'simulator', model: 'smarty', speed: 10 },
        site: { connection: '3N400', fuseA: 40 },
      }),
      pino({ level: 'silent' }),
    );
    try {
      await expect.poll(() => module.live.meter.diagnosis, { timeout: 15_000 }).toBe('valid-telegrams');
      const text = await (await fetch(`${module.http.url}/api/v1/telegram`)).text();
      expect(text.startsWith('/')).toBe(true);
      expect(text).toMatch(/^1-0:1\.7\.0\(/m);
      const data = (await (await fetch(`${module.http.url}/api/v1/data`)).json()) as Record<string, unknown>;
      expect(typeof data.active_power_w).toBe('number');
      expect(module.live.reading?.protocol).toBe('smarty');
    } finally {
      await module.stop();
      rmSync(smartyDir, { recursive: true, force: true });
    }
  }, 40_000);
});

describe('the embedded meter on a 3×230 V site', () => {
  it("counts the simulated car's power as the balancer does: √3 × 230 V × A, not 3 × 230 V × A", async () => {
    const siteDir = mkdtempSync(join(tmpdir(), 'p1-3x230-'));
    const module = await startModule(
      testConfig(siteDir, { site: { connection: '3x230', fuseA: 25 } }),
      pino({ level: 'silent' }),
    );
    try {
      const simulation = module.embedded?.simulation;
      expect(simulation?.connection).toBe('3x230');
      const charger = module.chargers[0] as Charger;
      // The load the meter got with its last telegram, against what the car draws now: equal between two steps.
      const agrees = () => {
        const kw = simulation?.loads().find((l) => l.name === 'ev-sim1')?.kw ?? 0;
        const amps = Math.max(...module.core.measurementOf(charger).currentA.map((a) => a ?? 0));
        return kw > 0 && Math.abs(kw - kwForAmps('3x230', 3, amps)) < 1e-9;
      };
      await expect.poll(agrees, { timeout: 40_000, interval: 20 }).toBe(true);
    } finally {
      await module.stop();
      rmSync(siteDir, { recursive: true, force: true });
    }
  }, 60_000);
});
