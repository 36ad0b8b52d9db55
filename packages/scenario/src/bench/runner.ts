/**
 * Runs a scenario at full speed: house and cars second by second, the meter's telegrams, a strategy's
 * decisions, and the metrics (README.md#metrics). The house does not depend on the strategy: it is computed once
 * (`houseTimeline`) and can be shared by the runs of several strategies, as can the perfect-foresight bound.
 * The loop itself allocates nothing per second but what the strategy does: the telegram and the strategy's input
 * are overwritten in place.
 */
// Imported, not the global: the global `performance` is a getter, and the loop reads the clock twice a second.
import { performance } from 'node:perf_hooks';
import {
  type BalancerConfig,
  type BalancerInput,
  type ChargerCapabilities,
  type ChargerInput,
  type Connection,
  QUARTER_MS,
} from '@p1/balancer';
import { parseStart } from '../clock';
import { createEv, type Ev } from '../ev';
import { kthSmallest } from '../fleet/stats';
import { type HouseTimeline, houseTimeline, STEP_MIN_A } from '../house';
import { addToLines } from '../lines';
import type { EvSpec, Line, Scenario } from '../scenario';
import { createThermal, type ThermalModel } from './breaker';
import { createMeter, type Meter } from './meter';
import { type Metrics, quarterTarget } from './metrics';
import { optimalEvEnergyKwh } from './optimal';
import { type Strategy, strategies } from './strategies';

/** Steps per timed step (see `second`). */
const STEP_SAMPLE = 8;

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

/** A quarter over the target the house alone kept, and the appliances that switched on in it. */
export interface QuarterOver {
  /** The quarter's first second. */
  atS: number;
  /** Its average import above the target (kW). */
  overKw: number;
  /**
   * Each appliance with an on-step in the quarter, once (an appliance: a load's name on its lines, so each zone of a
   * hob on its own line); `first`: its first on-step of the run was in this quarter.
   */
  switchedOn: Array<{ name: string; lines: Line[]; kw: number; first: boolean }>;
}

/** Car-seconds a car wanted energy (plugged, not full), and those it was offered less than it could take, by reason. */
export interface HeldTime {
  wantingS: number;
  /** By the strategy's reason for the limit ("held" where a strategy gives none). */
  heldS: Record<string, number>;
}

/**
 * An offer this much under the most the car can take holds it (A). Less is the balancer following the car's own draw
 * (15.7 A offered to a car that draws 15.5 A of 16), not a hold.
 */
const HELD_BELOW_A = 0.5;

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
  quartersOver: QuarterOver[];
  held: HeldTime;
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
    chargers: scenario.evs.map((ev) => ({
      id: ev.charger,
      carMinA: ev.minA,
      carMaxA: ev.maxA,
      ...(ev.minPauseS !== undefined ? { minPauseS: ev.minPauseS } : {}),
    })),
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
  return kthSmallest(samples, n, Math.min(n - 1, Math.floor(n * 0.99)));
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const strategyName = options.strategy ?? 'default';
  const factory = strategies[strategyName];
  if (!factory) throw new RangeError(`unknown strategy "${strategyName}" (${Object.keys(strategies).join(', ')})`);
  const began = performance.now();
  const timeline = options.house ?? houseTimeline(scenario);
  const config = { ...configForScenario(scenario), ...options.config };
  const run = new BenchRun(scenario, timeline, factory(config, scenario), options.trace === true);
  for (let t = 0; t < scenario.durationS; t++) run.second(t);
  run.finish();
  const loopMs = performance.now() - began;
  let boundMs = 0;
  let optimal = Number.NaN;
  if (options.optimalKwh !== undefined) optimal = options.optimalKwh;
  else if (!options.skipOptimal) {
    const b = performance.now();
    optimal = optimalEvEnergyKwh(scenario, timeline);
    boundMs = performance.now() - b;
  }
  const result: RunResult = {
    scenario: scenario.name,
    strategy: strategyName,
    metrics: run.metrics(optimal),
    elapsedMs: performance.now() - began,
    timing: { strategyMs: run.strategyMs, physicsMs: loopMs - run.strategyMs, boundMs },
    over145Events: run.events,
    quartersOver: run.quartersOver,
    held: run.held,
  };
  if (run.trace) result.trace = run.trace;
  return result;
}

