/**
 * `p1 parse --device PATH` (apps/balancer/src/cli/parse-device.ts, run as a process) reading the
 * simulator through a real socat pair: JSON Lines until SIGINT, exit 0 / 1 / 2.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, type Running, startSim, until } from './helpers';

const BALANCER = join(APP_DIR, '../balancer');
const TOKEN = 'parse-token';

function p1parse(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/p1.ts', 'parse', ...args], {
    cwd: BALANCER,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.on('error', (e) => {
    stderr += `p1 parse could not start (${e.message})`;
  });
  return {
    child,
    lines: () =>
      stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { ok: boolean; error: { code: string } | null }),
    stderr: () => stderr,
    exit: async () => ((await once(child, 'close')) as [number | null])[0],
  };
}

describe('p1 parse --device through the serial driver', () => {
  let sim: Running;
  beforeAll(async () => {
    sim = await startSim(['--output', 'socat', '--api-port', '0', '--token', TOKEN, '--speed', '5']);
  }, 30_000);
  afterAll(async () => {
    await sim?.stop();
  });

  it('prints one JSON line per telegram and exits 0 on SIGINT when all were valid', async () => {
    const run = p1parse(['--device', sim.ready.link as string]);
    await until(() => run.lines().length >= 3, 20_000, 'three lines');
    run.child.kill('SIGINT');
    expect(await run.exit()).toBe(0);
    expect(run.lines().every((l) => l.ok)).toBe(true);
  }, 30_000);

  it('exits 1 when a frame was rejected', async () => {
    const run = p1parse(['--device', sim.ready.link as string, '--baud', '115200']);
    await until(() => run.lines().length >= 1, 20_000, 'a line');
    await fetch(`${sim.ready.api}/api/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ kind: 'crc', count: 1 }),
    });
    await until(() => run.lines().some((l) => l.error?.code === 'crc_mismatch'), 10_000, 'the rejected frame');
    run.child.kill('SIGTERM');
    expect(await run.exit()).toBe(1);
  }, 30_000);

  it('exits 2 with one sentence when the device cannot be opened', async () => {
    const run = p1parse(['--device', '/dev/does-not-exist-p1']);
    expect(await run.exit()).toBe(2);
    expect(run.stderr()).toMatch(/cannot open \/dev\/does-not-exist-p1/);
    expect(run.stderr()).not.toMatch(/\n\s+at /);
  }, 30_000);
});
