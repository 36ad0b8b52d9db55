/**
 * The Belgian capacity tariff: fixed quarters (:00/:15/:30/:45) on the meter clock, import energy counted
 * per quarter, the month's peak the highest quarter. This is the module's one quarter integrator: the
 * balancer plans with it and the app stores the quarters it closes.
 */
export const QUARTER_MS = 900_000;
/** The capacity tariff bills at least 2.5 kW, so aiming lower gains nothing. */
export const MIN_BILLED_KW = 2.5;
/** A quarter this much backed by telegrams (not gaps held over) may raise the month's peak. */
const PEAK_COVERAGE = 0.8;
/** Telegrams further apart than this leave a gap: the power held over it is a guess. */
const GAP_MS = 12_000;
/**
 * A register that has not moved while telegrams on both sides of each interval showed this much import (kWh) is
 * stuck, not counting: a meter's import register moves by its last digit (1 Wh) every Wh imported.
 */
const STUCK_REGISTER_KWH = 0.005;

export interface QuarterOptions {
  ownerTargetKw: number | null;
  monthPeakKw: number;
  neverRaiseMonthPeak: boolean;
  marginKw: number;
}

/** A quarter-hour that has ended. */
export interface ClosedQuarter {
  /** Epoch ms of its start on the meter clock. */
  startMs: number;
  /** Average import over the quarter (kW): the meter's own 1-0:1.4.0 after a gap or when higher than ours. */
  averageKw: number;
  /** What the house alone imported on average (kW), the cars' measured power taken out. */
  houseAverageKw: number;
  /** Share of the quarter covered by telegrams (0–1); the rest was held over from the last one. */
  coverage: number;
  /**
   * Measured well enough to be a month peak: telegrams covered most of it and the meter's clock was not
   * set anew within it (a quarter entered mid-way after a clock jump averages energy over the wrong span).
   */
  peakWorthy: boolean;
}

export class QuarterBudget {
  quarterStartMs = Number.NaN;
  usedKwh = 0;
  private houseKwh = 0;
  /** The house's energy that telegrams measured: what it surely drew, held-over time counted as nothing. */
  private knownHouseKwh = 0;
  /**
   * A closed quarter with a gap in it may raise the month's peak, but the house's power held through the
   * gap is a guess: the meter's own month peak after the close says how high the quarter really went.
   * Its house average, and what the house surely drew, until the next trusted telegram (NaN: none).
   */
  private pendingPeakKw = Number.NaN;
  private pendingKnownKw = 0;
  /**
   * The month's peak that the target may rise to: configured, the meter's own when we start, or a quarter
   * the house alone reached. A quarter the cars pushed up never excuses the next: the cars must not lean on
   * their own overshoot.
   */
  monthPeakKw: number;
  /** Import (kW) at the last fresh telegram, held until the next; and the house's part of it. */
  importKw = 0;
  private houseImportKw = 0;
  private month = '';
  /** The month whose peak the meter told us when we started (taken once per month). */
  private baselineMonth = '';
  private lastMs = Number.NaN;
  private coveredMs = 0;
  private lastDataMs = Number.NaN;
  /** The meter's clock was set anew within the running quarter. */
  private rebased = false;
  /**
   * The import register's value at the running quarter's start (kWh; NaN: none yet): the register less it is
   * the quarter's count. Taken at the quarter's first telegram as the register less what we counted since the
   * start (the seconds before it held at the last telegram's power).
   */
  private registerBaseKwh = Number.NaN;
  private lastRegisterKwh = Number.NaN;
  /** Import the telegrams surely showed since the register last moved: the lesser power of each interval's ends. */
  private unregisteredKwh = 0;
  /** Import at the last fresh telegram, as it measured it (`importKw` follows the cars in between). */
  private telegramImportKw = 0;

  constructor(private o: QuarterOptions) {
    this.monthPeakKw = o.monthPeakKw;
  }

  /** New owner settings; the quarter's energy and the month's peak so far are kept. */
  reconfigure(o: QuarterOptions): void {
    this.o = o;
    this.monthPeakKw = Math.max(this.monthPeakKw, o.monthPeakKw);
  }

  get marginKw(): number {
    return this.o.marginKw;
  }

  get targetKw(): number | null {
    if (this.o.ownerTargetKw === null) return null;
    if (this.o.neverRaiseMonthPeak) return Math.max(MIN_BILLED_KW, this.monthPeakKw);
    return Math.max(MIN_BILLED_KW, this.o.ownerTargetKw, this.monthPeakKw);
  }

