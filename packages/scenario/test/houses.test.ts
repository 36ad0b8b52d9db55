/** The house generator: determinism, valid scenarios, the documented ranges, physical sanity, coverage. */
import { createHash } from 'node:crypto';
import { ampsForKw } from '@p1/balancer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APPLIANCES,
  generateHouse,
  generateHouses,
  houseTimeline,
  PROFILES,
  type Profile,
  parseScenario,
  parseStart,
  parseTimeOfDay,
  type Scenario,
} from '../src/index';

const json = (x: unknown) => JSON.stringify(x);

/** The ranges the README documents (section "House generator"). */
const FUSES = {
  be: { '1x230': [40, 50, 63], '3x230': [25, 32, 40], '3N400': [16, 20, 25, 32] },
  nl: { '1x230': [25, 35, 40], '3N400': [25, 35] },
} as const;
const TARGETS = [2.5, 3, 3.5, 4, 5, 6, 7, 8];
/** Highest nameplate power per appliance (kW). */
const MAX_KW: Record<string, number> = {
  'heat pump': 3.5,
  'electric boiler': 3,
  'boiling-water tap': 2.2,
  sauna: 9,
  oven: 3.5,
  'induction hob': 3.7,
  'air fryer': 2,
  microwave: 1.5,
  kettle: 3,
  'washing machine': 2.3,
  'tumble dryer': 2.8,
  dishwasher: 2.2,
  airco: 2.5,
  'hair dryer': 2.2,
  'space heater': 2,
};

function checkRanges(h: Scenario, profile: Profile): void {
  const { site } = h;
  const fuses = (FUSES[profile] as Record<string, readonly number[]>)[site.connection];
  expect(fuses, `${h.name}: connection ${site.connection}`).toBeDefined();
  expect(fuses).toContain(site.fuseA);
  expect(site.breaker).toBe(profile === 'be' ? 'C' : 'gG');
  // Dutch meters send whole amperes; Belgian ones two decimals (the default)
  expect(site.currentDecimals).toBe(profile === 'nl' ? 0 : undefined);
  if (profile === 'nl') expect(site.capacityTargetKw).toBeNull();
  else if (site.capacityTargetKw !== null) expect(TARGETS).toContain(site.capacityTargetKw);
  expect(site.monthPeakKw === 0 || (site.monthPeakKw >= 2.5 && site.monthPeakKw <= 5)).toBe(true);
  expect(h.durationS).toBe(86_400);
  expect(h.start).toMatch(/^2025-\d\d-\d\dT00:00:00\+0[12]:00$/);
  expect(h.baseLoadKw).toBeGreaterThanOrEqual(0.15);
  expect(h.baseLoadKw).toBeLessThanOrEqual(0.5);
  for (const l of h.loads) {
    expect(MAX_KW[l.name], `unknown appliance ${l.name}`).toBeDefined();
    expect(l.kw).toBeGreaterThan(0);
    expect(l.kw).toBeLessThanOrEqual(MAX_KW[l.name]! + 1e-9);
    for (const v of l.levels ?? []) expect(v).toBeLessThanOrEqual(l.kw);
    if (l.name === 'sauna') expect(l.phases).toEqual([1, 2, 3]);
  }
  expect(h.evs.length).toBeGreaterThanOrEqual(1);
  expect(h.evs.length).toBeLessThanOrEqual(3);
  for (const [i, ev] of h.evs.entries()) {
    const ch = h.chargers[i]!;
    expect(ev.charger).toBe(ch.id);
    expect(ev.minA).toBeGreaterThanOrEqual(6);
    expect(ev.minA).toBeLessThanOrEqual(8);
    expect([16, 32]).toContain(ev.maxA);
    expect(ev.lagS).toBeGreaterThanOrEqual(2);
    expect(ev.lagS).toBeLessThanOrEqual(5);
    expect(ev.rampS).toBeGreaterThanOrEqual(5);
    expect(ev.rampS).toBeLessThanOrEqual(30);
    expect(ev.drawRatio).toBeGreaterThanOrEqual(0.88);
    expect(ev.drawRatio).toBeLessThanOrEqual(1);
    expect(ev.needKwh).toBeGreaterThan(0);
    expect(ev.needKwh).toBeLessThanOrEqual(70);
    expect([60, 120, 300]).toContain(ev.minPauseS);
    expect(ch.maxA).toBeLessThanOrEqual(site.fuseA);
    if (site.connection === '1x230') expect(ev.phases).toBe(1);
  }
  if (h.pv) {
    expect(h.pv.peakKw).toBeGreaterThan(0);
    expect(h.pv.peakKw).toBeLessThanOrEqual(9);
    if (h.pv.phases.length < 3 || site.connection === '1x230') expect(h.pv.peakKw).toBeLessThanOrEqual(5);
  }
  for (const f of h.faults) {
    if (f.kind === 'dropTelegrams') expect(f.rate).toBeLessThanOrEqual(0.05);
    if (f.kind === 'meterOutage') expect([f.durationS >= 20, f.durationS <= 300]).toEqual([true, true]);
    if (f.kind === 'frozenMeter') expect([f.durationS >= 20, f.durationS <= 120]).toEqual([true, true]);
  }
}

