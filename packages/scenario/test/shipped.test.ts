/**
 * Every shipped scenario keeps the safety promises of issue 11 §2 with our strategy: the hand-made ones, and
 * the houses of the fleet that once broke one (kept as regressions, see the scenario README).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, SAFETY_PROMISES } from '../src/index';

const dir = join(import.meta.dirname, '..', 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('shipped scenarios keep the safety promises', () => {
  it('has the regressions from the fleet', () => {
    expect(files).toContain('be-3n400-16a-first-boiler.json');
  });
  for (const file of files) {
    it(file, () => {
      const m = runScenario(loadScenario(join(dir, file)), { skipOptimal: true }).metrics;
      const broken = SAFETY_PROMISES.filter((p) => !p.kept(m, [])).map((p) => `${p.id}: ${p.metric} ${m[p.metric]}`);
      expect(broken).toEqual([]);
    });
  }
});
