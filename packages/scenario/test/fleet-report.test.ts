/**
 * What the fleet report says of each failing house: the promises it breaks and, where its cars fell short of
 * energy, what held them. One generated house, its metrics set to break or keep the energy floor.
 */
import { describe, expect, it } from 'vitest';
import { heldWhy } from '../src/fleet/house-run';
import { fleetReport, type HouseOutcome, runHouse } from '../src/index';

const options = {
  n: 3,
  seed: 1,
  profile: 'be' as const,
  telegramEveryS: 1,
  carLagS: null,
  sampleEveryS: null,
  strategies: ['default'],
  workers: 0,
  margins: {},
};

describe('the fleet report’s failing houses', () => {
  it('say what held the cars of a house under the energy floor, and list no house that keeps every promise', () => {
    // 3N400 16 A, one car plugged from 17:34 to 07:52 (which reasons held it is metrics.test's part)
    const house = runHouse(1, 779, 'be', ['default']);
    const withRatio = (index: number, ratio: number, quarters = 0): HouseOutcome => ({
      ...house,
      index,
      metrics: {
        default: { ...house.metrics.default!, evEnergyRatio: ratio, quartersOverTarget: quarters, over145Seconds: 0 },
      },
    });
    const outcomes = [withRatio(0, 0.5), withRatio(1, 1), withRatio(2, 1, 1)];
    const report = fleetReport({ options, outcomes, wallMs: 0 });
    expect(report.failing.map((f) => f.index)).toEqual([0, 2]);
    const [short, over] = report.failing;
    expect(short!.index).toBe(0);
    expect(short!.broken).toContain('energy-floor');
    expect(short!.why.at(-1)).toBe(heldWhy(house.held));
    expect(short!.why.at(-1)).toMatch(
      /^cars held under their maximum [\d.]+ of the [\d.]+ car-hours they wanted energy/,
    );
    expect(house.held.wantingS).toBeGreaterThan(3600);
    // a house that breaks only a quarter keeps its own sentences, without the cars' hold
    expect(over!.broken).toEqual(['quarters']);
    expect(over!.why).toEqual(house.why);
  });
});
