/**
 * The control loop. Every step: read the meter (when a new telegram came), work out per-line headroom and the
 * quarter budget, share it between chargers, then apply the rules that keep setpoints calm: cut at once, raise
 * only every few seconds and in ramps, minimum charge and pause times, solar delays, fail-safe on silence.
 */
import { type AllocItem, allocate } from './allocate';
import type { ChargerCapabilities } from './charger-state';
import { emptyView, isUsable, viewReading } from './meter-view';
import { QuarterBudget, type QuarterOptions } from './quarter-budget';
import { type Connection, kwForAmps, linesInUse } from './site';
import type {
  Balancer,
  BalancerConfig,
  BalancerInput,
  ChargerDecision,
  ChargerInput,
  Decision,
  QuarterBudgetState,
  SolarMode,
} from './types';

/** Raises smaller than this wait; keeps the charger from chasing noise. */
const RAISE_HYSTERESIS_A = 0.5;
/** Cuts smaller than this wait (the fuse margin covers them). */
const CUT_DEADBAND_A = 0.2;
/** A cut this soon after a raise means the load is cycling: back off the raise delay. */
const FLAP_WINDOW_MS = 30_000;
const MAX_RAISE_DELAY_MS = 60_000;
const CALM_AFTER_MS = 120_000;
/** A car drawing this much under its offer, this long after the last change, is limited by itself. */
const CAR_LIMIT_GAP_A = 2;
const CAR_LIMIT_SETTLE_MS = 30_000;
/** The fail-safe timeout is at least this many telegram intervals. */
const CADENCE_FACTOR = 2.5;

interface ChargerState {
  limitA: number;
  phases: 1 | 3;
  reason: string;
  lastChangeMs: number;
  lastRaiseMs: number;
  lastCutMs: number;
  raiseDelayMs: number;
  chargingSinceMs: number;
  pausedSinceMs: number;
  solarHighSinceMs: number;
  solarLowSinceMs: number;
  wantPhases: 1 | 3;
  wantPhasesSinceMs: number;
  lastSwitchMs: number;
  /** Line indices 0..2 in use for `linesFor` phases (cached: the hot path must not allocate). */
  lineIdx: number[];
  linesFor: 1 | 3 | 0;
}

interface Settings {
  connection: Connection;
  fuseA: number;
  marginA: number;
  failsafeMs: number;
  raiseIntervalMs: number;
  rampA: number;
  minChargeMs: number;
  minPauseMs: number;
  solarMode: SolarMode;
  solarStartMs: number;
  solarStopMs: number;
  gridAllowanceKw: number;
  switchDelayMs: number;
  switchHoldMs: number;
  overrides: Map<string, { priority?: number; safeA?: number; carMinA?: number; carMaxA?: number }>;
  /** Some charger has a car minimum or maximum configured. */
  carLimits: boolean;
}

/** Setpoints in 0.1 A steps, rounded down (the 0.001 A slack absorbs the bisection's tolerance). */
const floor01 = (x: number) => Math.floor(x * 10 + 0.01) / 10;

function settingsOf(c: BalancerConfig): Settings {
  return {
    connection: c.site.connection,
    fuseA: c.site.fuseA,
    marginA: c.margins?.fuseA ?? 0.5,
    failsafeMs: (c.failsafeTimeoutS ?? 10) * 1000,
    raiseIntervalMs: (c.raiseIntervalS ?? 5) * 1000,
    rampA: c.rampA ?? 8,
    minChargeMs: (c.minChargeS ?? 120) * 1000,
    minPauseMs: (c.minPauseS ?? 60) * 1000,
    solarMode: c.solar?.mode ?? 'off',
    solarStartMs: (c.solar?.startDelayS ?? 60) * 1000,
    solarStopMs: (c.solar?.stopDelayS ?? 180) * 1000,
    gridAllowanceKw: c.solar?.gridAllowanceKw ?? 0,
    switchDelayMs: (c.phaseSwitch?.delayS ?? 60) * 1000,
    switchHoldMs: (c.phaseSwitch?.holdS ?? 300) * 1000,
    overrides: new Map((c.chargers ?? []).map((o) => [o.id, o])),
    carLimits: (c.chargers ?? []).some((o) => o.carMinA !== undefined || o.carMaxA !== undefined),
  };
}

function canSwitch(s: Settings, cap: ChargerCapabilities): boolean {
  return cap.switchPhases && s.connection !== '1x230' && cap.phases.length === 3;
}

