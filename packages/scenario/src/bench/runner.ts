/**
 * Runs a scenario at full speed: house and cars second by second, the meter's telegrams, a strategy's
 * decisions, and the metrics of CONTRACTS §4. The house does not depend on the strategy: it is computed once
 * (`houseTimeline`) and can be shared by the runs of several strategies, as can the perfect-foresight bound.
 * The loop itself allocates nothing per second but the telegram and what the strategy does.
 */
import {
  type BalancerConfig,
  type ChargerCapabilities,
  type ChargerInput,
  type Connection,
  QUARTER_MS,
} from '@p1/balancer';
import { parseStart } from '../clock';
import { createEv, type Ev } from '../ev';
import { type HouseTimeline, houseTimeline, STEP_MIN_A } from '../house';
import { addToLines } from '../lines';
import type { Line, Scenario } from '../scenario';
import { createThermal } from './breaker';
import { createMeter } from './meter';
import { type Metrics, quarterTarget } from './metrics';
import { optimalEvEnergyKwh } from './optimal';
import { strategies } from './strategies';

export interface RunOptions {
  /** A key of `strategies` (default "default"). */
  strategy?: string;
  /** Overrides of the balancer configuration built from the scenario. */
  config?: Partial<BalancerConfig>;
  /** Keep per-second traces for a plot. */
  trace?: boolean;
  /** Skip the perfect-foresight bound (its field is then NaN). */
  skipOptimal?: boolean;
  /** The house already computed for this scenario (`houseTimeline`): runs of several strategies share it. */
  house?: HouseTimeline;
  /** The perfect-foresight bound already computed for this scenario (kWh). */
  optimalKwh?: number;
}

export interface Trace {
  fuseA: number;
  lines: number;
  /** |current| per line, line-major: lineA[l][t]. */
  lineA: Float32Array[];
  /** Sum of the cars' current per phase at each second. */
  evA: Float32Array;
  /** Sum of the offered limits. */
  limitA: Float32Array;
  quarters: Array<{ startS: number; avgKw: number; houseAvgKw: number; targetKw: number | null }>;
}

/** An overload that went above 1.45 × fuseA, and what set it off: an appliance's on-step or a car's rise. */
export interface Over145Event {
  /** First second above 1.45 × fuseA. */
  atS: number;
  /** The appliance's name, the car's name, or "house" when no on-step was seen on that line. */
  cause: string;
  /** Seconds above 1.45 × fuseA in this overload. */
  seconds: number;
}

export interface RunResult {
  scenario: string;
  strategy: string;
  metrics: Metrics;
  trace?: Trace;
  /** Wall-clock time of the simulation (ms), the bound and the house included when computed here. */
  elapsedMs: number;
  /** Where the time went (ms): the strategy's steps, the rest of the loop and the house, the bound. */
  timing: { strategyMs: number; physicsMs: number; boundMs: number };
  over145Events: Over145Event[];
}

/** The balancer configuration a scenario implies: the site, and each car's range as its owner would enter it. */
export function configForScenario(scenario: Scenario): BalancerConfig {
  return {
    site: {
      connection: scenario.site.connection,
      fuseA: scenario.site.fuseA,
      capacityTargetKw: scenario.site.capacityTargetKw,
      monthPeakKw: scenario.site.monthPeakKw,
    },
    chargers: scenario.evs.map((ev) => ({ id: ev.charger, carMinA: ev.minA, carMaxA: ev.maxA })),
  };
}

export function chargerCapabilities(scenario: Scenario): ChargerCapabilities[] {
  return scenario.chargers.map((c) => ({
    id: c.id,
    phases: c.phases,
    minA: c.minA,
    maxA: c.maxA,
    switchPhases: c.switchPhases,
    safeA: c.minA,
    priority: c.priority ?? 0,
  }));
}

