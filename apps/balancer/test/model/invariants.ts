/**
 * What must hold after every second of a run, judged from the simulated physics (the meter simulation's
 * line currents and import, the charge points' pilots) and held against the module's decisions.
 *
 * The cut latency: a load step shows in the next telegram (≤ 1 s), the module cuts on that telegram, the
 * limit reaches the charge point within its next tick (≤ 1 s: one OCPP round trip on a loopback websocket
 * takes a fraction of the 100 ms step), the car follows after its response lag, and the meter shows the
 * lower current in the telegram after that (1 s). So a line the module could relieve by cutting its cars
 * is over its fuse for at most lag + 3 s in a row. While the meter is silent, frozen or its clock is off,
 * the module may hold its limits for the fail-safe time-out (10 s) before it falls back to the safe
 * current, so there the bound is 10 s longer and only overloads the safe current would have avoided count.
 * A charger the module cannot reach (its network down) keeps drawing its last limit: that current counts
 * with the house's; where the two alone are over the fuse, the cars the module does reach must be at 0 A
 * within the same bound.
 */
import { formatMeterIso } from '@p1/dsmr';
import type { Line } from '@p1/scenario';
import type { MonthPeak } from '../../src/store/store';

/** The balancer's default fail-safe time-out (s). */
export const FAILSAFE_TIMEOUT_S = 10;
/** The promise of issue 14: every charger on its safe current within 15 s of the meter going quiet. */
export const FAILSAFE_PROMISE_S = 15;
/** Telegram (1 s) + the charge point's tick (1 s) + the next telegram (1 s), on top of the car's lag. */
export const CUT_OVERHEAD_S = 3;
/** An OCPP round trip plus a step: the charger's pilot follows a new decision within this. */
export const APPLY_GRACE_S = 3;
/** The meter's own month peak and ours integrate the same seconds; rounding to 3 decimals. */
const PEAK_TOLERANCE_KW = 0.05;
const QUARTER_MS = 900_000;
/** Below this the grid operator bills anyway (Fluvius): the balancer never aims under it. */
const MIN_TARGET_KW = 2.5;

export type Invariant =
  | 'fuse'
  | 'applied'
  | 'failsafe'
  | 'raised-blind'
  | 'quarter'
  | 'target'
  | 'month-peak'
  | 'restart';

export interface Violation {
  /** Virtual seconds since the start of the run. */
  atS: number;
  invariant: Invariant;
  message: string;
}

export interface ChargerSample {
  id: string;
  lines: Line[];
  safeA: number;
  /** The charge point's websocket is open, and the module sees it connected. */
  connected: boolean;
  moduleConnected: boolean;
  /** A transaction runs (the pilot offers current only then). */
  transaction: boolean;
  /** What the charge point's pilot offers now, from its installed profiles (the physics). */
  offeredA: number;
  drawnA: number;
  /** The module's decision for it; null before the first one or while the module is down. */
  decidedA: number | null;
  reason: string | null;
}

export interface Sample {
  /** Virtual seconds since the start of the run. */
  tS: number;
  /** True time (UTC ms) of the telegram the physics belong to. */
  meterMs: number;
  lineA: readonly number[];
  /** What the cars put on each line. */
  carLineA: readonly number[];
  importKw: number;
  carKw: number;
  /** The meter's wire brings no news: silent, unplugged, or repeating a frozen telegram. */
  silent: boolean;
  /** The meter's clock is off (jumped or unset): its data may rightly be distrusted. */
  clockOff: boolean;
  moduleUp: boolean;
  chargers: ChargerSample[];
  /** The target the module's quarter aims at now (kW), null without one. */
  moduleTargetKw: number | null;
}

interface Run {
  startS: number;
  length: number;
  blind: boolean;
  reported: boolean;
}

interface QuarterTally {
  startMs: number;
  importKws: number;
  houseKws: number;
  /** The owner's target was the same all quarter. */
  steady: boolean;
  ownerTargetKw: number | null;
  /** The highest target the owner set during the quarter (null: none all quarter). */
  ownerMaxKw: number | null;
  /** The highest target the module aimed at during the quarter, and when. */
  moduleMaxKw: number | null;
  moduleMaxAtS: number;
}

const monthOf = (utcMs: number) => formatMeterIso(utcMs).slice(0, 7);

export class Invariants {
  readonly violations: Violation[] = [];
  /** Closed quarters by true time, with what the house alone would have averaged. */
  readonly quarters: { startMs: number; averageKw: number; houseKw: number; targetKw: number | null }[] = [];
  private readonly fuseRuns: (Run | null)[] = [null, null, null];
  private readonly mismatchSince = new Map<string, number>();
  private readonly failsafeReported = new Set<string>();
  private readonly lastOffered = new Map<string, number>();
  private silentSince: number | null = null;
  private lastBlindS = Number.NEGATIVE_INFINITY;
  private quarter: QuarterTally | null = null;
  /** The true month peaks: the meter's registers at the start, then every closed quarter. */
  private readonly truePeaks = new Map<string, number>();
  private ownerTargetKw: number | null;

