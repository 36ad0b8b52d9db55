import fc from 'fast-check';
import { describe, it } from 'vitest';
import { describeSequence, type Sequence, sequenceArb } from './events';
import type { Violation } from './invariants';
import { runSequence } from './run';

const runs = Number(process.env.P1_SOAK_RUNS ?? 0);
const seed = Number(process.env.P1_SOAK_SEED ?? Date.now() % 1_000_000);
const only = process.env.P1_SOAK_INVARIANT;

describe.runIf(runs > 0)('soak: the module under long random sequences', () => {
  it(
    `${runs} sequences from seed ${seed}`,
    async () => {
      let last: { seq: Sequence; violations: Violation[] } | null = null;
      await fc
        .assert(
          fc.asyncProperty(sequenceArb({ minSteps: 8, maxSteps: 30 }), async (seq) => {
            const { violations } = await runSequence(seq);
            const failing = violations.filter((v) => !only || v.invariant === only);
            if (failing.length > 0) {
              last = { seq, violations: failing };
              console.log(`failing (${seq.steps.length} steps): ${failing.map((v) => v.invariant).join(', ')}`);
            }
            return failing.length === 0;
          }),
          { seed, numRuns: runs },
        )
        .catch((err) => {
          const found = last as { seq: Sequence; violations: Violation[] } | null;
          if (found) {
            console.log(`shrunk:\n${describeSequence(found.seq)}\n${JSON.stringify(found.seq)}`);
            for (const v of found.violations) console.log(`  ${v.atS} s ${v.invariant}: ${v.message}`);
          }
          throw err;
        });
    },
    24 * 3_600_000,
  );
});
