/**
 * What the balancer learns of the house from the telegrams alone: the loads that step on and off (on which
 * lines, how many amperes, how long on and off), online and in bounded memory.
 *
 * The controller uses it three ways: a load that cycles (a hob's pot detection, a heat pump, an oven's
 * thermostat) is counted as on while it cycles, so its off-time headroom is never lent to a car that its
 * next on-step would land on; every load seen recently keeps room under 1.45 × In for its step; and the
 * house's expected energy for the rest of a quarter includes the cyclers that will come back.
 */

import type { Connection } from './site';
import { ampsForKw, kwForAmps } from './site';

/**
 * A change of the house current this large on a line (A, ≈ 0.35 kW at 230 V) is a load switching: a washing
 * machine's drum motor (0.4 kW, 1.7 A) cycles too, and landing on a line a cut has just brought to its fuse
 * it keeps the line over until a second cut lands, one car response later.
 */
const STEP_A = 1.5;
/** Steps on several lines within this fraction of each other are one load (3-phase, or 2 lines on 3x230). */
const SAME_LOAD = 0.25;
/** A known load matches a step within this fraction (or 1 A) of its size. */
const MATCH = 0.2;
const MAX_LOADS = 16;
/** A load on this long without an off-step was missed going off. */
const MAX_ON_MS = 4 * 3_600_000;
const DAY_MS = 24 * 3_600_000;
/**
 * How long a load seen once counts as a surge the quarter plan keeps room for, and is shown to owners. The room
 * for its step under 1.45 × In follows the hours it is used instead (`mayReturn`).
 */
const STEP_MEMORY_MS = DAY_MS;
/**
 * A load used within this long may be used again (a second pot, a second kettle): it keeps room for its step.
 * An on-step after a longer silence begins a new use.
 */
const RETURN_MS = 2 * 3_600_000;
/** The same use a day later (dinner, the night's boiler run) may begin up to this much earlier. */
const USE_LEAD_MS = 2 * 3_600_000;
/** An off-time longer than this is a new use of the load, not a cycle (a heat pump rests ~5–20 min). */
const MAX_CYCLE_OFF_S = 1800;
/**
 * A line quiet because a car follows its limit keeps, for at most this long, the current it had before: the
 * step the house made meanwhile is learned once the line is measured in step again (a car's ramp and its
 * charger's next sample take 5–15 s). Quiet for longer, the house may have made several; the line starts afresh.
 */
const QUIET_HOLD_MS = 20_000;
/**
 * How long a quiet line keeps that current where the house rose in the quiet beyond what the car explains: a load
 * came on, and a cut for it keeps the line quiet longer (fleet house 141421/194: an oven's 14.8 A came 9 s into a
 * car's start, which kept L1 quiet for 21 s; unlearned, its thermostat's first return found the car raised into the
 * room kept for an unseen appliance, above 1.45 × In a second time).
 */
const QUIET_ROSE_HOLD_MS = 60_000;
/**
 * A cycler resting at least this long (a heat pump, a boiler) comes back at most about twice a quarter: the run at
 * a quarter's end may spend the energy set aside for it and cut for it when it comes (see `spendable`). A hob
 * zone's or an oven thermostat's rests (30 s – 2 min) would cost a cut at every return.
 */
const LONG_REST_S = 300;
/** A cycler whose off-time is shorter than this is simply counted as on (lending it costs more changes than it gives). */
const LEND_MIN_OFF_S = 60;
/**
 * The least surge kept in mind, also once the house has shown only smaller loads: an oven, a hob zone or a kettle
 * not seen yet switches on at 2–3.5 kW.
 */
const DEFAULT_SURGE_KW = 3;
/** An appliance not seen yet may switch on with this step (kW): the same typical kitchen appliance. */
export const DEFAULT_UNSEEN_STEP_KW = DEFAULT_SURGE_KW;
/**
 * A new use of an appliance at least this large (kW on a line) begins a session: a meal brings the oven and the
 * hob's zones within the half hour, so for `SESSION_MS` an appliance not seen yet may be as large as a 16 A circuit
 * gives (`CIRCUIT_KW`, a zone's boost) rather than the typical `DEFAULT_UNSEEN_STEP_KW` (fleet house 2026/776: a
 * 3.6 kW zone 10 min after the first took a 20 A line 5 s above 1.45 × In). Longer costs the cars on 16 A lines.
 */
const SESSION_KW = 2;
export const SESSION_MS = 1_800_000;
export const CIRCUIT_KW = 3.7;
/** How long a load that went off (and has no rhythm yet) keeps its headroom from raises. */
const COOL_MIN_S = 30;
const COOL_MAX_S = 90;
/** On-steps each of two loads on the same lines needs, never on together, before they count as one appliance's levels. */
const LEVELS_MIN_ON = 4;
/**
 * Loads that may be levels of one appliance (`mayBeLevels`) seen on this often together are that appliance in use: a
 * pump that picks its level at random shows each once, in turn; a dishwasher's heater and one other run do not.
 */
const IN_USE_RUNS = 3;
/** Levels of one appliance keep its rhythm: their usual on-times differ by at most this factor. */
const LEVELS_ON_RATIO = 2;
/** A cycler's rhythm is carried on by at most this many runs of its appliance's other levels in a row (`dueNow`). */
const MAX_CARRIED = 2;
/** `leader` of a load not yet placed in a group. */
const UNPLACED = -2;

