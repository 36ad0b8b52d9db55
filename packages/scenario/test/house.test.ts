import { describe, expect, it } from 'vitest';
import { createHouse, parseScenario } from '../src/index';

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