describe('generateHouses', () => {
  it('gives the same houses for the same seed, and house i does not depend on how many are drawn', () => {
    expect(json(generateHouses({ n: 6, seed: 9 }))).toBe(json(generateHouses({ n: 6, seed: 9 })));
    expect(json(generateHouses({ n: 12, seed: 9 }).slice(0, 6))).toBe(json(generateHouses({ n: 6, seed: 9 })));
    expect(json(generateHouse(9, 3))).not.toBe(json(generateHouse(10, 3)));
  });

  it('writes byte-identical houses on every machine (digest of 25 houses per profile)', () => {
    const digest = (profile: Profile) =>
      createHash('sha256')
        .update(json(generateHouses({ n: 25, seed: 2024, profile })))
        .digest('hex');
    expect(digest('be')).toBe('f47c8633ce36d007b3de1d5d91a9bdc604626583200a8ce0da95a11db476551c');
    expect(digest('nl')).toBe('6008fea1bebeef7e5d08d3798c785f9568efb2539c6c54ccb69f7ac5279b6cc2');
  });

  it('never runs one appliance twice at once: a preheat ends where its thermostat starts, one dish at a time', () => {
    // appliances with one heating element (or one magnetron): their load entries take turns
    const single = ['microwave', 'oven', 'air fryer', 'sauna', 'kettle'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 9999 }), (seed, index) => {
        const house = generateHouse(seed, index, 'be');
        for (const name of single) {
          const spans = house.loads
            .filter((l) => l.name === name)
            .map((l) => [parseTimeOfDay(l.at) ?? Number.NaN, (parseTimeOfDay(l.at) ?? Number.NaN) + l.durationS])
            .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
          for (let k = 1; k < spans.length; k++) expect(spans[k]?.[0]).toBeGreaterThanOrEqual(spans[k - 1]?.[1] ?? 0);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('every house is a valid scenario that parses back to itself, inside the documented ranges', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_147_483_647 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom(...PROFILES),
        (seed, index, profile) => {
          const h = generateHouse(seed, index, profile);
          expect(parseScenario(JSON.parse(json(h)), 'generated')).toEqual(h);
          checkRanges(h, profile);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps the house alone under its fuse, and no line above what its loads can draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(...PROFILES), (index, profile) => {
        const h = generateHouse(77, index, profile);
        const { connection, fuseA } = h.site;
        const tl = houseTimeline(h);
        const lines = connection === '1x230' ? [1] : [1, 2, 3];
        for (const line of lines) {
          // What the line's loads can draw at most: the standby load's peak plus every appliance on it.
          let most = ampsForKw(connection, lines.length, h.baseLoadKw * 1.1);
          for (const l of h.loads) {
            const on = connection === '1x230' ? [1] : l.phases;
            if (on.includes(line as 1 | 2 | 3)) most += ampsForKw(connection, on.length, l.kw);
          }
          const pvOn = h.pv && (connection === '1x230' || h.pv.phases.includes(line as 1 | 2 | 3));
          const pvA = pvOn ? ampsForKw(connection, connection === '1x230' ? 1 : h.pv!.phases.length, h.pv!.peakKw) : 0;
          const a = tl.lineA[line - 1]!;
          let wrong: string | null = null;
          for (let t = 0; t < h.durationS && wrong === null; t++) {
            const x = a[t]!;
            if (Math.abs(x) > fuseA) wrong = `L${line} at ${x.toFixed(2)} A above the ${fuseA} A fuse at t=${t}`;
            else if (x > most + 1e-9)
              wrong = `L${line} at ${x.toFixed(2)} A above its loads' ${most.toFixed(2)} A at t=${t}`;
            else if (x < -pvA - 1e-9) wrong = `L${line} exporting ${x.toFixed(2)} A, more than its PV at t=${t}`;
          }
          expect(wrong, h.name).toBeNull();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a fleet contains every case the bench must see', () => {
    const fleet = generateHouses({ n: 300, seed: 1 });
    const has = (p: (h: Scenario) => boolean) => fleet.some(p);
    for (const a of APPLIANCES)
      expect(
        has((h) => h.loads.some((l) => l.name === a.name)),
        a.name,
      ).toBe(true);
    for (const c of ['1x230', '3x230', '3N400'])
      expect(
        has((h) => h.site.connection === c),
        c,
      ).toBe(true);
    expect(has((h) => h.site.capacityTargetKw === null)).toBe(true);
    expect(has((h) => h.site.capacityTargetKw === 2.5)).toBe(true);
    expect(has((h) => h.evs.length === 3)).toBe(true);
    expect(has((h) => h.evs.some((e) => e.minA === 8))).toBe(true);
    expect(has((h) => h.chargers.some((c) => c.switchPhases))).toBe(true);
    expect(has((h) => h.chargers.some((c) => c.phases.length === 1))).toBe(true);
    // Chargers whose currents come late: those that refuse a 1 s MeterValueSampleInterval.
    for (const every of [1, 5, 10])
      expect(
        has((h) => h.chargers.some((c) => c.sampleEveryS === every)),
        `sampleEveryS ${every}`,
      ).toBe(true);
    expect(has((h) => h.pv?.phases.length === 3)).toBe(true);
    expect(has((h) => h.pv !== null && h.pv.phases.length < 3)).toBe(true);
    for (const kind of ['dropTelegrams', 'meterOutage', 'frozenMeter'])
      expect(
        has((h) => h.faults.some((f) => f.kind === kind)),
        kind,
      ).toBe(true);
    // A second car that plugs in while the oven or the hob runs.
    const whileCooking = fleet.filter((h) => {
      const arrive = h.evs[1] ? parseTimeOfDay(h.evs[1].arrive)! : -1;
      return h.loads.some((l) => {
        const at = parseTimeOfDay(l.at)!;
        return (
          (l.name === 'oven' || l.name === 'induction hob') &&
          at >= 16 * 3600 &&
          arrive > at &&
          arrive < at + l.durationS
        );
      });
    });
    expect(whileCooking.length).toBeGreaterThan(5);
    expect(fleet.every((h) => !Number.isNaN(parseStart(h.start)))).toBe(true);
  });
});