export interface LearnedLoad {
  /** Lines 0..2 it draws from, as a bit mask. */
  mask: number;
  /** Current step per line (A): its on-steps smoothed, what it is matched and counted by. */
  amps: number;
  /**
   * The largest on-step matched to it (A): the room kept for its step. A step up to a fifth larger matches a load
   * and moves its size by a fifth of the difference; a room that small fell short of it (fleet house 1/976 at a
   * telegram every 10 s: a 13.9 A oven matched to an 11.7 A tumble dryer, five returns above 1.45 × In).
   */
  peakA: number;
  on: boolean;
  onSteps: number;
  lastOnMs: number;
  lastOffMs: number;
  /** Smoothed on and off durations (s); NaN until seen. */
  onS: number;
  offS: number;
  /** Off-durations seen between two on-steps: the load cycles once this is ≥ 1. */
  cycles: number;
  /** How far (s) an off-time strays from the usual one; NaN until two were seen. */
  jitterS: number;
  lastSeenMs: number;
  /** When its latest use began: its first on-step after a silence longer than `RETURN_MS`. */
  useFromMs: number;
  /** The loads seen on at the same time as this one (the others are candidates for levels of one appliance). */
  together: Set<LearnedLoad>;
  /** The cycler whose rhythm this run carries on (`dueNow`), or null. */
  carries: LearnedLoad | null;
  /** Runs of other loads that carried its rhythm on since it last ran itself. */
  carried: number;
  /** The load whose run last carried its rhythm on: its appliance at another level (`oneRhythm`), or null. */
  carriedBy: LearnedLoad | null;
  /**
   * Of a cycler off to the model, the part of its step a quiet line's current holds already (A, `creditBackInQuiet`):
   * its return adds only the rest (`returnA`: `holdA`, `returnWithStepA`, the quarter's plan). Its step keeps its
   * whole room under 1.45 × In (`mayStep`): the rise may be a car's ramp.
   */
  creditA: number;
}

/** The room `HouseModel.holdA` keeps per line (A) for cyclers that are off now. */
export interface HeldRoom {
  /** Cyclers resting less than a minute: held all through their rest. */
  shortA: readonly number[];
  /** Longer-resting cyclers due back within the cars' response time. */
  dueA: readonly number[];
  /**
   * The part of `dueA` of cyclers resting less than `LONG_REST_S`: thermostats of cooking and drying that run in the
   * same hours as others, of which two of one size may be one load to the model (fleet house nl 8675309/127). Their
   * return beside another load's step under 1.45 × In: `returnWithStepA`.
   */
  dueOftenA: readonly number[];
}

/** The owner-facing summary of a learned load (state API, dashboard). */
export interface LoadSummary {
  label: string;
  kw: number;
  lines: number[];
  on: boolean;
  cycling: boolean;
  onS: number | null;
  offS: number | null;
  seen: number;
}

const EWMA = 0.4;
const bits = (mask: number) => (mask & 1) + ((mask >> 1) & 1) + ((mask >> 2) & 1);
const ewma = (prev: number, x: number) => (Number.isNaN(prev) ? x : prev + (x - prev) * EWMA);

export class HouseModel {
  readonly loads: LearnedLoad[] = [];
  /** The house's current per line (A, signed) at the previous fresh telegram; NaN before. */
  private readonly prevA = [Number.NaN, Number.NaN, Number.NaN];
  /** Since when each line has been quiet (NaN: it is not), and whether it keeps its current from before. */
  private readonly quietSinceMs = [Number.NaN, Number.NaN, Number.NaN];
  private readonly holdPrev = [false, false, false];
  /** Whether the house rose in each line's quiet beyond what its cars explain (it keeps its current longer). */
  private readonly roseInQuiet = [false, false, false];
  private readonly delta = [0, 0, 0];
  private readonly used = [false, false, false];
  /**
   * Per line kept quiet with its current from before: how far the house's current rose since (A), a step the model
   * learns only once the line is in step again; `creditBackInQuiet` takes from it what it credits.
   */
  private readonly pendingA = [0, 0, 0];
  /** Per-line results, reused between calls. */
  private readonly held = {
    shortA: [0, 0, 0] as [number, number, number],
    dueA: [0, 0, 0] as [number, number, number],
    dueOftenA: [0, 0, 0] as [number, number, number],
  };
  private readonly stepOut: [number, number, number] = [0, 0, 0];
  private readonly learnedStepOut: [number, number, number] = [0, 0, 0];
  private readonly blindStepOut: [number, number, number] = [0, 0, 0];
  private readonly returnOut: [number, number, number] = [0, 0, 0];
  private readonly coolOut: [number, number, number] = [0, 0, 0];
  /** Scratch of `sumOverAppliances`: a value per load index, and the group each load joined. */
  private readonly weight = new Float64Array(MAX_LOADS);
  private readonly leader = new Int8Array(MAX_LOADS);

  /** The step of an appliance the house has not shown yet, per line it loads (A). */
  private unseenStepA = 0;
  /** The same in a session, the least on-step that begins one (`SESSION_KW`), and until when it lasts. */
  private sessionStepA = 0;
  private sessionFromA = 0;
  private sessionUntilMs = Number.NEGATIVE_INFINITY;

  constructor(
    private connection: Connection,
    unseenStepKw = DEFAULT_UNSEEN_STEP_KW,
  ) {
    this.sizeRooms(unseenStepKw);
  }

  reconfigure(connection: Connection, unseenStepKw = DEFAULT_UNSEEN_STEP_KW): void {
    if (connection !== this.connection) {
      this.connection = connection;
      this.loads.length = 0;
      this.prevA.fill(Number.NaN);
    }
    this.sizeRooms(unseenStepKw);
  }

  /** Sizes the rooms (A a line) at the connection's voltage; a configured 0 keeps none in a session either. */
  private sizeRooms(unseenStepKw: number): void {
    const c = this.connection;
    this.unseenStepA = ampsForKw(c, 1, unseenStepKw);
    this.sessionStepA = unseenStepKw > 0 ? ampsForKw(c, 1, Math.max(unseenStepKw, CIRCUIT_KW)) : 0;
    this.sessionFromA = ampsForKw(c, 1, SESSION_KW);
  }

