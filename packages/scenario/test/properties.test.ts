/**
 * Property tests of the balancer in the full bench physics: random appliance steps, cars with lag, ramps
 * and lazy draws, the meter with its telegrams.
 */
import { kwForAmps } from '@p1/balancer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, runScenario } from '../src/index';

const hhmmss = (s: number) =>
  [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((x) => String(x).padStart(2, '0')).join(':');

type Connection = '1x230' | '3x230' | '3N400';

/** The grid lines a single-phase appliance on "line" l uses: between two lines on 3x230, line 1 on 1x230. */
const phasesOf = (connection: Connection, l: number) =>
  connection === '1x230' ? [1] : connection === '3x230' ? [l, (l % 3) + 1] : [l];

/**
 * Appliances switching on at least 10 s apart, each a step of at most `maxStepA` per line, at most two on any
 * grid line (so the house alone stays near the fuse: a breaker behind a house that alone overloads it trips
 * whatever the balancer does).
 */
function loadsArb(fuseA: number, maxStepA: number, horizonS: number, connection: Connection = '3N400') {
  return fc
    .array(
      fc.record({
        line: fc.constantFrom(1, 2, 3),
        amps: fc.double({ min: 1, max: maxStepA, noNaN: true }),
        slot: fc.integer({ min: 1, max: Math.floor(horizonS / 10) - 2 }),
        durationS: fc.integer({ min: 5, max: 1200 }),
        cycle: fc.option(fc.tuple(fc.integer({ min: 5, max: 60 }), fc.integer({ min: 5, max: 60 })), { nil: null }),
      }),
      { maxLength: 8 },
    )
    .map((loads) => {
      const perLine = new Map<number, number>();
      const slots = new Set<number>();
      return loads
        .filter((l) => {
          const lines = phasesOf(connection, l.line);
          if (lines.some((x) => (perLine.get(x) ?? 0) >= 2)) return false;
          if (slots.has(l.slot) || slots.has(l.slot - 1) || slots.has(l.slot + 1)) return false;
          for (const x of lines) perLine.set(x, (perLine.get(x) ?? 0) + 1);
          slots.add(l.slot);
          return true;
        })
        .map((l, i) => ({
          name: `load${i}`,
          phases: phasesOf(connection, l.line),
          kw: Math.min(l.amps, fuseA * 0.45) * 0.23,
          at: hhmmss(18 * 3600 + l.slot * 10),
          durationS: l.durationS,
          onS: l.cycle?.[0] ?? 0,
          offS: l.cycle?.[1] ?? 0,
        }));
    });
}

const carArb = fc.record({
  phases: fc.constantFrom(1, 3),
  maxA: fc.integer({ min: 10, max: 32 }),
  lagS: fc.integer({ min: 1, max: 6 }),
  rampS: fc.integer({ min: 0, max: 30 }),
  drawRatio: fc.double({ min: 0.6, max: 1, noNaN: true }),
});

describe('property: no line above 1.45 × fuse under random load steps', () => {
  it('holds with one or two cars on every connection type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Connection>('3N400', '3x230', '1x230'),
        fc.integer({ min: 16, max: 50 }),
        fc.array(carArb, { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 0, max: 1000 }),
        (connection, fuseA, cars, seed) => {
          const loads = fc.sample(loadsArb(fuseA, fuseA * 0.4, 1800, connection), { seed, numRuns: 1 })[0]!;
          const scenario = parseScenario(
            {
              start: '2025-01-15T18:00:00+01:00',
              durationS: 1800,
              seed,
              site: { connection, fuseA },
              baseLoadKw: 0.3,
              loads,
              chargers: cars.map((c, i) => ({
                id: `cp${i}`,
                phases: connection === '1x230' ? [1] : c.phases === 3 ? [1, 2, 3] : phasesOf(connection, i + 1),
                maxA: 32,
              })),
              evs: cars.map((c, i) => ({
                charger: `cp${i}`,
                arrive: '17:00',
                depart: '23:00',
                needKwh: 500,
                ...c,
                phases: connection === '1x230' ? 1 : c.phases,
              })),
            },
            'property',
          );
          const m = runScenario(scenario, { skipOptimal: true }).metrics;
          expect(m.over145Seconds).toBe(0);
          expect(m.overloadMaxEventS).toBeLessThanOrEqual(10);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('property: no quarter over target where the house alone stays under it', () => {
  it('holds for random appliance schedules under a random target', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 2.5, max: 8, noNaN: true }),
        carArb,
        fc.integer({ min: 0, max: 1000 }),
        (target, car, seed) => {
          // Appliances small enough that the house alone stays under the target at every moment.
          const maxStepA = Math.min(((target - 0.4) / 0.23) * 0.5, 25 * 0.4);
          const loads = fc.sample(loadsArb(25, maxStepA, 2700), { seed, numRuns: 1 })[0]!;
          const scenario = parseScenario(
            {
              start: '2025-01-15T18:00:00+01:00',
              durationS: 2700,
              seed,
              site: { connection: '3N400', fuseA: 25, capacityTargetKw: target },
              baseLoadKw: 0.3,
              loads,
              chargers: [{ id: 'cp1', phases: car.phases === 3 ? [1, 2, 3] : [2], maxA: 32 }],
              evs: [{ charger: 'cp1', arrive: '17:00', depart: '23:00', needKwh: 500, ...car }],
            },
            'property',
          );
          const m = runScenario(scenario, { skipOptimal: true }).metrics;
          expect(m.quartersOverTarget).toBe(0);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('property: an appliance not seen yet is no larger than takes the house alone to its fuse', () => {
  it('a car charges beside a heavy load on its line; a first switch-on up to the fuse stays under 1.45 × In', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Connection>('3N400', '3x230'),
        fc.constantFrom(16, 20, 25),
        fc.double({ min: 0.25, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 600, max: 1500 }),
        carArb.filter((c) => c.drawRatio > 0.8),
        (connection, fuseA, heavyShare, stepShare, stepAtS, car) => {
          // The heavy load, on before the car arrives, leaves the car's 6 A and the 0.5 A margin under the fuse;
          // the step then takes the house alone to within 1 A of its fuse at most (base load included), and is no
          // larger than the 3 kW (13.04 A) kept for an appliance not seen yet: on a 25 A fuse that is the smaller
          // (a 13.7 A step beside a 9 A heat pump went 0.05 A over 1.45 × In for a second).
          const heavyA = fuseA * 0.25 + (fuseA - 7.5 - fuseA * 0.25) * heavyShare;
          const stepA = Math.min(3000 / 230, 1 + (fuseA - 1 - 1 - heavyA - 1) * stepShare);
          const lines = phasesOf(connection, 1);
          const scenario = parseScenario(
            {
              start: '2025-01-15T18:00:00+01:00',
              durationS: stepAtS + 600,
              seed: 1,
              site: { connection, fuseA },
              baseLoadKw: 0.3,
              loads: [
                { name: 'heat pump', phases: lines, kw: heavyA * 0.23, at: '18:00:10', durationS: 7200 },
                {
                  name: 'first oven',
                  phases: lines,
                  kw: stepA * 0.23,
                  at: hhmmss(18 * 3600 + stepAtS),
                  durationS: 300,
                },
              ],
              chargers: [{ id: 'cp1', phases: lines, maxA: 32 }],
              evs: [{ charger: 'cp1', arrive: '18:01', depart: '23:00', needKwh: 500, ...car, phases: 1 }],
            },
            'property',
          );
          const m = runScenario(scenario, { skipOptimal: true }).metrics;
          expect(m.over145Seconds).toBe(0);
          expect(m.overloadMaxEventS).toBeLessThanOrEqual(10);
          // Between its arrival and the step the car charged, at its 6 A minimum at least for most of the time.
          expect(m.evEnergyKwh).toBeGreaterThan((0.5 * 6 * 0.23 * car.drawRatio * (stepAtS - 60)) / 3600);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('property: a run near the car’s full power is not toggled', () => {
  it('at most 12 setpoint changes a quarter, and no quarter over, whatever share of its offer the car draws', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 3),
        fc.double({ min: 0.5, max: 1.1, noNaN: true }),
        fc.double({ min: 0.85, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 30 }),
        fc.constantFrom(16, 32),
        fc.integer({ min: 0, max: 1000 }),
        (phases, share, drawRatio, lagS, rampS, chargerMaxA, seed) => {
          // A target whose budget, after the house's 0.3 kW, is about the car's full power for `share` of the
          // quarter: the run at the quarter's end then needs close to full power for much of it.
          const fullKw = kwForAmps(phases === 3 ? '3N400' : '1x230', phases, 16) * drawRatio;
          const scenario = parseScenario(
            {
              start: '2025-01-15T18:00:00+01:00',
              durationS: 7200,
              seed,
              site: { connection: phases === 3 ? '3N400' : '1x230', fuseA: 63, capacityTargetKw: 0.3 + share * fullKw },
              baseLoadKw: 0.3,
              loads: [],
              chargers: [{ id: 'cp1', phases: phases === 3 ? [1, 2, 3] : [1], maxA: chargerMaxA }],
              evs: [
                {
                  charger: 'cp1',
                  arrive: '17:00',
                  depart: '23:00',
                  needKwh: 500,
                  phases,
                  maxA: 16,
                  lagS,
                  rampS,
                  drawRatio,
                },
              ],
            },
            'property',
          );
          const m = runScenario(scenario, { skipOptimal: true }).metrics;
          expect(m.setpointChangesMaxHour).toBeLessThanOrEqual(48);
          expect(m.quartersOverTarget).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);
});

describe('property: a passing cloud does not trim the limit every second', () => {
  it('at most 100 setpoint changes in any hour, no quarter over, nothing above 1.45 × In', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 3),
        fc.constantFrom(16, 25),
        fc.double({ min: 3, max: 8, noNaN: true }),
        fc.double({ min: 0.3, max: 0.8, noNaN: true }),
        fc.integer({ min: 1, max: 6 }),
        fc.option(fc.double({ min: 2.5, max: 5.5, noNaN: true }), { nil: null }),
        fc.integer({ min: 0, max: 1000 }),
        (phases, fuseA, peakKw, clouds, lagS, targetKw, seed) => {
          // Midday with clouds: the sun comes and goes over 20 s at a time, the house's import with it, and the
          // room a car may take (under the fuse's reserve, or under the quarter's budget) follows.
          const lines = phases === 3 ? [1, 2, 3] : [1];
          const scenario = parseScenario(
            {
              start: '2025-06-15T11:00:00+02:00',
              durationS: 10_800,
              seed,
              site: { connection: phases === 3 ? '3N400' : '1x230', fuseA, capacityTargetKw: targetKw },
              baseLoadKw: 0.4,
              loads: [],
              pv: { peakKw, phases: lines, clouds },
              chargers: [{ id: 'cp1', phases: lines, maxA: 16 }],
              evs: [
                { charger: 'cp1', arrive: '10:00', depart: '15:00', needKwh: 500, phases, maxA: 16, lagS, rampS: 10 },
              ],
            },
            'property',
          );
          const m = runScenario(scenario, { skipOptimal: true }).metrics;
          // Trims every second came to 85–118 in the worst hour of such middays. Waiting for the car except in
          // the run at a quarter's end, up to 107 (3 phases, 16 A, 6.5 kW, clouds 0.78, lag 1 s, 4.1 kW target);
          // in the run too, while the car stays clear of its minimum, 86 there and at most 88 in 200 draws.
          expect(m.setpointChangesMaxHour).toBeLessThanOrEqual(100);
          expect(m.quartersOverTarget).toBe(0);
          expect(m.over145Seconds).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);
});
