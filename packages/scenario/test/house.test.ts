import { ampsForKw } from '@p1/balancer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createHouse,
  generateHouse,
  houseTimeline,
  PROFILES,
  parseScenario,
  type Scenario,
  STEP_MIN_A,
} from '../src/index';

const base = (over: Record<string, unknown> = {}) =>
  parseScenario(
    {
      start: '2025-01-15T00:00:00+01:00',
      site: { connection: '3N400', fuseA: 25 },
      baseLoadKw: 0,
      ...over,
    },
    'test.json',
  );

describe('house physics', () => {
  it('puts a single-phase load on its line at 230 V on 3N400', () => {
    const house = createHouse(base({ loads: [{ phases: [2], kw: 2.3, at: '00:00', durationS: 60 }] }));
    const s = house.step(10);
    expect(s.lineKw).toEqual([0, 2.3, 0]);
    expect(s.lineA[1]).toBeCloseTo(10, 6);
    expect(s.loadKw).toBeCloseTo(2.3, 6);
    expect(house.step(60).lineA[1]).toBe(0);
  });

  it('on 3x230 a single-phase load draws P/230 in both its lines, a three-phase one P/(√3·230)', () => {
    const house = createHouse(
      base({
        site: { connection: '3x230', fuseA: 25 },
        loads: [
          { phases: [1, 2], kw: 2.3, at: '00:00', durationS: 60 },
          { phases: [1, 2, 3], kw: 3.984, at: '00:01', durationS: 60 },
        ],
      }),
    );
    const a = house.step(0).lineA;
    expect(a[0]).toBeCloseTo(10, 6);
    expect(a[1]).toBeCloseTo(10, 6);
    expect(a[2]).toBe(0);
    const b = house.step(61).lineA;
    for (const x of b) expect(x).toBeCloseTo(3984 / (Math.sqrt(3) * 230), 6);
  });

  it('cycles a load onS on, offS off', () => {
    const house = createHouse(
      base({ loads: [{ phases: [1], kw: 1.5, at: '00:00', durationS: 120, onS: 30, offS: 30 }] }),
    );
    const on = [0, 29, 30, 59, 60, 119, 120].map((t) => house.step(t).lineKw[0] > 0);
    expect(on).toEqual([true, true, false, false, true, false, false]);
  });

  it('PV exports at noon in June, nothing at night, and is deterministic for a seed', () => {
    const sc = base({ start: '2025-06-21T00:00:00+02:00', pv: { peakKw: 6, clouds: 0.5 } });
    const h1 = createHouse(sc);
    const h2 = createHouse(sc);
    const night = h1.step(3600);
    h2.step(3600);
    expect(night.pvKw).toBe(0);
    const noon1 = h1.step(13.5 * 3600);
    const noon2 = h2.step(13.5 * 3600);
    expect(noon1).toEqual(noon2);
    expect(noon1.lineKw[0]).toBeLessThan(0);
    // With clouds, sampling every second or only at noon gives the same value.
    const h3 = createHouse(sc);
    for (let t = 0; t <= 13.5 * 3600; t += 1) h3.step(t);
    expect(h3.step(13.5 * 3600)).toEqual(noon1);
  });

  it('varies an irregular load’s cycles within its jitter, draws its levels, whatever the sampling', () => {
    const sc = base({
      seed: 5,
      loads: [{ phases: [1], kw: 2, at: '00:00', durationS: 7200, onS: 100, offS: 100, jitter: 0.5, levels: [1, 2] }],
    });
    const house = createHouse(sc);
    const kw: number[] = [];
    for (let t = 0; t < 7200; t++) kw.push(house.step(t).lineKw[0]);
    // Run lengths of on and off.
    const runs: Array<[boolean, number]> = [];
    for (const x of kw) {
      const on = x > 0;
      if (runs.length > 0 && runs[runs.length - 1]![0] === on) runs[runs.length - 1]![1]++;
      else runs.push([on, 1]);
    }
    const inner = runs.slice(1, -1).map(([, n]) => n);
    expect(Math.min(...inner)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...inner)).toBeLessThanOrEqual(150);
    expect(new Set(inner).size).toBeGreaterThan(5);
    expect(new Set(kw.filter((x) => x > 0))).toEqual(new Set([1, 2]));
    // The same values sampled every 7 s from a fresh house.
    const sparse = createHouse(sc);
    for (let t = 0; t < 7200; t += 7) expect(sparse.step(t).lineKw[0]).toBe(kw[t]);
  });
});