  /**
   * One fresh telegram's house current per line (A; NaN for a line not reported). `quiet` marks lines
   * where a car's own change may not be measured yet: no step is taken from them. A line that fell quiet
   * because a car follows a new limit (`following`: its house current just before is sound) keeps that
   * current, and once measured in step again the house's change over the quiet seconds counts as one step
   * (an oven's thermostat that switched on while a car ramped behind a charger sampling every 5 s). A line that
   * fell quiet otherwise (a car that changed its draw by itself, seen a sample late) may already have taken
   * the car's move for the house's: it starts afresh. `fellA`: per quiet line, a fall the caller knows to be the
   * house's own (a load going off while every car on the line can only rise), taken as a step at once. `roseA`:
   * per quiet line, a rise beyond what its cars explain; the line then keeps its current for longer.
   */
  observe(
    nowMs: number,
    houseA: readonly number[],
    quiet: readonly boolean[],
    following?: readonly boolean[],
    fellA?: readonly number[],
    roseA?: readonly number[],
  ): void {
    let any = false;
    for (let l = 0; l < 3; l++) {
      const a = houseA[l]!;
      const p = this.prevA[l]!;
      if (quiet[l]) {
        if (Number.isNaN(this.quietSinceMs[l]!)) {
          this.quietSinceMs[l] = nowMs;
          this.holdPrev[l] = following?.[l] === true;
          this.roseInQuiet[l] = false;
        }
        // A fall known to be the house's own (a load going off while a car rises) is a step all the same.
        const fell = fellA?.[l] ?? 0;
        this.delta[l] = fell <= -STEP_A ? fell : 0;
        if ((roseA?.[l] ?? 0) >= STEP_A) this.roseInQuiet[l] = true;
        const holdMs = this.roseInQuiet[l] ? QUIET_ROSE_HOLD_MS : QUIET_HOLD_MS;
        if (!this.holdPrev[l] || nowMs - this.quietSinceMs[l]! > holdMs) this.prevA[l] = a;
        else this.prevA[l]! += this.delta[l]!;
      } else {
        this.quietSinceMs[l] = Number.NaN;
        this.delta[l] = Number.isNaN(a) || Number.isNaN(p) ? 0 : a - p;
        this.prevA[l] = a;
      }
      this.used[l] = false;
      if (Math.abs(this.delta[l]!) >= STEP_A) any = true;
      this.pendingA[l] = quiet[l] && !Number.isNaN(a) && !Number.isNaN(this.prevA[l]!) ? a - this.prevA[l]! : 0;
    }
    for (const load of this.loads) load.creditA = 0;
    if (any) {
      // Known loads first (two switching in the same second are told apart by what each is known to draw),
      // then what is left, lines stepping together by about as much being one load.
      this.explainByKnown(nowMs);
      for (let l = 0; l < 3; l++) {
        const d = this.delta[l]!;
        if (this.used[l] || Math.abs(d) < STEP_A) continue;
        let mask = 1 << l;
        let sum = d;
        let n = 1;
        for (let k = l + 1; k < 3; k++) {
          const e = this.delta[k]!;
          if (!this.used[k] && Math.sign(e) === Math.sign(d) && Math.abs(e - d) <= SAME_LOAD * Math.abs(d)) {
            mask |= 1 << k;
            sum += e;
            n++;
            this.used[k] = true;
          }
        }
        this.used[l] = true;
        this.step(nowMs, mask, sum / n);
      }
    }
    for (const load of this.loads) {
      if (load.on && (nowMs - load.lastOnMs > MAX_ON_MS || HouseModel.absentFrom(load, houseA, quiet))) load.on = false;
    }
    this.creditBackInQuiet(nowMs);
  }

  /**
   * Credits the cyclers off to the model whose draw a quiet line's current holds although the model has not taken it
   * as a step yet (`pendingA`) with the part of their room that current holds (`creditA`): held whole, they would be
   * counted twice, their room held again for a return that came (fleet house 8388607/545: a hob zone back as a car
   * started behind a charger sampling every 5 s; the car was paused for room the zone already took, and the quarter's
   * plan, counting the zone as on and as due, cut it at its next return). A rise of a cycler's size on each of its
   * lines is what the model will match to it once in step; one rise credits one cycler, the largest it holds (of two
   * about one size, the one due back first), then what is left the next. The same holds a cycler whose off-step the
   * model learned in the quiet (`fellA`) while the limits take the house as last measured in step, the cycler on.
   * Where the rise is a car's ramp its samples missed, the house's current counts that ramp instead and holds as much
   * of the room: the credits are taken afresh at each telegram.
   */
  private creditBackInQuiet(nowMs: number): void {
    const left = this.pendingA;
    if (left[0]! < STEP_A && left[1]! < STEP_A && left[2]! < STEP_A) return;
    for (;;) {
      let next: LearnedLoad | null = null;
      for (const load of this.loads) {
        if (load.creditA > 0) continue;
        if (!HouseModel.cyclingOff(load, nowMs) || !HouseModel.showsIn(load, left)) continue;
        if (!next || load.amps > next.amps + 1) next = load;
        else if (
          load.amps > next.amps - 1 &&
          HouseModel.earliestBackS(load, nowMs) < HouseModel.earliestBackS(next, nowMs)
        )
          next = load;
      }
      if (!next) return;
      let creditA = next.peakA;
      for (let l = 0; l < 3; l++) if (next.mask & (1 << l)) creditA = Math.min(creditA, left[l]!);
      next.creditA = creditA;
      // What the house draws of it is about its amperes; the rise beyond may be another load's.
      for (let l = 0; l < 3; l++) if (next.mask & (1 << l)) left[l]! -= Math.min(creditA, next.amps);
    }
  }

  /** Whether a load's step fits in `riseA` on each of its lines. */
  private static showsIn(load: LearnedLoad, riseA: readonly number[]): boolean {
    const needA = HouseModel.leastStepA(load);
    for (let l = 0; l < 3; l++) if (load.mask & (1 << l) && riseA[l]! < needA) return false;
    return true;
  }

