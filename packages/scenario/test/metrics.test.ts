/**
 * The metrics the fleet's promises need, on hand-built scenarios whose answer is known by construction. The
 * test strategies below are registered for these tests only.
 */
import { join } from 'node:path';
import type { BalancerInput } from '@p1/balancer';
import { afterAll, describe, expect, it } from 'vitest';
import { heldWhy, whyOf } from '../src/fleet/house-run';
import { createMeter, loadScenario, parseScenario, runScenario, type Scenario, strategies } from '../src/index';

const START = '2025-01-15T18:00:00+01:00';
const startMs = Date.parse(START);

const scenario = (over: Record<string, unknown>): Scenario =>
  parseScenario(
    {
      start: START,
      durationS: 1800,
      site: { connection: '3N400', fuseA: 16 },
      baseLoadKw: 0,
      chargers: [{ id: 'cp1', phases: [1, 2, 3], maxA: 16 }],
      evs: [{ name: 'car1', charger: 'cp1', arrive: '17:00', depart: '23:00', needKwh: 500, lagS: 5, rampS: 0 }],
      ...over,
    },
    'metrics',
  );

/** A strategy that offers `limitAt(t, input)` to every charger, t in seconds since the scenario start. */
function scripted(name: string, limitAt: (t: number, input: BalancerInput) => number): void {
  strategies[name] = () => ({
    step(input) {
      const t = (input.nowMs - startMs) / 1000 - 1;
      return {
        chargers: input.chargers.map((c) => ({
          id: c.capabilities.id,
          limitA: c.measurement.vehiclePlugged ? limitAt(t, input) : 0,
          phases: 3 as const,
        })),
      };
    },
  });
}

let lastStamp: string | null = null;
scripted('test-flip', (t) => (Math.floor(t / 10) % 2 === 0 ? 16 : 10));
scripted('test-follow', () => 15.7);
scripted('test-pause', (t) => ((t >= 600 && t < 630) || (t >= 1200 && t < 1290) ? 0 : 16));
// The balancer's fail-safe to 6 A, then 0 A, and a restart 60 s after the 6 A; later an offer of 7 A for 30 s.
scripted('test-pause-car-min', (t) => {
  if (t >= 600 && t < 606) return 6;
  if (t >= 606 && t < 660) return 0;
  if (t >= 1200 && t < 1230) return 7;
  return 16;
});
scripted('test-freeze-aware', (_t, input) => {
  const stamp = input.reading?.timestamp ?? null;
  const frozen = stamp !== null && stamp === lastStamp;
  if (stamp !== null) lastStamp = stamp;
  return frozen ? 0 : 16;
});
// Our balancer fed a copy of every telegram and a fresh input, as a strategy that kept them would need.
strategies['test-default-on-copies'] = (config, sc) => {
  const inner = strategies.default!(config, sc);
  return {
    step: (input) =>
      inner.step({ nowMs: input.nowMs, reading: structuredClone(input.reading), chargers: input.chargers }),
  };
};
afterAll(() => {
  for (const s of [
    'test-flip',
    'test-follow',
    'test-pause',
    'test-pause-car-min',
    'test-freeze-aware',
    'test-default-on-copies',
  ])
    delete strategies[s];
});

describe('thermalPeak', () => {
  it('is the steady state of a constant line current over that of 1.13 × fuseA', () => {
    // 4.6 kW on L1 = 20 A on a 25 A breaker, all the time, no car.
    const sc = scenario({
      site: { connection: '3N400', fuseA: 25 },
      loads: [{ name: 'heater', phases: [1], kw: 4.6, at: '17:00', durationS: 7200 }],
      chargers: [],
      evs: [],
    });
    expect(runScenario(sc, { strategy: 'none' }).metrics.thermalPeak).toBeCloseTo(0.64 / 1.13 ** 2, 3);
    const fuse = { ...sc, site: { ...sc.site, breaker: 'gG' as const } };
    expect(runScenario(fuse, { strategy: 'none' }).metrics.thermalPeak).toBeCloseTo(0.64 / 1.25 ** 2, 3);
  });
});

