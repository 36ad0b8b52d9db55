/**
 * A fleet run with one corner of the generator set alike in every house (`p1 bench houses --car-lag`,
 * `--sample-every`): every car and charger of a house gets it, in a worker thread as in this one, and the report
 * and the failing houses' scenario files say so.
 */
import { describe, expect, it } from 'vitest';
import { fleetHouse, fleetReport, formatFleetReport, type Metrics, runFleet, runHouse } from '../src/index';

// Seed 13's first house: 3N400 16 A, two three-phase cars (lags 4 and 5 s) behind chargers sampling every second.
const SEED = 13;
const VARIANT = { carLagS: 3, sampleEveryS: 60 };
const ofRun = (m: Metrics) => ({ ...m, stepP99Us: 0 });

describe('a fleet with every car and charger set alike', () => {
  it('sets them in every house and leaves the rest as drawn', () => {
    const drawn = fleetHouse(SEED, 0, 'be');
    const set = fleetHouse(SEED, 0, 'be', VARIANT);
    expect(drawn.evs.map((e) => e.lagS)).not.toEqual([3, 3]);
    expect(set.evs.map((e) => e.lagS)).toEqual([3, 3]);
    expect(set.chargers.map((c) => c.sampleEveryS)).toEqual([60, 60]);
    const rest = ({ evs, chargers, ...other }: typeof drawn) => ({
      other,
      evs: evs.map(({ lagS, ...e }) => e),
      chargers: chargers.map(({ sampleEveryS, ...c }) => c),
    });
    expect(rest(set)).toEqual(rest(drawn));
  });

  it('runs the same in a worker thread, and the report says what was set', async () => {
    const asDrawn = runHouse(SEED, 0, 'be', ['default']).metrics.default!;
    const varied = runHouse(SEED, 0, 'be', ['default'], VARIANT).metrics.default!;
    // Samples a minute apart: the car's current is unknown most of the time, and its raises wait for it.
    expect(varied.pauses).toBeGreaterThan(asDrawn.pauses);
    const run = await runFleet({ n: 1, seed: SEED, strategies: ['default'], workers: 1, ...VARIANT });
    expect(ofRun(run.outcomes[0]!.metrics.default!)).toEqual(ofRun(varied));
    const report = fleetReport(run);
    expect(report).toMatchObject({ carLagS: 3, sampleEveryS: 60, telegramEveryS: 1 });
    expect(formatFleetReport(report).split('\n')[0]).toContain(
      'every car following a new limit in 3 s, every charger sampling every 60 s',
    );
    const plain = fleetReport(await runFleet({ n: 1, seed: SEED, strategies: ['default'], workers: 0 }));
    expect(plain).toMatchObject({ carLagS: null, sampleEveryS: null });
  }, 120_000);
});
