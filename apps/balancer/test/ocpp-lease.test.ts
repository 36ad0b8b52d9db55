/**
 * A steady limit must not lapse: the module renews the charger's lease while it steers, over many
 * lease periods, with a real OCPP 1.6J charge point on a real websocket (lease shortened to 2 s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startOcppModule } from './helpers/ocpp-module';

const dir = mkdtempSync(join(tmpdir(), 'p1-lease-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the OCPP limit lease', () => {
  it('is renewed while the module steers: a steady limit holds over three lease periods', async () => {
    const { module, cp } = await startOcppModule(dir, 'cp1-lease-pw', { failsafeLeaseS: 2 });
    try {
      const decided = () => module.live.chargers[0]?.limitA ?? null;
      await expect
        .poll(() => cp.chargePoint.offeredA === decided() && (decided() ?? 0) > 6, { timeout: 30_000 })
        .toBe(true);
      // sample for three lease periods: the charge point offers the decision, never its 6 A fail-safe
      const mismatches: string[] = [];
      const until = Date.now() + 6_500;
      while (Date.now() < until) {
        const offered = cp.chargePoint.offeredA;
        if (offered !== decided()) mismatches.push(`${offered} A offered while the module decided ${decided()} A`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // a decision that changed between two samples shows up once; a lapsed lease shows up for seconds
      expect(mismatches.length, mismatches.join('\n')).toBeLessThanOrEqual(2);
    } finally {
      await module.stop();
      await cp.stop();
    }
  }, 90_000);
});
