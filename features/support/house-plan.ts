import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Metrics, Scenario } from '@p1/scenario';
import { type Finished, P1_CLI, runToEnd, tsxArgs } from './processes';

/** The bench's verdict on a simulated day (packages/scenario/README.md#metrics). */
export type { Metrics } from '@p1/scenario';

/**
 * The house a scenario describes in words, built up by Given steps into a scenario file
 * (packages/scenario/README.md#scenario-format) and played through `p1 simulate` at full speed: a day of meter
 * seconds in a second or two of wall time.
 */
export function emptyHouse(): Scenario {
  return {
    name: 'feature',
    start: '2025-01-15T00:00:00+01:00',
    durationS: 86_400,
    seed: 42,
    site: { connection: '3N400', fuseA: 25, capacityTargetKw: null, monthPeakKw: 0 },
    baseLoadKw: 0.3,
    loads: [],
    pv: null,
    chargers: [],
    evs: [],
    faults: [],
  };
}

export async function simulate(
  scenario: Scenario,
  dir: string,
  strategy?: string,
): Promise<{ metrics: Metrics; file: string }> {
  const file = path.join(dir, `${scenario.name}-${strategy ?? 'default'}.json`);
  writeFileSync(file, JSON.stringify(scenario, null, 2));
  const args = ['simulate', '--scenario', file, '--json', ...(strategy ? ['--strategy', strategy] : [])];
  const { code, stdout, stderr } = await runToEnd(process.execPath, tsxArgs(P1_CLI, args), { timeoutMs: 90_000 });
  if (code !== 0) throw new Error(`p1 simulate refused the house (exit ${code}): ${stderr.trim() || stdout.trim()}`);
  return { metrics: JSON.parse(stdout) as Metrics, file };
}

/** Runs `p1 simulate` on a file as is (for the bad-input paths). */
export async function simulateFile(file: string): Promise<Finished> {
  return runToEnd(process.execPath, tsxArgs(P1_CLI, ['simulate', '--scenario', file, '--json']), { timeoutMs: 90_000 });
}
