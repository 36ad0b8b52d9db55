/**
 * What the balancer keeps for each charger from step to step: its limit and when it changed (`LimitBook`), the
 * car's learned response, its samples, and the scratch of the step being decided. No logic here but copying a book;
 * the names in backticks without a module are the balancer's (`balancer.ts`).
 */
import type { AllocItem } from './allocate';
import type { Reason } from './reasons';
import type { ChargerDecision } from './types';

export type MeasurementStatus = ChargerDecision['measurement'];

/** What `setLimit` keeps besides the limit: what a step that sends no change must leave as it found it. */
export interface LimitBook {
  lastChangeMs: number;
  /**
   * By when the car should have followed its last new limit (its lag and ramp): a sample taken before that may
   * show it still on its way, and the meter then counts its unmeasured move as house.
   */
  followedByMs: number;
  /**
   * A cut's limit that a raise sent while it was still landing superseded: the raise reaches the car only after its
   * lag, so until `lowerUntilMs` the car may still fall to this first.
   */
  lowerA: number;
  lowerUntilMs: number;
  /**
   * A raise's limit that a cut sent while it was still landing superseded: until `upperUntilMs` the car may still
   * rise towards it first.
   */
  upperA: number;
  upperUntilMs: number;
  lastRaiseMs: number;
  lastCutMs: number;
  raiseDelayMs: number;
  chargingSinceMs: number;
  pausedSinceMs: number;
  /** Its limit was last set by the quarter's budget, under its maximum. */
  budgetHeld: boolean;
}

export const copyBook = (to: LimitBook, from: LimitBook): void => {
  to.lastChangeMs = from.lastChangeMs;
  to.followedByMs = from.followedByMs;
  to.lowerA = from.lowerA;
  to.lowerUntilMs = from.lowerUntilMs;
  to.upperA = from.upperA;
  to.upperUntilMs = from.upperUntilMs;
  to.lastRaiseMs = from.lastRaiseMs;
  to.lastCutMs = from.lastCutMs;
  to.raiseDelayMs = from.raiseDelayMs;
  to.chargingSinceMs = from.chargingSinceMs;
  to.pausedSinceMs = from.pausedSinceMs;
  to.budgetHeld = from.budgetHeld;
};

export interface ChargerRecord extends LimitBook {
  limitA: number;
  phases: 1 | 3;
  reason: Reason;
  /** Another ceiling that binds at the unchanged limit, and since when (see `CEILING_SETTLE_MS`). */
  nextCeiling: Reason | null;
  nextCeilingSinceMs: number;
  /**
   * When the last sample was taken, how long after the one before (ms), how far it moved from it (A), and whether
   * by 1 A or more.
   */
  sampleAtMs: number;
  sampleGapMs: number;
  sampleMoveA: number;
  sampleMoved: boolean;
  /** When its last `FULL_CHANGES_PER_HOUR` limits sent were (a ring, oldest at `changeSlot`; −Infinity before). */
  changesMs: Float64Array;
  changeSlot: number;
  /**
   * After a cut made deeper while its line was over the fuse (room for one more step until the cut lands):
   * the limit the cut alone would have set, to which the car returns on the first fresh telegram under the
   * fuse, not after the raise delay (NaN: none).
   */
  restoreA: number;
  /** Paused and within the car's minimum pause: it cannot start now (set with its allocation item). */
  resting: boolean;
  /** Given its minimum or more by the last allocation, its start held back by a raise delay or another's cut. */
  startHeld: boolean;
  solarHighSinceMs: number;
  solarLowSinceMs: number;
  wantPhases: 1 | 3;
  wantPhasesSinceMs: number;
  lastSwitchMs: number;
  /** Line indices 0..2 in use for `linesFor` phases (cached: the hot path must not allocate). */
  lineIdx: number[];
  linesFor: 1 | 3 | 0;
  /** The car's learned response: seconds until it follows a new setpoint, and how fast it ramps up (A/s). */
  lagS: number;
  rampAps: number;
  /**
   * Seconds until it follows a cut given while it drew steadily: how early a stop at a quarter's end is sent (`lagS`
   * counts raises too, seen only once the ramp's first ampere is drawn).
   */
  stopLagS: number;
  /** Whether `stopLagS` was measured (a steady cut seen followed), not the default. */
  stopLagMeasured: boolean;
  /** A change being watched to learn the response from; `steady`: the car had followed the one before. */
  watch: {
    cmdMs: number;
    fromA: number;
    toA: number;
    movedMs: number;
    lastA: number;
    flatSince: number;
    steady: boolean;
  } | null;
  // Scratch of the step being decided (kept here so that a step allocates nothing per charger).
  /** Whether the car had followed its last change and its samples held steady when this step began. */
  steady: boolean;
  status: MeasurementStatus;
  /** A measurement of its current has been usable in this run (an offline charger's is none). */
  sampled: boolean;
  /** The most the car draws on any line it uses (A). */
  drawnA: number;
  beforeA: number;
  /** Its `LimitBook` as the step began: a raise taken back before it is sent never happened (`takeBackRaise`). */
  bookBefore: LimitBook;
  /**
   * When a raise last waited for another car's cut (`sequenceRaises`): it is tried again a raise delay later, as
   * after a change. Tried every second, the shipped sauna scenario's car paused 65 times instead of 22 (0.79 of the
   * bound instead of 0.81): the second car's share was taken back and offered again while the cuts landed.
   */
  waitedForCutMs: number;
  beforePhases: 1 | 3;
  plugged: boolean;
  carLimited: boolean;
  /** What the car drew when it last took clearly less than offered, or more since, in this session (A; NaN: unseen). */
  carOwnA: number;
  /** Index in the allocation's items, or -1 when not plugged. */
  item: number;
  /** What the car draws now (kW). */
  evKw: number;
  /** The phases the plugged car itself charges on: a single-phase car on a three-phase charger uses one. */
  carPhases: 1 | 3;
  /** Its entry in the allocation, reused from step to step. */
  allocItem: AllocItem;
  /** Admitted first in its priority: it makes more of the lines than the cars that held them (see `leadGain`). */
  lead: boolean;
  /**
   * It went first before its car was seen to charge (a car on a three-phase charger may take one phase), over
   * `leadOver`: once seen, it keeps its place only if it makes clearly more of the lines than that car did.
   */
  leadTrial: boolean;
  leadOver: ChargerRecord | null;
  /**
   * When it went first on trial and made no more of the lines (NaN: not in this session): it is not tried
   * again for `LEAD_RETRY_MS`.
   */
  leadTriedMs: number;
  /** The car's phases were seen this session (it drew on its charger's first phase). */
  phasesSeen: boolean;
  /** When 1/3-phase switching was last weighed. */
  switchCheckMs: number;
  /**
   * kW the car takes per ampere offered, learned while it charges steadily: a single-phase car on a
   * three-phase charger takes a third, a car that draws 95 % of its offer 95 %. NaN until learned.
   */
  kwPerOfferedA: number;
}

/** Until learned: IEC 61851 lets a car take 5 s to follow; cars ramp over 10–30 s. */
export const DEFAULT_LAG_S = 5;
export const DEFAULT_RAMP_S = 20;