  /**
   * A fresh telegram at `atMs` (meter clock, jump-corrected): takes the new import (and the house's part of
   * it) and accounts it back to the previous telegram, then what the meter itself says of the quarter and
   * the month: its quarter average (Belgian meters), else its import register. `meterTrusted` is false while
   * the meter's clock jumps: its own quarter average, register and month are then not believed.
   */
  update(
    atMs: number,
    importKw: number,
    houseImportKw: number,
    meterQuarterAvgKw: number | null,
    meterMonthPeakKw: number | null,
    month: string,
    meterTrusted: boolean,
    meterImportKwh: number | null = null,
  ): ClosedQuarter | null {
    if (meterTrusted && month !== this.month) {
      // A new month: its peak starts from nothing.
      if (this.month !== '') this.monthPeakKw = 0;
      this.month = month;
    }
    // After a gap the import held through it is a guess (the fail-safe cut the cars meanwhile).
    const afterGap = !Number.isNaN(this.lastDataMs) && atMs - this.lastDataMs > GAP_MS;
    const sinceMs = atMs - this.lastDataMs;
    const lastImportKw = this.telegramImportKw;
    // A meter's power is what it measured over the last moments: account it back to the previous telegram.
    this.importKw = this.telegramImportKw = Math.max(0, importKw);
    this.houseImportKw = Math.max(0, houseImportKw);
    // Since the last telegram (unless that was a gap ago) this telegram's power is measured, not held.
    const closed = this.advance(atMs, afterGap || Number.isNaN(this.lastDataMs) ? atMs : this.lastDataMs);
    this.lastDataMs = atMs;
    if (meterTrusted && !Number.isNaN(this.pendingPeakKw)) {
      // The meter's month peak counts the cars too, so it bounds the house's quarter from above.
      const meterCap = meterMonthPeakKw ?? this.pendingPeakKw;
      const peak = Math.max(this.pendingKnownKw, Math.min(this.pendingPeakKw, meterCap));
      this.monthPeakKw = Math.max(this.monthPeakKw, peak);
      this.pendingPeakKw = Number.NaN;
    }
    const elapsedS = (atMs - this.quarterStartMs) / 1000;
    // The meter's running average (energy so far / time so far) is the quarter's count: ours only fills in between
    // its telegrams, with the power held since the last one. Kept as a floor under ours, it would ratchet ours up on
    // the errors of powers held between telegrams 10 s apart (fleet house 1/140 took a quarter of cooking for 2.79 kW
    // where the meter counted 2.73, and aimed its cars at that peak for the rest of the month).
    if (meterTrusted && meterQuarterAvgKw !== null && elapsedS >= 5) {
      this.countAs((meterQuarterAvgKw * elapsedS) / 3600);
    } else if (meterTrusted && meterImportKwh !== null) {
      if (meterImportKwh !== this.lastRegisterKwh) this.unregisteredKwh = 0;
      else if (!Number.isNaN(sinceMs))
        this.unregisteredKwh += (Math.min(lastImportKw, this.importKw) * sinceMs) / 3_600_000;
      if (this.unregisteredKwh > STUCK_REGISTER_KWH) {
        // Stuck while power flows: our own count goes on, and the register is based anew once it moves.
        this.registerBaseKwh = Number.NaN;
      } else if (Number.isNaN(this.registerBaseKwh) || meterImportKwh < this.lastRegisterKwh) {
        // The quarter's first register, or one that went back (a new meter): its value at the quarter's start is
        // what it says now less what we counted since.
        this.registerBaseKwh = meterImportKwh - this.usedKwh;
      } else this.countAs(meterImportKwh - this.registerBaseKwh);
      this.lastRegisterKwh = meterImportKwh;
    }
    if (meterTrusted && meterMonthPeakKw !== null && this.baselineMonth !== month) {
      // The peak reached before we started; after that, only what the house alone reaches counts.
      this.baselineMonth = month;
      this.monthPeakKw = Math.max(this.monthPeakKw, meterMonthPeakKw);
    }
    return closed;
  }

  /**
   * The meter's count of the quarter so far replaces ours; what we counted wrongly was the house's (the cars'
   * part is what their chargers measure).
   */
  private countAs(meterKwh: number): void {
    this.houseKwh = Math.max(0, this.houseKwh + meterKwh - this.usedKwh);
    this.usedKwh = meterKwh;
  }

  /**
   * The import between telegrams: the house as the last one measured it, with what the cars draw now (kW,
   * signed). A car's start or stop then counts from its charger's sample, not from the next telegram: a DSMR 4
   * or Smarty meter sends every 10 s and no quarter average that would correct the count.
   */
  holdHouse(netKw: number): void {
    this.importKw = Math.max(0, netKw);
  }