describe('overloads above 1.45 × fuseA and their cause', () => {
  it('blames every on-step of a cycling hob that lands on a car at full current', () => {
    // The car draws 16 A on a 16 A fuse; each 90 s on-period of 10 A on L1 takes the line to 26 A > 23.2 A.
    const sc = scenario({
      loads: [{ name: 'hob', phases: [1], kw: 2.3, at: '18:05', durationS: 900, onS: 90, offS: 60 }],
    });
    const r = runScenario(sc, { strategy: 'none', skipOptimal: true });
    expect(r.over145Events).toHaveLength(6);
    expect(r.over145Events.every((e) => e.cause === 'hob' && e.seconds === 90)).toBe(true);
    expect(r.over145Events.map((e) => e.atS)).toEqual([300, 450, 600, 750, 900, 1050]);
    expect(r.metrics.over145RepeatMax).toBe(6);
    expect(r.metrics.over145Seconds).toBe(540);
    // and the fleet bench says it on the scenario's clock
    expect(whyOf(sc, r.over145Events, []).at(-1)).toBe('18:17:30 90 s above 1.45 × In, set off by hob');
  });

  it('blames the car that plugs in while the oven runs', () => {
    // L2 carries car1 (16 A) and the oven (10 A) on a 20 A fuse: over the fuse, under 1.45 × (29 A), until car2
    // plugs in on L2 at 18:10 and draws 16 A after its 5 s lag.
    const sc = scenario({
      site: { connection: '3N400', fuseA: 20 },
      loads: [{ name: 'oven', phases: [2], kw: 2.3, at: '18:00', durationS: 1800 }],
      chargers: [
        { id: 'cp1', phases: [1, 2, 3], maxA: 16 },
        { id: 'cp2', phases: [2], maxA: 16 },
      ],
      evs: [
        { name: 'car1', charger: 'cp1', arrive: '17:00', depart: '23:00', needKwh: 500, lagS: 5, rampS: 0 },
        { name: 'car2', charger: 'cp2', phases: 1, arrive: '18:10', depart: '23:00', needKwh: 500, lagS: 5, rampS: 0 },
      ],
    });
    const r = runScenario(sc, { strategy: 'none', skipOptimal: true });
    expect(r.over145Events).toEqual([{ atS: 606, cause: 'car2', seconds: 1800 - 606 }]);
    expect(r.metrics.over145RepeatMax).toBe(1);
  });
});

describe('quarters over the target and what switched on in them', () => {
  it('names each appliance that switched on in a quarter over, and whether it was its first that day', () => {
    // 3N400 25 A under 2.5 kW, the car at 16 A (11 kW) the whole hour: every quarter is over and the house alone
    // (a kettle at 18:05 and again at 18:20, an oven from 18:22) stays under it.
    const sc = scenario({
      durationS: 3600,
      site: { connection: '3N400', fuseA: 25, capacityTargetKw: 2.5 },
      loads: [
        { name: 'kettle', phases: [1], kw: 2.2, at: '18:05', durationS: 120 },
        { name: 'kettle', phases: [1], kw: 2.2, at: '18:20', durationS: 120 },
        { name: 'oven', phases: [2], kw: 3, at: '18:22', durationS: 180 },
      ],
    });
    const r = runScenario(sc, { strategy: 'none', skipOptimal: true, trace: true });
    expect(r.quartersOver.map((q) => q.atS)).toEqual([0, 900, 1800, 2700]);
    expect(r.quartersOver.map((q) => q.switchedOn)).toEqual([
      [{ name: 'kettle', lines: [1], kw: 2.2, first: true }],
      [
        { name: 'kettle', lines: [1], kw: 2.2, first: false },
        { name: 'oven', lines: [2], kw: 3, first: true },
      ],
      [],
      [],
    ]);
    // by what the quarter's average import was above its target
    for (const q of r.quartersOver) {
      const traced = r.trace!.quarters.find((t) => t.startS === q.atS)!;
      expect(q.overKw).toBeCloseTo(traced.avgKw - traced.targetKw!, 9);
    }
    expect(r.metrics.quartersOverTarget).toBe(4);
    expect(whyOf(sc, r.over145Events, r.quartersOver)[1]).toMatch(
      /^18:15 quarter \d+\.\d{3} kW over the target; switched on in it: kettle 2\.2 kW on L1, oven 3 kW on L2 \(first that day\)$/,
    );
  });
});

