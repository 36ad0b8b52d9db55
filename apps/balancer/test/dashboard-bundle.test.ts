import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleApp } from '../src/build/bundle';
import { PRODUCTION_NODE_FLAGS } from '../src/build/node-flags';
import { uplotDistDir, VENDOR_FILES } from '../src/dashboard/vendor';

const dir = mkdtempSync(join(tmpdir(), 'p1-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the production bundle', () => {
  it('ships the chart library beside the dashboard and serves the charts under plain node', async () => {
    const out = join(dir, 'dist');
    const entry = await bundleApp(out);
    for (const file of VENDOR_FILES) {
      expect(readFileSync(join(out, 'dashboard', 'vendor', file))).toEqual(
        readFileSync(join(uplotDistDir() as string, file)),
      );
    }
    const config = join(dir, 'config.yaml');
    writeFileSync(
      config,
      [
        'version: 1',
        'meter: { source: simulator, model: fluvius-3ph }',
        'site: { connection: 3N400, fuseA: 25, capacityTargetKw: 4 }',
        'chargers: [{ id: cp1, driver: simulated, phases: [1, 2, 3], minA: 6, maxA: 16 }]',
        'http: { host: 127.0.0.1, port: 0, token: bundle-token-0123 }',
        `store: { path: ${join(dir, 'state.db')} }`,
        'log: { level: warn }',
      ].join('\n'),
    );
    const child = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, entry, 'run', '--config', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('error', (e) => {
      stderr += `the bundled p1 could not start (${e.message})`;
    });
    try {
      await expect.poll(() => stderr.match(/dashboard on (http:\S+)\//)?.[1], { timeout: 30_000 }).toBeTruthy();
      const url = stderr.match(/dashboard on (http:\S+)\//)?.[1] as string;
      const html = await (await fetch(`${url}/`)).text();
      for (const file of VENDOR_FILES) {
        expect(html).toContain(`vendor/${file}`);
        const res = await fetch(`${url}/vendor/${file}`);
        expect(res.status).toBe(200);
        expect(Buffer.from(await res.arrayBuffer())).toEqual(readFileSync(join(out, 'dashboard', 'vendor', file)));
      }
      expect((await fetch(`${url}/charts.js`)).status).toBe(200);
      await expect
        .poll(async () => ((await (await fetch(`${url}/api/v1/history/lines`)).json()) as { ts: number[] }).ts.length, {
          timeout: 15_000,
        })
        .toBeGreaterThan(0);
    } finally {
      const exited = once(child, 'close');
      child.kill('SIGTERM');
      await exited;
    }
  }, 90_000);
});
