/**
 * A car whose own minimum is above the charger's safe current is paused by the fail-safe: its minimum pause
 * counts from that cut, not from a later cut to 0 A nor from the charger's lower minimum (seed 1's fleet
 * houses 581 and 950: a meter outage, 6 A, then 0 A, and a restart 60 s after the 6 A).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, input, reading, step, T0 } from './helpers';

const site = { connection: '3N400' as const, fuseA: 25 };
const HOUSE_A = 2;

interface Run {
  /** When the fail-safe first offered less than the car's minimum (ms since T0). */
  pausedAtS: number;
  /** When the car was next offered its minimum or more (ms since T0); NaN if never. */
  restartS: number;
  failsafeLimitA: number;
}

/**
 * Charges, lets the meter go silent for `outageS`, then brings it back; `loadS` seconds of a load on every line
 * after its return cut the offer to 0 A. The load leaves less than the car's minimum under the fuse, yet room
 * for the car under 1.45 × In once it has gone. The car draws its offer, or nothing below its minimum.
 */
function run(carMinA: number, minPauseS: number, outageS: number, loadS: number): Run {
  // no room kept for an unseen appliance: the fail-safe comes at its full timeout (failsafe-blind.test.ts)
  const b = createBalancer({ site, chargers: [{ id: 'cp1', carMinA, minPauseS }], margins: { unseenStepKw: 0 } });
  const cap = charger({ maxA: 16, safeA: 6 });
  const silentFrom = 120;
  const backAt = silentFrom + outageS;
  let offered = 0;
  let wasCharging = false;
  const out: Run = { pausedAtS: Number.NaN, restartS: Number.NaN, failsafeLimitA: Number.NaN };
  for (let s = 0; s < backAt + loadS + minPauseS + 120; s++) {
    const ms = T0 + s * 1000;
    const draw = offered >= carMinA ? offered : 0;
    const load = s >= backAt && s < backAt + loadS ? site.fuseA - carMinA : 0;
    const r =
      s >= silentFrom && s < backAt
        ? null
        : reading(
            ms,
            [0, 1, 2].map(() => HOUSE_A + load + draw),
          );
    const d = b.step(step(ms, r, [input(cap, draw)]));
    offered = d.chargers[0]!.limitA;
    if (d.failsafe && Number.isNaN(out.failsafeLimitA)) out.failsafeLimitA = offered;
    const charging = offered >= carMinA;
    if (wasCharging && !charging && Number.isNaN(out.pausedAtS)) out.pausedAtS = s;
    if (!wasCharging && charging && !Number.isNaN(out.pausedAtS)) {
      out.restartS = s;
      break;
    }
    wasCharging = charging;
  }
  return out;
}

describe('a fail-safe below the car’s minimum is the start of its pause', () => {
  it('holds an 8 A car on a 6 A charger for its 60 s from the fail-safe’s 6 A, through a cut to 0 A', () => {
    // Silent from 120 s (the last telegram at 119 s): the fail-safe offers 6 A at 129 s; the meter is back at
    // 140 s with a load that leaves no room (0 A) until 150 s. The car may start again at 189 s.
    const r = run(8, 60, 20, 10);
    expect(r.failsafeLimitA).toBe(6);
    expect(r.pausedAtS).toBe(129);
    expect(r.restartS).toBe(189);
  });

  it('holds for any car minimum above the safe current, pause and outage', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 7, max: 16 }),
        fc.integer({ min: 20, max: 300 }),
        fc.integer({ min: 11, max: 200 }),
        fc.integer({ min: 0, max: 40 }),
        (carMinA, minPauseS, outageS, loadS) => {
          const r = run(carMinA, minPauseS, outageS, loadS);
          // The fail-safe cuts at once: the pause starts 10 s after the last telegram.
          expect(r.pausedAtS).toBe(129);
          // The car's own pause, never shorter than the site's 60 s default; and it does start again.
          expect(Number.isFinite(r.restartS)).toBe(true);
          expect(r.restartS - r.pausedAtS).toBeGreaterThanOrEqual(Math.max(60, minPauseS));
        },
      ),
      { numRuns: 60 },
    );
  });
});