/**
 * The timeline the bench shares between strategies, checked against the house stepped second by second: the
 * same lines to the bit, and as on-steps the seconds where an appliance's power rises by STEP_MIN_A or more on
 * its lines, in time order, then scenario order.
 */
function expectTimelineMatchesSteps(sc: Scenario): void {
  const tl = houseTimeline(sc);
  const house = createHouse(sc);
  const { connection } = sc.site;
  const kw: [number, number, number] = [0, 0, 0];
  const a: [number, number, number] = [0, 0, 0];
  const before = new Float64Array(sc.loads.length);
  const steps: Array<[number, number, number]> = [];
  let differ: string | null = null;
  for (let t = 0; t < sc.durationS; t++) {
    house.stepInto(t, kw, a);
    for (let l = 0; l < 3 && differ === null; l++)
      if (!Object.is(tl.lineKw[l]![t], kw[l]) || !Object.is(tl.lineA[l]![t], a[l]))
        differ = `L${l + 1} at t=${t}: ${tl.lineKw[l]![t]} kW ${tl.lineA[l]![t]} A, stepped ${kw[l]} kW ${a[l]} A`;
    sc.loads.forEach((load, i) => {
      const rise = house.loadPowers[i]! - before[i]!;
      before[i] = house.loadPowers[i]!;
      const phases = connection === '1x230' ? [1] : load.phases;
      if (t > 0 && rise * ampsForKw(connection, phases.length, 1) >= STEP_MIN_A)
        steps.push([t, i, phases.reduce((m, p) => m | (1 << (p - 1)), 0)]);
    });
  }
  expect(differ, sc.name).toBeNull();
  const got = Array.from({ length: tl.steps.count }, (_, k) => [tl.steps.t[k], tl.steps.load[k], tl.steps.lines[k]]);
  expect(got).toEqual(steps);
}

describe('houseTimeline', () => {
  it('is the house stepped second by second, bit for bit, with its on-steps (generated houses)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(...PROFILES), (index, profile) =>
        expectTimelineMatchesSteps(generateHouse(91, index, profile)),
      ),
      { numRuns: 12 },
    );
  });

  it('is the house stepped second by second on the days summer time starts and ends', () => {
    // Appliances whose windows open in, or span, the hour that is skipped or repeated, cycling or not.
    const loads = [
      { name: 'heater', phases: [1], kw: 2, at: '02:30', durationS: 1800 },
      { name: 'pump', phases: [2], kw: 1.2, at: '01:50', durationS: 5400, onS: 300, offS: 200, jitter: 0.3 },
      { name: 'boiler', phases: [1, 2, 3], kw: 3, at: '23:00', durationS: 14_400, onS: 600, offS: 600 },
      { name: 'hob', phases: [3], kw: 2.4, at: '03:10', durationS: 900, onS: 90, offS: 60, levels: [1.2, 2.4] },
    ];
    for (const start of ['2025-03-30T00:00:00+01:00', '2025-10-26T00:00:00+02:00', '2025-03-29T12:00:00+01:00'])
      expectTimelineMatchesSteps(
        parseScenario(
          {
            start,
            durationS: 86_400,
            site: { connection: '3N400', fuseA: 25 },
            baseLoadKw: 0.3,
            pv: { peakKw: 4, clouds: 0.4 },
            loads,
          },
          `dst ${start}`,
        ),
      );
  });
});