  /** The least change of a line's current (A) that may be a load's step: its amperes less `MATCH`, less 1 A. */
  private static leastStepA(load: LearnedLoad): number {
    return Math.max(STEP_A, load.amps * (1 - MATCH) - 1);
  }

  /**
   * A load the house's current cannot hold on one of its lines went off unseen (its off-step hidden by a car's
   * late sample): counted as on, its step would keep no room (fleet house 20261201/592: an oven taken as on for
   * 17 min after it ended, and a hob zone's first boost found the cars raised into that room).
   */
  private static absentFrom(load: LearnedLoad, houseA: readonly number[], quiet: readonly boolean[]): boolean {
    for (let l = 0; l < 3; l++) {
      if (!(load.mask & (1 << l)) || quiet[l] || Number.isNaN(houseA[l]!)) continue;
      if (houseA[l]! < load.amps * (1 - MATCH) - 1) return true;
    }
    return false;
  }

  /**
   * Takes out of this telegram's steps every known load that fits in them on all its lines (most lines
   * first): an up-step by a load that is off, a down-step by one that is on.
   */
  private explainByKnown(nowMs: number): void {
    let multi = 0;
    for (let l = 0; l < 3; l++) if (Math.abs(this.delta[l]!) >= STEP_A) multi++;
    if (multi < 2) return; // one line stepping is matched as a whole by step()
    const byLines = [...this.loads].sort((a, b) => bits(b.mask) - bits(a.mask) || b.amps - a.amps);
    for (const load of byLines) {
      if (bits(load.mask) < 2) continue;
      const sign = load.on ? -1 : 1;
      let fits = true;
      for (let l = 0; l < 3 && fits; l++) {
        if (!(load.mask & (1 << l))) continue;
        fits = this.delta[l]! * sign >= HouseModel.leastStepA(load);
      }
      if (!fits) continue;
      for (let l = 0; l < 3; l++) if (load.mask & (1 << l)) this.delta[l]! -= sign * load.amps;
      this.step(nowMs, load.mask, sign * load.amps);
    }
  }

  private step(nowMs: number, mask: number, amps: number): void {
    const size = Math.abs(amps);
    const match = (l: LearnedLoad) => l.mask === mask && HouseModel.sized(l, size);
    if (amps > 0) {
      let load = this.loads.find((l) => !l.on && match(l));
      if (!load) load = this.add(mask, size, nowMs);
      else if (load.lastOffMs > load.lastOnMs) {
        const offS = (nowMs - load.lastOffMs) / 1000;
        if (offS <= MAX_CYCLE_OFF_S) {
          if (!Number.isNaN(load.offS)) load.jitterS = ewma(load.jitterS, Math.abs(offS - load.offS));
          load.offS = ewma(load.offS, offS);
          load.cycles++;
        } else {
          // Back after a long rest: a new session of the same appliance, its rhythm starts over.
          load.offS = Number.NaN;
          load.jitterS = Number.NaN;
          load.cycles = 0;
        }
      }
      for (const other of this.loads) {
        if (!other.on || other === load) continue;
        other.together.add(load);
        load.together.add(other);
      }
      if (nowMs - load.lastSeenMs > RETURN_MS) load.useFromMs = nowMs;
      if (load.useFromMs === nowMs && size >= this.sessionFromA) this.sessionUntilMs = nowMs + SESSION_MS;
      load.carries = this.dueNow(load, nowMs);
      load.carried = 0;
      load.on = true;
      load.onSteps++;
      load.lastOnMs = nowMs;
      load.lastSeenMs = nowMs;
      load.amps += (size - load.amps) * 0.2;
      load.peakA = Math.max(load.peakA, size);
      return;
    }
    const load = this.loads.find((l) => l.on && match(l)) ?? this.seenInPart(mask, size);
    if (!load) return;
    load.mask = mask;
    load.on = false;
    const runS = (nowMs - load.lastOnMs) / 1000;
    load.onS = ewma(load.onS, runS);
    load.lastOffMs = nowMs;
    load.lastSeenMs = nowMs;
    const cycler = load.carries;
    load.carries = null;
    // Another level of the cycler's appliance keeps its rhythm: a run about as long as the cycler's, never beside it
    // (not one that went off in this telegram: that run was its own).
    if (
      cycler &&
      !cycler.on &&
      cycler.lastOffMs < nowMs &&
      !cycler.together.has(load) &&
      runS <= cycler.onS * LEVELS_ON_RATIO &&
      cycler.onS <= runS * LEVELS_ON_RATIO
    ) {
      cycler.lastOffMs = nowMs;
      cycler.carried++;
      cycler.carriedBy = load;
    }
  }

  /**
   * The cycler on the same lines, resting less than `LONG_REST_S`, that is off and due back now: a step that is not
   * its own may be another of its appliance's levels, and a run of it about as long as the cycler's, never beside
   * it, carries the cycler's rhythm on (see `step`). A hob zone at 1.48 and 0.89 kW whose 1.48 kW runs were learned
   * as a cycler was taken for stopped after one 0.89 kW run, and its next return found the cars raised into its room
   * (fleet house nl 60221/455). At most `MAX_CARRIED` runs in a row: another appliance that happens to step there
   * keeps the cycler's room a cycle or two longer, not for good. A heat pump's long rests are left alone: its return
   * may be lent room up to 1.13 × In, and its levels keep room once seen (`mayStep`).
   */
  private dueNow(load: LearnedLoad, nowMs: number): LearnedLoad | null {
    for (const other of this.loads) {
      if (other === load || other.mask !== load.mask || other.carried >= MAX_CARRIED) continue;
      if (!HouseModel.cyclingOff(other, nowMs) || other.offS >= LONG_REST_S) continue;
      if (HouseModel.earliestBackS(other, nowMs) <= 0) return other;
    }
    return null;
  }