function naturalPhases(s: Settings, cap: ChargerCapabilities): 1 | 3 {
  return s.connection !== '1x230' && cap.phases.length === 3 ? 3 : 1;
}

/** Formats the meter-clock instant with the offset of the meter's own timestamps. */
function isoWithOffset(ms: number, offset: string): string {
  const sign = offset.startsWith('-') ? -1 : 1;
  const [h, m] = offset.slice(1).split(':').map(Number);
  const offMin = offset === 'Z' ? 0 : sign * ((h ?? 0) * 60 + (m ?? 0));
  return new Date(ms + offMin * 60_000).toISOString().slice(0, 19) + (offset === 'Z' ? 'Z' : offset);
}

function quarterOptionsOf(c: BalancerConfig): QuarterOptions {
  return {
    ownerTargetKw: c.site.capacityTargetKw ?? null,
    monthPeakKw: c.site.monthPeakKw ?? 0,
    neverRaiseMonthPeak: c.site.neverRaiseMonthPeak ?? false,
    marginKw: c.margins?.capacityKw ?? 0.05,
    lagS: c.actuationLagS ?? 8,
    freezeS: c.freezeS ?? 20,
  };
}

export function createBalancer(config: BalancerConfig): Balancer {
  let s = settingsOf(config);
  const quarter = new QuarterBudget(quarterOptionsOf(config));
  const states = new Map<string, ChargerState>();
  const view = emptyView();
  let lastValidMs = Number.NaN;
  let cadenceMs = Number.NaN;
  let firstStepMs = Number.NaN;
  let offset = 'Z';
  let quarterIsoMs = Number.NaN;
  let quarterIso = '';
  let quarterState: QuarterBudgetState = {
    quarterStart: null,
    usedKwh: 0,
    allowedKw: null,
    targetKw: quarter.targetKw,
    projectedKw: 0,
  };

  const stateOf = (cap: ChargerCapabilities, nowMs: number): ChargerState => {
    let st = states.get(cap.id);
    if (!st) {
      const phases = naturalPhases(s, cap);
      st = {
        limitA: 0,
        phases,
        reason: 'no meter data',
        lastChangeMs: -Infinity,
        lastRaiseMs: -Infinity,
        lastCutMs: -Infinity,
        raiseDelayMs: s.raiseIntervalMs,
        chargingSinceMs: Number.NaN,
        pausedSinceMs: -Infinity,
        solarHighSinceMs: Number.NaN,
        solarLowSinceMs: Number.NaN,
        wantPhases: phases,
        wantPhasesSinceMs: nowMs,
        lastSwitchMs: -Infinity,
        lineIdx: [],
        linesFor: 0,
      };
      states.set(cap.id, st);
    }
    return st;
  };

  const linesOf = (st: ChargerState, cap: ChargerCapabilities): number[] => {
    if (st.linesFor !== st.phases) {
      st.lineIdx = linesInUse(s.connection, cap.phases, st.phases).map((l) => l - 1);
      st.linesFor = st.phases;
    }
    return st.lineIdx;
  };

  // The charger's range narrowed to the car's, when configured (cached per capabilities object).
  let narrowed = new WeakMap<ChargerCapabilities, ChargerCapabilities>();
  const withCarLimits = (c: ChargerInput): ChargerInput => {
    const o = s.overrides.get(c.capabilities.id);
    if (!o || (o.carMinA === undefined && o.carMaxA === undefined)) return c;
    let cap = narrowed.get(c.capabilities);
    if (!cap) {
      const minA = Math.max(c.capabilities.minA, o.carMinA ?? 0);
      cap = { ...c.capabilities, minA, maxA: Math.max(minA, Math.min(c.capabilities.maxA, o.carMaxA ?? Infinity)) };
      narrowed.set(c.capabilities, cap);
    }
    return { capabilities: cap, measurement: c.measurement };
  };

  const safeOf = (cap: ChargerCapabilities) => s.overrides.get(cap.id)?.safeA ?? cap.safeA;
  const priorityOf = (cap: ChargerCapabilities) => s.overrides.get(cap.id)?.priority ?? cap.priority ?? 0;

  /** Records a new limit, with the bookkeeping the calm-setpoint rules need. */
  const setLimit = (st: ChargerState, cap: ChargerCapabilities, limitA: number, nowMs: number, flapCheck = false) => {
    if (limitA === st.limitA) return;
    const wasCharging = st.limitA >= cap.minA && st.limitA > 0;
    const charging = limitA >= cap.minA && limitA > 0;
    if (limitA < st.limitA) {
      if (flapCheck && nowMs - st.lastRaiseMs < FLAP_WINDOW_MS)
        st.raiseDelayMs = Math.min(MAX_RAISE_DELAY_MS, st.raiseDelayMs * 2);
      st.lastCutMs = nowMs;
    } else st.lastRaiseMs = nowMs;
    if (wasCharging && !charging) st.pausedSinceMs = nowMs;
    if (!wasCharging && charging) st.chargingSinceMs = nowMs;
    st.limitA = limitA;
    st.lastChangeMs = nowMs;
  };

  function step(raw: BalancerInput): Decision {
    const input = s.carLimits ? { ...raw, chargers: raw.chargers.map(withCarLimits) } : raw;
    const now = input.nowMs;
    if (Number.isNaN(firstStepMs)) firstStepMs = now;
    const fresh = input.reading !== null && isUsable(input.reading);
    if (fresh) {
      // Learn the meter's cadence (1 s for DSMR 5 / e-MUCS, 10 s for DSMR 4) so a slow meter is not
      // mistaken for a silent one; gaps longer than 30 s are outages, not cadence.
      const gap = now - lastValidMs;
      if (gap > 0 && gap <= 30_000) cadenceMs = Number.isNaN(cadenceMs) ? gap : cadenceMs * 0.8 + gap * 0.2;
      lastValidMs = now;
      viewReading(input.reading!, now, view);
      const ts = input.reading!.timestamp;
      if (ts) offset = ts.length > 19 ? ts.slice(19).replace(/^\.\d+/, '') : 'Z';
      quarter.update(view.meterMs, view.netKw, view.quarterAverageKw, view.monthPeakKw, view.month);
    }
    const dataAgeMs = Number.isNaN(lastValidMs) ? null : now - lastValidMs;
    const timeoutMs = Number.isNaN(cadenceMs) ? s.failsafeMs : Math.max(s.failsafeMs, CADENCE_FACTOR * cadenceMs);
    const failsafe = (dataAgeMs ?? now - firstStepMs) >= timeoutMs;

    const decisions: ChargerDecision[] = [];
    if (!fresh || failsafe) {
      // Missing or stale data: hold (never raise); past the timeout, fall back to the safe current.
      for (const c of input.chargers) {
        const st = stateOf(c.capabilities, now);
        const before = st.limitA;
        const beforePhases = st.phases;
        if (failsafe) {
          const safe = Math.min(st.limitA, safeOf(c.capabilities));
          setLimit(st, c.capabilities, safe, now);
          st.reason = 'fail-safe';
        }
        decisions.push({
          id: c.capabilities.id,
          limitA: st.limitA,
          phases: st.phases,
          reason: st.reason,
          changed: st.limitA !== before || st.phases !== beforePhases,
        });
      }
      return { chargers: decisions, quarter: quarterState, failsafe, dataAgeMs };
    }

    decide(input.chargers, now, decisions);
    return { chargers: decisions, quarter: quarterState, failsafe: false, dataAgeMs };
  }

  function decide(chargers: ChargerInput[], now: number, out: ChargerDecision[]) {
    const { connection } = s;
    // EV current per line as the chargers measure it; the rest of each line's current is the house.
    const evOnLine = [0, 0, 0];
    let evKw = 0;
    const lines: number[][] = [];
    const drawnA: number[] = [];
    for (const c of chargers) {
      const cap = c.capabilities;
      const st = stateOf(cap, now);
      const used = linesOf(st, cap);
      lines.push(used);
      const m = c.measurement;
      let sum = 0;
      let count = 0;
      let most = 0;
      for (let k = 0; k < cap.phases.length; k++) {
        const line = cap.phases[k]! - 1;
        const inUse = used.includes(line);
        // Unknown measurement: assume the car takes what it was last offered on the lines it uses.
        const amps = m.currentA[k] ?? (inUse ? Math.max(st.limitA, m.appliedLimitA ?? 0) : 0);
        evOnLine[line]! += amps;
        if (inUse) {
          sum += amps;
          count++;
          most = Math.max(most, amps);
        }
      }
      drawnA.push(most);
      if (count > 0) evKw += kwForAmps(connection, used.length, sum / count);
    }
    const carLimitedNow: boolean[] = new Array(chargers.length).fill(false);
    const houseA = [0, 0, 0];
    let worstHouse = Number.NEGATIVE_INFINITY;
    for (let l = 0; l < 3; l++) {
      houseA[l] = view.lineA[l]! - evOnLine[l]!;
      if (!Number.isNaN(houseA[l]!)) worstHouse = Math.max(worstHouse, houseA[l]!);
    }
    const lineLimit: [number, number, number] = [Infinity, Infinity, Infinity];
    const lineCount = connection === '1x230' ? 1 : 3;
    for (let l = 0; l < lineCount; l++) {
      // A line the meter does not report is assumed as loaded as the worst one it does.
      const h = Number.isNaN(houseA[l]!) ? worstHouse : houseA[l]!;
      lineLimit[l] = s.fuseA - s.marginA - h;
    }

    const houseKw = view.netKw - evKw;
    const q = quarter.allowed(view.meterMs);
    const quarterCapKw = q ? q.allowedKw - houseKw : Infinity;
    const frozen = q?.frozen ?? false;
    if (quarter.quarterStartMs !== quarterIsoMs) {
      quarterIsoMs = quarter.quarterStartMs;
      quarterIso = isoWithOffset(quarterIsoMs, offset);
    }
    quarterState = {
      quarterStart: quarterIso,
      usedKwh: quarter.usedKwh,
      allowedKw: q ? q.allowedKw : null,
      targetKw: quarter.targetKw,
      projectedKw: quarter.projectedKw(view.meterMs),
    };
    let solarCapKw = Infinity;
    if (s.solarMode !== 'off') {
      solarCapKw = -houseKw + s.gridAllowanceKw;
      if (s.solarMode === 'min+surplus') {
        let minKw = 0;
        chargers.forEach((c, i) => {
          if (c.measurement.vehiclePlugged) minKw += kwForAmps(connection, lines[i]!.length, c.capabilities.minA);
        });
        solarCapKw = Math.max(solarCapKw, minKw);
      }
    }
    const powerKw = Math.min(quarterCapKw, solarCapKw);
    const limits = {
      lineA: lineLimit,
      powerKw: Math.max(0, powerKw),
      powerReason: solarCapKw < quarterCapKw ? 'solar surplus' : 'quarter budget',
    };

    const items: AllocItem[] = [];
    const plugged: number[] = [];
    let pluggedCount = 0;
    for (const c of chargers) if (c.measurement.connected && c.measurement.vehiclePlugged) pluggedCount++;
    chargers.forEach((c, i) => {
      const cap = c.capabilities;
      const st = stateOf(cap, now);
      if (!c.measurement.connected || !c.measurement.vehiclePlugged) return;
      plugged.push(i);
      const item: AllocItem = {
        lines: lines[i]!,
        kwPerA: kwForAmps(connection, lines[i]!.length, 1),
        minA: cap.minA,
        maxA: cap.maxA,
        priority: priorityOf(cap),
        incumbent: st.limitA >= cap.minA && st.limitA > 0,
      };
      // Settled and drawing clearly less than offered (full, or its own limit): hold only what it takes.
      const carLimited =
        st.limitA >= cap.minA &&
        now - st.lastChangeMs >= CAR_LIMIT_SETTLE_MS &&
        drawnA[i]! < st.limitA - CAR_LIMIT_GAP_A;
      if (carLimited && pluggedCount > 1) {
        item.fixedA = st.limitA;
        item.reserveA = Math.min(st.limitA, drawnA[i]! + 1);
      }
      carLimitedNow[i] = carLimited;
      items.push(item);
    });
    const result = allocate(items, limits);

    // Phase switching: compare with the other mode for chargers that can switch.
    plugged.forEach((ci, k) => {
      const c = chargers[ci]!;
      if (!canSwitch(s, c.capabilities)) return;
      const st = stateOf(c.capabilities, now);
      const other: 1 | 3 = st.phases === 3 ? 1 : 3;
      const otherLines = linesInUse(connection, c.capabilities.phases, other).map((l) => l - 1);
      const alt = items.slice();
      alt[k] = { ...items[k]!, lines: otherLines, kwPerA: kwForAmps(connection, otherLines.length, 1) };
      const altA = allocate(alt, limits).a[k]!;
      const here = result.a[k]! * items[k]!.kwPerA;
      const there = altA * alt[k]!.kwPerA;
      // 3 phases need clearly more power than the 1-phase maximum; 1 phase when 3 cannot run at all.
      const better =
        st.phases === 3
          ? here === 0 && there > 0
          : there > here + kwForAmps(connection, 3, 1) && altA >= c.capabilities.minA;
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
        lines[ci] = linesOf(st, c.capabilities);
        items[k] = alt[k]!;
        result.a[k] = altA;
        // A switch stops and restarts the session: count it as a fresh start.
        setLimit(st, c.capabilities, 0, now);
        st.pausedSinceMs = -Infinity;
      }
    });

    const target = new Map<number, { a: number; why: string }>();
    plugged.forEach((ci, k) => {
      target.set(ci, { a: floor01(result.a[k]!), why: result.binding[k]! });
    });

    chargers.forEach((c, ci) => {
      const cap = c.capabilities;
      const st = stateOf(cap, now);
      const before = st.limitA;
      const beforePhases = st.phases;
      const t = target.get(ci);
      if (!t) {
        setLimit(st, cap, 0, now);
        st.reason = c.measurement.connected ? 'unplugged' : 'charger offline';
        st.solarHighSinceMs = Number.NaN;
        st.solarLowSinceMs = Number.NaN;
      } else {
        // A settled car drawing clearly less than the fuse or budget would allow is what limits it.
        const why = carLimitedNow[ci] && t.a >= st.limitA ? 'car limit' : t.why;
        applyRules(st, cap, t.a, why, now, frozen, quarterCapKw, lines[ci]!.length);
      }
      out.push({
        id: cap.id,
        limitA: st.limitA,
        phases: st.phases,
        reason: st.reason,
        changed: st.limitA !== before || st.phases !== beforePhases,
      });
    });
  }

  /** From the shared-out target to the setpoint: solar delays, minimum times, cut at once, raise calmly. */
  function applyRules(
    st: ChargerState,
    cap: ChargerCapabilities,
    targetA: number,
    why: string,
    now: number,
    frozen: boolean,
    quarterCapKw: number,
    lineCount: number,
  ) {
    let t = targetA;
    let reason = why === 'max' ? 'charger max' : why;
    const charging = st.limitA >= cap.minA && st.limitA > 0;
    if (s.solarMode === 'surplus') {
      if (t >= cap.minA) st.solarLowSinceMs = Number.NaN;
      else if (Number.isNaN(st.solarLowSinceMs)) st.solarLowSinceMs = now;
      if (t >= cap.minA && Number.isNaN(st.solarHighSinceMs)) st.solarHighSinceMs = now;
      if (t < cap.minA) st.solarHighSinceMs = Number.NaN;
      const minKw = kwForAmps(s.connection, lineCount, cap.minA);
      if (!charging && t >= cap.minA && now - st.solarHighSinceMs < s.solarStartMs) {
        t = 0;
        reason = 'solar start delay';
      } else if (
        charging &&
        t < cap.minA &&
        why === 'solar surplus' &&
        quarterCapKw >= minKw &&
        (now - st.solarLowSinceMs < s.solarStopMs || now - st.chargingSinceMs < s.minChargeMs)
      ) {
        // Keep the minimum through a passing cloud rather than stop and restart.
        t = Math.min(cap.minA, st.limitA);
        reason = 'solar stop delay';
      }
    }
    if (!charging && t >= cap.minA && now - st.pausedSinceMs < s.minPauseMs) {
      t = 0;
      reason = 'min pause';
    }
    if (now - st.lastCutMs > CALM_AFTER_MS) st.raiseDelayMs = s.raiseIntervalMs;

    const prev = st.limitA;
    if (t < prev - CUT_DEADBAND_A || (t < cap.minA && prev > 0)) {
      setLimit(st, cap, t < cap.minA ? 0 : t, now, true);
    } else if (t > prev + RAISE_HYSTERESIS_A || (t > prev && t >= cap.maxA)) {
      if (frozen) {
        reason = 'quarter end';
      } else if (now - st.lastChangeMs < st.raiseDelayMs) {
        reason = 'raise delay';
      } else {
        const next = prev < cap.minA ? t : Math.min(t, prev + s.rampA);
        if (next < t) reason = 'ramp';
        setLimit(st, cap, next, now);
      }
    }
    st.reason = reason;
  }

  function reconfigure(next: BalancerConfig): void {
    const before = s;
    s = settingsOf(next);
    quarter.reconfigure(quarterOptionsOf(next));
    narrowed = new WeakMap(); // the cars' configured ranges may have changed
    if (s.connection !== before.connection) {
      // Another wiring: the lines each charger uses must be worked out again.
      for (const st of states.values()) st.linesFor = 0;
    }
  }

  return { step, reconfigure };
}