/**
 * One run, second by second. A class rather than closures inside runScenario: its methods are the same
 * functions for every run of a fleet, so their optimised code survives from one house to the next.
 */
class BenchRun {
  private readonly startMs: number;
  private readonly fuseA: number;
  private readonly capacityTargetKw: number | null;
  private readonly conn: Connection;
  private readonly lineCount: number;
  private readonly duration: number;
  private readonly meter: Meter;
  private readonly thermal: ThermalModel;
  private readonly caps: ChargerCapabilities[];
  private readonly specs: Array<EvSpec | null>;
  private readonly evs: Array<Ev | null>;
  private readonly n: number;
  private readonly limits: Float64Array;
  private readonly phases: Array<1 | 3>;
  /** Below this offer (A) the car does not charge: the larger of its own minimum and the charger's. */
  private readonly pauseBelowA: Float64Array;
  /** The most a car can take (A): the lesser of its own maximum and the charger's. */
  private readonly fullA: Float64Array;
  readonly held: HeldTime = { wantingS: 0, heldS: {} };
  private readonly pausedByBalancer: Uint8Array;
  private readonly pausedAt: Float64Array;
  private readonly carA: Float64Array;
  /** Which of each charger's wired lines its car draws from, recomputed when the car switches phases. */
  private readonly drawsOn: Uint8Array[];
  /** Seconds between each charger's current samples: between them the balancer sees the last one. */
  private readonly sampleEveryS: Int32Array;
  private readonly drawsOnFor: Array<readonly Line[] | null>;
  private readonly inputs: ChargerInput[];
  /** The strategy's input, overwritten every second (a strategy reads it during its step and keeps nothing). */
  private readonly input: BalancerInput;
  private readonly stepUs: Float64Array;
  strategyMs = 0;
  private steps = 0;
  private overloadSeconds = 0;
  private over113 = 0;
  private over145 = 0;
  private run = 0;
  private maxRun = 0;
  private changes = 0;
  private pauses = 0;
  private tooShort = 0;
  private shortestPause = Number.POSITIVE_INFINITY;
  private lastValidT = Number.NaN;
  private gapResolved = true;
  private failsafeMaxS = 0;
  private lastFresh = false;
  /** Setpoint changes per charger in the current hour of the run, and the most any charger made in one hour. */
  private readonly hourChanges: Int32Array;
  private hour = 0;
  private maxHourChanges = 0;
  /** What last raised each line: an appliance's index, or loads.length + the charger's index. */
  private readonly loadCount: number;
  private readonly cause = new Int32Array(3).fill(-1);
  private readonly riseNow = new Float64Array(3);
  private nextStep = 0;
  readonly events: Over145Event[] = [];
  private event: Over145Event | null = null;
  // Quarter accounting on the meter clock.
  private quarter: number;
  private quarterStartT = 0;
  private qImportKws = 0;
  private qHouseKws = 0;
  private runningPeak: number;
  readonly quartersOver: QuarterOver[] = [];
  /** Per appliance (`applianceOf` a load: its name on its lines): the second of its first on-step, NaN before it. */
  private readonly applianceOf: Int16Array;
  private readonly firstOnT: Float64Array;
  /** The appliances (load indices) with an on-step in the running quarter, in order, each once. */
  private readonly quarterSteps: number[] = [];
  readonly trace: Trace | undefined;
  private readonly lineKw: [number, number, number] = [0, 0, 0];
  private readonly lineA: [number, number, number] = [0, 0, 0];
  private readonly absA = new Float64Array(3);
  private readonly evOnLine = new Uint8Array(3);
  private evEnergyKwh = 0;