  /**
   * The load that is on whose on-step was seen on some of the lines of this off-step only, the others quiet while a
   * car followed a cut: it draws from all of them (fleet house 20261205/505: an 8.4 kW sauna on 3x230 learned as
   * 21 A on L3 alone, whose thermostat's returns found L1 raised into its room). Not where a load on the other lines
   * may be the rest of the step (a dishwasher on L3 and a washing machine on L2 ending in one telegram). An off-step
   * nothing explains teaches nothing: a car's draw first measured after a restart, or a cloud passing, steps the
   * house's current down too.
   */
  private seenInPart(mask: number, size: number): LearnedLoad | undefined {
    const part = this.loads.find((l) => l.on && (l.mask & mask) === l.mask && HouseModel.sized(l, size));
    if (!part) return undefined;
    const rest = mask & ~part.mask;
    return this.loads.some((l) => l.on && (l.mask & rest) !== 0 && HouseModel.sized(l, size)) ? undefined : part;
  }

  /** Whether a step of `size` (A) is the load's: within `MATCH` of its amperes, or 1 A. */
  private static sized(load: LearnedLoad, size: number): boolean {
    return Math.abs(load.amps - size) <= Math.max(MATCH * load.amps, 1);
  }

  private add(mask: number, amps: number, nowMs: number): LearnedLoad {
    if (this.loads.length >= MAX_LOADS) {
      // Forget the load seen longest ago (bounded memory).
      let oldest = 0;
      for (let i = 1; i < this.loads.length; i++) {
        if (this.loads[i]!.lastSeenMs < this.loads[oldest]!.lastSeenMs) oldest = i;
      }
      const gone = this.loads.splice(oldest, 1)[0]!;
      for (const load of this.loads) {
        load.together.delete(gone);
        if (load.carries === gone) load.carries = null;
        if (load.carriedBy === gone) load.carriedBy = null;
      }
    }
    const load: LearnedLoad = {
      mask,
      amps,
      peakA: amps,
      on: false,
      onSteps: 0,
      lastOnMs: nowMs,
      lastOffMs: Number.NaN,
      onS: Number.NaN,
      offS: Number.NaN,
      cycles: 0,
      jitterS: Number.NaN,
      lastSeenMs: nowMs,
      useFromMs: nowMs,
      together: new Set(),
      carries: null,
      carried: 0,
      carriedBy: null,
      creditA: 0,
    };
    this.loads.push(load);
    return load;
  }

  /** A load that cycles and is expected back: off now, but within its usual off-time (with slack). */
  static cyclingOff(load: LearnedLoad, nowMs: number): boolean {
    if (load.on || load.cycles < 1 || Number.isNaN(load.offS)) return false;
    return nowMs - load.lastOffMs <= Math.max(1.5 * load.offS, load.offS + 60) * 1000;
  }

  /** How far (s) a cycler's off-time may stray from its usual one. */
  static spreadS(load: LearnedLoad): number {
    // Until two off-times were seen, allow for 15 % of it; then for three times how much they stray.
    return Number.isNaN(load.jitterS)
      ? Math.max(10, 0.15 * load.offS)
      : Math.max(10, 0.05 * load.offS, 3 * load.jitterS);
  }

  /** Seconds until a cycler that is off now is expected back, less the spread of its off-times. */
  static earliestBackS(load: LearnedLoad, nowMs: number): number {
    return load.offS - HouseModel.spreadS(load) - (nowMs - load.lastOffMs) / 1000;
  }

  /** A cycler off for longer than its off-times stray: it may have stopped cycling (the oven is done). */
  static late(load: LearnedLoad, nowMs: number): boolean {
    return HouseModel.cyclingOff(load, nowMs) && HouseModel.earliestBackS(load, nowMs) < -2 * HouseModel.spreadS(load);
  }

  /**
   * A cycler off now whose return a cut can meet at the cost of a telegram and the cars' lag, once or twice a
   * quarter: one off past its rhythm (it may be done), or one that rests long (`LONG_REST_S`).
   */
  static spendable(load: LearnedLoad, nowMs: number): boolean {
    return HouseModel.cyclingOff(load, nowMs) && (load.offS >= LONG_REST_S || HouseModel.late(load, nowMs));
  }

  /**
   * Amperes per line to count as drawn although the load is off now: cyclers that rest less than `LEND_MIN_OFF_S`
   * all through their rest (`shortA`: lending it would cost a raise and a cut at every return), and longer-resting
   * ones from `horizonS` (the cars' response time) before their expected return (`dueA`). Their off-time headroom
   * may be lent to a car only while their return is far enough away for a cut to land first.
   */
  holdA(nowMs: number, horizonS: number): HeldRoom {
    const { shortA, dueA, dueOftenA } = this.held;
    shortA[0] = shortA[1] = shortA[2] = 0;
    dueA[0] = dueA[1] = dueA[2] = 0;
    dueOftenA[0] = dueOftenA[1] = dueOftenA[2] = 0;
    for (const load of this.loads) {
      if (!HouseModel.cyclingOff(load, nowMs) || this.outweighed(load, nowMs)) continue;
      const short = load.offS < LEND_MIN_OFF_S;
      if (!short && HouseModel.earliestBackS(load, nowMs) > horizonS) continue;
      const out = short ? shortA : dueA;
      const often = HouseModel.restsOften(load);
      const addA = this.returnA(load, true);
      for (let l = 0; l < 3; l++)
        if (load.mask & (1 << l)) {
          out[l]! += addA;
          if (often) dueOftenA[l]! += addA;
        }
    }
    return this.held;
  }

