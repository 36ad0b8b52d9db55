/**
 * Every shipped scenario keeps the safety promises of issue 11 §2 with our strategy: the hand-made ones, and
 * the houses of the fleet that once broke one (kept as regressions, see the scenario README).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, SAFETY_PROMISES, type Scenario } from '../src/index';

const dir = join(import.meta.dirname, '..', 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('shipped scenarios keep the safety promises', () => {
  // `be-3n400-16a-three-phase-car-boiler` no longer shows it: since the quarter's run may start early a little
  // under full power, its car draws 12 A rather than 14 A when the boiler comes, and L1 stays under 1.45 × In
  // even without the room. Its safety promises are still checked below, as every file's.
  const firstSwitchOn = [
    'be-3n400-16a-first-boiler.json',
    'be-3n400-20a-first-oven.json',
    'be-3n400-16a-two-cars-boiler.json',
  ];
  it.each(firstSwitchOn)('%s is a regression: without room for an unseen appliance it goes above 1.45 × In', (file) => {
    expect(files).toContain(file);
    const sc = loadScenario(join(dir, file));
    const m = runScenario(sc, { skipOptimal: true, config: { margins: { unseenStepKw: 0 } } }).metrics;
    expect(m.over145Seconds).toBeGreaterThan(0);
  });
  const failsafePause = ['be-3x230-40a-outage-8a-car.json', 'be-3n400-32a-frozen-meter-8a-car.json'];
  it.each(failsafePause)('%s is a regression: the fail-safe pauses a car at the edge of what it tolerates', (file) => {
    expect(files).toContain(file);
    const sc = loadScenario(join(dir, file));
    // A car that needs more than the 6 A a charger falls back to, and a meter that goes silent or freezes.
    expect(sc.evs.some((ev) => ev.minA > 6 && (ev.minPauseS ?? 0) === 60)).toBe(true);
    const m = runScenario(sc, { skipOptimal: true }).metrics;
    expect(m.failsafeMaxS).toBeGreaterThan(0);
    // Counted from the 0 A after the fail-safe's 6 A, its pause came out 54–55 s.
    expect(m.shortestPauseS).toBe(60);
  });
  // Houses of the fleet that once got too little of the perfect-foresight bound: the file, its ratio before the fix,
  // the least it must get now, and what made it the case it is.
  const energyRegressions: Array<[string, number, number, (sc: Scenario) => boolean]> = [
    // A single-phase car held the line the three-phase car's 6 A needed.
    ['be-3n400-16a-three-phase-car-after-phev.json', 0.41, 0.85, (sc) => sc.evs.length === 2],
    // The full car's minimum let the plan hand out shares only it fitted, under a 2.5 kW target.
    ['be-3n400-25a-full-car-beside-switching-car.json', 0.7, 0.85, (sc) => sc.site.capacityTargetKw === 2.5],
    // Its trial at going first fell while a hob and an air fryer cycled; then banned for the session.
    [
      'be-3n400-16a-three-phase-car-trial-during-cooking.json',
      0.76,
      0.85,
      (sc) => sc.chargers.map((c) => c.phases.length).join() === '3,1',
    ],
    // The next quarter's early share, offered in the last seconds, paused two of its three cars at every quarter.
    ['be-3x230-25a-three-cars-quarter-end.json', 0.79, 0.8, (sc) => sc.evs.length === 3],
    // A charger that samples the car every 5 s: the car's own ramp, seen late, read as house and cut it all day.
    // (`be-3x230-40a-car-sampled-every-10s`, whose ramp looked like the car's own limit, breaks the setpoint
    // promise that every file below is held to.)
    ['be-3n400-16a-car-sampled-every-5s.json', 0.58, 0.95, (sc) => sc.chargers.every((c) => c.sampleEveryS === 5)],
  ];
  it.each(energyRegressions)('%s is a regression of the energy promise (was %s)', (file, _was, atLeast, shows) => {
    expect(files).toContain(file);
    const sc = loadScenario(join(dir, file));
    expect(shows(sc)).toBe(true);
    expect(runScenario(sc).metrics.evEnergyRatio).toBeGreaterThan(atLeast);
  });
  it('be-3n400-25a-10s-meter-cooking-quarter is a regression: a 10 s meter’s quarters counted as the meter does', () => {
    // No quarter average (as Luxembourg's Smarty): counted from each telegram's power held for 10 s, an evening
    // of cycling hob zones came to 2.79 kW where the meter counted 2.73, and 20 quarters ended over that peak.
    const sc = loadScenario(join(dir, 'be-3n400-25a-10s-meter-cooking-quarter.json'));
    expect(sc.site.telegramEveryS).toBe(10);
    expect(runScenario(sc, { skipOptimal: true }).metrics.quartersOverTarget).toBe(0);
  });
  // Houses whose appliance, the first time it comes, steps by more than the room kept for one not seen yet (an
  // 8.4 kW sauna; a heat pump's top level, 14 A against 13, twice; an oven of 13.9 A; a 3.45 kW hob zone): above
  // 1.45 × In once, which the fleet allows in 1 % of its houses. They are regressions of what comes after: the same
  // appliance never goes above it twice (the oven went above it at five of its thermostat's returns, the hob again
  // 18 min later when its other zone, cycling at two levels, came back 2 s after a zone's step).
  const onceAbove = [
    'be-3x230-25a-sauna-seen-on-one-line.json',
    'be-3n400-16a-heat-pump-top-level.json',
    'be-3n400-16a-heat-pump-level-seen-twice.json',
    'be-3n400-16a-10s-meter-oven-matched-to-dryer.json',
    'nl-3n400-25a-hob-zone-at-two-levels.json',
    'be-3n400-20a-oven-as-car-starts.json',
    'nl-1x230-25a-heat-pump-level-seen-once.json',
  ];
  it.each(onceAbove)('%s is shipped', (file) => expect(files).toContain(file));
  // A meter that sends every 10 s leaves a step unseen for up to 9 s: a run over the fuse is then as long as that
  // and the car's lag (the scenario README, slow meters). The other promises hold at that cadence too.
  const waivedAtMeterCadence = (sc: Scenario) => ((sc.site.telegramEveryS ?? 1) >= 10 ? ['overload-run'] : []);
  for (const file of files) {
    const once = onceAbove.includes(file);
    it(once ? `${file} goes above 1.45 × In at its appliance's first switch-on only` : file, () => {
      const sc = loadScenario(join(dir, file));
      const m = runScenario(sc, { skipOptimal: true }).metrics;
      const waived = [...(once ? ['over145'] : []), ...waivedAtMeterCadence(sc)];
      const promises = SAFETY_PROMISES.filter((p) => !waived.includes(p.id));
      const broken = promises.filter((p) => !p.kept(m, [])).map((p) => `${p.id}: ${p.metric} ${m[p.metric]}`);
      expect(broken).toEqual([]);
      if (once) {
        expect(m.over145Seconds).toBeGreaterThan(0);
        expect(m.over145RepeatMax).toBe(1);
      }
    });
  }
});
