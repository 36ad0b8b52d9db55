/** The house without the EVs: base load, scheduled and cycling appliances and PV, per grid line. */
import { ampsForKw } from '@p1/balancer';
import { LocalClock, parseStart, parseTimeOfDay } from './clock';
import { addToLines, allLines } from './lines';
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

/** Whether a daily scheduled (and possibly cycling) appliance draws power at time of day `tod`. */
export function loadIsOn(load: { atS: number; durationS: number; onS: number; periodS: number }, tod: number): boolean {
  const since = (tod - load.atS + DAY_S) % DAY_S;
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
  const since = (tod - load.atS + DAY_S) % DAY_S;
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
    // Base load wanders ±10 % every 10 s (fridge, standby), from a hash so sampling rate does not matter.
    let loadKw = scenario.baseLoadKw * (0.9 + 0.2 * hashUnit(scenario.seed, Math.floor(tS / 10)));
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

export function houseTimeline(scenario: Scenario): HouseTimeline {
  const n = scenario.durationS;
  const house = createHouse(scenario);
  const { connection } = scenario.site;
  const lineKw: HouseTimeline['lineKw'] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const lineA: HouseTimeline['lineA'] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const kw: [number, number, number] = [0, 0, 0];
  const amps: [number, number, number] = [0, 0, 0];
  const loads = scenario.loads;
  const before = new Float64Array(loads.length);
  const stepAmps = loads.map((l) => ampsForKw(connection, connection === '1x230' ? 1 : l.phases.length, 1));
  const stepMask = loads.map((l) => (connection === '1x230' ? 1 : l.phases.reduce((m, p) => m | (1 << (p - 1)), 0)));
  let cap = 256;
  let steps = { t: new Int32Array(cap), lines: new Uint8Array(cap), load: new Int16Array(cap), count: 0 };
  for (let t = 0; t < n; t++) {
    house.stepInto(t, kw, amps);
    for (let l = 0; l < 3; l++) {
      lineKw[l]![t] = kw[l]!;
      lineA[l]![t] = amps[l]!;
    }
    const powers = house.loadPowers;
    for (let i = 0; i < loads.length; i++) {
      const rise = powers[i]! - before[i]!;
      before[i] = powers[i]!;
      if (t === 0 || rise * stepAmps[i]! < STEP_MIN_A) continue;
      if (steps.count === cap) {
        cap *= 2;
        const grown = { t: new Int32Array(cap), lines: new Uint8Array(cap), load: new Int16Array(cap), count: 0 };
        grown.t.set(steps.t);
        grown.lines.set(steps.lines);
        grown.load.set(steps.load);
        grown.count = steps.count;
        steps = grown;
      }
      steps.t[steps.count] = t;
      steps.lines[steps.count] = stepMask[i]!;
      steps.load[steps.count] = i;
      steps.count++;
    }
  }
  return { durationS: n, lineKw, lineA, steps };
}