  /**
   * Per line (A): the return of a cooking or drying thermostat due back within `horizonS` (resting 1–5 min, as
   * `holdA`'s `dueOftenA`) together with the largest step of another load that may step now (`mayStep`, loads that
   * came on in one telegram as one: `cameOnWith`), the largest such pair; 0 where none is due. The return may come
   * within a cut's lag of that step, in the hours of the same meal (fleet house nl 60221/455: a hob zone back 2 s
   * after another zone's step). Not another level of the thermostat's own appliance: they take turns.
   */
  returnWithStepA(nowMs: number, horizonS: number): readonly number[] {
    const out = this.returnOut;
    out[0] = out[1] = out[2] = 0;
    for (const load of this.loads) {
      if (!HouseModel.cyclingOff(load, nowMs) || !HouseModel.restsOften(load)) continue;
      if (HouseModel.earliestBackS(load, nowMs) > horizonS) continue;
      const backA = this.returnA(load, true);
      for (let l = 0; l < 3; l++)
        if (load.mask & (1 << l)) out[l] = Math.max(out[l]!, backA + this.largestStepA(l, nowMs, load));
    }
    return out;
  }

  /** A cooking or drying thermostat's rest: a minute or more (`LEND_MIN_OFF_S`), under `LONG_REST_S`. */
  private static restsOften(load: LearnedLoad): boolean {
    return load.offS >= LEND_MIN_OFF_S && load.offS < LONG_REST_S;
  }

  /**
   * Whether one run carried the other's rhythm on: one appliance at two levels, which take turns. Not once they were
   * seen on together: two appliances after all.
   */
  private static oneRhythm(a: LearnedLoad, b: LearnedLoad): boolean {
    return (a.carriedBy === b || b.carriedBy === a) && !a.together.has(b);
  }

  /**
   * A cycler off now whose appliance has another level off now too that keeps a larger room: `holdA` counts the
   * appliance once (fleet scenario `be-3n400-bursty-appliances`: an air fryer's runs learned at 7.8 and 9.4 A, each
   * held through the other's rests, kept 17 A of a 25 A line from the car).
   */
  private outweighed(load: LearnedLoad, nowMs: number): boolean {
    for (const other of this.loads) {
      if (other === load || !HouseModel.oneRhythm(load, other) || !HouseModel.cyclingOff(other, nowMs)) continue;
      if (
        other.peakA > load.peakA ||
        (other.peakA === load.peakA && this.loads.indexOf(other) < this.loads.indexOf(load))
      )
        return true;
    }
    return false;
  }

  /**
   * What a load that is off adds when it comes on (A): another level of its appliance that runs now makes way (one
   * seen often, `levels`, or one whose run carried its rhythm on, `oneRhythm`). `room`: the room to keep for it, its
   * largest step (`peakA`); else what it is expected to draw.
   */
  private stepOf(load: LearnedLoad, room = false): number {
    let runningA = 0;
    for (const other of this.loads)
      if (other.on && (HouseModel.levels(load, other) || HouseModel.oneRhythm(load, other)))
        runningA = Math.max(runningA, other.amps);
    return Math.max(0, (room ? load.peakA : load.amps) - runningA);
  }

  /**
   * Two loads on the same lines, each seen on often, never on at the same time, with runs of about one length:
   * levels of one appliance (a modulating heat pump, a hob zone's power steps), learned as separate loads because
   * their steps differ. Never on together alone is not enough: an air fryer (56 s on) that cycled only while a heat
   * pump (19 min on) rested was taken for its level, its step counted as none while the pump ran, and it came back
   * onto a car cut only to its minimum (fleet house nl 2026/899, 11 s over the fuse).
   */
  static levels(a: LearnedLoad, b: LearnedLoad): boolean {
    return a.onSteps >= LEVELS_MIN_ON && b.onSteps >= LEVELS_MIN_ON && HouseModel.mayBeLevels(a, b);
  }

  /**
   * Two loads that `levels` takes for one appliance's once each was seen on often: the same lines, runs of about one
   * length, never on together.
   */
  private static mayBeLevels(a: LearnedLoad, b: LearnedLoad): boolean {
    return (
      a !== b &&
      a.mask === b.mask &&
      !a.together.has(b) &&
      a.onS <= b.onS * LEVELS_ON_RATIO &&
      b.onS <= a.onS * LEVELS_ON_RATIO
    );
  }

  /**
   * Amperes per line of loads that went off a moment ago and have not shown a rhythm yet: a car is not
   * raised into their headroom until they have stayed off about as long as they were on (30–90 s), so a
   * second on-step does not land on a freshly raised car.
   */
  coolingA(nowMs: number): readonly number[] {
    const out = this.coolOut;
    out[0] = out[1] = out[2] = 0;
    for (const load of this.loads) {
      if (load.on || load.cycles >= 1 || Number.isNaN(load.lastOffMs)) continue;
      const onS = (load.lastOffMs - load.lastOnMs) / 1000;
      const coolS = Math.min(COOL_MAX_S, Math.max(COOL_MIN_S, onS));
      if (nowMs - load.lastOffMs > coolS * 1000) continue;
      for (let l = 0; l < 3; l++) if (load.mask & (1 << l)) out[l]! += load.peakA;
    }
    return out;
  }

  /** The step of an appliance not seen yet (A a line): a 16 A circuit's in a session, a configured 0 kept. */
  private unseenA(nowMs: number): number {
    return nowMs < this.sessionUntilMs ? this.sessionStepA : this.unseenStepA;
  }

  /**
   * A load that is off may come on again: within `RETURN_MS` of its last use, and the next day around the
   * hours of that use (from `USE_LEAD_MS` before it began until `RETURN_MS` after it ended; a daylight-saving
   * change shifts it by one). The oven of dinner keeps its room through the evening and again at tomorrow's
   * dinner, not through the night; a load used at noon takes none at dinner.
   */
  static mayReturn(load: LearnedLoad, nowMs: number): boolean {
    const sinceMs = nowMs - load.lastSeenMs;
    if (sinceMs <= RETURN_MS) return true;
    if (sinceMs > DAY_MS + RETURN_MS) return false;
    const intoWindowMs = (((nowMs - load.useFromMs + USE_LEAD_MS) % DAY_MS) + DAY_MS) % DAY_MS;
    return intoWindowMs <= USE_LEAD_MS + (load.lastSeenMs - load.useFromMs) + RETURN_MS;
  }