  constructor(
    private readonly scenario: Scenario,
    private readonly timeline: HouseTimeline,
    private readonly strategy: Strategy,
    trace: boolean,
  ) {
    this.startMs = parseStart(scenario.start);
    const { connection, fuseA, capacityTargetKw } = scenario.site;
    this.fuseA = fuseA;
    this.capacityTargetKw = capacityTargetKw;
    this.conn = connection as Connection;
    this.lineCount = connection === '1x230' ? 1 : 3;
    this.duration = scenario.durationS;
    this.meter = createMeter(scenario);
    this.thermal = createThermal(scenario.site.breaker ?? 'C', fuseA, this.lineCount);
    this.caps = chargerCapabilities(scenario);
    this.specs = scenario.chargers.map((ch) => scenario.evs.find((e) => e.charger === ch.id) ?? null);
    this.evs = scenario.chargers.map((ch, i) => {
      const spec = this.specs[i];
      return spec ? createEv(spec, { start: scenario.start, connection: this.conn, chargerPhases: ch.phases }) : null;
    });
    const n = this.caps.length;
    this.n = n;
    this.limits = new Float64Array(n);
    this.phases = this.caps.map((c) => (connection !== '1x230' && c.phases.length === 3 ? 3 : 1));
    this.pauseBelowA = Float64Array.from(this.caps, (c, i) => Math.max(c.minA, this.specs[i]?.minA ?? 0));
    this.fullA = Float64Array.from(this.caps, (c, i) => Math.min(c.maxA, this.specs[i]?.maxA ?? c.maxA));
    this.pausedByBalancer = new Uint8Array(n);
    this.pausedAt = new Float64Array(n);
    this.carA = new Float64Array(n);
    this.drawsOn = this.caps.map((c) => new Uint8Array(c.phases.length));
    this.sampleEveryS = Int32Array.from(scenario.chargers, (c) => c.sampleEveryS ?? 1);
    this.drawsOnFor = this.caps.map(() => null);
    this.inputs = this.caps.map((capabilities) => ({
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
    this.input = { nowMs: 0, reading: null, chargers: this.inputs };
    this.stepUs = new Float64Array(this.duration);
    this.hourChanges = new Int32Array(n);
    this.loadCount = scenario.loads.length;
    const appliance = (l: Scenario['loads'][number]) => `${l.name} on ${[...l.phases].sort().join('')}`;
    const appliances = [...new Set(scenario.loads.map(appliance))];
    this.applianceOf = Int16Array.from(scenario.loads, (l) => appliances.indexOf(appliance(l)));
    this.firstOnT = new Float64Array(appliances.length).fill(Number.NaN);
    this.quarter = Math.floor(this.startMs / QUARTER_MS);
    this.runningPeak = scenario.site.monthPeakKw;
    this.trace = trace
      ? {
          fuseA,
          lines: this.lineCount,
          lineA: Array.from({ length: this.lineCount }, () => new Float32Array(this.duration)),
          evA: new Float32Array(this.duration),
          limitA: new Float32Array(this.duration),
          quarters: [],
        }
      : undefined;
  }

  private closeQuarter(): void {
    const avg = this.qImportKws / 900;
    const houseAvg = this.qHouseKws / 900;
    let target: number | null = null;
    if (this.capacityTargetKw !== null) {
      target = quarterTarget(this.capacityTargetKw, this.runningPeak);
      if (avg > target + 1e-3 && houseAvg <= target) {
        this.quartersOver.push({ atS: this.quarterStartT, overKw: avg - target, switchedOn: this.switchedOn() });
      }
      // Only the house can raise the month's peak for free; an overshoot of ours must not excuse the next.
      this.runningPeak = Math.max(this.runningPeak, houseAvg);
    }
    this.trace?.quarters.push({ startS: this.quarterStartT, avgKw: avg, houseAvgKw: houseAvg, targetKw: target });
  }

  /** The running quarter's appliances that switched on, one entry each (its largest load), first ones marked. */
  private switchedOn(): QuarterOver['switchedOn'] {
    const out: QuarterOver['switchedOn'] = [];
    const seen: number[] = [];
    for (const k of this.quarterSteps) {
      const load = this.scenario.loads[k]!;
      const a = this.applianceOf[k]!;
      const at = seen.indexOf(a);
      if (at >= 0) out[at]!.kw = Math.max(out[at]!.kw, load.kw);
      else {
        seen.push(a);
        const first = this.firstOnT[a]! >= this.quarterStartT;
        out.push({ name: load.name, lines: [...load.phases].sort(), kw: load.kw, first });
      }
    }
    return out;
  }

  private causeName(c: number): string {
    if (c < 0) return 'house';
    if (c < this.loadCount) return this.scenario.loads[c]!.name;
    return this.specs[c - this.loadCount]?.name ?? `car ${c}`;
  }

  /** The house's second t: its lines, and which appliances switched on (this second's biggest rise per line). */
  private houseSecond(t: number): number {
    const { lineKw, lineA, timeline, riseNow, cause } = this;
    lineKw[0] = timeline.lineKw[0][t]!;
    lineKw[1] = timeline.lineKw[1][t]!;
    lineKw[2] = timeline.lineKw[2][t]!;
    lineA[0] = timeline.lineA[0][t]!;
    lineA[1] = timeline.lineA[1][t]!;
    lineA[2] = timeline.lineA[2][t]!;
    riseNow[0] = riseNow[1] = riseNow[2] = 0;
    const houseSteps = timeline.steps;
    while (this.nextStep < houseSteps.count && houseSteps.t[this.nextStep]! <= t) {
      const k = this.nextStep++;
      if (houseSteps.t[k] !== t) continue;
      const load = houseSteps.load[k]!;
      if (Number.isNaN(this.firstOnT[this.applianceOf[load]!]!)) this.firstOnT[this.applianceOf[load]!] = t;
      if (!this.quarterSteps.includes(load)) this.quarterSteps.push(load);
      const mask = houseSteps.lines[k]!;
      for (let l = 0; l < 3; l++) {
        if ((mask & (1 << l)) === 0) continue;
        // An appliance's on-step comes all at once: it outranks a car's rise in the same second.
        riseNow[l] = Number.POSITIVE_INFINITY;
        cause[l] = houseSteps.load[k]!;
      }
    }
    return lineKw[0] + lineKw[1] + lineKw[2];
  }

  /** The cars follow their setpoints for second t and draw on the lines. */
  private carsSecond(t: number, ms: number): void {
    const { evs, inputs, caps, limits, phases, lineKw, lineA, evOnLine, carA, riseNow, cause } = this;
    evOnLine[0] = evOnLine[1] = evOnLine[2] = 0;
    let evSumA = 0;
    let limitSum = 0;
    for (let i = 0; i < this.n; i++) {
      const ev = evs[i];
      const m = inputs[i]!.measurement;
      if (!ev) {
        m.vehiclePlugged = false;
        continue;
      }
      const a = ev.step(t === 0 ? 0 : 1, limits[i]!, t, phases[i]!);
      const lines = ev.lines;
      if (a > 0) {
        addToLines(this.conn, lines, ev.powerKw, lineKw, lineA);
        for (let k = 0; k < lines.length; k++) evOnLine[lines[k]! - 1] = 1;
        this.evEnergyKwh += ev.powerKw / 3600;
      }
      const rise = a - carA[i]!;
      carA[i] = a;
      if (rise >= STEP_MIN_A) {
        for (let k = 0; k < lines.length; k++) {
          const l = lines[k]! - 1;
          if (rise > riseNow[l]!) {
            riseNow[l] = rise;
            cause[l] = this.loadCount + i;
          }
        }
      }
      evSumA += a;
      limitSum += limits[i]!;
      m.vehiclePlugged = ev.plugged(t);
      const on = this.drawsOn[i]!;
      if (this.drawsOnFor[i] !== lines) {
        this.drawsOnFor[i] = lines;
        for (let k = 0; k < on.length; k++) on[k] = lines.includes(caps[i]!.phases[k]!) ? 1 : 0;
      }
      m.sessionKwh = ev.sessionKwh;
      m.appliedLimitA = limits[i]!;
      m.appliedPhases = phases[i]!;
      if (t % this.sampleEveryS[i]! !== 0) continue;
      for (let k = 0; k < on.length; k++) m.currentA[k] = on[k] === 1 ? a : 0;
      m.at = ms + 1000;
    }
    if (this.trace) {
      this.trace.evA[t] = evSumA;
      this.trace.limitA[t] = limitSum;
    }
  }

  /** Overloads while a car draws from the line, and the breaker's heating. */
  private protectionSecond(t: number): void {
    const { absA, lineA, fuseA } = this;
    absA[0] = Math.abs(lineA[0]);
    absA[1] = Math.abs(lineA[1]);
    absA[2] = Math.abs(lineA[2]);
    this.thermal.step(absA);
    let worst = 0;
    let worstLine = 0;
    for (let l = 0; l < this.lineCount; l++) {
      if (this.evOnLine[l] === 1 && absA[l]! > worst) {
        worst = absA[l]!;
        worstLine = l;
      }
    }
    if (worst > fuseA) {
      this.overloadSeconds++;
      this.run++;
      if (this.run > this.maxRun) this.maxRun = this.run;
      if (worst > 1.13 * fuseA) this.over113++;
      if (worst > 1.45 * fuseA) {
        this.over145++;
        if (this.event === null) {
          this.event = { atS: t, cause: this.causeName(this.cause[worstLine]!), seconds: 0 };
          this.events.push(this.event);
        }
        this.event.seconds++;
      }
    } else {
      this.run = 0;
      this.event = null;
    }
    if (this.trace) for (let l = 0; l < this.lineCount; l++) this.trace.lineA[l]![t] = absA[l]!;
  }

  /**
   * Fail-safe: from the last telegram that measured its second (sent at the end of it) until every car is at
   * or below its safe current. A frozen meter's repeats measure nothing: they count as silence.
   */
  private failsafeSecond(t: number, fresh: boolean): void {
    this.lastFresh = fresh;
    if (fresh) {
      if (!this.gapResolved) this.failsafeMaxS = Math.max(this.failsafeMaxS, t - this.lastValidT - 1);
      this.lastValidT = t;
      this.gapResolved = false;
    } else if (!this.gapResolved && !Number.isNaN(this.lastValidT)) {
      let allSafe = true;
      for (let i = 0; i < this.n; i++) if ((this.evs[i]?.currentA ?? 0) > this.caps[i]!.safeA + 1e-9) allSafe = false;
      if (allSafe) {
        this.failsafeMaxS = Math.max(this.failsafeMaxS, t - this.lastValidT - 1);
        this.gapResolved = true;
      }
    }
  }

  /** The strategy's decision: setpoint changes per hour, pauses and their length. */
  private apply(t: number, decision: ReturnType<Strategy['step']>): void {
    const { evs, limits, phases, hourChanges } = this;
    for (let i = 0; i < this.n; i++) {
      const d = decision.chargers[i]!;
      const ev = evs[i];
      if (d.limitA !== limits[i] || d.phases !== phases[i]) {
        this.changes++;
        hourChanges[i]!++;
        if (hourChanges[i]! > this.maxHourChanges) this.maxHourChanges = hourChanges[i]!;
      }
      // A car offered less than its own minimum stops, whatever the charger could deliver: that is its pause.
      const minA = this.pauseBelowA[i]!;
      const wanting = ev ? ev.plugged(t) && !ev.full : false;
      if (wanting && limits[i]! >= minA && d.limitA < minA) {
        this.pausedByBalancer[i] = 1;
        this.pausedAt[i] = t;
      }
      if (this.pausedByBalancer[i] && d.limitA >= minA) {
        this.pauses++;
        this.pausedByBalancer[i] = 0;
        const pausedS = t - this.pausedAt[i]!;
        if (pausedS < this.shortestPause) this.shortestPause = pausedS;
        if (pausedS < (this.specs[i]?.minPauseS ?? 0)) this.tooShort++;
      }
      if (!wanting) this.pausedByBalancer[i] = 0;
      else {
        this.held.wantingS++;
        if (d.limitA < this.fullA[i]! - HELD_BELOW_A) {
          const why = d.reason ?? 'held';
          this.held.heldS[why] = (this.held.heldS[why] ?? 0) + 1;
        }
      }
      limits[i] = d.limitA;
      phases[i] = d.phases;
    }
  }

  second(t: number): void {
    const ms = this.startMs + t * 1000;
    const q = Math.floor(ms / QUARTER_MS);
    if (q !== this.quarter) {
      this.closeQuarter();
      this.quarter = q;
      this.quarterStartT = t;
      this.quarterSteps.length = 0;
      this.qImportKws = 0;
      this.qHouseKws = 0;
    }
    if (t - this.hour * 3600 >= 3600) {
      this.hour++;
      this.hourChanges.fill(0);
    }
    const houseNet = this.houseSecond(t);
    this.carsSecond(t, ms);
    this.protectionSecond(t);
    const { lineKw } = this;
    this.qImportKws += Math.max(0, lineKw[0] + lineKw[1] + lineKw[2]);
    this.qHouseKws += Math.max(0, houseNet);
    const reading = this.meter.tick(t, lineKw, this.lineA);
    this.failsafeSecond(t, reading !== null && !this.meter.repeated);
    const input = this.input;
    input.nowMs = ms + 1000;
    input.reading = reading;
    // The step clock is read on one step in STEP_SAMPLE: two reads cost as much as a reference's whole step,
    // and a p99 over 10,800 steps a day says what one over 86,400 does. The strategy's time is scaled up.
    if (t % STEP_SAMPLE !== 0) {
      this.apply(t, this.strategy.step(input));
      return;
    }
    const before = performance.now();
    const decision = this.strategy.step(input);
    const took = performance.now() - before;
    this.strategyMs += took * STEP_SAMPLE;
    this.stepUs[this.steps++] = took * 1000;
    this.apply(t, decision);
  }

  finish(): void {
    this.closeQuarter();
    // A gap still open at the end counts until the end, if telegrams had actually stopped.
    const d = this.duration;
    if (!this.gapResolved && !Number.isNaN(this.lastValidT) && this.lastValidT < d - 1 && !this.lastFresh)
      this.failsafeMaxS = Math.max(this.failsafeMaxS, d - 2 - this.lastValidT);
  }

  metrics(optimal: number): Metrics {
    const hours = this.duration / 3600;
    const repeats = new Map<string, number>();
    for (const e of this.events) repeats.set(e.cause, (repeats.get(e.cause) ?? 0) + 1);
    return {
      overloadSeconds: this.overloadSeconds,
      overloadMaxEventS: this.maxRun,
      over113Seconds: this.over113,
      over145Seconds: this.over145,
      quartersOverTarget: this.quartersOver.length,
      maxQuarterOvershootKw: round(
        this.quartersOver.reduce((most, q) => Math.max(most, q.overKw), 0),
        3,
      ),
      evEnergyKwh: round(this.evEnergyKwh, 3),
      optimalEvEnergyKwh: round(optimal, 3),
      evEnergyRatio: optimal > 0 ? round(this.evEnergyKwh / optimal, 4) : 1,
      setpointChangesPerHour: round(this.changes / hours, 1),
      pauses: this.pauses,
      failsafeMaxS: this.failsafeMaxS,
      thermalPeak: round(this.thermal.peak, 3),
      stepP99Us: round(p99(this.stepUs, this.steps), 1),
      over145RepeatMax: Math.max(0, ...repeats.values()),
      setpointChangesMaxHour: this.maxHourChanges,
      shortestPauseS: Number.isFinite(this.shortestPause) ? this.shortestPause : null,
      pausesTooShort: this.tooShort,
    };
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
