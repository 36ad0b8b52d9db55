/**
 * The long soak outside CI: `P1_SOAK_RUNS` random sequences from `P1_SOAK_SEED`, shrunk by fast-check when
 * one breaks an invariant (`P1_SOAK_INVARIANT` narrows what counts, `P1_SOAK_NEW_ONLY=1` leaves out what an
 * open bug explains). `P1_SOAK_SEQUENCE` replays one written
 * down sequence (JSON) and writes its second-by-second trace to `P1_SOAK_TRACE`.
 */
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { describeSequence, type Sequence, sequenceArb } from './events';
import type { Violation } from './invariants';
import { openBugOf } from './open-bugs';
import { runSequence } from './run';

const runs = Number(process.env.P1_SOAK_RUNS ?? 0);
const seed = Number(process.env.P1_SOAK_SEED ?? Date.now() % 1_000_000);
const only = process.env.P1_SOAK_INVARIANT;
const replay = process.env.P1_SOAK_SEQUENCE;
/** Counts only violations no open bug explains (open-bugs.ts), as the CI run does. */
const newOnly = process.env.P1_SOAK_NEW_ONLY === '1';
const DAY_MS = 24 * 3_600_000;

describe.runIf(runs > 0)('soak: the module under long random sequences', () => {
  it(
    `${runs} sequences from seed ${seed}`,
    async () => {
      let last: { seq: Sequence; violations: Violation[] } | null = null;
      await fc
        .assert(
          fc.asyncProperty(sequenceArb({ minSteps: 8, maxSteps: 30 }), async (seq) => {
            const { violations, played } = await runSequence(seq);
            const failing = violations.filter(
              (v) => (!only || v.invariant === only) && !(newOnly && openBugOf(v, played, violations)),
            );
            if (failing.length > 0) {
              last = { seq, violations: failing };
              // each smaller failing sequence as it is found: a soak stopped while shrinking still leaves one
              console.log(`failing (${seq.steps.length} steps): ${failing.map((v) => v.invariant).join(', ')}`);
              console.log(`  ${JSON.stringify(seq)}`);
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
    DAY_MS,
  );
});

describe.runIf(replay !== undefined)('soak: one sequence replayed with its trace', () => {
  it(
    'replays P1_SOAK_SEQUENCE',
    async () => {
      const seq = JSON.parse(replay as string) as Sequence;
      const lines = [describeSequence(seq)];
      const { violations } = await runSequence(seq, { trace: (l) => lines.push(l) });
      for (const v of violations) lines.push(`VIOLATION ${v.atS} s ${v.invariant}: ${v.message}`);
      writeFileSync(process.env.P1_SOAK_TRACE ?? 'model-trace.txt', `${lines.join('\n')}\n`);
      console.log(violations.length === 0 ? 'no violation' : lines.filter((l) => l.startsWith('VIOLATION')).join('\n'));
    },
    DAY_MS,
  );
});