describe('how long the cars were held under their maximum, and why', () => {
  it('counts the seconds a car that wanted energy was offered less than it takes, by the strategy’s reason', () => {
    // test-flip offers 16 A and 10 A by turns of 10 s: the car (16 A, wanting 500 kWh) is held half the time,
    // under no reason of its own; a full car is not counted, and an offer that follows its draw holds nothing.
    const flip = runScenario(scenario({}), { strategy: 'test-flip', skipOptimal: true });
    expect(flip.held).toEqual({ wantingS: 1800, heldS: { held: 900 } });
    const full = scenario({
      evs: [{ name: 'car1', charger: 'cp1', arrive: '17:00', depart: '23:00', needKwh: 1, lagS: 5, rampS: 0 }],
    });
    const fullRun = runScenario(full, { strategy: 'test-flip', skipOptimal: true });
    // 1 kWh at 11 kW (16 A and 10 A by turns from the car's 5 s lag) lasts a few hundred seconds of the 1800
    expect(fullRun.held.wantingS).toBeGreaterThan(300);
    expect(fullRun.held.wantingS).toBeLessThan(600);
    expect(runScenario(scenario({}), { strategy: 'test-follow', skipOptimal: true }).held.heldS).toEqual({});
  });

  it('names our balancer’s reason: on 16 A it keeps room for an appliance not seen yet', () => {
    // 3N400 16 A, nothing on: 1.45 × 16 = 23.2 A leaves the car about 10 A beside the 13 A kept for an unseen step.
    const r = runScenario(scenario({}), { strategy: 'default', skipOptimal: true });
    expect(r.held.wantingS).toBe(1800);
    const [longest] = Object.entries(r.held.heldS).sort((a, b) => b[1] - a[1]);
    expect(longest?.[0]).toBe('headroom kept');
    expect(longest?.[1]).toBeGreaterThan(1750);
    expect(heldWhy(r.held)).toMatch(
      /^cars held under their maximum 0\.5 of the 0\.5 car-hours they wanted energy: headroom kept 0\.5 h$/,
    );
  });

  it('sums the reasons too short to name', () => {
    const held = { wantingS: 36_000, heldS: { 'L1 fuse': 7200, 'min pause': 200, ramp: 160 } };
    expect(heldWhy(held)).toBe(
      'cars held under their maximum 2.1 of the 10.0 car-hours they wanted energy: L1 fuse 2.0 h, other reasons 0.1 h',
    );
    expect(heldWhy({ wantingS: 3600, heldS: {} })).toBe(
      'cars held under their maximum 0.0 of the 1.0 car-hours they wanted energy',
    );
  });
});

