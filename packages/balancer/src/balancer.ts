/**
 * The control loop. Every step: judge the telegram (fresh, repeated, clock jumping), learn the house's
 * loads, work out per-line headroom (keeping room for loads that will come back) and the quarter's plan,
 * share it between chargers, then apply the rules that keep setpoints calm and safe: cut at once, raise
 * only every few seconds, in ramps, and only into headroom another car's cut has already freed; minimum
 * pause times, solar delays, and a fail-safe on silence that respects the quarter's budget too.
 */
import { formatMeterIso } from '@p1/dsmr';
import { type AllocItem, type AllocLimits, type AllocResult, allocate, newAllocResult, takenKw } from './allocate';
import { learnKwPerA, learnResponse, seenWithinMs, watchResponse } from './car-response';
import {
  type ChargerRecord,
  copyBook,
  DEFAULT_LAG_S,
  DEFAULT_RAMP_S,
  type LimitBook,
  type MeasurementStatus,
} from './charger-record';
import { type ChargerCapabilities, isPlausibleCurrent, plausibleMaxA } from './charger-state';
import { HouseModel } from './house-model';
import { HouseReading } from './house-reading';
import { goesFirst, LeadChoice } from './lead-car';
import { type CarsOnLines, LineRoom, RETURN_RUN_MS } from './line-room';
import { MeterClock } from './meter-clock';
import { emptyView, isUsable, parseMeterTime, viewReading } from './meter-view';
import { type ClosedQuarter, QuarterBudget } from './quarter-budget';
import { type Plan, type PlanInput, planQuarter } from './quarter-plan';
import { CEILING_REASONS, fuseReason, type Reason } from './reasons';
import { canSwitch, naturalPhases, quarterOptionsOf, settingsOf } from './settings';
import { kwForAmps, linesInUse } from './site';
import type {
  Balancer,
  BalancerConfig,
  BalancerInput,
  ChargerDecision,
  ChargerInput,
  Decision,
  MeterSnapshot,
  QuarterBudgetState,
} from './types';

/** Raises smaller than this wait; keeps the charger from chasing noise. */
const RAISE_HYSTERESIS_A = 0.5;
/** The quarter's budget grows a little every second the cars leave it unused: raise for it in steps. */
const BUDGET_RAISE_STEP_A = 2;
/** Another ceiling binding at an unchanged limit is shown once it has held this long (`CEILING_REASONS`). */
const CEILING_SETTLE_MS = 10_000;
/** Cuts smaller than this wait (the fuse margin covers them). */
const CUT_DEADBAND_A = 0.2;
/** Cuts smaller than this, not needed for the fuse itself, wait until the car has followed the last change. */
const TRIM_A = 2;
/** A cut this soon after a raise means the load is cycling: back off the raise delay. */
const FLAP_WINDOW_MS = 30_000;
/**
 * The back-off doubles up to this: past most of a washing machine's drum rhythms (50–120 s), whose motor is too
 * small to be learned and would otherwise be lent every off-time (fleet house 1/870: 120 setpoint changes an
 * hour). At 3 min a car's restart after a quarter's end waited behind it too: −9 kWh a seed, not −3 to −6.
 */
const MAX_RAISE_DELAY_MS = 120_000;
/** This long without a cut and the raise delay is back to normal: longer than the longest back-off. */
const CALM_AFTER_MS = 180_000;
/**
 * A charger promises at most 120 limit changes an hour; cuts are never held, so its raises keep it under. With this
 * many changes within the last hour it raises only `MAX_RAISE_DELAY_MS` after its last change, whatever the
 * back-off; with `FULL_CHANGES_PER_HOUR` not until the hour has fewer. A busy kitchen beside a charger sampling
 * every 10 s, its steps more than 30 s after each raise (past `FLAP_WINDOW_MS`) and each raise ramped in steps, took
 * 120 in an hour (Dutch fleet house 16180/96).
 */
const BUSY_CHANGES_PER_HOUR = 90;
const FULL_CHANGES_PER_HOUR = 110;
const HOUR_MS = 3_600_000;
/**
 * A car drawing this much under its offer (A, or this share of it if more), this long after the last change,
 * is limited by itself. Cars that follow their offer draw 88–100 % of it (an on-board charger's own losses):
 * at 32 A that is up to 4 A under, which is following, not a limit of its own.
 */
const CAR_LIMIT_GAP_A = 2;
const CAR_LIMIT_GAP_SHARE = 0.15;
const CAR_LIMIT_SETTLE_MS = 30_000;
/** Subtracted from a full car's priority: below any configured one, and still a finite number to sort by. */
const FULL_CAR_LAST = 1e6;
/** The fail-safe timeout is at least this many telegram intervals. */
const CADENCE_FACTOR = 2.5;
/** A charger measurement older than this is not fed into the fuse loop (cars change within 5 s). */
const MEASUREMENT_MAX_AGE_MS = 15_000;
/**
 * A car in step at its last sample and sent no new limit since keeps drawing what it drew: its sample stands until
 * its charger's next one is due, this much after its interval, for intervals up to a minute (a charger that keeps
 * its own MeterValueSampleInterval).
 */
const SAMPLE_DUE_SLACK_MS = 2_000;
const SAMPLE_GAP_TRUSTED_MS = 60_000;

/**
 * A car whose draw is within this of another sample, or of its limit, has not moved or has nothing left to move:
 * less than a house step (1.5 A), and about what a car drawing 94–100 % of a 16 A offer leaves of it.
 */
const CAR_MOVE_A = 1;

/** How often 1/3-phase switching, and which car goes first, are weighed. */
const SWITCH_CHECK_MS = 5_000;
/**
 * A charger's measurement this much older than the telegram (ms) was not taken at the meter's instant: while
 * its car follows a new limit, the two disagree on the car's current.
 */
const MEASUREMENT_SYNC_MS = 250;
/** A charger's sample taken less than this before a telegram may be newer than what the meter measured for it. */
const SAMPLE_LEAD_MS = 1000;
/** The meter's telegram interval assumed until one is measured: DSMR 5 sends one a second. */
const DEFAULT_CADENCE_MS = 1000;

/** Setpoints in 0.1 A steps, rounded down (the 0.001 A slack absorbs the bisection's tolerance). */
const floor01 = (x: number) => Math.floor(x * 10 + 0.01) / 10;

/** What changes whenever a clockless meter measures something new (its frozen-dongle check). */
function contentOf(r: MeterSnapshot): string {
  let s = `${r.power.importKw}|${r.power.exportKw}`;
  for (const p of r.phases) s += `|${p.currentA}|${p.importKw}|${p.exportKw}`;
  return s;
}