  /**
   * The largest step per line that may come on top of what runs now (A): a load that is off now and may
   * return (`mayReturn`), and never less than the step of an appliance not seen yet: the first kettle or
   * boiler of the day must not find a car that leaves it no room under 1.45 × In (on a 16 A fuse, 13 A of 23).
   * Given the house's current per line and the fuse, that unseen step is no larger than what takes the house
   * alone to its fuse: a house whose own loads overload the main fuse does so with or without a car. Loads
   * that last came on in the same telegram step together (`cameOnWith`). `unseen` false: the loads seen alone (a
   * buffer of its own, so both can be held at once).
   */
  stepA(nowMs: number, houseA?: readonly number[], fuseA = Infinity, unseen = true): readonly number[] {
    const out = unseen ? this.stepOut : this.learnedStepOut;
    const unseenA = unseen ? this.unseenA(nowMs) : 0;
    for (let l = 0; l < 3; l++) {
      const roomA = houseA ? Math.min(unseenA, Math.max(0, fuseA - houseA[l]!)) : unseenA;
      out[l] = Math.max(roomA, this.largestStepA(l, nowMs, null));
    }
    return out;
  }

  /**
   * The largest step on line `l` of the loads that may step now (A), loads that last came on in one telegram as one
   * (`cameOnWith`); `besides`: a cycler whose own step and levels are left out (`returnWithStepA`).
   */
  private largestStepA(l: number, nowMs: number, besides: LearnedLoad | null): number {
    let largestA = 0;
    for (const load of this.loads) {
      if (!this.mayStepOn(load, l, nowMs, besides)) continue;
      let stepA = 0;
      for (const other of this.loads)
        if (HouseModel.cameOnWith(load, other) && this.mayStepOn(other, l, nowMs, besides))
          stepA += this.stepOf(other, true);
      largestA = Math.max(largestA, stepA);
    }
    return largestA;
  }

  /** A load that may step now on line `l`, not `besides` nor one of its levels. */
  private mayStepOn(load: LearnedLoad, l: number, nowMs: number, besides: LearnedLoad | null): boolean {
    if (!(load.mask & (1 << l))) return false;
    if (besides && (load === besides || HouseModel.levels(besides, load) || HouseModel.oneRhythm(besides, load)))
      return false;
    return this.mayStep(load, nowMs);
  }

  /**
   * The steps per line that may all have come by the time a silent meter is back (A): every load that may step now
   * (`mayStep`), the levels of one appliance once, and never less than an appliance not seen yet. Seeing, the cars
   * are cut after each step, so the largest is room enough (`stepA`); blind, they stack until the meter is back
   * (fleet house nl 8080/104: an oven's thermostat and a hob zone back during a 4-minute outage, a 25 A line at 26 A
   * for 29 s beside a car at its safe 6 A).
   */
  blindStepA(nowMs: number): readonly number[] {
    const out = this.blindStepOut;
    for (let l = 0; l < 3; l++) {
      for (let i = 0; i < this.loads.length; i++) {
        const load = this.loads[i]!;
        this.weight[i] = load.mask & (1 << l) && this.mayStep(load, nowMs) ? this.stepOf(load, true) : 0;
      }
      out[l] = Math.max(this.unseenA(nowMs), this.sumOverAppliances());
    }
    return out;
  }

  /**
   * A load whose step may come on top of what runs now: off, and may return (`mayReturn`), itself or as a level of
   * an appliance in use: a modulating heat pump that ran at 1.9 and 2.6 kW all afternoon may take its 3.2 kW level
   * though that was last seen at night (fleet house 20261205/960, a 16 A line taken to 1.45 × In). A load that may
   * be such a level but was not seen on often enough for `levels` keeps its step too while the loads it may be a level
   * of rest and one may return, once they were seen on `IN_USE_RUNS` times together: the top level of another pump,
   * seen twice at night, came back four hours later (27182/300, 1.45 × In again); a third pump's, seen once, 2 h 18 min
   * later, its other levels never twice in a row (nl 5772156/365). While one of them runs the fuse holds the cars to
   * what it leaves, and a change of level adds only the difference; a load that ran once beside one other run (a
   * dishwasher's heater) holds no room all night.
   */
  private mayStep(load: LearnedLoad, nowMs: number): boolean {
    if (load.on) return false;
    if (HouseModel.mayReturn(load, nowMs)) return true;
    let inUse = false;
    let running = false;
    let runs = load.onSteps;
    for (const other of this.loads) {
      if (HouseModel.levels(load, other) && (other.on || HouseModel.mayReturn(other, nowMs))) return true;
      if (!HouseModel.mayBeLevels(load, other)) continue;
      runs += other.onSteps;
      if (other.on) running = true;
      else if (HouseModel.mayReturn(other, nowMs)) inUse = true;
    }
    return inUse && !running && runs >= IN_USE_RUNS;
  }

  /**
   * Whether `other` last came on in the same telegram as `load` (true for `load` itself): one appliance whose step
   * the model explained as a known load plus a rest (an oven's 15 A learned as 12 A and 3 A, fleet house
   * 424242/330), or two switched on at once. The room and the surge they may take is their sum.
   */
  private static cameOnWith(load: LearnedLoad, other: LearnedLoad): boolean {
    return other.lastOnMs === load.lastOnMs;
  }

  /**
   * The largest load (kW) that may switch on at any moment: the largest seen in the last day that is off
   * now, and at least a typical kitchen appliance not seen yet. `besidesCyclers`: a surge on top of the cyclers
   * that are off now, so not one of them.
   */
  surgeKw(nowMs: number, besidesCyclers = false): number {
    let kw = DEFAULT_SURGE_KW;
    for (const load of this.loads) {
      if (!HouseModel.maySurge(load, nowMs, besidesCyclers)) continue;
      // Loads that last came on in one telegram surge together (see `cameOnWith`).
      let groupKw = 0;
      for (const other of this.loads)
        if (HouseModel.cameOnWith(load, other) && HouseModel.maySurge(other, nowMs, besidesCyclers))
          groupKw += this.kwOf(other);
      kw = Math.max(kw, groupKw);
    }
    return kw;
  }