  constructor(
    private readonly o: { fuseA: number; carLagS: number; ownerTargetKw: number | null },
    meterPeaks: { month: string; peakKw: number }[],
  ) {
    this.ownerTargetKw = o.ownerTargetKw;
    for (const p of meterPeaks) this.raiseTruePeak(p.month, p.peakKw);
  }

  /** The owner changed the target: the quarter under way no longer has one target to be judged by. */
  targetChanged(kw: number | null): void {
    if (kw === this.ownerTargetKw) return;
    this.ownerTargetKw = kw;
    if (!this.quarter) return;
    this.quarter.steady = false;
    if (kw !== null) this.quarter.ownerMaxKw = Math.max(this.quarter.ownerMaxKw ?? 0, kw);
  }

  truePeak(month: string): number {
    return this.truePeaks.get(month) ?? 0;
  }

  private raiseTruePeak(month: string, kw: number): void {
    this.truePeaks.set(month, Math.max(this.truePeaks.get(month) ?? 0, kw));
  }

  private fail(atS: number, invariant: Invariant, message: string): void {
    this.violations.push({ atS, invariant, message });
  }

  observe(s: Sample): void {
    this.checkFuse(s);
    this.checkApplied(s);
    this.checkFailsafe(s);
    this.tallyQuarter(s);
  }

  private checkFuse(s: Sample): void {
    const blind = s.silent || s.clockOff || !s.moduleUp;
    if (blind) this.lastBlindS = s.tS;
    // recently blind: the module may still be on its way down to the safe current
    const blindWindow = s.tS - this.lastBlindS <= FAILSAFE_TIMEOUT_S + this.o.carLagS + CUT_OVERHEAD_S;
    for (let i = 0; i < 3; i++) {
      const line = (i + 1) as Line;
      const houseA = (s.lineA[i] ?? 0) - (s.carLineA[i] ?? 0);
      const onLine = s.chargers.filter((c) => c.transaction && c.lines.includes(line));
      const reachable = (c: ChargerSample) => c.connected && c.moduleConnected;
      // a charger the module cannot reach keeps drawing what it was last given: as fixed as the house
      const stuckA = onLine.filter((c) => !reachable(c)).reduce((sum, c) => sum + c.drawnA, 0);
      const safeOnLine = onLine.filter(reachable).reduce((sum, c) => sum + c.safeA, 0);
      const avoidable = houseA + stuckA + (blindWindow ? safeOnLine : 0) <= this.o.fuseA;
      // where cutting cannot bring the line under its fuse, every car the module reaches must still be cut
      const stillOffered = onLine.filter((c) => reachable(c) && c.offeredA > 0.05);
      const relievable = avoidable || (!blindWindow && stillOffered.length > 0);
      const over = (s.lineA[i] ?? 0) > this.o.fuseA;
      if (!over || !relievable) {
        this.fuseRuns[i] = null;
        continue;
      }
      const run = this.fuseRuns[i] ?? { startS: s.tS, length: 0, blind: false, reported: false };
      this.fuseRuns[i] = run;
      run.length++;
      run.blind ||= blindWindow;
      const bound = this.o.carLagS + CUT_OVERHEAD_S + (run.blind ? FAILSAFE_TIMEOUT_S : 0);
      if (run.length > bound && !run.reported) {
        run.reported = true;
        const cars = s.chargers
          .map(
            (c) =>
              `${c.id}${reachable(c) ? '' : ' (unreachable)'} offers ${c.offeredA} A draws ${c.drawnA.toFixed(1)} A`,
          )
          .join(', ');
        this.fail(
          s.tS,
          'fuse',
          `L${line} over its ${this.o.fuseA} A fuse for ${run.length} s since ${run.startS} s (bound ${bound} s): ` +
            `${(s.lineA[i] ?? 0).toFixed(1)} A, the house alone ${houseA.toFixed(1)} A` +
            `${stuckA > 0 ? `, unreachable chargers ${stuckA.toFixed(1)} A` : ''}; ${cars}`,
        );
      }
    }
  }

  private checkApplied(s: Sample): void {
    for (const c of s.chargers) {
      const comparable = s.moduleUp && c.connected && c.moduleConnected && c.transaction && c.decidedA !== null;
      if (!comparable || Math.abs(c.offeredA - (c.decidedA as number)) <= 0.05) {
        this.mismatchSince.delete(c.id);
        continue;
      }
      const since = this.mismatchSince.get(c.id) ?? s.tS;
      this.mismatchSince.set(c.id, since);
      if (s.tS - since === APPLY_GRACE_S + 1) {
        this.fail(
          s.tS,
          'applied',
          `${c.id} offers ${c.offeredA} A since ${since} s while the module decided ${c.decidedA} A (${c.reason})`,
        );
      }
    }
  }

