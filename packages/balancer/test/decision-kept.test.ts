/**
 * A decision the caller keeps does not change under it: the app keeps the last one for its state API and
 * stores each closed quarter once. A quarter that closes while the meter is silent (the fail-safe path) used
 * to be written onto the quarter state a fresh telegram had returned earlier, so a kept decision showed a
 * quarter closing minutes after it was made.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer, type Decision } from '../src/index';
import { charger, input, reading, step, T0 } from './helpers';

const site = { connection: '3N400' as const, fuseA: 25, capacityTargetKw: 5 };

/** Each step's decision, and the quarter it closed as read at that step. */
function run(silentFromS: number, outageS: number, totalS: number) {
  const b = createBalancer({ site });
  const kept: Array<{ d: Decision; closedThen: unknown }> = [];
  let offered = 0;
  for (let s = 0; s < totalS; s++) {
    const ms = T0 + s * 1000;
    const silent = s >= silentFromS && s < silentFromS + outageS;
    const d = b.step(
      step(ms, silent ? null : reading(ms, [4 + offered, 4 + offered, 4 + offered]), [input(charger(), offered)]),
    );
    kept.push({ d, closedThen: structuredClone(d.quarter.closed) });
    offered = d.chargers[0]!.limitA;
  }
  return kept;
}

describe('a kept decision', () => {
  it('keeps the closed quarter it was returned with, outages across quarter ends included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 30, max: 1700 }), fc.integer({ min: 1, max: 1200 }), (silentFromS, outageS) => {
        const kept = run(silentFromS, outageS, 2000);
        for (const { d, closedThen } of kept) expect(d.quarter.closed).toEqual(closedThen);
        // Each quarter end in the run is reported once (T0 is a quarter's start; the run crosses 15 and 30 min).
        const closed = kept
          .filter((k) => k.closedThen !== null)
          .map((k) => (k.closedThen as { startMs: number }).startMs);
        expect(new Set(closed).size).toBe(closed.length);
      }),
      { numRuns: 40 },
    );
    // 40 runs of 2,000 steps: about 2 s alone, over 5 s beside the other packages' tests on two cores.
  }, 30_000);
});
