/** The house without the EVs: base load, scheduled and cycling appliances and PV, per grid line. */
import { ampsForKw, type Connection } from '@p1/balancer';
import { LocalClock, parseStart, parseTimeOfDay } from './clock';
import { addToColumns, addToLines, allLines } from './lines';
import { hashUnit } from './prng';
import { createPv } from './pv';
import type { Line, LoadSpec, Scenario } from './scenario';

export interface HouseState {
  /** Net active power per grid line (kW): import +, export −. */
  lineKw: [number, number, number];
  /** Current per grid line (A), signed like lineKw; a meter reports the magnitude. */
  lineA: [number, number, number];
  /** PV generation (kW, ≥ 0). */
  pvKw: number;
  /** Consumption: base load plus appliances (kW, ≥ 0). */
  loadKw: number;
}

export interface House {
  /** The state at t seconds after the scenario start; call with non-decreasing t. */
  step(tS: number): HouseState;
  /**
   * The same without allocating: overwrites lineKw and lineA, and returns the consumption; the PV power and
   * each appliance's power (in scenario order) are then in `pvKw` and `loadPowers`.
   */
  stepInto(tS: number, lineKw: [number, number, number], lineA: [number, number, number]): number;
  readonly pvKw: number;
  readonly loadPowers: Float64Array;
}

const DAY_S = 86_400;

/** Seconds since a daily window opened at `atS`, at time of day `tod`. */
function sinceOpened(atS: number, tod: number): number {
  return (tod - atS + DAY_S) % DAY_S;
}

/** Whether a daily scheduled (and possibly cycling) appliance draws power at time of day `tod`. */
export function loadIsOn(load: { atS: number; durationS: number; onS: number; periodS: number }, tod: number): boolean {
  const since = sinceOpened(load.atS, tod);
  if (since >= load.durationS && load.durationS < DAY_S) return false;
  return load.onS <= 0 || since % load.periodS < load.onS;
}

/** An appliance with its schedule, and for irregular cycles (jitter, levels) where it is in its cycles. */
interface ActiveLoad {
  phases: Line[];
  kw: number;
  atS: number;
  durationS: number;
  onS: number;
  offS: number;
  periodS: number;
  jitter: number;
  levels: number[] | null;
  /** Seed of this appliance's irregular cycles. */
  key: number;
  /** Cursor: local second the activation started, cycle number, end of its on-time and of the cycle (s since start). */
  activation: number;
  cycle: number;
  cycleStart: number;
  onEnd: number;
  cycleEnd: number;
  level: number;
}

function activeLoad(l: LoadSpec, i: number, seed: number): ActiveLoad {
  return {
    phases: l.phases,
    kw: l.kw,
    atS: parseTimeOfDay(l.at) ?? 0,
    durationS: l.durationS,
    onS: l.onS,
    offS: l.offS,
    periodS: l.onS + l.offS,
    jitter: l.jitter ?? 0,
    levels: l.levels && l.levels.length > 0 ? l.levels : null,
    key: (Math.imul(Math.floor(seed) | 0, 0x2c1b3c6d) ^ Math.imul(i + 1, 0x297a2d39)) | 0,
    activation: Number.NaN,
    cycle: 0,
    cycleStart: 0,
    onEnd: 0,
    cycleEnd: 0,
    level: 0,
  };
}

/** Draws the on and off time and the level of cycle `k` of the activation that started on local day `day`. */
function startCycle(load: ActiveLoad, day: number, k: number, at: number): void {
  const key = (load.key + Math.imul(day, 0x9e3779b1)) | 0;
  const vary = (base: number, u: number) =>
    load.jitter > 0 ? Math.max(1, Math.round(base * (1 + load.jitter * (2 * u - 1)))) : base;
  load.cycle = k;
  load.cycleStart = at;
  load.onEnd = at + vary(load.onS, hashUnit(key, 2 * k));
  load.cycleEnd = load.onEnd + vary(load.offS, hashUnit(key, 2 * k + 1));
  const levels = load.levels;
  load.level = levels ? levels[Math.floor(hashUnit(key ^ 0x2545f491, k) * levels.length)]! : load.kw;
}

/** The power an appliance draws at local second `localS` (time of day `tod`). */
function loadKwAt(load: ActiveLoad, tod: number, localS: number): number {
  const since = sinceOpened(load.atS, tod);
  if (since >= load.durationS && load.durationS < DAY_S) return 0;
  if (load.onS <= 0) return load.kw;
  if (load.jitter <= 0 && load.levels === null) return since % load.periodS < load.onS ? load.kw : 0;
  const activation = localS - since;
  if (activation !== load.activation || since < load.cycleStart) {
    load.activation = activation;
    startCycle(load, Math.floor(activation / DAY_S), 0, 0);
  }
  const day = Math.floor(activation / DAY_S);
  while (since >= load.cycleEnd) startCycle(load, day, load.cycle + 1, load.cycleEnd);
  return since < load.onEnd ? load.level : 0;
}

