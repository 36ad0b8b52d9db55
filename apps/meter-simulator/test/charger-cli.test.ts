/** `p1-sim charger` as a user runs it: help, bad arguments, and a real session against the central system. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { loadOcppCentralSystem } from '@p1/drivers';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_DIR, p1sim, until } from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('p1-sim charger', () => {
  it('--help lists its options', async () => {
    const r = await p1sim(['charger', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toContain('--fault F');
  });

  it.each([
    [['charger', '--id', 'cp1', '--fault', 'explode'], /--fault "explode" is not one of/],
    [['charger'], /--id/],
  ])('bad arguments exit 2 with one sentence: %j', async (args, message) => {
    const r = await p1sim(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('charges under the central system and stops cleanly on SIGTERM, without printing its password', async () => {
    const { OcppCentralSystem } = await loadOcppCentralSystem();
    const caps = { id: 'cp1', phases: [1, 2, 3] as (1 | 2 | 3)[], minA: 6, maxA: 16, switchPhases: false, safeA: 6 };
    const system = await OcppCentralSystem.start({
      port: 0,
      chargers: [{ capabilities: caps, password: 's3cret-pw' }],
    });
    cleanups.push(() => system.close());
    const charger = system.charger('cp1');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(APP_DIR, 'src/cli/p1-sim.ts'),
        'charger',
        '--id',
        'cp1',
        '--url',
        system.url,
        '--lag-s',
        '1',
        '--ramp-s',
        '2',
      ],
      {
        cwd: APP_DIR,
        env: { ...process.env, P1_SIM_CHARGER_PASSWORD: 's3cret-pw' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (e) => {
      stderr += `p1-sim charger could not start (${e.message})`;
    });
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    await until(
      () => charger.measurement.connected && charger.measurement.vehiclePlugged,
      30_000,
      'the charge point to connect',
    );
    await charger.setLimit(8, 3);
    await until(() => charger.measurement.appliedLimitA === 8, 15_000, 'the profile to be held');
    await until(
      () => charger.measurement.currentA.some((a) => a !== null && a > 6 && a <= 8.5),
      30_000,
      'the car to draw about 8 A',
    );
    const exited = once(child, 'close');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(stderr).not.toContain('s3cret-pw');
  }, 90_000);
});
