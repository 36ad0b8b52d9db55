import type { ChargerInput, MeterSnapshot } from '@p1/balancer';
import { describe, expect, it } from 'vitest';
import { configForScenario, parseScenario, strategies } from '../src/index';

const scenario = parseScenario(
  { site: { connection: '3N400', fuseA: 25 }, chargers: [{ id: 'cp1', maxA: 32 }], evs: [] },
  'strategies',
);
const T0 = Date.parse('2025-01-15T18:00:00+01:00');

function reading(lineA: number[]): MeterSnapshot {
  return {
    ok: true,
    timestamp: null,
    power: { importKw: 0, exportKw: 0 },
    phases: lineA.map((a, i) => ({
      phase: (i + 1) as 1 | 2 | 3,
      voltageV: 230,
      currentA: a,
      importKw: 0,
      exportKw: 0,
    })),
    capacity: null,
  };
}

function charger(drawnA: number): ChargerInput {
  return {
    capabilities: { id: 'cp1', phases: [1, 2, 3], minA: 6, maxA: 32, switchPhases: false, safeA: 6 },
    measurement: {
      connected: true,
      vehiclePlugged: true,
      currentA: [drawnA, drawnA, drawnA],
      sessionKwh: 0,
      appliedLimitA: null,
      appliedPhases: null,
      at: 0,
    },
  };
}

/** Runs a strategy against a house of `houseA` on the highest line; the car draws what it is offered. */
function run(name: string, seconds: number, houseA: (s: number) => number): number[] {
  const s = strategies[name]!(configForScenario(scenario), scenario);
  let offered = 0;
  const out: number[] = [];
  for (let t = 0; t < seconds; t++) {
    const d = s.step({
      nowMs: T0 + t * 1000,
      reading: reading([houseA(t) + offered, offered, offered]),
      chargers: [charger(offered)],
    });
    offered = d.chargers[0]!.limitA;
    out.push(offered);
  }
  return out;
}

describe('reference strategies', () => {
  it('none offers the charger maximum', () => {
    expect(run('none', 3, () => 20)).toEqual([32, 32, 32]);
  });

  it('highest-phase-30s moves by the whole gap, only every 30 s', () => {
    const a = run('highest-phase-30s', 65, (t) => (t < 40 ? 5 : 15));
    expect(a[0]).toBe(20);
    expect(a[29]).toBe(20);
    // At 40 s the oven overloads L1 (35 A) but nothing happens until the next 30 s tick.
    expect(a[45]).toBe(20);
    expect(a[60]).toBe(10);
  });

  it('quarter-gap-2s cuts at once and raises by a quarter of the gap every 2 s', () => {
    const a = run('quarter-gap-2s', 12, (t) => (t === 5 ? 15 : 5));
    expect(a[0]).toBe(6);
    // 25 − (5 + 6) = 14 A gap → +3.5 A two seconds later.
    expect(a[2]).toBe(9.5);
    expect(a[4]).toBe(12.1);
    // The 10 A step at t = 5 overloads L1 by 7.1 A: cut at once.
    expect(a[5]).toBeLessThan(a[4]!);
  });
});