function p99(samples: Float64Array, n: number): number {
  if (n === 0) return 0;
  const sorted = samples.slice(0, n).sort();
  return sorted[Math.min(n - 1, Math.floor(n * 0.99))]!;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const strategyName = options.strategy ?? 'default';
  const factory = strategies[strategyName];
  if (!factory) throw new RangeError(`unknown strategy "${strategyName}" (${Object.keys(strategies).join(', ')})`);
  const began = performance.now();
  const timeline = options.house ?? houseTimeline(scenario);
  const config = { ...configForScenario(scenario), ...options.config };
  const strategy = factory(config, scenario);
  const startMs = parseStart(scenario.start);
  const { connection, fuseA, capacityTargetKw } = scenario.site;
  const conn = connection as Connection;
  const lineCount = connection === '1x230' ? 1 : 3;
  const meter = createMeter(scenario);
  const thermal = createThermal(scenario.site.breaker ?? 'C', fuseA, lineCount);
  const caps = chargerCapabilities(scenario);
  const specs = scenario.chargers.map((ch) => scenario.evs.find((e) => e.charger === ch.id) ?? null);
  const evs: Array<Ev | null> = scenario.chargers.map((ch, i) => {
    const spec = specs[i];
    return spec ? createEv(spec, { start: scenario.start, connection: conn, chargerPhases: ch.phases }) : null;
  });
  const n = caps.length;
  const limits = new Float64Array(n);
  const phases: Array<1 | 3> = caps.map((c) => (connection !== '1x230' && c.phases.length === 3 ? 3 : 1));
  const pausedByBalancer = new Uint8Array(n);
  const pausedAt = new Float64Array(n);
  const carA = new Float64Array(n);
  // Which of each charger's wired lines its car draws from, recomputed when the car switches phases.
  const drawsOn = caps.map((c) => new Uint8Array(c.phases.length));
  const drawsOnFor: Array<readonly Line[] | null> = caps.map(() => null);
  const inputs: ChargerInput[] = caps.map((capabilities) => ({
    capabilities,
    measurement: {
      connected: true,
      vehiclePlugged: false,
      currentA: capabilities.phases.map(() => 0),
      sessionKwh: 0,
      appliedLimitA: 0,
      appliedPhases: null,
      at: 0,
    },
  }));

  const duration = scenario.durationS;
  const stepUs = new Float64Array(duration);
  let strategyMs = 0;
  let steps = 0;
  let overloadSeconds = 0;
  let over113 = 0;
  let over145 = 0;
  let run = 0;
  let maxRun = 0;
  let changes = 0;
  let pauses = 0;
  let tooShort = 0;
  let shortestPause = Number.POSITIVE_INFINITY;
  let lastValidT = Number.NaN;
  let gapResolved = true;
  let failsafeMaxS = 0;
  let lastFresh = false;

  // Setpoint changes per charger in the current hour of the run, and the most any charger made in one hour.
  const hourChanges = new Int32Array(n);
  let hour = 0;
  let maxHourChanges = 0;

  // What last raised each line (an appliance's index, or loads.length + the car's charger index), and the
  // 1.45 × fuseA overloads with their causes.
  const loadCount = scenario.loads.length;
  const cause = new Int32Array(3).fill(-1);
  const riseNow = new Float64Array(3);
  const houseSteps = timeline.steps;
  let nextStep = 0;
  const events: Over145Event[] = [];
  let event: Over145Event | null = null;
  const causeName = (c: number) =>
    c < 0 ? 'house' : c < loadCount ? scenario.loads[c]!.name : (specs[c - loadCount]?.name ?? `car ${c}`);

  // Quarter accounting on the meter clock.
  let quarter = Math.floor(startMs / QUARTER_MS);
  let quarterStartT = 0;
  let qImportKws = 0;
  let qHouseKws = 0;
  let runningPeak = scenario.site.monthPeakKw;
  let quartersOver = 0;
  let maxOvershoot = 0;

  const trace: Trace | undefined = options.trace
    ? {
        fuseA,
        lines: lineCount,
        lineA: Array.from({ length: lineCount }, () => new Float32Array(duration)),
        evA: new Float32Array(duration),
        limitA: new Float32Array(duration),
        quarters: [],
      }
    : undefined;

  const closeQuarter = () => {
    const avg = qImportKws / 900;
    const houseAvg = qHouseKws / 900;
    let target: number | null = null;
    if (capacityTargetKw !== null) {
      target = quarterTarget(capacityTargetKw, runningPeak);
      if (avg > target + 1e-3 && houseAvg <= target) {
        quartersOver++;
        maxOvershoot = Math.max(maxOvershoot, avg - target);
      }
      // Only the house can raise the month's peak for free; an overshoot of ours must not excuse the next.
      runningPeak = Math.max(runningPeak, houseAvg);
    }
    trace?.quarters.push({ startS: quarterStartT, avgKw: avg, houseAvgKw: houseAvg, targetKw: target });
  };

  const lineKw: [number, number, number] = [0, 0, 0];
  const lineA: [number, number, number] = [0, 0, 0];
  const absA = new Float64Array(3);
  const evOnLine = [false, false, false];
  const [hKw0, hKw1, hKw2] = timeline.lineKw;
  const [hA0, hA1, hA2] = timeline.lineA;
  let evEnergyKwh = 0;

  for (let t = 0; t < duration; t++) {
    const ms = startMs + t * 1000;
    const q = Math.floor(ms / QUARTER_MS);
    if (q !== quarter) {
      closeQuarter();
      quarter = q;
      quarterStartT = t;
      qImportKws = 0;
      qHouseKws = 0;
    }
    if (t - hour * 3600 >= 3600) {
      hour++;
      hourChanges.fill(0);
    }
    lineKw[0] = hKw0![t]!;
    lineKw[1] = hKw1![t]!;
    lineKw[2] = hKw2![t]!;
    lineA[0] = hA0![t]!;
    lineA[1] = hA1![t]!;
    lineA[2] = hA2![t]!;
    const houseNet = lineKw[0] + lineKw[1] + lineKw[2];
    // This second's biggest rise per line: an appliance switching on, or a car drawing more.
    riseNow[0] = riseNow[1] = riseNow[2] = 0;
    while (nextStep < houseSteps.count && houseSteps.t[nextStep]! <= t) {
      if (houseSteps.t[nextStep] === t) {
        const mask = houseSteps.lines[nextStep]!;
        for (let l = 0; l < 3; l++) {
          if ((mask & (1 << l)) === 0) continue;
          riseNow[l] = Number.POSITIVE_INFINITY;
          cause[l] = houseSteps.load[nextStep]!;
        }
      }
      nextStep++;
    }
    evOnLine[0] = evOnLine[1] = evOnLine[2] = false;
    let evSumA = 0;
    let limitSum = 0;
    for (let i = 0; i < n; i++) {
      const ev = evs[i];
      const m = inputs[i]!.measurement;
      const cap = caps[i]!;
      if (!ev) {
        m.vehiclePlugged = false;
        continue;
      }
      const a = ev.step(t === 0 ? 0 : 1, limits[i]!, t, phases[i]!);
      const lines = ev.lines;
      if (a > 0) {
        addToLines(conn, lines as Line[], ev.powerKw, lineKw, lineA);
        for (const l of lines) evOnLine[l - 1] = true;
        evEnergyKwh += ev.powerKw / 3600;
      }
      const rise = a - carA[i]!;
      carA[i] = a;
      if (rise >= STEP_MIN_A) {
        // An appliance's on-step in the same second is the larger cause (it comes all at once).
        for (const l of lines) {
          if (rise > riseNow[l - 1]!) {
            riseNow[l - 1] = rise;
            cause[l - 1] = loadCount + i;
          }
        }
      }
      evSumA += a;
      limitSum += limits[i]!;
      m.vehiclePlugged = ev.plugged(t);
      const on = drawsOn[i]!;
      if (drawsOnFor[i] !== lines) {
        drawsOnFor[i] = lines;
        for (let k = 0; k < on.length; k++) on[k] = lines.includes(cap.phases[k]!) ? 1 : 0;
      }
      for (let k = 0; k < on.length; k++) m.currentA[k] = on[k] === 1 ? a : 0;
      m.sessionKwh = ev.sessionKwh;
      m.appliedLimitA = limits[i]!;
      m.appliedPhases = phases[i]!;
      m.at = ms + 1000;
    }
    absA[0] = Math.abs(lineA[0]);
    absA[1] = Math.abs(lineA[1]);
    absA[2] = Math.abs(lineA[2]);
    thermal.step(absA);
    // Overload: a line above the fuse while a car draws from it.
    let worst = 0;
    let worstLine = 0;
    for (let l = 0; l < lineCount; l++) {
      if (evOnLine[l] && absA[l]! > worst) {
        worst = absA[l]!;
        worstLine = l;
      }
    }
    if (worst > fuseA) {
      overloadSeconds++;
      run++;
      maxRun = Math.max(maxRun, run);
      if (worst > 1.13 * fuseA) over113++;
      if (worst > 1.45 * fuseA) {
        over145++;
        if (event === null) {
          event = { atS: t, cause: causeName(cause[worstLine]!), seconds: 0 };
          events.push(event);
        }
        event.seconds++;
      }
    } else {
      run = 0;
      event = null;
    }
    const net = lineKw[0] + lineKw[1] + lineKw[2];
    qImportKws += Math.max(0, net);
    qHouseKws += Math.max(0, houseNet);
    if (trace) {
      for (let l = 0; l < lineCount; l++) trace.lineA[l]![t] = absA[l]!;
      trace.evA[t] = evSumA;
      trace.limitA[t] = limitSum;
    }

    const reading = meter.tick(t, lineKw, lineA);
    // Fail-safe: from the last telegram that measured its second (sent at the end of it) until every car is at
    // or below its safe current. A frozen meter's repeats measure nothing: they count as silence.
    const fresh = reading !== null && !meter.repeated;
    lastFresh = fresh;
    if (fresh) {
      if (!gapResolved) failsafeMaxS = Math.max(failsafeMaxS, t - lastValidT - 1);
      lastValidT = t;
      gapResolved = false;
    } else if (!gapResolved && !Number.isNaN(lastValidT)) {
      let allSafe = true;
      for (let i = 0; i < n; i++) if ((evs[i]?.currentA ?? 0) > caps[i]!.safeA + 1e-9) allSafe = false;
      if (allSafe) {
        failsafeMaxS = Math.max(failsafeMaxS, t - lastValidT - 1);
        gapResolved = true;
      }
    }

    const before = performance.now();
    const decision = strategy.step({ nowMs: ms + 1000, reading, chargers: inputs });
    const took = performance.now() - before;
    strategyMs += took;
    stepUs[steps++] = took * 1000;

    for (let i = 0; i < n; i++) {
      const d = decision.chargers[i]!;
      const ev = evs[i];
      if (d.limitA !== limits[i] || d.phases !== phases[i]) {
        changes++;
        hourChanges[i]!++;
        if (hourChanges[i]! > maxHourChanges) maxHourChanges = hourChanges[i]!;
      }
      const cap = caps[i]!;
      const wanting = ev ? ev.plugged(t) && !ev.full : false;
      if (wanting && limits[i]! >= cap.minA && d.limitA < cap.minA) {
        pausedByBalancer[i] = 1;
        pausedAt[i] = t;
      }
      if (pausedByBalancer[i] && d.limitA >= cap.minA) {
        pauses++;
        pausedByBalancer[i] = 0;
        const pausedS = t - pausedAt[i]!;
        shortestPause = Math.min(shortestPause, pausedS);
        if (pausedS < (specs[i]?.minPauseS ?? 0)) tooShort++;
      }
      if (!wanting) pausedByBalancer[i] = 0;
      limits[i] = d.limitA;
      phases[i] = d.phases;
    }
  }
  closeQuarter();
  // A gap still open at the end counts until the end, if telegrams had actually stopped.
  if (!gapResolved && !Number.isNaN(lastValidT) && lastValidT < duration - 1 && !lastFresh) {
    failsafeMaxS = Math.max(failsafeMaxS, duration - 2 - lastValidT);
  }

  const loopMs = performance.now() - began;
  let boundMs = 0;
  let optimal = Number.NaN;
  if (options.optimalKwh !== undefined) optimal = options.optimalKwh;
  else if (!options.skipOptimal) {
    const b = performance.now();
    optimal = optimalEvEnergyKwh(scenario, timeline);
    boundMs = performance.now() - b;
  }
  const hours = duration / 3600;
  const repeats = new Map<string, number>();
  for (const e of events) repeats.set(e.cause, (repeats.get(e.cause) ?? 0) + 1);
  const metrics: Metrics = {
    overloadSeconds,
    overloadMaxEventS: maxRun,
    over113Seconds: over113,
    over145Seconds: over145,
    quartersOverTarget: quartersOver,
    maxQuarterOvershootKw: round(maxOvershoot, 3),
    evEnergyKwh: round(evEnergyKwh, 3),
    optimalEvEnergyKwh: round(optimal, 3),
    evEnergyRatio: optimal > 0 ? round(evEnergyKwh / optimal, 4) : 1,
    setpointChangesPerHour: round(changes / hours, 1),
    pauses,
    failsafeMaxS,
    thermalPeak: round(thermal.peak, 3),
    stepP99Us: round(p99(stepUs, steps), 1),
    over145RepeatMax: Math.max(0, ...repeats.values()),
    setpointChangesMaxHour: maxHourChanges,
    shortestPauseS: Number.isFinite(shortestPause) ? shortestPause : null,
    pausesTooShort: tooShort,
  };
  const result: RunResult = {
    scenario: scenario.name,
    strategy: strategyName,
    metrics,
    elapsedMs: performance.now() - began,
    timing: { strategyMs, physicsMs: loopMs - strategyMs, boundMs },
    over145Events: events,
  };
  if (trace) result.trace = trace;
  return result;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