/** The base load at tS: it wanders ±10 % every 10 s (fridge, standby), from a hash so sampling rate does not matter. */
function baseLoadKwAt(scenario: Scenario, tS: number): number {
  return scenario.baseLoadKw * (0.9 + 0.2 * hashUnit(scenario.seed, Math.floor(tS / 10)));
}

export function createHouse(scenario: Scenario): House {
  return new HouseModel(scenario);
}

/** A class so that its methods stay the same functions for every house of a fleet (one optimised copy). */
class HouseModel implements House {
  private readonly connection: Scenario['site']['connection'];
  private readonly baseLines: Line[];
  private readonly loads: ActiveLoad[];
  private readonly pv: ReturnType<typeof createPv> | null;
  private readonly pvLines: Line[];
  private readonly localClock: LocalClock;
  readonly loadPowers: Float64Array;
  pvKw = 0;

  constructor(private readonly scenario: Scenario) {
    const startMs = parseStart(scenario.start);
    this.connection = scenario.site.connection;
    this.baseLines = allLines(this.connection);
    this.loads = scenario.loads.map((l, i) => activeLoad(l, i, scenario.seed));
    this.pv = scenario.pv ? createPv(scenario.pv, startMs, scenario.seed) : null;
    this.pvLines = scenario.pv?.phases ?? [];
    this.localClock = new LocalClock(startMs);
    this.loadPowers = new Float64Array(this.loads.length);
  }

  stepInto(tS: number, lineKw: [number, number, number], lineA: [number, number, number]): number {
    const { connection, loads, loadPowers, scenario } = this;
    lineKw[0] = lineKw[1] = lineKw[2] = 0;
    lineA[0] = lineA[1] = lineA[2] = 0;
    const localS = this.localClock.at(tS);
    const tod = localS % DAY_S;
    let loadKw = baseLoadKwAt(scenario, tS);
    addToLines(connection, this.baseLines, loadKw, lineKw, lineA);
    for (let i = 0; i < loads.length; i++) {
      const load = loads[i]!;
      const kw = loadKwAt(load, tod, localS);
      loadPowers[i] = kw;
      if (kw === 0) continue;
      loadKw += kw;
      addToLines(connection, load.phases, kw, lineKw, lineA);
    }
    this.pvKw = this.pv ? this.pv.kwAt(tS) : 0;
    addToLines(connection, this.pvLines, -this.pvKw, lineKw, lineA);
    return loadKw;
  }

  step(tS: number): HouseState {
    const lineKw: [number, number, number] = [0, 0, 0];
    const lineA: [number, number, number] = [0, 0, 0];
    const loadKw = this.stepInto(tS, lineKw, lineA);
    return { lineKw, lineA, pvKw: this.pvKw, loadKw };
  }
}

/** A rise of at least this much on a line counts as an appliance's on-step (base-load wander stays below it). */
export const STEP_MIN_A = 0.5;

/** The house second by second over a whole run, computed once and shared by every strategy's run. */
export interface HouseTimeline {
  durationS: number;
  /** Per line, line-major: lineKw[l][t], lineA[l][t] (signed, as HouseState). */
  lineKw: [Float64Array, Float64Array, Float64Array];
  lineA: [Float64Array, Float64Array, Float64Array];
  /** Appliance on-steps in time order: the second, a bit mask of the lines it raised (bit l−1), the load's index. */
  steps: { t: Int32Array; lines: Uint8Array; load: Int16Array; count: number };
}

/** The house's lines as columns over the run, added to a contribution at a time (`addToColumns`). */
class LineColumns {
  readonly kw: HouseTimeline['lineKw'];
  readonly a: HouseTimeline['lineA'];

  constructor(
    private readonly connection: Connection,
    n: number,
  ) {
    this.kw = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    this.a = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  }

  add(t: number, phases: readonly Line[], kw: number): void {
    addToColumns(this.connection, phases, kw, this.kw, this.a, t);
  }
}

/**
 * The house second by second over a whole run, computed once and shared by every strategy's run. Each second is
 * what `stepInto` gives, but the sum is built a contribution at a time (base load, each appliance in scenario
 * order, PV) so that an appliance costs a check in the many seconds it is off.
 */