describe('setpoint changes and pauses', () => {
  it('counts the busiest hour of the busiest charger', () => {
    const sc = scenario({ durationS: 7200 });
    const m = runScenario(sc, { strategy: 'test-flip', skipOptimal: true }).metrics;
    // A change every 10 s: 360 an hour (the very first offer, 0 → 16, falls in the first hour too).
    expect(m.setpointChangesMaxHour).toBe(360);
    expect(m.setpointChangesPerHour).toBe(360);
  });

  it('measures each pause the strategy imposed against the car’s tolerance', () => {
    const sc = scenario({
      evs: [{ name: 'car1', charger: 'cp1', arrive: '17:00', depart: '23:00', needKwh: 500, lagS: 5, minPauseS: 60 }],
    });
    const m = runScenario(sc, { strategy: 'test-pause', skipOptimal: true }).metrics;
    expect(m.pauses).toBe(2);
    expect(m.shortestPauseS).toBe(30);
    expect(m.pausesTooShort).toBe(1);
    expect(runScenario(sc, { strategy: 'none', skipOptimal: true }).metrics.shortestPauseS).toBeNull();
  });

  it('starts a pause where the offer goes below the car’s minimum, not the charger’s', () => {
    // A car that needs 8 A on a 6 A charger: 6 A stops it as surely as 0 A does, and so does 7 A.
    const sc = scenario({
      chargers: [{ id: 'cp1', phases: [1, 2, 3], minA: 6, maxA: 16 }],
      evs: [{ name: 'car1', charger: 'cp1', arrive: '17:00', depart: '23:00', needKwh: 500, minA: 8, minPauseS: 60 }],
    });
    const m = runScenario(sc, { strategy: 'test-pause-car-min', skipOptimal: true }).metrics;
    // 16 → 6 → 0 → 16: one pause of 60 s from the 6 A offer; 16 → 7 → 16: one of 30 s.
    expect(m.pauses).toBe(2);
    expect(m.shortestPauseS).toBe(30);
    expect(m.pausesTooShort).toBe(1);
  });
});

describe('fail-safe with a frozen meter', () => {
  const frozen = scenario({ faults: [{ kind: 'frozenMeter', at: '18:10', durationS: 120 }] });

  it('repeats the last telegram unchanged', () => {
    const meter = createMeter(frozen);
    const kw = [1, 1, 1];
    const a = [4.35, 4.35, 4.35];
    let before = null;
    // The meter overwrites its one telegram: keep a copy.
    for (let t = 0; t < 600; t++) before = structuredClone(meter.tick(t, kw, a));
    const repeat = meter.tick(600, [2, 2, 2], [9, 9, 9]);
    expect(meter.repeated).toBe(true);
    expect(before?.phases[0]?.currentA).toBe(4.35);
    expect(repeat).toEqual(before);
    meter.tick(719, kw, a);
    expect(meter.repeated).toBe(true);
    meter.tick(720, kw, a);
    expect(meter.repeated).toBe(false);
  });

  it('counts from the first repeated telegram until the cars are safe', () => {
    // A strategy that holds its setpoint never gets safe: the whole freeze counts.
    expect(runScenario(frozen, { strategy: 'none', skipOptimal: true }).metrics.failsafeMaxS).toBe(120);
    // One that stops the car at the first repeat: the car follows after its 5 s lag, 6 s after the last real one.
    lastStamp = null;
    expect(runScenario(frozen, { strategy: 'test-freeze-aware', skipOptimal: true }).metrics.failsafeMaxS).toBe(6);
  });
});

describe('the telegram and input the runner overwrites every second', () => {
  it('are all the balancer needs: fed copies, it decides exactly the same', () => {
    // The evening of a shipped house, with dropped telegrams and a freeze as the hob comes on: a balancer that
    // kept a telegram to compare with the next would find the two the same object.
    const shipped = loadScenario(join(import.meta.dirname, '../scenarios/be-3n400-dropped-telegrams.json'));
    const sc: Scenario = {
      ...shipped,
      start: '2025-01-15T17:00:00+01:00',
      durationS: 4 * 3600,
      faults: [...shipped.faults, { kind: 'frozenMeter', at: '18:19', durationS: 60 }],
    };
    const plain = runScenario(sc, { skipOptimal: true });
    const copies = runScenario(sc, { strategy: 'test-default-on-copies', skipOptimal: true });
    expect(plain.metrics.evEnergyKwh).toBeGreaterThan(0);
    expect({ ...copies.metrics, stepP99Us: 0 }).toEqual({ ...plain.metrics, stepP99Us: 0 });
    expect(copies.over145Events).toEqual(plain.over145Events);
  });
});