  /**
   * Moves the clock to `atMs` holding the last import (also without a telegram: a silent meter's house keeps
   * drawing); returns the quarter that ended on the way, if one did. From `measuredFromMs` on, the import
   * was measured by a telegram at `atMs`, not held.
   */
  advance(atMs: number, measuredFromMs = atMs): ClosedQuarter | null {
    if (Number.isNaN(this.lastMs)) {
      this.quarterStartMs = Math.floor(atMs / QUARTER_MS) * QUARTER_MS;
      this.lastMs = atMs;
      // Started mid-quarter: what came before is unknown, not zero. The budget takes it at the first telegram's
      // import (a 10 s meter's first telegram comes up to 10 s into the quarter) until the meter's own count says.
      this.usedKwh = (this.importKw * (atMs - this.quarterStartMs)) / 3_600_000;
      this.coveredMs = 0;
      return null;
    }
    let closed: ClosedQuarter | null = null;
    while (atMs > this.lastMs) {
      const end = this.quarterStartMs + QUARTER_MS;
      const to = Math.min(atMs, end);
      this.usedKwh += (this.importKw * (to - this.lastMs)) / 3_600_000;
      this.houseKwh += (this.houseImportKw * (to - this.lastMs)) / 3_600_000;
      // Time shortly after a telegram is known; beyond that the held import is a guess.
      const knownTo = Math.min(to, this.lastDataMs + GAP_MS);
      if (knownTo > this.lastMs) this.coveredMs += knownTo - this.lastMs;
      const measuredFrom = Math.max(this.lastMs, measuredFromMs);
      if (to > measuredFrom) this.knownHouseKwh += (this.houseImportKw * (to - measuredFrom)) / 3_600_000;
      this.lastMs = to;
      if (to < end) break;
      closed = this.close();
    }
    return closed;
  }

  private close(): ClosedQuarter {
    const averageKw = this.usedKwh / 0.25;
    const houseAverageKw = Math.min(averageKw, this.houseKwh / 0.25);
    const coverage = Math.min(1, this.coveredMs / QUARTER_MS);
    const peakWorthy = coverage >= PEAK_COVERAGE && !this.rebased;
    const closed = { startMs: this.quarterStartMs, averageKw, houseAverageKw, coverage, peakWorthy };
    this.rebased = false;
    if (peakWorthy && this.coveredMs >= QUARTER_MS) this.monthPeakKw = Math.max(this.monthPeakKw, houseAverageKw);
    else if (peakWorthy) {
      this.pendingPeakKw = houseAverageKw;
      this.pendingKnownKw = Math.min(houseAverageKw, this.knownHouseKwh / 0.25);
    }
    this.quarterStartMs += QUARTER_MS;
    this.registerBaseKwh = Number.NaN;
    this.usedKwh = 0;
    this.houseKwh = 0;
    this.knownHouseKwh = 0;
    this.coveredMs = 0;
    return closed;
  }

  /**
   * The meter's clock was set anew: the quarter we were counting is not the meter's. Count on from the
   * meter's running quarter (its own average when it sends one corrects what came before); nothing is
   * closed for the time the clock skipped, so no peak comes of it.
   */
  rebase(atMs: number): void {
    this.rebased = true;
    this.registerBaseKwh = Number.NaN;
    this.quarterStartMs = Math.floor(atMs / QUARTER_MS) * QUARTER_MS;
    this.lastMs = atMs;
    this.usedKwh = (this.importKw * (atMs - this.quarterStartMs)) / 3_600_000;
    this.houseKwh = (this.houseImportKw * (atMs - this.quarterStartMs)) / 3_600_000;
    this.knownHouseKwh = 0;
    this.coveredMs = 0;
  }

  /** Seconds left in the running quarter at atMs. */
  leftS(atMs: number): number {
    return (this.quarterStartMs + QUARTER_MS - atMs) / 1000;
  }

  /** The quarter's average if the present import continued to its end (kW). */
  projectedKw(atMs: number): number {
    return (this.usedKwh + (this.importKw * this.leftS(atMs)) / 3600) / 0.25;
  }

  /** The power (kW) a whole quarter leaves the cars under the target less the margin beside a house drawing houseKw. */
  roomKw(houseKw: number): number | null {
    const target = this.targetKw;
    return target === null ? null : target - this.o.marginKw - Math.max(0, houseKw);
  }

  /** Energy (kWh) still allowed this quarter under the target less the margin; null without a target. */
  leftKwh(): number | null {
    const target = this.targetKw;
    if (target === null) return null;
    return (target - this.o.marginKw) * 0.25 - this.usedKwh;
  }
}
