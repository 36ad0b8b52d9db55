/** `p1 run` on a machine with Node and nothing else: no socat, so the simulated meter feeds the module in-process. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const APP = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'p1-no-socat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('p1 run without socat', () => {
  it('says so in one line, reads valid telegrams in-process, and leaves no temp dir behind', async () => {
    // PATH holds node and nothing else; TMPDIR is ours, so whatever the module leaves there shows.
    const bin = join(dir, 'bin');
    const tmp = join(dir, 'tmp');
    mkdirSync(bin);
    mkdirSync(tmp);
    symlinkSync(process.execPath, join(bin, 'node'));
    const file = join(dir, 'run.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'meter: { source: simulator, model: fluvius-3ph }',
        'site: { connection: 3N400, fuseA: 25, capacityTargetKw: 4 }',
        'chargers: [{ id: sim1, driver: simulated, phases: [1, 2, 3], minA: 6, maxA: 16 }]',
        'http: { host: 127.0.0.1, port: 0, token: no-socat-token }',
        `store: { path: ${join(dir, 'state.db')} }`,
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/p1.ts', 'run', '--config', file], {
      cwd: APP,
      env: { ...process.env, PATH: bin, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.stdout.resume();
    try {
      const url = await expect
        .poll(() => stderr.match(/dashboard on (http:\S+)\//)?.[1], { timeout: 30_000 })
        .toBeTruthy()
        .then(() => stderr.match(/dashboard on (http:\S+)\//)?.[1] as string);
      const meter = async () =>
        ((await (await fetch(`${url}/api/v1/state`)).json()) as { meter: { source: string; diagnosis: string } }).meter;
      await expect.poll(async () => (await meter()).diagnosis, { timeout: 15_000 }).toBe('valid-telegrams');
      expect((await meter()).source).toBe('simulator (in-process)');
    } finally {
      if (child.exitCode === null) {
        const exited = once(child, 'close');
        child.kill('SIGTERM');
        await exited;
      }
    }
    expect(child.exitCode).toBe(0);
    const socatLines = stderr.split('\n').filter((line) => line.includes('socat'));
    expect(socatLines).toEqual([
      'p1-balancer: socat not found: the simulated meter feeds the module in-process (same framing and parsing); ' +
        'for a virtual serial pair read by the serial driver, as a P1 cable is, install socat (apt-get install socat).',
    ]);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    // tsx keeps its compile cache there (tsx-*); ours would be p1-balancer-*
    expect(readdirSync(tmp).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
  }, 60_000);
});
