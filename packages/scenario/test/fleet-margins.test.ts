/**
 * A fleet run with margins other than the balancer's defaults (`p1 bench houses --margin`): the setting reaches
 * our balancer in every worker thread, and the references keep theirs.
 */
import { describe, expect, it } from 'vitest';
import { fleetReport, formatFleetReport, type Metrics, runFleet, runHouse } from '../src/index';

// Seed 13's first house: 3N400 16 A, its car held for hours by the room kept for an appliance not seen yet.
const SEED = 13;
// A run's metrics but its step time, which the machine sets.
const ofRun = (m: Metrics) => ({ ...m, stepP99Us: 0 });

describe('a fleet with margins set', () => {
  it('gives our balancer the margins, in a worker thread as in this one, and says so in its report', async () => {
    const asDrawn = runHouse(SEED, 0, 'be', ['default', 'highest-phase-30s']);
    const margins = { unseenStepKw: 0 };
    const without = runHouse(SEED, 0, 'be', ['default', 'highest-phase-30s'], {}, margins);
    // Without that room the car rises nearer the fuse: more energy than with it (62 → 75 kWh).
    expect(without.metrics.default!.evEnergyKwh).toBeGreaterThan(asDrawn.metrics.default!.evEnergyKwh + 1);
    expect(ofRun(without.metrics['highest-phase-30s']!)).toEqual(ofRun(asDrawn.metrics['highest-phase-30s']!));

    // Run by a worker thread, it is the same run.
    const run = await runFleet({ n: 1, seed: SEED, strategies: ['default'], workers: 1, margins });
    const threaded = run.outcomes[0]!.metrics.default!;
    expect(ofRun(threaded)).toEqual(ofRun(without.metrics.default!));
    const report = fleetReport(run);
    expect(report.margins).toEqual(margins);
    expect(formatFleetReport(report).split('\n')[0]).toContain("default's margins unseenStepKw=0");
  }, 120_000);
});