export function createBalancer(config: BalancerConfig): Balancer {
  let s = settingsOf(config);
  const quarter = new QuarterBudget(quarterOptionsOf(config));
  const clock = new MeterClock();
  const house = new HouseModel(s.connection, s.unseenStepKw);
  const states = new Map<string, ChargerRecord>();
  const view = emptyView();
  let lastValidMs = Number.NaN;
  /** The fresh telegram before the last one (module time): a sample taken since may be newer than the last. */
  let previousValidMs = Number.NaN;
  let lastStaleMs = Number.NaN;
  let cadenceMs = Number.NaN;
  /** The telegram interval measured so far, or DSMR 5's before any. */
  const meterCadenceMs = () => (Number.isNaN(cadenceMs) ? DEFAULT_CADENCE_MS : cadenceMs);
  let firstStepMs = Number.NaN;
  let quarterIsoMs = Number.NaN;
  let quarterIso = '';
  let quarterState: QuarterBudgetState = {
    quarterStart: null,
    startMs: null,
    elapsedS: 0,
    usedKwh: 0,
    allowedKw: null,
    targetKw: quarter.targetKw,
    projectedKw: 0,
    houseRestKwh: 0,
    closed: null,
  };
  // The house (`reading`: also the step's tally of the cars per line) and what each line leaves the cars (`room`),
  // from the last fresh telegram. Steps without a fresh telegram reuse them: old line currents minus new car
  // currents would invent loads.
  const reading = new HouseReading();
  const room = new LineRoom();
  /** Scratch of `blindFuseOk`: the cars' safe currents per line, and whether each line has room for them. */
  const blindSafeA = [0, 0, 0];
  const blindOk = [true, true, true];
  /** The last valid telegram's time when the fail-safe came early for it (see `step`); NaN: it did not. */
  let earlyFailsafeFor = Number.NaN;
  /** The sum of the minimums of the plugged cars offered at least theirs, per line: a cut this deep pauses none. */
  const minOnLine: [number, number, number] = [0, 0, 0];
  /** The same, of the cars whose second cut lands in time (`secondCutInTime`). */
  const minFastOnLine: [number, number, number] = [0, 0, 0];
  /** Per line: a plugged car is on it whose second cut would not land in time (`secondCutInTime`). */
  const slowOnLine: [boolean, boolean, boolean] = [false, false, false];
  const pluggedMinOnLine: [number, number, number] = [0, 0, 0];
  const carsOnLines: CarsOnLines = {
    minA: minOnLine,
    minFastA: minFastOnLine,
    slow: slowOnLine,
    pluggedMinA: pluggedMinOnLine,
  };
  /** The quarter whose run at the end has started, and when. */
  let runQuarterMs = Number.NaN;
  let runStartMs = 0;
  /** Since when the run at the quarter's end has been thinner than a surge (NaN: it is not). */
  let thinSinceMs = Number.NaN;
  let leadCheckMs = -Infinity;
  // Per-step scratch.
  const seqLoad = [0, 0, 0];
  /** The cars' power as their chargers measure it (kW), every sample usable, the cars plugged (`tallyChargers`). */
  let evKw = 0;
  let allOk = true;
  let pluggedCount = 0;
  /**
   * What the plugged cars ask of the quarter's plan (`admitCars`): one charges (or its start was held back), one
   * was held under its maximum by the budget, the least power one can charge at (kW); the slowest car's stop lag,
   * how late its charger's samples show a move (s), the start's lead (its lag and half its ramp), the longest
   * minimum pause (s).
   */
  const asked = {
    charging: false,
    held: false,
    minKw: Infinity,
    lagS: 0,
    seenWithinS: 0,
    leadS: 0,
    pauseS: 0,
  };
  /** A car resting its minimum pause beside other plugged cars takes no share (see where `maxA` is set to 0). */
  const heldOut = (st: ChargerRecord) => st.resting && pluggedCount > 1;

  const stateOf = (cap: ChargerCapabilities, nowMs: number): ChargerRecord => {
    let st = states.get(cap.id);
    if (!st) {
      const phases = naturalPhases(s, cap);
      st = {
        limitA: 0,
        phases,
        reason: 'no meter data',
        lastChangeMs: -Infinity,
        followedByMs: -Infinity,
        lowerA: Number.NaN,
        lowerUntilMs: Number.NEGATIVE_INFINITY,
        upperA: Number.NaN,
        upperUntilMs: Number.NEGATIVE_INFINITY,
        sampleAtMs: Number.NaN,
        sampleGapMs: Number.NaN,
        sampleMoveA: 0,
        sampleMoved: false,
        lastRaiseMs: -Infinity,
        lastCutMs: -Infinity,
        raiseDelayMs: s.raiseIntervalMs,
        changesMs: new Float64Array(FULL_CHANGES_PER_HOUR).fill(Number.NEGATIVE_INFINITY),
        changeSlot: 0,
        restoreA: Number.NaN,
        chargingSinceMs: Number.NaN,
        pausedSinceMs: -Infinity,
        resting: false,
        startHeld: false,
        solarHighSinceMs: Number.NaN,
        solarLowSinceMs: Number.NaN,
        wantPhases: phases,
        wantPhasesSinceMs: nowMs,
        lastSwitchMs: -Infinity,
        lineIdx: [],
        linesFor: 0,
        lagS: DEFAULT_LAG_S,
        rampAps: cap.maxA / DEFAULT_RAMP_S,
        stopLagS: DEFAULT_LAG_S,
        stopLagMeasured: false,
        watch: null,
        steady: false,
        status: 'ok',
        sampled: false,
        drawnA: 0,
        beforeA: 0,
        waitedForCutMs: Number.NEGATIVE_INFINITY,
        bookBefore: {} as LimitBook,
        beforePhases: phases,
        plugged: false,
        carLimited: false,
        carOwnA: Number.NaN,
        budgetHeld: false,
        nextCeiling: null,
        nextCeilingSinceMs: 0,
        item: -1,
        evKw: 0,
        kwPerOfferedA: Number.NaN,
        carPhases: 3,
        // Every field from the start: the step then keeps one object shape (adding them later slowed it 2×).
        allocItem: {
          lines: [],
          kwPerA: 0,
          minA: 0,
          maxA: 0,
          priority: 0,
          incumbent: false,
          lead: false,
          ownKw: Number.POSITIVE_INFINITY,
          fixedA: undefined,
          reserveA: undefined,
        },
        lead: false,
        leadTrial: false,
        leadOver: null,
        leadTriedMs: Number.NaN,
        phasesSeen: false,
        switchCheckMs: -Infinity,
      };
      copyBook(st.bookBefore, st);
      states.set(cap.id, st);
    }
    return st;
  };

  /** The lines the car loads: the charger's phases, or one line for a single-phase car. */
  const linesOf = (st: ChargerRecord, cap: ChargerCapabilities): number[] => {
    const phases = st.carPhases === 1 ? 1 : st.phases;
    if (st.linesFor !== phases) {
      st.lineIdx = linesInUse(s.connection, cap.phases, phases).map((l) => l - 1);
      st.linesFor = phases;
    }
    return st.lineIdx;
  };

  /**
   * A car drawing on the charger's first phase only, while offered three, charges on one phase: count its
   * lines only (the others stay free for the house and the other cars). On 3N400 that phase is one line; on
   * 3x230 it lies between the first two, which carry the same current, and only the third stays idle.
   */
  const learnCarPhases = (st: ChargerRecord, c: ChargerInput) => {
    if (!c.measurement.vehiclePlugged) {
      st.carPhases = 3;
      st.phasesSeen = false;
      return;
    }
    const a = c.measurement.currentA;
    if ((a[0] ?? 0) >= 3) st.phasesSeen = true;
    // A sample from before the last switch to three phases shows the car on one because it was offered one.
    if (st.phases !== 3 || a.length !== 3 || (a[0] ?? 0) < 3 || c.measurement.at <= st.lastSwitchMs) return;
    const idle = (a[2] ?? 0) < 1 && (s.connection === '3x230' || (a[1] ?? 0) < 1);
    st.carPhases = idle ? 1 : 3;
  };

  // The charger's range narrowed to the car's, when configured: the narrowed input is kept per input
  // object (the bench reuses them), so a step allocates nothing for it.
  let narrowed = new WeakMap<ChargerInput, ChargerInput>();
  const withCarLimits = (c: ChargerInput): ChargerInput => {
    const o = s.overrides.get(c.capabilities.id);
    if (!o || (o.carMinA === undefined && o.carMaxA === undefined)) return c;
    let wrapped = narrowed.get(c);
    if (!wrapped || wrapped.measurement !== c.measurement) {
      const minA = Math.max(c.capabilities.minA, o.carMinA ?? 0);
      const maxA = Math.max(minA, Math.min(c.capabilities.maxA, o.carMaxA ?? Infinity));
      wrapped = { capabilities: { ...c.capabilities, minA, maxA }, measurement: c.measurement };
      narrowed.set(c, wrapped);
    }
    return wrapped;
  };
  const limitedInputs: ChargerInput[] = [];
  /** What each of limitedInputs was narrowed from (cleared by reconfigure, which may change the ranges). */
  const limitedFrom: ChargerInput[] = [];
  const limitedCaps: ChargerCapabilities[] = [];

  const safeOf = (cap: ChargerCapabilities) => s.overrides.get(cap.id)?.safeA ?? cap.safeA;
  const minPauseMsOf = (cap: ChargerCapabilities) => {
    const own = s.overrides.get(cap.id)?.minPauseS;
    return own === undefined ? s.minPauseMs : Math.max(s.minPauseMs, own * 1000);
  };
  const priorityOf = (cap: ChargerCapabilities) => s.overrides.get(cap.id)?.priority ?? cap.priority ?? 0;
  /** The car's response lag (s): the configured one, or the one learned from its samples. */
  const lagOf = (st: ChargerRecord) => (Number.isNaN(s.lagS) ? st.lagS : s.lagS);
  /**
   * When a limit sent at `sentMs` has surely reached the car: its lag and a telegram, no later than IEC 61851's 5 s
   * and a telegram (a lag learned from samples 10 s apart may read 9 s for a 4 s car).
   */
  const landedByMs = (st: ChargerRecord, sentMs: number) => sentMs + (Math.min(lagOf(st), DEFAULT_LAG_S) + 1) * 1000;

  /** Records a new limit, with the bookkeeping the calm-setpoint rules need. */
  const setLimit = (st: ChargerRecord, cap: ChargerCapabilities, limitA: number, nowMs: number, flapCheck = false) => {
    if (limitA === st.limitA) return;
    // A raise sent while the cut before it is still landing: the car may reach that cut's limit first.
    const overLandingCut = limitA > st.limitA && nowMs < st.followedByMs && st.lastCutMs > st.lastRaiseMs;
    // A cut sent while the raise before it is still landing: the car may rise towards that raise first.
    const underLandingRaise = limitA < st.limitA && nowMs < st.followedByMs && st.lastRaiseMs > st.lastCutMs;
    const wasCharging = st.limitA >= cap.minA && st.limitA > 0;
    const charging = limitA >= cap.minA && limitA > 0;
    if (limitA < st.limitA) {
      if (flapCheck && nowMs - st.lastRaiseMs < FLAP_WINDOW_MS)
        st.raiseDelayMs = Math.min(MAX_RAISE_DELAY_MS, st.raiseDelayMs * 2);
      st.lastCutMs = nowMs;
    } else st.lastRaiseMs = nowMs;
    if (wasCharging && !charging) st.pausedSinceMs = nowMs;
    if (!wasCharging && charging) st.chargingSinceMs = nowMs;
    const lagS = lagOf(st);
    if (overLandingCut) {
      st.lowerA = st.limitA;
      st.lowerUntilMs = Math.max(st.followedByMs, nowMs + (lagS + 1) * 1000);
    }
    // Until the cut lands, not for the raise's whole ramp: a car that has followed the cut is under it (nl 7070707/642,
    // a charger sampling once a minute: credited a rise to the superseded 16 A for 10 s after its cut to 10.7 landed,
    // the car hid a load as large; 15 s over the fuse).
    if (underLandingRaise) {
      st.upperA = st.limitA;
      st.upperUntilMs = landedByMs(st, nowMs);
    }
    st.followedByMs = nowMs + (lagS + Math.abs(limitA - st.limitA) / st.rampAps + 1) * 1000;
    st.limitA = limitA;
    st.lastChangeMs = nowMs;
    st.budgetHeld = false;
  };

  /**
   * Lowers a raise this step decided to `toA` before it is sent (another car's cut must land first, the quarter's
   * end is too near). Back at the limit sent before, nothing was sent: `setLimit`'s bookkeeping is undone with it,
   * else the car would count as following a change it never got, the raise delay would run from a change never
   * made (a car plugged in during a quarter's last 20 s started up to 4 s after the next began, its reason `raise
   * delay`), and a cut within 30 s would back its raises off for a raise that never was. Whether it was whole.
   */
  const takeBackRaise = (st: ChargerRecord, toA: number): boolean => {
    st.limitA = toA;
    if (toA !== st.beforeA) return false;
    copyBook(st, st.bookBefore);
    return true;
  };

  /**
   * Counts the limit a step sends where it differs from the one sent before (`beforeA`), for `raiseWait`. Not in
   * `setLimit`: a raise that has to wait for another car's cut is taken back before it is sent (`takeBackRaise`).
   */
  const countSent = (st: ChargerRecord, beforeA: number, nowMs: number): void => {
    if (st.limitA === beforeA) return;
    st.changesMs[st.changeSlot] = nowMs;
    st.changeSlot = (st.changeSlot + 1) % FULL_CHANGES_PER_HOUR;
  };

  /**
   * Why a charger may not be raised now (null: it may): its back-off since its last change, longer or none in a busy
   * hour, or the same wait since its raise last waited for another car's cut. That wait is still the cut's to the
   * owner: shown as the delay, a car started as others were cut for it showed the two by turns every 5 s.
   */
  const raiseWait = (st: ChargerRecord, nowMs: number): 'raise delay' | 'waiting for cut' | null => {
    const inHour = (k: number) => nowMs - st.changesMs[(st.changeSlot + k) % FULL_CHANGES_PER_HOUR]! < HOUR_MS;
    if (inHour(0)) return 'raise delay';
    const busy = inHour(FULL_CHANGES_PER_HOUR - BUSY_CHANGES_PER_HOUR);
    const delayMs = busy ? Math.max(st.raiseDelayMs, MAX_RAISE_DELAY_MS) : st.raiseDelayMs;
    if (nowMs - st.lastChangeMs < delayMs) return 'raise delay';
    return nowMs - st.waitedForCutMs < delayMs ? 'waiting for cut' : null;
  };

  /**
   * Whether a second cut, for a step that comes before the first one lands, still ends a run over the fuse within
   * 10 s (two telegram intervals and lags), or a single one already cannot (a meter sending every 10 s).
   */
  const secondCutInTime = (st: ChargerRecord): boolean => {
    // What a second cut waits for is a cut: once a steady cut was seen followed, its lag counts too.
    const lagS = st.stopLagMeasured ? Math.max(st.lagS, st.stopLagS) : st.lagS;
    const lagMs = (Number.isNaN(s.lagS) ? lagS : s.lagS) * 1000;
    const oneMs = meterCadenceMs() + lagMs;
    return oneMs > RETURN_RUN_MS || 2 * oneMs <= RETURN_RUN_MS;
  };

  /**
   * How old a charger's sample may be and still be used (`SAMPLE_DUE_SLACK_MS`): a charger sampling once a minute
   * left its car unmeasured three quarters of each minute, its lines unlearned, so that an oven that began cycling
   * while the car charged came back on top of it at each return (fleet house 7070707/515, 4 times above 1.45 × In).
   */
  const maxAgeOf = (c: ChargerInput): number => {
    const st = states.get(c.capabilities.id);
    if (!st || st.sampleMoved || c.measurement.at < st.followedByMs || !(st.sampleGapMs <= SAMPLE_GAP_TRUSTED_MS))
      return MEASUREMENT_MAX_AGE_MS;
    return Math.max(MEASUREMENT_MAX_AGE_MS, st.sampleGapMs + SAMPLE_DUE_SLACK_MS);
  };

  /** Whether a charger's measurement can be fed into the fuse loop, and why not. */
  const statusOf = (c: ChargerInput, now: number): MeasurementStatus => {
    const m = c.measurement;
    if (!m.connected) return 'ok';
    if (now - m.at > maxAgeOf(c)) return 'stale';
    // What the charger can draw, and no more than twice the fuse whatever its rating says.
    const most = Math.min(plausibleMaxA(c.capabilities), 2 * s.fuseA);
    let missing = false;
    for (let k = 0; k < m.currentA.length; k++) {
      const a = m.currentA[k] as number | null;
      if (a === null) missing = true;
      else if (!isPlausibleCurrent(a, c.capabilities) || a > most) return 'implausible';
    }
    return missing ? 'missing' : 'ok';
  };

  /**
   * The current a car draws on wired line k as the balancer uses it: measured when the measurement is
   * recent and physically possible; otherwise what it was offered (a car draws at most that).
   */
  const drawnOn = (c: ChargerInput, st: ChargerRecord, ok: boolean, k: number, inUse: boolean): number => {
    const a = c.measurement.currentA[k];
    if (ok && typeof a === 'number') return Math.max(0, a);
    return inUse ? Math.max(st.limitA, c.measurement.appliedLimitA ?? 0) : 0;
  };

  let freshAtMs = 0;
  let meter: Decision['meter'] = { data: 'silent', clock: 'ok' };
  let freshTrusted = false;

  function step(raw: BalancerInput): Decision {
    let chargers = raw.chargers;
    if (s.carLimits) {
      if (limitedInputs.length !== chargers.length) {
        limitedInputs.length = chargers.length;
        limitedFrom.length = 0;
      }
      for (let i = 0; i < chargers.length; i++) {
        const c = chargers[i]!;
        // The same input, capabilities and measurement as last step (the bench's): the same narrowed input,
        // without the two map look-ups.
        if (
          limitedFrom[i] === c &&
          limitedCaps[i] === c.capabilities &&
          limitedInputs[i]!.measurement === c.measurement
        )
          continue;
        limitedFrom[i] = c;
        limitedCaps[i] = c.capabilities;
        limitedInputs[i] = withCarLimits(c);
      }
      chargers = limitedInputs;
    }
    const input = raw;
    const now = input.nowMs;
    if (Number.isNaN(firstStepMs)) firstStepMs = now;
    let fresh = false;
    let closed: ClosedQuarter | null = null;
    // Without a fresh telegram the quarter runs on to here with the house held (see `decide`).
    let heldToMs = Number.NaN;
    const r = input.reading;
    if (r !== null && isUsable(r)) {
      const meterMs = r.timestamp ? parseMeterTime(r.timestamp) : Number.NaN;
      const verdict = clock.judge(meterMs, now, r.timestamp ? '' : contentOf(r));
      if (verdict.fresh) {
        fresh = true;
        // Learn the meter's cadence (1 s for DSMR 5 / e-MUCS, 10 s for DSMR 4) so a slow meter is not
        // mistaken for a silent one; gaps longer than 30 s are outages, not cadence.
        const gap = now - lastValidMs;
        if (gap > 0 && gap <= 30_000) cadenceMs = Number.isNaN(cadenceMs) ? gap : cadenceMs * 0.8 + gap * 0.2;
        previousValidMs = lastValidMs;
        lastValidMs = now;
        viewReading(r, now, view, meterMs);
        // The quarter takes this telegram in decide(), once the cars' share of it is known.
        freshAtMs = verdict.quarterMs;
        freshTrusted = verdict.state === 'ok' || verdict.state === 'unset';
        if (verdict.rebased) quarter.rebase(verdict.quarterMs);
      } else {
        lastStaleMs = now;
        heldToMs = verdict.quarterMs;
      }
    } else if (!Number.isNaN(lastValidMs)) {
      heldToMs = clock.quarterMsAt(now);
    }
    const dataAgeMs = Number.isNaN(lastValidMs) ? null : now - lastValidMs;
    const timeoutMs = Number.isNaN(cadenceMs) ? s.failsafeMs : Math.max(s.failsafeMs, CADENCE_FACTOR * cadenceMs);
    const ageMs = dataAgeMs ?? now - firstStepMs;
    // Where a load switching on would find no room under the fuse, half the timeout is blind enough: the line
    // would stay over until the meter is back, and the fail-safe still needs the cars' lag to land (a silence
    // of 5 s plus a 5 s lag is the 10 s a run over the fuse may last). Once started it lasts until data returns.
    if (earlyFailsafeFor !== lastValidMs && ageMs >= timeoutMs / 2 && !Number.isNaN(lastValidMs)) {
      if (!blindFuseOk(chargers, now, false)) earlyFailsafeFor = lastValidMs;
    }
    const failsafe = ageMs >= timeoutMs || earlyFailsafeFor === lastValidMs;
    const stale = now - lastStaleMs < timeoutMs;
    const data = fresh ? ('fresh' as const) : stale ? ('stale' as const) : ('silent' as const);
    // The same verdict as last step is the same (read-only) object: one allocation less per step.
    if (meter.data !== data || meter.clock !== clock.state) meter = { data, clock: clock.state };

    const decisions = new Array<ChargerDecision>(chargers.length);
    if (Number.isNaN(lastValidMs) || failsafe) {
      if (!Number.isNaN(heldToMs)) closed = quarter.advance(heldToMs);
      failSafe(chargers, now, failsafe, stale, decisions);
    } else closed = decide(chargers, now, fresh, heldToMs, decisions);
    // A quarter state already returned is the caller's: a quarter closing on a step without a fresh telegram
    // gets a state of its own.
    if (quarterState.closed !== closed) quarterState = { ...quarterState, closed };
    return { chargers: decisions, quarter: quarterState, failsafe, dataAgeMs, meter };
  }

  /**
   * Per line (`blindOk`), whether the cars' currents (their limits, or `atSafe` their safe currents) leave room
   * under the fuse for the largest step that may come (a load seen lately, or an appliance not seen yet), or
   * `atSafe` for every step that may come in the silence together (`blindStepA`), with the house as the last
   * telegram showed it. Blind, the module cannot cut for a load that switches on: the line would stay over its
   * fuse until the meter is back (fleet house 424242/405: a washing machine's heater 4 s into a 4-minute outage,
   * 17.1 A on a 16 A line). Allocation-free: it runs on every step of a silence.
   */
  function blindFuseOk(chargers: ChargerInput[], now: number, atSafe: boolean): boolean {
    const safeOn = blindSafeA;
    safeOn[0] = safeOn[1] = safeOn[2] = 0;
    for (const c of chargers) {
      if (!c.measurement.vehiclePlugged) continue;
      const st = stateOf(c.capabilities, now);
      const safeA = atSafe ? Math.min(st.limitA, safeOf(c.capabilities)) : st.limitA;
      if (safeA < c.capabilities.minA) continue;
      for (const l of linesOf(st, c.capabilities)) safeOn[l]! += safeA;
    }
    // At the safe currents the silence may last minutes: what comes in that time stacks.
    const stepA = atSafe ? house.blindStepA(now) : house.stepA(now);
    for (let l = 0; l < 3; l++) {
      // the last fresh telegram's room under the fuse, without credit for an export that may stop unseen
      const roomA = Math.min(room.fuseRoomA[l]!, s.fuseA - s.marginA);
      blindOk[l] = safeOn[l] === 0 || safeOn[l]! + stepA[l]! <= roomA;
    }
    return blindOk[0]! && blindOk[1]! && blindOk[2]!;
  }

  /** No data yet, or none for the fail-safe timeout: hold, then every car to its safe current at most. */
  function failSafe(chargers: ChargerInput[], now: number, failsafe: boolean, stale: boolean, out: ChargerDecision[]) {
    // The safe current must fit the quarter too: with the house as last seen, can the cars draw their safe
    // current until the quarter ends? If not, they wait at 0 A.
    let budgetOk = true;
    const left = quarter.leftKwh();
    if (failsafe && left !== null && !Number.isNaN(lastValidMs)) {
      let safeKw = 0;
      for (const c of chargers) {
        if (!c.measurement.vehiclePlugged) continue;
        const st = stateOf(c.capabilities, now);
        // A car whose minimum is above its safe current stops at it: it draws nothing.
        const safeA = Math.min(st.limitA, safeOf(c.capabilities));
        if (safeA >= c.capabilities.minA) safeKw += kwForAmps(s.connection, linesOf(st, c.capabilities).length, safeA);
      }
      const leftS = Math.max(0, quarter.leftS(clock.quarterMsAt(now)));
      // The house as the last telegram showed it, the cars taken out then: the cars' currents now (a car the
      // fail-safe just paused draws nothing) would make the last import look like house.
      const houseImportKw = Math.max(0, reading.houseKw);
      budgetOk = left - ((houseImportKw + safeKw) * leftS) / 3600 >= 0;
    }
    const allFit = !failsafe || Number.isNaN(lastValidMs) || blindFuseOk(chargers, now, true);
    for (let i = 0; i < chargers.length; i++) {
      const c = chargers[i]!;
      const st = stateOf(c.capabilities, now);
      const before = st.limitA;
      const beforePhases = st.phases;
      if (failsafe) {
        const ok = budgetOk && (allFit || linesOf(st, c.capabilities).every((l) => blindOk[l]));
        setLimit(st, c.capabilities, ok ? Math.min(st.limitA, safeOf(c.capabilities)) : 0, now);
        st.reason = stale ? 'stale meter' : 'fail-safe';
      }
      countSent(st, before, now);
      out[i] = {
        id: c.capabilities.id,
        limitA: st.limitA,
        phases: st.phases,
        reason: st.reason,
        changed: st.limitA !== before || st.phases !== beforePhases,
        measurement: statusOf(c, now),
      };
    }
  }

  /**
   * At a fresh telegram: the house as meter less the cars (`evKw`: theirs), what the house model learns from it, and
   * what each line leaves the cars.
   */
  function lineLimits(now: number) {
    reading.update(view.lineA, view.netKw, evKw);
    house.observe(now, reading.houseA, reading.quiet, reading.followingLine, reading.fellA, reading.roseA);
    room.update(now, reading.houseA, view.lineA, s, house, meterCadenceMs(), carsOnLines, reading.boundedA);
  }

  /** The chargers' states in input order, reused from step to step. */
  const sts: ChargerRecord[] = [];
  const items: AllocItem[] = [];
  /** The charger state behind each allocation item, by item index. */
  const itemOwner: ChargerRecord[] = [];
  // Filled in place every step (the hot path must not allocate).
  const fullRes = newAllocResult();
  const cutRes = newAllocResult();
  const raiseRes = newAllocResult();
  const plainRes = newAllocResult();
  const altRes = newAllocResult();
  /** Which car goes first. */
  const leads = new LeadChoice();
  const planIn: PlanInput = {
    leftKwh: 0,
    leftS: 0,
    lagS: 0,
    leadS: 0,
    freezeS: 0,
    houseKw: 0,
    cyclerKwh: 0,
    evKw: 0,
    fullKw: 0,
    minKw: 0,
    minRunS: 0,
    minPauseS: 0,
    thinForS: 0,
    surgeKw: 0,
    spendableCyclersKw: 0,
    spendableCyclerKwh: 0,
    otherSurgeKw: 0,
    held: false,
    charging: false,
    running: false,
    runningForS: 0,
    nextQuarterKwh: 0,
  };
  const fullLimits: AllocLimits = {
    lineA: room.cutLine,
    powerKw: Number.POSITIVE_INFINITY,
    powerReason: 'quarter budget',
  };
  const cutLimits: AllocLimits = { lineA: room.cutLine, powerKw: 0, powerReason: 'quarter budget' };
  const raiseLimits: AllocLimits = { lineA: room.raiseLine, powerKw: 0, powerReason: 'quarter budget' };
  const plainLimits: AllocLimits = { lineA: room.plainCutLine, powerKw: 0, powerReason: 'quarter budget' };

  /**
   * The step's tally of the chargers: each one's record brought up to date from its sample (status, plug, what its
   * car draws and may have moved since), the cars' current per line for the house's reading, what the car's
   * samples teach, and the cars' power (`evKw`), whether every sample is usable (`allOk`), the plugged cars.
   */
  function tallyChargers(chargers: ChargerInput[], now: number, fresh: boolean): void {
    const { connection } = s;
    const n = chargers.length;
    // EV current per line as the chargers measure it; the rest of each line's current is the house.
    reading.beginStep();
    minOnLine[0] = minOnLine[1] = minOnLine[2] = 0;
    pluggedMinOnLine[0] = pluggedMinOnLine[1] = pluggedMinOnLine[2] = 0;
    minFastOnLine[0] = minFastOnLine[1] = minFastOnLine[2] = 0;
    slowOnLine[0] = slowOnLine[1] = slowOnLine[2] = false;
    evKw = 0;
    allOk = true;
    pluggedCount = 0;
    for (let i = 0; i < n; i++) {
      const c = chargers[i]!;
      const cap = c.capabilities;
      const st = stateOf(cap, now);
      sts[i] = st;
      const stat = statusOf(c, now);
      if (stat === 'ok') learnCarPhases(st, c);
      const used = linesOf(st, cap);
      // The first usable sample after none (the module just started, a charger back) is no move of its car:
      // the limit this run holds for it was never what the car followed.
      const sampledBefore = st.sampled && st.status === 'ok';
      st.status = stat;
      // Its first usable sample shows what the charger offers at least (a car draws no more): after a restart,
      // the limit the run before left it, which this run holds on to rather than cut. Taken with a fresh telegram
      // only: held on to, it may be above the safe current sent meanwhile, and data that is not fresh raises nothing.
      if (stat === 'ok' && c.measurement.connected && !st.sampled && fresh) {
        st.sampled = true;
        const drawsA = Math.min(cap.maxA, floor01(Math.max(0, ...(c.measurement.currentA as number[]))));
        if (c.measurement.vehiclePlugged && drawsA > st.limitA) st.limitA = drawsA;
      }
      // A car found plugged on a charger that tells neither its current nor its limit: the module restarted
      // while it charged, and the charger holds what the run before set. Taken to hold its safe current (its
      // own fallback), not the 0 A of a charger never steered: 0 A would pause a car that charges. The fuse
      // still cuts it where it has no room.
      if (
        stat !== 'ok' &&
        !st.sampled &&
        st.limitA === 0 &&
        c.measurement.connected &&
        c.measurement.vehiclePlugged &&
        c.measurement.appliedLimitA === null
      )
        st.limitA = safeOf(cap);
      // An unknown measurement holds the others' raises only where the car may draw: a charger offered
      // nothing draws nothing (an idle charger often reports nothing at all), and if it did, the meter
      // counts that current as house, which is conservative.
      if (stat !== 'ok' && (st.limitA > 0 || (c.measurement.appliedLimitA ?? 0) > 0)) allOk = false;
      const plugged = c.measurement.connected && c.measurement.vehiclePlugged;
      // A car plugged in or out since the charger's last sample: the meter shows it already, the sample not yet.
      if (plugged !== st.plugged) {
        st.followedByMs = Math.max(st.followedByMs, now + 1000);
        for (const line of used) reading.driftLine[line] = true;
      }
      st.plugged = plugged;
      if (!st.plugged) {
        st.carOwnA = Number.NaN;
        st.lead = st.leadTrial = false;
        st.leadTriedMs = Number.NaN;
        st.leadOver = null;
      }
      if (st.plugged) pluggedCount++;
      let sum = 0;
      let most = 0;
      // On 3x230 a single-phase car's current goes out on one line and back on the other: the same on both,
      // whether the charger measures it on both or only on its first phase (its N terminal is not measured).
      const pairA =
        connection === '3x230' && used.length === 2
          ? Math.max(drawnOn(c, st, stat === 'ok', 0, true), drawnOn(c, st, stat === 'ok', 1, true))
          : Number.NaN;
      // A charger without a car draws nothing, however old its sample (its status comes at once, its samples
      // maybe once a minute): its lines stay known, or the house's steps on them would go unlearned.
      const idle = stat !== 'ok' && !plugged;
      for (let k = 0; k < cap.phases.length; k++) {
        const line = cap.phases[k]! - 1;
        const inUse = used.includes(line);
        const amps = idle ? 0 : inUse && !Number.isNaN(pairA) ? pairA : drawnOn(c, st, stat === 'ok', k, inUse);
        reading.evOnLine[line]! += amps;
        if (inUse) {
          if (stat !== 'ok' && !idle) reading.unknownLine[line] = reading.driftLine[line] = true;
          else reading.sampledAtLine[line]! += c.measurement.at;
          sum += amps;
          most = Math.max(most, amps);
        }
      }
      // A car following a new limit (sampled before it should have followed) or changing its draw by itself,
      // measured at another instant than the meter's: the difference between the two reads as a house load
      // switching on and off, and would be learned as one (a phantom cycler that then holds room and budget
      // from the cars). Only that while: a charger sampling every 5 s is never in step with the meter, and
      // lines kept from learning for long miss the house's own cyclers.
      const late = stat === 'ok' && sampledBefore && now - c.measurement.at > MEASUREMENT_SYNC_MS;
      const following = late && c.measurement.at < st.followedByMs;
      // A sample that moved from the one before says the car was still moving when it was taken: so it may be
      // until the next sample (a charger sampling every 5 s repeats it for 4 telegrams).
      const newSample = c.measurement.at !== st.sampleAtMs;
      if (newSample) {
        st.sampleGapMs = c.measurement.at - st.sampleAtMs;
        st.sampleAtMs = c.measurement.at;
        st.sampleMoveA = sampledBefore ? most - st.drawnA : 0;
        st.sampleMoved = Math.abs(st.sampleMoveA) >= CAR_MOVE_A;
      }
      // How far the car may have moved since its sample: up to its limit, or to a raise that reaches it before the
      // cut sent after it; down to its limit, or to a cut that reaches it before the raise sent after it (fleet house
      // 1/863: a car cut to 8 A and raised to 11.4 a second before the cut landed fell to 8, and the 3.4 A more it
      // freed hid a kettle's 11 A behind a sample 10 s apart: 14 s over the fuse).
      const upA = Math.max(0, (now < st.upperUntilMs ? Math.max(st.limitA, st.upperA) : st.limitA) - most);
      const downA = Math.max(0, most - (now < st.lowerUntilMs ? Math.min(st.limitA, st.lowerA) : st.limitA));
      // A car whose sample already shows it at its limit has nothing left to move: its line is in step.
      if ((following || (late && st.sampleMoved)) && (upA >= CAR_MOVE_A || downA >= CAR_MOVE_A)) {
        for (const line of used) {
          reading.unknownLine[line] = true;
          if (!following) reading.driftLine[line] = true;
        }
      }
      // Once its last new limit has landed, a car draws no more than that limit, whatever an older sample says
      // (`load-while-starting.test.ts`: a cut to 6 A landed, a sample at 11.5 A hid a 14 A load for 10 s).
      if (stat === 'ok' && now >= landedByMs(st, st.lastChangeMs) && most > st.limitA)
        for (const line of used) reading.landedFallA[line]! += most - st.limitA;
      if (following) {
        reading.risenKw += kwForAmps(connection, used.length, upA);
        reading.fallenKw += kwForAmps(connection, used.length, downA);
        // A ramp takes time: since its sample the car rose no faster than its ramp (learned, or its maximum in 20 s).
        const rampUpA = Math.min(upA, (st.rampAps * Math.max(0, now - c.measurement.at)) / 1000);
        for (const line of used) {
          reading.followingLine[line] = true;
          reading.rampRisenA[line]! += rampUpA;
          reading.risenA[line]! += upA;
          reading.fallenA[line]! += downA;
        }
      }
      // The other way round: a sample taken in the second before the telegram may be newer than its reading
      // (charger and meter each on its own clock); how much of its move the meter shows yet, the house's change
      // tells (`notYetMetered`). Only from a charger sampling as often as the meter: a move over several
      // telegrams is mostly in the meter already, and the house at the telegram before was not in step with it.
      if (
        fresh &&
        stat === 'ok' &&
        st.sampleMoved &&
        c.measurement.at > previousValidMs &&
        now - c.measurement.at < SAMPLE_LEAD_MS &&
        st.sampleGapMs <= meterCadenceMs() + MEASUREMENT_SYNC_MS
      ) {
        const movedA = st.sampleMoveA;
        reading.aheadKw += Math.sign(movedA) * kwForAmps(connection, used.length, Math.abs(movedA));
        for (const line of used) reading.aheadA[line]! += movedA;
      }
      if (st.plugged) {
        const inTime = secondCutInTime(st);
        if (!inTime) for (const line of used) slowOnLine[line] = true;
        for (const line of used) pluggedMinOnLine[line]! += cap.minA;
        if (st.limitA >= cap.minA) {
          for (const line of used) minOnLine[line]! += cap.minA;
          if (inTime) for (const line of used) minFastOnLine[line]! += cap.minA;
        }
      }
      st.drawnA = most;
      st.evKw = used.length > 0 ? kwForAmps(connection, used.length, sum / used.length) : 0;
      evKw += st.evKw;
      // The car's response is timed by the charger's samples, which show its draw between a slow meter's
      // telegrams too (a DSMR 4 or Smarty meter sends every 10 s, a charger samples every second or so).
      if (stat === 'ok' && newSample) learnResponse(st, most, Math.min(now, c.measurement.at), meterCadenceMs());
      if (fresh && stat === 'ok') {
        // A car drawing more than the pace it showed when it last took less than offered has a higher pace now.
        if (most > st.carOwnA) st.carOwnA = most;
        // From the sample's own time: one taken before the car settled at its limit says nothing of it.
        learnKwPerA(st, cap, connection, used.length, Math.min(now, c.measurement.at));
      }
    }
  }

  /**
   * The plugged cars as the allocation's items (their lines, power per ampere, minimum, priority, whether they
   * charge, go first or take less than offered), which car goes first, and what they ask of the quarter's plan
   * (`asked`).
   */
  function admitCars(chargers: ChargerInput[], now: number): void {
    const { connection } = s;
    const n = chargers.length;
    let count = 0;
    asked.charging = asked.held = false;
    asked.minKw = Infinity;
    asked.lagS = asked.seenWithinS = asked.leadS = asked.pauseS = 0;
    for (let i = 0; i < n; i++) {
      const st = sts[i]!;
      st.item = -1;
      st.carLimited = false;
      if (!st.plugged) continue;
      const cap = chargers[i]!.capabilities;
      const lines = linesOf(st, cap);
      const item = st.allocItem;
      item.lines = lines;
      // The power an ampere offered costs: learned from the car when it charged steadily.
      item.kwPerA = Number.isNaN(st.kwPerOfferedA) ? kwForAmps(connection, lines.length, 1) : st.kwPerOfferedA;
      item.minA = cap.minA;
      item.maxA = cap.maxA;
      // A car that took nothing when last offered and takes nothing now is full: every other car goes first
      // (drawing again, it is back in its place).
      const full = st.carOwnA < 1 && st.drawnA < 1;
      item.priority = priorityOf(cap) - (full ? FULL_CAR_LAST : 0);
      item.incumbent = st.limitA >= cap.minA && st.limitA > 0;
      st.resting = !item.incumbent && now - st.pausedSinceMs < minPauseMsOf(cap);
      item.lead = goesFirst(st);
      item.fixedA = undefined;
      item.reserveA = undefined;
      // A car whose start the last step held back (for another car's cut to land, or a raise delay) counts as
      // charging: the quarter's run is being handed to it, not over.
      if (item.incumbent || st.startHeld) asked.charging = true;
      if (st.budgetHeld) asked.held = true;
      // A full car takes nothing at any power: its minimum (a single-phase one, or a three-phase one at the power per
      // ampere it showed while tapering) would let the plan hand out a share that only it fits, while the car that
      // charges waits for a run at the quarter's end that never comes.
      if (!full && !heldOut(st)) asked.minKw = Math.min(asked.minKw, cap.minA * item.kwPerA);
      const lag = lagOf(st);
      asked.lagS = Math.max(asked.lagS, Number.isNaN(s.lagS) ? Math.max(st.lagS, st.stopLagS) : s.lagS);
      asked.seenWithinS = Math.max(asked.seenWithinS, seenWithinMs(st, meterCadenceMs()) / 1000);
      asked.leadS = Math.max(asked.leadS, lag + cap.maxA / st.rampAps / 2);
      asked.pauseS = Math.max(asked.pauseS, minPauseMsOf(cap) / 1000);
      // Settled and drawing clearly less than offered (full, or its own limit): hold only what it takes. Settled
      // by the sample's own time: a charger sampling every 10 s may still show the car's ramp.
      st.carLimited =
        st.limitA >= cap.minA &&
        Math.min(now, chargers[i]!.measurement.at) - st.lastChangeMs >= CAR_LIMIT_SETTLE_MS &&
        st.drawnA < st.limitA - Math.max(CAR_LIMIT_GAP_A, CAR_LIMIT_GAP_SHARE * st.limitA);
      if (st.carLimited) st.carOwnA = st.drawnA;
      item.ownKw = Number.isNaN(st.carOwnA)
        ? Number.POSITIVE_INFINITY
        : kwForAmps(connection, lines.length, st.carOwnA);
      if (st.carLimited && pluggedCount > 1) {
        item.fixedA = st.limitA;
        item.reserveA = Math.min(st.limitA, st.drawnA + 1);
      }
      st.item = count;
      itemOwner[count] = st;
      items[count++] = item;
    }
    // Truncated only when the count changes: a steady array keeps its storage.
    if (items.length !== count) items.length = count;
    if (count > 1 && now - leadCheckMs >= SWITCH_CHECK_MS) {
      leadCheckMs = now;
      // Under a capacity target the cars average no more than the house leaves of it.
      const roomKw = quarter.roomKw(reading.houseKw);
      leads.choose(
        sts,
        items,
        itemOwner,
        fullLimits,
        roomKw === null ? Number.POSITIVE_INFINITY : Math.max(0, roomKw),
        now,
      );
    }
    // A car resting its minimum pause cannot start: beside other cars it takes no share of the lines or the budget,
    // which they use meanwhile (fleet house 16180/280: a three-phase car resting 300 s held half of L3 from a
    // single-phase car in the quarter's run, and the quarters ended at 1.7 kW of 2.5). Which car goes first is
    // weighed above with every car as it can charge once rested.
    for (const st of sts) if (st.item >= 0 && heldOut(st)) items[st.item]!.maxA = 0;
  }

  /**
   * The quarter's plan at `now` (`at` on the meter's quarter clock): how much power the cars may take now so that
   * the quarter ends under the target, and whether its run at the end starts or thins. Null without a target.
   */
  function planPower(now: number, at: number): Plan | null {
    const left = quarter.leftKwh();
    if (left === null) return null;
    const leftS = quarter.leftS(at);
    // A car that takes less than it is offered uses the budget at its own pace, also while paused: the pace it
    // showed last (its own maximum, less as it fills, nothing when full), not its charger's.
    const fullKw = items.length > 0 ? takenKw(items, allocate(items, fullLimits, fullRes)) : 0;
    const p = planIn;
    p.leftKwh = left;
    p.leftS = leftS;
    p.leadS = asked.leadS;
    p.freezeS = s.freezeS;
    p.houseKw = reading.houseKw;
    p.cyclerKwh = house.cyclerEnergyKwh(now, Math.max(0, leftS));
    p.evKw = evKw;
    p.fullKw = fullKw;
    p.minKw = Number.isFinite(asked.minKw) ? asked.minKw : 0;
    p.minRunS = s.minRunS;
    p.minPauseS = asked.pauseS;
    p.thinForS = Number.isNaN(thinSinceMs) ? 0 : (now - thinSinceMs) / 1000;
    p.surgeKw = house.surgeKw(now);
    p.spendableCyclersKw = house.cyclersOffKw(now, true);
    p.spendableCyclerKwh = house.cyclerEnergyKwh(now, Math.max(0, leftS), true);
    p.otherSurgeKw = house.surgeKw(now, true);
    p.held = asked.held;
    p.charging = asked.charging;
    p.running = asked.charging && runQuarterMs === quarter.quarterStartMs;
    p.runningForS = (now - runStartMs) / 1000;
    // What a whole quarter leaves the cars with the house as it is now.
    const nextRoomKwh = (quarter.roomKw(reading.houseKw) ?? 0) * 0.25;
    p.nextQuarterKwh = nextRoomKwh - house.cyclerEnergyKwh(now, 900);
    // The learned lag is the least the samples allow (a move shows up to one interval after it happened)
    // and the meter counts whole seconds: a stop may land that much later. Where the house alone may fill
    // the next quarter (as it is now, with every cycler back on), the stop is sent that much earlier.
    const tailS = asked.seenWithinS + 1;
    const houseFillsKwh = nextRoomKwh - house.cyclersOffKw(now) * 0.25;
    p.lagS = houseFillsKwh < (evKw * tailS) / 3600 ? asked.lagS + tailS : asked.lagS;
    const plan = planQuarter(p);
    if (plan.startsRun) {
      runQuarterMs = quarter.quarterStartMs;
      runStartMs = now;
    }
    if (!plan.thin) thinSinceMs = Number.NaN;
    else if (Number.isNaN(thinSinceMs)) thinSinceMs = now;
    return plan;
  }

  /** Returns the quarter that closed on the way to `now` (a fresh telegram's, or `heldToMs` on the meter's clock). */
  function decide(
    chargers: ChargerInput[],
    now: number,
    fresh: boolean,
    heldToMs: number,
    out: ChargerDecision[],
  ): ClosedQuarter | null {
    let closed: ClosedQuarter | null = null;
    const n = chargers.length;
    if (sts.length !== n) sts.length = n;
    tallyChargers(chargers, now, fresh);
    if (fresh) {
      lineLimits(now);
      closed = quarter.update(
        freshAtMs,
        view.netKw,
        reading.houseKw,
        view.quarterAverageKw,
        view.monthPeakKw,
        view.month,
        freshTrusted,
        view.importKwh,
      );
    } else if (!Number.isNaN(heldToMs)) {
      // Between telegrams the house is held as last measured, but the chargers' samples say what the cars draw.
      quarter.holdHouse(reading.houseKw + evKw);
      closed = quarter.advance(heldToMs);
    }

    const at = clock.quarterMsAt(now);
    if (quarter.quarterStartMs !== quarterIsoMs) {
      quarterIsoMs = quarter.quarterStartMs;
      quarterIso = formatMeterIso(quarterIsoMs);
      // A new quarter, a new budget: a car the last one held under its maximum may go back to it at once.
      for (const st of sts) st.budgetHeld = false;
    }

    admitCars(chargers, now);

    // The quarter's plan: how much power the cars may take now.
    const plan = planPower(now, at);
    const quarterCapKw = plan?.evKw ?? Infinity;
    const quarterFrozen = plan?.frozen ?? false;
    const quarterReason: Reason = plan?.reason ?? 'quarter budget';
    const quarterStartMarginKw = plan?.startMarginKw ?? 0;
    quarterState = {
      quarterStart: quarterIso,
      startMs: quarter.quarterStartMs,
      elapsedS: Math.round((at - quarter.quarterStartMs) / 1000),
      usedKwh: quarter.usedKwh,
      allowedKw: plan?.allowedKw ?? null,
      targetKw: quarter.targetKw,
      projectedKw: quarter.projectedKw(at),
      houseRestKwh: plan?.houseRestKwh ?? 0,
      closed: null,
    };

    let solarCapKw = Infinity;
    if (s.solarMode !== 'off') {
      solarCapKw = -reading.houseKw + s.gridAllowanceKw;
      if (s.solarMode === 'min+surplus') {
        let minSum = 0;
        for (const it of items) minSum += it.minA * it.kwPerA;
        solarCapKw = Math.max(solarCapKw, minSum);
      }
    }
    const powerKw = Math.max(0, Math.min(quarterCapKw, solarCapKw));
    const powerReason: Reason = solarCapKw < quarterCapKw ? 'solar surplus' : quarterReason;
    // Beside a charging car, another starts on the early share only with the plan's margin, as the first does.
    const startMarginKw = solarCapKw < quarterCapKw ? 0 : quarterStartMarginKw;
    const limits = cutLimits;
    limits.powerKw = powerKw;
    limits.powerReason = powerReason;
    limits.startMarginKw = startMarginKw;
    const result = allocate(items, limits, cutRes);
    // What each car would be cut to without the room kept over the fuse: where it returns once under.
    let plainResult = result;
    if (fresh && room.overFuse) {
      plainLimits.powerKw = powerKw;
      plainLimits.powerReason = powerReason;
      plainLimits.startMarginKw = startMarginKw;
      plainResult = allocate(items, plainLimits, plainRes);
    }
    let raiseResult = result;
    if (room.coolingBinds) {
      raiseLimits.powerKw = powerKw;
      raiseLimits.powerReason = powerReason;
      raiseLimits.startMarginKw = startMarginKw;
      raiseResult = allocate(items, raiseLimits, raiseRes);
    }

    for (let i = 0; i < n; i++) {
      const st = sts[i]!;
      if (st.item >= 0)
        switchPhases(st, chargers[i]!.capabilities, items, result, raiseResult, limits, quarterReason, now);
    }

    // No raise on data that is not fresh, nor while any charger's own current is unknown.
    const raiseAllowed = fresh && allOk;
    for (let i = 0; i < n; i++) {
      const st = sts[i]!;
      const cap = chargers[i]!.capabilities;
      st.beforeA = st.limitA;
      copyBook(st.bookBefore, st);
      st.beforePhases = st.phases;
      st.steady = now >= st.followedByMs && !st.sampleMoved;
      if (st.item < 0) {
        st.restoreA = Number.NaN;
        setLimit(st, cap, 0, now);
        st.reason = chargers[i]!.measurement.connected ? 'unplugged' : 'charger offline';
        st.solarHighSinceMs = Number.NaN;
        st.solarLowSinceMs = Number.NaN;
        continue;
      }
      const k = st.item;
      const binding = result.binding[k]! as Reason | 'max';
      let why: Reason = binding === 'max' ? 'charger max' : binding;
      // A line held below its fuse, where the fuse alone would let the car charge: say so rather than "fuse".
      for (let j = 0; j < st.lineIdx.length; j++) {
        const l = st.lineIdx[j]!;
        if (why === fuseReason(l) && room.heldLine[l] && room.fuseRoomA[l]! >= cap.minA) why = 'headroom kept';
      }
      // A settled car drawing clearly less than the fuse or budget would allow is what limits it.
      const cutA = floor01(result.a[k]!);
      if (st.carLimited && cutA >= st.limitA) why = 'car limit';
      const plainA = plainResult === result ? Number.NaN : floor01(plainResult.a[k]!);
      applyRules(
        st,
        cap,
        cutA,
        floor01(raiseResult.a[k]!),
        why,
        now,
        raiseAllowed,
        quarterCapKw,
        st.lineIdx.length,
        plainA,
      );
      // Near the quarter's end a raise could not be undone in time.
      if (quarterFrozen && st.limitA > st.beforeA) {
        takeBackRaise(st, st.beforeA);
        st.reason = 'quarter end';
      }
      if (st.status !== 'ok' && st.limitA <= st.beforeA) st.reason = 'measurement unknown';
    }
    if (n > 1) sequenceRaises(n, now);

    for (let i = 0; i < n; i++) {
      const st = sts[i]!;
      const minA = chargers[i]!.capabilities.minA;
      st.startHeld =
        st.item >= 0 &&
        st.limitA < minA &&
        result.a[st.item]! >= minA &&
        (st.reason === 'waiting for cut' || st.reason === 'raise delay');
      if (st.limitA !== st.beforeA && st.status === 'ok') watchResponse(st, now);
      countSent(st, st.beforeA, now);
      out[i] = {
        id: chargers[i]!.capabilities.id,
        limitA: st.limitA,
        phases: st.phases,
        reason: st.reason,
        changed: st.limitA !== st.beforeA || st.phases !== st.beforePhases,
        measurement: st.status,
      };
    }
    return closed;
  }

  /** 1/3-phase switching: compare with the other mode for a charger that can switch. */
  function switchPhases(
    st: ChargerRecord,
    cap: ChargerCapabilities,
    items: AllocItem[],
    result: AllocResult,
    raiseResult: AllocResult,
    limits: AllocLimits,
    quarterReason: Reason,
    now: number,
  ) {
    if (!canSwitch(s, cap) || st.carPhases === 1) return;
    // Weighed every few seconds: a switch waits a minute for its reason to hold anyway.
    if (now - st.switchCheckMs < SWITCH_CHECK_MS) return;
    st.switchCheckMs = now;
    const k = st.item;
    const other: 1 | 3 = st.phases === 3 ? 1 : 3;
    const otherLines = linesInUse(s.connection, cap.phases, other).map((l) => l - 1);
    const alt = items.slice();
    alt[k] = { ...items[k]!, lines: otherLines, kwPerA: kwForAmps(s.connection, otherLines.length, 1) };
    const altA = allocate(alt, limits, altRes).a[k]!;
    const here = result.a[k]! * items[k]!.kwPerA;
    const there = altA * alt[k]!.kwPerA;
    // 3 phases need clearly more power than the 1-phase maximum; 1 phase when 3 cannot run at all
    // (not merely while it waits for its run at the quarter's end).
    const better =
      st.phases === 3
        ? here === 0 && there > 0 && quarterReason !== 'quarter plan'
        : there > here + kwForAmps(s.connection, 3, 1) && altA >= cap.minA;
    const want = better ? other : st.phases;
    if (want !== st.wantPhases) {
      st.wantPhases = want;
      st.wantPhasesSinceMs = now;
    }
    if (
      want !== st.phases &&
      now - st.wantPhasesSinceMs >= s.switchDelayMs &&
      now - st.lastSwitchMs >= s.switchHoldMs
    ) {
      st.phases = want;
      st.lastSwitchMs = now;
      st.kwPerOfferedA = Number.NaN; // other lines, other power per ampere
      items[k] = alt[k]!;
      linesOf(st, cap);
      result.a[k] = altA;
      raiseResult.a[k] = altA;
      // A switch stops the session: the car then rests its minimum pause before it starts on the new phases.
      setLimit(st, cap, 0, now);
    }
  }

  /**
   * A raise may only use headroom that is free now: a car that was just cut still draws its old current
   * until it follows (2–5 s), so a raise of another car on the same line waits until the cut has landed.
   */
  function sequenceRaises(n: number, now: number) {
    let anyRaise = false;
    for (let i = 0; i < n; i++) if (sts[i]!.limitA > sts[i]!.beforeA) anyRaise = true;
    if (!anyRaise) return;
    const load = seqLoad;
    load[0] = load[1] = load[2] = 0;
    for (let i = 0; i < n; i++) {
      const st = sts[i]!;
      // What may flow on each line until every change has landed: the larger of before and after.
      const counted = st.carLimited ? Math.min(st.limitA, st.drawnA + 1) : st.limitA;
      for (const l of st.lineIdx) load[l]! += Math.max(st.drawnA, counted);
    }
    for (let i = 0; i < n; i++) {
      const st = sts[i]!;
      if (st.limitA <= st.beforeA) continue;
      let excess = 0;
      for (const l of st.lineIdx) excess = Math.max(excess, load[l]! - room.cutLine[l]!);
      if (excess <= 0.05) continue;
      const next = floor01(st.limitA - excess);
      const lowered = next > st.beforeA && next >= items[st.item]!.minA ? next : st.beforeA;
      for (const l of st.lineIdx) load[l]! -= st.limitA - lowered;
      if (takeBackRaise(st, lowered)) st.waitedForCutMs = now;
      st.reason = 'waiting for cut';
    }
  }

  /**
   * Whether the meter and the chargers' samples agree on these lines: no car there is following a new limit
   * with a sample from before, or moving by itself between samples. Only then is "back under the fuse" the
   * house as it is, and not a car's fall seen before its sample shows it (a load that came meanwhile hides).
   */
  const inStepOn = (lines: readonly number[]) => {
    for (const l of lines) if (reading.unknownLine[l]) return false;
    return true;
  };

  /**
   * A cut for the budget alone to a limit the car, still ramping, draws clearly under and cannot reach before a
   * later cut would land (its ramp over its lag and a telegram), measured by a charger sampling as often as the
   * meter: trimming a limit the car has not reached changes nothing but the count of setpoints (a run's start
   * trimmed 16 → 15.7 → 15.4 → 15.2 A while its car ramped up to 15).
   */
  function notReachedYet(st: ChargerRecord, toA: number, why: Reason, cap: ChargerCapabilities, lines: number) {
    if (why !== 'quarter budget' || toA < cap.minA || st.status !== 'ok') return false;
    if (!(st.sampleGapMs <= meterCadenceMs() + MEASUREMENT_SYNC_MS)) return false;
    // What the car draws at that offer: the power an ampere offered costs it (`kwPerA`), in amperes drawn.
    const drawsA = (toA * st.allocItem.kwPerA) / kwForAmps(s.connection, lines, 1);
    return st.drawnA + st.rampAps * (lagOf(st) + meterCadenceMs() / 1000) < drawsA;
  }

  /**
   * A trim (a cut of less than `TRIM_A`) while the car has not followed the last change yet, every line of its
   * charger under the fuse: what it takes back is a reserve (room for an appliance not seen yet, a cycler's
   * return) or a share of the quarter's energy, and neither misses a car response's delay. Sent at once, a
   * passing cloud or a house creeping up trims the limit every second (fleet house 7/184: 14.4 → 7.0 A in 18
   * setpoints within 18 s), each one superseding the last before the car has followed it.
   */
  function trimWaits(st: ChargerRecord, toA: number, why: Reason, cap: ChargerCapabilities, now: number): boolean {
    if (toA < cap.minA || st.limitA - toA >= TRIM_A || now >= st.followedByMs) return false;
    // The run at a quarter's end spends the budget to its last seconds: what a late trim overspends, the rest of
    // the run pays back at a lower rate. Near the car's minimum that lower rate is a pause (the embedded
    // default's run: 7.6 A, trimmed late, then 0 with two minutes left), so there the trim goes at once.
    if (why === 'quarter budget' && planIn.running) {
      const waitS = (st.followedByMs - now) / 1000;
      const restS = planIn.leftS - waitS;
      if (!(restS > 0)) return false;
      const paidBackA = ((st.limitA - toA) * waitS) / restS;
      if (toA - paidBackA < cap.minA + TRIM_A) return false;
    }
    for (const l of st.lineIdx) if (view.lineA[l]! > s.fuseA - s.marginA) return false;
    return true;
  }

  /** From the shared-out targets to the setpoint: solar delays, minimum times, cut at once, raise calmly. */
  function applyRules(
    st: ChargerRecord,
    cap: ChargerCapabilities,
    cutA: number,
    raiseA: number,
    why: Reason,
    now: number,
    raiseAllowed: boolean,
    quarterCapKw: number,
    lineCount: number,
    plainCutA: number,
  ) {
    let t = raiseA;
    let tCut = cutA;
    let reason: Reason = raiseA < cutA && raiseA <= st.limitA ? 'headroom kept' : why;
    const charging = st.limitA >= cap.minA && st.limitA > 0;
    if (s.solarMode === 'surplus') {
      if (tCut >= cap.minA) st.solarLowSinceMs = Number.NaN;
      else if (Number.isNaN(st.solarLowSinceMs)) st.solarLowSinceMs = now;
      if (tCut >= cap.minA && Number.isNaN(st.solarHighSinceMs)) st.solarHighSinceMs = now;
      if (tCut < cap.minA) st.solarHighSinceMs = Number.NaN;
      const minKw = kwForAmps(s.connection, lineCount, cap.minA);
      if (!charging && t >= cap.minA && now - st.solarHighSinceMs < s.solarStartMs) {
        t = 0;
        reason = 'solar start delay';
      } else if (
        charging &&
        tCut < cap.minA &&
        why === 'solar surplus' &&
        quarterCapKw >= minKw &&
        (now - st.solarLowSinceMs < s.solarStopMs || now - st.chargingSinceMs < s.minChargeMs)
      ) {
        // Keep the minimum through a passing cloud rather than stop and restart.
        tCut = Math.min(cap.minA, st.limitA);
        t = Math.min(t, tCut);
        reason = 'solar stop delay';
      }
    }
    // (A car held out of the shares while it rests is given 0 there: it rests all the same.) Once shown, the pause
    // stays the reason until it ends: a share about the car's minimum would otherwise show it and the plan's or a
    // line's reason by turns with the house's noise.
    const resting = !charging && now - st.pausedSinceMs < minPauseMsOf(cap);
    if (resting && (t >= cap.minA || st.allocItem.maxA === 0 || st.reason === 'min pause')) {
      t = 0;
      reason = 'min pause';
    }
    if (now - st.lastCutMs > CALM_AFTER_MS) st.raiseDelayMs = s.raiseIntervalMs;

    const prev = st.limitA;
    const overFuseNow = !Number.isNaN(plainCutA);
    // The room kept over the fuse has one chance to come back at once: the first fresh telegram under it.
    // Later it is a raise like any other (a restore kept for long would skip the raise delay much later).
    const restoreA = st.restoreA;
    if (!overFuseNow && raiseAllowed) st.restoreA = Number.NaN;
    if (
      (tCut < prev - CUT_DEADBAND_A &&
        !notReachedYet(st, tCut, why, cap, lineCount) &&
        !trimWaits(st, tCut, why, cap, now)) ||
      (tCut < cap.minA && prev > 0)
    ) {
      // A cut deeper only for the room kept over the fuse comes back at once when the line is under again.
      const deeper = overFuseNow && plainCutA > tCut + CUT_DEADBAND_A && tCut >= cap.minA;
      setLimit(st, cap, tCut < cap.minA ? 0 : tCut, now, true);
      st.restoreA = deeper ? Math.min(prev, plainCutA) : Number.NaN;
    } else if (
      !overFuseNow &&
      raiseAllowed &&
      restoreA > prev &&
      t > prev + RAISE_HYSTERESIS_A &&
      inStepOn(st.lineIdx)
    ) {
      setLimit(st, cap, Math.min(t, restoreA), now);
    } else if (
      t > prev + (why === 'quarter budget' ? BUDGET_RAISE_STEP_A : RAISE_HYSTERESIS_A) ||
      // Held under its maximum by the budget: back to it only once the plan lifts its cap, which for held cars
      // needs a margin (`HELD_MARGIN`), not at every swing of the house's noise around their full power.
      (t > prev && t >= cap.maxA && !(st.budgetHeld && Number.isFinite(quarterCapKw)))
    ) {
      // No raise on data that is not fresh or a car current that is unknown.
      const wait = raiseAllowed ? raiseWait(st, now) : null;
      if (wait !== null) reason = wait;
      else if (raiseAllowed) {
        const next = prev < cap.minA ? t : Math.min(t, prev + s.rampA);
        if (next < t) reason = 'ramp';
        setLimit(st, cap, next, now);
      }
    }
    if (st.limitA !== prev && why === 'quarter budget' && st.limitA >= cap.minA && st.limitA < cap.maxA)
      st.budgetHeld = true;
    // The limit stayed, its target within the band no change is made for. Where two ceilings bind about equally
    // there (a car the budget holds at 15.9 A, its charger's 16 A), the one that binds flips with the house's noise,
    // every second or two on the owner's screen: another is shown once it has held. A wait or a fault is no
    // ceiling, so it is shown at once.
    const inBand = t <= prev + RAISE_HYSTERESIS_A && tCut >= prev - CUT_DEADBAND_A;
    const flips =
      st.limitA === prev &&
      inBand &&
      reason !== st.reason &&
      CEILING_REASONS.has(reason) &&
      CEILING_REASONS.has(st.reason);
    if (!flips) st.nextCeiling = null;
    else if (st.nextCeiling !== reason) {
      st.nextCeiling = reason;
      st.nextCeilingSinceMs = now;
      reason = st.reason;
    } else if (now - st.nextCeilingSinceMs < CEILING_SETTLE_MS) reason = st.reason;
    st.reason = reason;
  }

  function reconfigure(next: BalancerConfig): void {
    const before = s;
    s = settingsOf(next);
    quarter.reconfigure(quarterOptionsOf(next));
    house.reconfigure(s.connection, s.unseenStepKw);
    narrowed = new WeakMap(); // the cars' configured ranges may have changed
    limitedFrom.length = 0;
    if (s.connection !== before.connection) {
      // Another wiring: the lines each charger uses must be worked out again.
      for (const st of states.values()) st.linesFor = 0;
    }
  }

  return { step, reconfigure, learnedLoads: (nowMs: number) => house.summary(nowMs) };
}