  /** A load that may surge now: off, seen within the day, and not a cycler that is off when `besidesCyclers`. */
  private static maySurge(load: LearnedLoad, nowMs: number, besidesCyclers: boolean): boolean {
    if (load.on || nowMs - load.lastSeenMs > STEP_MEMORY_MS) return false;
    return !(besidesCyclers && HouseModel.cyclingOff(load, nowMs));
  }

  /**
   * Energy (kWh) the cyclers that are off now are expected to add over the next `windowS` seconds: from
   * their expected return, on for their usual share of each cycle.
   */
  cyclerEnergyKwh(nowMs: number, windowS: number, spendableOnly = false): number {
    const weight = this.weight;
    for (let i = 0; i < this.loads.length; i++) {
      weight[i] = 0;
      const load = this.loads[i]!;
      if (!(spendableOnly ? HouseModel.spendable(load, nowMs) : HouseModel.cyclingOff(load, nowMs))) continue;
      const onS = Number.isNaN(load.onS) ? load.offS : load.onS;
      const backInS = Math.max(0, load.offS - (nowMs - load.lastOffMs) / 1000);
      const span = windowS - backInS;
      if (span <= 0) continue;
      const duty = onS / (onS + load.offS);
      const expectedOnS = Math.min(span, Math.max(Math.min(onS, span), span * duty));
      weight[i] = (this.addedKwOf(load) * expectedOnS) / 3600;
    }
    return this.sumOverAppliances();
  }

  /** Power (kW) of the cyclers that are off now: each may be back, and stay on, within the next quarter. */
  cyclersOffKw(nowMs: number, spendableOnly = false): number {
    for (let i = 0; i < this.loads.length; i++) {
      const load = this.loads[i]!;
      const counted = spendableOnly ? HouseModel.spendable(load, nowMs) : HouseModel.cyclingOff(load, nowMs);
      this.weight[i] = counted ? this.addedKwOf(load) : 0;
    }
    return this.sumOverAppliances();
  }

  /** The power (kW) a load that is off adds when it comes on: less a level of its appliance that runs now. */
  private addedKwOf(load: LearnedLoad): number {
    return load.amps > 0 ? (this.kwOf(load) * this.returnA(load)) / load.amps : 0;
  }

  /**
   * What a cycler off now adds when it returns (A): its step (`stepOf`) less the part a quiet line's current holds
   * already (`creditA`). Not for the room of its step under 1.45 × In, which stays whole.
   */
  private returnA(load: LearnedLoad, room = false): number {
    return Math.max(0, this.stepOf(load, room) - load.creditA);
  }

  /**
   * The sum of `weight` (per load index) with the levels of one appliance counted once, the largest: they take
   * turns. Loads go into groups whose members are all levels of each other, largest first; a group counts its
   * first member. Allocation-free; at most 16 loads.
   */
  private sumOverAppliances(): number {
    const n = this.loads.length;
    const { weight, leader } = this;
    leader.fill(UNPLACED, 0, n);
    let sum = 0;
    for (;;) {
      let x = -1;
      for (let i = 0; i < n; i++) {
        if (leader[i] === UNPLACED && weight[i]! > 0 && (x < 0 || weight[i]! > weight[x]!)) x = i;
      }
      if (x < 0) return sum;
      let group = -1;
      for (let g = 0; g < n && group < 0; g++) {
        if (leader[g] !== g) continue;
        let all = true;
        for (let i = 0; i < n && all; i++) {
          if (leader[i] === g && !HouseModel.levels(this.loads[x]!, this.loads[i]!)) all = false;
        }
        if (all) group = g;
      }
      if (group >= 0) leader[x] = group;
      else {
        leader[x] = x;
        sum += weight[x]!;
      }
    }
  }

  kwOf(load: LearnedLoad): number {
    // A 3x230 meter measures L1 and L3 only: a step on both is a load between them or a three-phase one whose
    // L2 goes unseen. Count the larger, the three-phase power: the reserves this sizes must not fall short.
    const lines = this.connection === '3x230' && load.mask === 0b101 ? 3 : bits(load.mask);
    return kwForAmps(this.connection, lines, load.amps);
  }

  /** What the model has learned, for owners: the loads seen, largest first. */
  summary(nowMs: number): LoadSummary[] {
    return this.loads
      .filter((l) => l.onSteps > 0 && nowMs - l.lastSeenMs <= STEP_MEMORY_MS)
      .map((l) => {
        const kw = this.kwOf(l);
        const lines = [0, 1, 2].filter((k) => l.mask & (1 << k)).map((k) => k + 1);
        const cycling = l.cycles >= 1;
        return {
          label: describeLoad(kw, lines.length, cycling, l.onS),
          kw: Math.round(kw * 100) / 100,
          lines,
          on: l.on,
          cycling,
          onS: Number.isNaN(l.onS) ? null : Math.round(l.onS),
          offS: Number.isNaN(l.offS) ? null : Math.round(l.offS),
          seen: l.onSteps,
        };
      })
      .sort((a, b) => b.kw - a.kw);
  }
}

/** A plain-language guess of what kind of appliance a learned load is, from its power and rhythm. */
export function describeLoad(kw: number, lines: number, cycling: boolean, onS: number): string {
  if (lines === 3 && kw >= 5) return 'sauna- or boiler-like load';
  if (lines === 3) return cycling ? 'heat pump-like load' : 'three-phase load';
  if (cycling && !Number.isNaN(onS) && onS < 240) return 'hob-like load';
  if (cycling) return kw >= 1.8 ? 'oven- or heater-like load' : 'compressor-like load';
  if (!Number.isNaN(onS) && onS < 30) return 'boiling-water tap-like load';
  if (kw >= 1.5) return 'kettle- or cooker-like load';
  return 'appliance';
}