  private checkFailsafe(s: Sample): void {
    if (!s.silent || !s.moduleUp) {
      this.silentSince = null;
      this.failsafeReported.clear();
      for (const c of s.chargers) this.lastOffered.set(c.id, c.offeredA);
      return;
    }
    this.silentSince ??= s.tS;
    const silentFor = s.tS - this.silentSince;
    for (const c of s.chargers) {
      const before = this.lastOffered.get(c.id) ?? c.offeredA;
      this.lastOffered.set(c.id, c.offeredA);
      if (!c.connected || !c.transaction) continue;
      // a limit already on its way when the meter went quiet may still land in the first seconds
      if (silentFor > 2 && c.offeredA > before + 0.05) {
        this.fail(
          s.tS,
          'raised-blind',
          `${c.id} raised from ${before} to ${c.offeredA} A on a meter quiet for ${silentFor} s`,
        );
      }
      if (silentFor > FAILSAFE_PROMISE_S && c.offeredA > c.safeA + 0.05 && !this.failsafeReported.has(c.id)) {
        this.failsafeReported.add(c.id);
        this.fail(
          s.tS,
          'failsafe',
          `${c.id} still offers ${c.offeredA} A (safe current ${c.safeA} A) after ${silentFor} s of a quiet meter`,
        );
      }
    }
  }

  private tallyQuarter(s: Sample): void {
    // the telegram at meterMs closes the second before it: it belongs to the quarter that second is in
    const startMs = Math.floor((s.meterMs - 1000) / QUARTER_MS) * QUARTER_MS;
    if (this.quarter && this.quarter.startMs !== startMs) this.closeQuarter(this.quarter, s.tS);
    if (!this.quarter || this.quarter.startMs !== startMs) {
      this.quarter = {
        startMs,
        importKws: 0,
        houseKws: 0,
        steady: true,
        ownerTargetKw: this.ownerTargetKw,
        ownerMaxKw: this.ownerTargetKw,
        moduleMaxKw: null,
        moduleMaxAtS: 0,
      };
    }
    const q = this.quarter;
    q.importKws += s.importKw;
    q.houseKws += Math.max(0, s.importKw - s.carKw);
    // the module's quarter may turn a telegram after the true one: its first seconds are not judged
    const settled = s.meterMs - startMs > 3_000;
    if (
      settled &&
      s.moduleUp &&
      s.moduleTargetKw !== null &&
      s.moduleTargetKw > (q.moduleMaxKw ?? Number.NEGATIVE_INFINITY)
    ) {
      q.moduleMaxKw = s.moduleTargetKw;
      q.moduleMaxAtS = s.tS;
    }
  }

  private closeQuarter(q: QuarterTally, atS: number): void {
    const averageKw = q.importKws / 900;
    const houseKw = q.houseKws / 900;
    const month = monthOf(q.startMs);
    const targetKw = q.ownerTargetKw === null ? null : Math.max(MIN_TARGET_KW, q.ownerTargetKw, this.truePeak(month));
    this.quarters.push({ startMs: q.startMs, averageKw, houseKw, targetKw });
    if (targetKw !== null && q.steady && houseKw <= targetKw && averageKw > targetKw + 0.001) {
      this.fail(
        atS,
        'quarter',
        `the quarter of ${formatMeterIso(q.startMs)} averaged ${averageKw.toFixed(3)} kW over its ${targetKw.toFixed(2)} kW ` +
          `target; the house alone ${houseKw.toFixed(3)} kW`,
      );
    }
    this.raiseTruePeak(month, averageKw);
    this.checkTarget(q, month, atS);
  }

  /**
   * The target the module aims at is the owner's, or a month peak the house really reached (this quarter's
   * included: a quarter the house alone pushes over makes that its new peak): never one a clock jump made up.
   */
  private checkTarget(q: QuarterTally, month: string, atS: number): void {
    if (q.moduleMaxKw === null || q.ownerMaxKw === null) return;
    const allowed = Math.max(MIN_TARGET_KW, q.ownerMaxKw, this.truePeak(month)) + PEAK_TOLERANCE_KW;
    if (q.moduleMaxKw <= allowed) return;
    this.fail(
      atS,
      'target',
      `at ${q.moduleMaxAtS} s the module aimed at ${q.moduleMaxKw.toFixed(3)} kW in the quarter of ${formatMeterIso(q.startMs)}; ` +
        `the owner's target was ${q.ownerMaxKw} kW and the house really reached ${this.truePeak(month).toFixed(3)} kW in ${month}`,
    );
  }

  /** Month peaks in the store: none above what the house really reached that month (nor in a month not lived). */
  checkStoredPeaks(atS: number, meterMs: number, peaks: readonly MonthPeak[]): void {
    // a quarter the module closes a moment before the true clock does is not judged yet
    if (meterMs % QUARTER_MS < 10_000) return;
    for (const p of peaks) {
      const truth = this.truePeak(p.month);
      if (p.peakKw > truth + PEAK_TOLERANCE_KW) {
        const known = this.violations.some((v) => v.invariant === 'month-peak' && v.message.startsWith(`${p.month} `));
        if (!known) {
          this.fail(
            atS,
            'month-peak',
            `${p.month} stored with a peak of ${p.peakKw} kW (at ${p.peakAt}); the house really reached ${truth.toFixed(3)} kW`,
          );
        }
      }
    }
  }

  restartLost(atS: number, what: string): void {
    this.fail(atS, 'restart', what);
  }
}
