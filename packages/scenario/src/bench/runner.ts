/**
 * Runs a scenario at full speed: house and cars second by second, the meter's telegrams, a strategy's
 * decisions, and the metrics of CONTRACTS §4.
 */
import type { BalancerConfig, ChargerCapabilities, ChargerInput, Connection } from '@p1/balancer';
import { parseStart } from '../clock';
import { createEv, type Ev } from '../ev';
import { createHouse } from '../house';
import { addToLines } from '../lines';
import type { Line, Scenario } from '../scenario';
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

export interface RunResult {
  scenario: string;
  strategy: string;
  metrics: Metrics;
  trace?: Trace;
  /** Wall-clock time of the simulation (ms). */
  elapsedMs: number;
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
  const config = { ...configForScenario(scenario), ...options.config };
  const strategy = factory(config, scenario);
  const startMs = parseStart(scenario.start);
  const { connection, fuseA, capacityTargetKw } = scenario.site;
  const conn = connection as Connection;
  const lineCount = connection === '1x230' ? 1 : 3;
  const house = createHouse(scenario);
  const meter = createMeter(scenario);
  const caps = chargerCapabilities(scenario);
  const evs: Array<Ev | null> = scenario.chargers.map((ch) => {
    const spec = scenario.evs.find((e) => e.charger === ch.id);
    return spec ? createEv(spec, { start: scenario.start, connection: conn, chargerPhases: ch.phases }) : null;
  });
  const n = caps.length;
  const limits = new Array<number>(n).fill(0);
  const phases: Array<1 | 3> = caps.map((c) => (connection !== '1x230' && c.phases.length === 3 ? 3 : 1));
  const pausedByBalancer = new Array<boolean>(n).fill(false);
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
  let steps = 0;
  let overloadSeconds = 0;
  let over113 = 0;
  let over145 = 0;
  let run = 0;
  let maxRun = 0;
  let changes = 0;
  let pauses = 0;
  let lastValidT = Number.NaN;
  let gapResolved = true;
  let failsafeMaxS = 0;

  // Quarter accounting on the meter clock.
  const QUARTER_MS = 900_000;
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
  const evOnLine = [false, false, false];
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
    const h = house.step(t);
    lineKw[0] = h.lineKw[0];
    lineKw[1] = h.lineKw[1];
    lineKw[2] = h.lineKw[2];
    lineA[0] = h.lineA[0];
    lineA[1] = h.lineA[1];
    lineA[2] = h.lineA[2];
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
      if (a > 0) {
        addToLines(conn, ev.lines as Line[], ev.powerKw, lineKw, lineA);
        for (const l of ev.lines) evOnLine[l - 1] = true;
        evEnergyKwh += ev.powerKw / 3600;
      }
      evSumA += a;
      limitSum += limits[i]!;
      m.vehiclePlugged = ev.plugged(t);
      for (let k = 0; k < cap.phases.length; k++) m.currentA[k] = ev.lines.includes(cap.phases[k]!) ? a : 0;
      m.sessionKwh = ev.sessionKwh;
      m.appliedLimitA = limits[i]!;
      m.appliedPhases = phases[i]!;
      m.at = ms + 1000;
    }
    // Overload: a line above the fuse while a car draws from it.
    let worst = 0;
    for (let l = 0; l < lineCount; l++) if (evOnLine[l]) worst = Math.max(worst, Math.abs(lineA[l]!));
    if (worst > fuseA) {
      overloadSeconds++;
      run++;
      maxRun = Math.max(maxRun, run);
      if (worst > 1.13 * fuseA) over113++;
      if (worst > 1.45 * fuseA) over145++;
    } else run = 0;
    const net = lineKw[0] + lineKw[1] + lineKw[2];
    qImportKws += Math.max(0, net);
    qHouseKws += Math.max(0, h.lineKw[0] + h.lineKw[1] + h.lineKw[2]);
    if (trace) {
      for (let l = 0; l < lineCount; l++) trace.lineA[l]![t] = Math.abs(lineA[l]!);
      trace.evA[t] = evSumA;
      trace.limitA[t] = limitSum;
    }

    const reading = meter.tick(t, lineKw, lineA);
    // Fail-safe: from the last telegram (sent at the end of its second) until every car is at or below its
    // safe current.
    if (reading) {
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
    if (reading) gapResolved = false;

    const before = performance.now();
    const decision = strategy.step({ nowMs: ms + 1000, reading, chargers: inputs });
    stepUs[steps++] = (performance.now() - before) * 1000;

    for (let i = 0; i < n; i++) {
      const d = decision.chargers[i]!;
      const ev = evs[i];
      if (d.limitA !== limits[i] || d.phases !== phases[i]) changes++;
      const cap = caps[i]!;
      const wanting = ev ? ev.plugged(t) && !ev.full : false;
      if (wanting && limits[i]! >= cap.minA && d.limitA < cap.minA) pausedByBalancer[i] = true;
      if (pausedByBalancer[i] && d.limitA >= cap.minA) {
        pauses++;
        pausedByBalancer[i] = false;
      }
      if (!wanting) pausedByBalancer[i] = false;
      limits[i] = d.limitA;
      phases[i] = d.phases;
    }
  }
  closeQuarter();
  // A gap still open at the end counts until the end.
  if (!gapResolved && !Number.isNaN(lastValidT) && lastValidT < duration - 1) {
    // Only if telegrams actually stopped (the last second sent nothing).
    if (!meter.sent) failsafeMaxS = Math.max(failsafeMaxS, duration - 2 - lastValidT);
  }

  const optimal = options.skipOptimal ? Number.NaN : optimalEvEnergyKwh(scenario);
  const hours = duration / 3600;
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
    stepP99Us: round(p99(stepUs, steps), 1),
  };
  const result: RunResult = {
    scenario: scenario.name,
    strategy: strategyName,
    metrics,
    elapsedMs: performance.now() - began,
  };
  if (trace) result.trace = trace;
  return result;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
