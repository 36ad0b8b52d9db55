/**
 * What a newcomer sees after `pnpm start`: within the first minute the car charges, is cut when the hob
 * pulses on and is raised again when it is off. Real time, the real module, the embedded default's own
 * house and charger — only the ports and the store move out of the way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_DEFAULT, validateConfig } from '../src/config';
import { startModule } from '../src/wiring/module';

const dir = mkdtempSync(join(tmpdir(), 'p1-default-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Sample {
  s: number;
  limitA: number | null;
  phases: 1 | 3 | null;
  reason: string;
  currentA: number;
}

describe('the embedded default', () => {
  it('shows the car charging, cut by an appliance and raised again within about a minute', async () => {
    const result = validateConfig({
      ...structuredClone(EMBEDDED_DEFAULT),
      http: { host: '127.0.0.1', port: 0 },
      rawP1: { host: '127.0.0.1', port: 0 },
      store: { path: join(dir, 'state.db') },
      log: { level: 'silent' },
    });
    if (!result.ok) throw new Error(result.problems.join('; '));
    const module = await startModule(result.config, pino({ level: 'silent' }));
    const samples: Sample[] = [];
    const t0 = Date.now();
    try {
      const charging = (x: Sample) => (x.limitA ?? 0) >= 6 && x.currentA > 1;
      const cutAfterCharging = () => {
        const first = samples.findIndex(charging);
        if (first < 0) return -1;
        const peak = samples[first]?.limitA ?? 0;
        return samples.findIndex((x, i) => i > first && (x.limitA ?? 0) < peak && /fuse|line|headroom/i.test(x.reason));
      };
      const raisedAfterCut = () => {
        const cut = cutAfterCharging();
        if (cut < 0) return false;
        const low = samples[cut]?.limitA ?? 0;
        return samples.some((x, i) => i > cut && (x.limitA ?? 0) > low);
      };
      while (Date.now() - t0 < 120_000 && !raisedAfterCut()) {
        const state = (await (await fetch(`${module.http.url}/api/v1/state`)).json()) as {
          chargers: { limitA: number | null; limitPhases: 1 | 3 | null; reason: string; currentA: (number | null)[] }[];
        };
        const c = state.chargers[0];
        if (c) {
          samples.push({
            s: (Date.now() - t0) / 1000,
            limitA: c.limitA,
            phases: c.limitPhases,
            reason: c.reason,
            currentA: Math.max(0, ...c.currentA.map((a) => a ?? 0)),
          });
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      const story = samples.map((x) => `${x.s.toFixed(0)}s ${x.limitA} A ×${x.phases} ${x.reason}`).join('\n');
      expect(raisedAfterCut(), story).toBe(true);
      // the whole story fits in the newcomer's first minute and a half
      expect(samples.at(-1)?.s ?? Infinity, story).toBeLessThan(90);
    } finally {
      await module.stop();
    }
  }, 150_000);
});