export function houseTimeline(scenario: Scenario): HouseTimeline {
  const n = scenario.durationS;
  const { connection } = scenario.site;
  const startMs = parseStart(scenario.start);
  const columns = new LineColumns(connection, n);
  const baseLines = allLines(connection);
  let baseKw = 0;
  for (let t = 0; t < n; t++) {
    if (t % 10 === 0) baseKw = baseLoadKwAt(scenario, t); // it changes every 10 s
    columns.add(t, baseLines, baseKw);
  }
  const clock = runClock(startMs, n);
  const steps: number[] = [];
  for (let i = 0; i < scenario.loads.length; i++)
    addLoad(columns, activeLoad(scenario.loads[i]!, i, scenario.seed), i, clock, scenario, steps);
  if (scenario.pv) {
    const pv = createPv(scenario.pv, startMs, scenario.seed);
    for (let t = 0; t < n; t++) columns.add(t, scenario.pv.phases, -pv.kwAt(t));
  }
  return { durationS: n, lineKw: columns.kw, lineA: columns.a, steps: inTimeOrder(steps, scenario) };
}

/** The meter clock at every second of a run. */
interface RunClock {
  localS: Float64Array;
  /** The time of day, as a small integer: schedules take remainders of it, which on a date-sized float are slow. */
  tod: Int32Array;
  /** The seconds where the clock does not move on by one second (summer time starts or ends), ascending. */
  jumps: number[];
}

function runClock(startMs: number, n: number): RunClock {
  const clock = new LocalClock(startMs);
  const localS = new Float64Array(n);
  const tod = new Int32Array(n);
  const jumps: number[] = [];
  for (let t = 0; t < n; t++) {
    localS[t] = clock.at(t);
    tod[t] = clock.timeOfDay(t);
    if (t > 0 && localS[t] !== localS[t - 1]! + 1) jumps.push(t);
  }
  return { localS, tod, jumps };
}

/**
 * How many seconds from t on a daily appliance is sure to be outside its window (0 when it is inside): up to
 * the window's next opening, if the clock runs steadily until then. Times before 1970 are not skipped.
 */
function secondsOutside(load: ActiveLoad, clock: RunClock, t: number): number {
  if (load.durationS >= DAY_S || clock.localS[t]! < 0) return 0;
  const since = sinceOpened(load.atS, clock.tod[t]!);
  if (since < load.durationS) return 0;
  let steadyEnd = clock.localS.length;
  for (const j of clock.jumps)
    if (j > t) {
      steadyEnd = j;
      break;
    }
  return Math.min(DAY_S - since, steadyEnd - t);
}

/**
 * One appliance over the run, and its on-steps (a rise of at least STEP_MIN_A on its lines) as keys
 * t × loads + index, so that sorting the keys of all appliances orders the steps by second, then by appliance.
 * Outside its daily window it draws nothing, so those seconds are skipped at once.
 */
function addLoad(
  columns: LineColumns,
  load: ActiveLoad,
  index: number,
  clock: RunClock,
  scenario: Scenario,
  steps: number[],
): void {
  const { connection } = scenario.site;
  const { localS, tod } = clock;
  const ampsPerKw = ampsForKw(connection, connection === '1x230' ? 1 : load.phases.length, 1);
  const loads = scenario.loads.length;
  let before = 0;
  for (let t = 0; t < localS.length; ) {
    const off = secondsOutside(load, clock, t);
    if (off > 0) {
      t += off;
      before = 0;
      continue;
    }
    const kw = loadKwAt(load, tod[t]!, localS[t]!);
    const rise = kw - before;
    before = kw;
    columns.add(t, load.phases, kw);
    if (t > 0 && !(rise * ampsPerKw < STEP_MIN_A)) steps.push(t * loads + index);
    t++;
  }
}

/** The on-steps from their keys (t × loads + index): by second, then by appliance, as the bench reads them. */
function inTimeOrder(keys: number[], scenario: Scenario): HouseTimeline['steps'] {
  const { connection } = scenario.site;
  const loads = scenario.loads.length;
  const sorted = Float64Array.from(keys).sort();
  const steps = {
    t: new Int32Array(sorted.length),
    lines: new Uint8Array(sorted.length),
    load: new Int16Array(sorted.length),
    count: sorted.length,
  };
  for (let k = 0; k < sorted.length; k++) {
    const t = Math.floor(sorted[k]! / loads);
    const i = sorted[k]! - t * loads;
    const phases = connection === '1x230' ? [1] : scenario.loads[i]!.phases;
    steps.t[k] = t;
    steps.load[k] = i;
    steps.lines[k] = phases.reduce((m, p) => m | (1 << (p - 1)), 0);
  }
  return steps;
}
