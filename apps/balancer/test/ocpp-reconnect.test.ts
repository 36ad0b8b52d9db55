/**
 * Issue 14 §6: an OCPP reconnect used to cost 70 s of charging (0 A sent on reconnect, then the 60 s
 * minimum pause). The whole module with a real charge point on a real websocket: a connection lost for
 * less than the lease, the car keeps charging at its limit, and nothing pauses it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startOcppModule } from './helpers/ocpp-module';

const dir = mkdtempSync(join(tmpdir(), 'p1-reconnect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an OCPP charger back within its lease', () => {
  it('keeps charging at its limit through a 3 s network drop: no 0 A, no pause, the same limit after', async () => {
    const { module, cp } = await startOcppModule(dir, 'cp1-reconnect-pw');
    try {
      const view = () => module.live.chargers[0];
      // charging at the limit the charge point acknowledged (not on its 6 A fail-safe before that)
      await expect
        .poll(
          () => {
            const limit = view()?.limitA ?? 0;
            return limit > 6 && cp.chargePoint.offeredA === limit && cp.chargePoint.drawnA >= limit - 0.1;
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      const limitBefore = view()?.limitA ?? 0;

      const seen: { offered: number; drawn: number; limit: number | null; reason: string; connected: boolean }[] = [];
      const sample = setInterval(() => {
        const v = view();
        seen.push({
          offered: cp.chargePoint.offeredA,
          drawn: cp.chargePoint.drawnA,
          limit: v?.limitA ?? null,
          reason: v?.reason ?? '',
          connected: v?.connected ?? false,
        });
      }, 100);
      const problems: (string | null)[] = [];
      const watch = setInterval(() => problems.push(view()?.problem ?? null), 100);
      await cp.chargePoint.dropConnection(3_000);
      await expect.poll(() => cp.chargePoint.connected, { timeout: 15_000 }).toBe(true);
      await new Promise((r) => setTimeout(r, 5_000)); // the module's view after the return
      clearInterval(sample);
      clearInterval(watch);

      expect(seen.length).toBeGreaterThan(50);
      expect(Math.min(...seen.map((s) => s.offered))).toBeGreaterThanOrEqual(6);
      expect(Math.min(...seen.map((s) => s.drawn))).toBeGreaterThan(5);
      expect(seen.filter((s) => s.limit === 0)).toEqual([]);
      expect(seen.filter((s) => /offline|pause/.test(s.reason))).toEqual([]);
      expect(seen.every((s) => s.connected)).toBe(true);
      // the owner saw why the charger was quiet, and the problem cleared on return
      expect(problems.some((p) => p?.startsWith('connection lost'))).toBe(true);
      expect(view()?.problem).toBeNull();
      expect(view()?.limitA).toBeGreaterThanOrEqual(Math.min(limitBefore, 6));
      expect(cp.chargePoint.offeredA).toBe(view()?.limitA);
    } finally {
      await module.stop();
      await cp.stop();
    }
  }, 90_000);
});
