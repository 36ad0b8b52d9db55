/**
 * The Belgian capacity budget: fixed quarters on the meter clock, import energy counted per quarter.
 * allowedKw = (target·900 s − energy used − energy committed during the actuation lag) / (time left − lag).
 */
export const QUARTER_MS = 900_000;
/** The capacity tariff bills at least 2.5 kW, so aiming lower gains nothing. */
export const MIN_BILLED_KW = 2.5;

export interface QuarterOptions {
  ownerTargetKw: number | null;
  monthPeakKw: number;
  neverRaiseMonthPeak: boolean;
  marginKw: number;
  lagS: number;
  freezeS: number;
}

export class QuarterBudget {
  quarterStartMs = Number.NaN;
  usedKwh = 0;
  /** The month's peak so far: configured, reported by the meter, or seen by us in finished quarters. */
  monthPeakKw: number;
  private month = '';
  private lastMs = Number.NaN;
  private lastImportKw = 0;

  constructor(private o: QuarterOptions) {
    this.monthPeakKw = o.monthPeakKw;
  }

  /** New owner settings; the quarter's energy and the month's peak so far are kept. */
  reconfigure(o: QuarterOptions): void {
    this.o = o;
    this.monthPeakKw = Math.max(this.monthPeakKw, o.monthPeakKw);
  }

  get targetKw(): number | null {
    if (this.o.ownerTargetKw === null) return null;
    if (this.o.neverRaiseMonthPeak) return Math.max(MIN_BILLED_KW, this.monthPeakKw);
    return Math.max(MIN_BILLED_KW, this.o.ownerTargetKw, this.monthPeakKw);
  }

  /** Accounts the import since the previous telegram and rolls quarters and months over. */
  update(
    meterMs: number,
    netKw: number,
    meterQuarterAvgKw: number | null,
    meterMonthPeakKw: number | null,
    month: string,
  ) {
    if (month !== this.month) {
      if (this.month !== '') this.monthPeakKw = 0;
      this.month = month;
    }
    const qStart = Math.floor(meterMs / QUARTER_MS) * QUARTER_MS;
    if (!Number.isNaN(this.lastMs) && meterMs > this.lastMs) {
      // The power seen at the previous telegram is taken to have lasted until this one (also across gaps).
      const from = Math.max(this.lastMs, this.quarterStartMs);
      const end = Math.min(meterMs, this.quarterStartMs + QUARTER_MS);
      if (end > from) this.usedKwh += (this.lastImportKw * (end - from)) / 3_600_000;
    }
    if (qStart !== this.quarterStartMs) {
      if (!Number.isNaN(this.quarterStartMs) && qStart > this.quarterStartMs) {
        this.monthPeakKw = Math.max(this.monthPeakKw, this.usedKwh / 0.25);
      }
      this.quarterStartMs = qStart;
      this.usedKwh =
        Number.isNaN(this.lastMs) || meterMs <= this.lastMs ? 0 : (this.lastImportKw * (meterMs - qStart)) / 3_600_000;
    }
    const elapsedS = (meterMs - qStart) / 1000;
    // The meter's running quarter average (energy so far / time so far) corrects what we missed in gaps.
    if (meterQuarterAvgKw !== null && elapsedS >= 5) {
      this.usedKwh = Math.max(this.usedKwh, (meterQuarterAvgKw * elapsedS) / 3600);
    }
    if (meterMonthPeakKw !== null) this.monthPeakKw = Math.max(this.monthPeakKw, meterMonthPeakKw);
    this.lastMs = meterMs;
    this.lastImportKw = Math.max(0, netKw);
  }

  /** Seconds left in the running quarter at meterMs. */
  leftS(meterMs: number): number {
    return (this.quarterStartMs + QUARTER_MS - meterMs) / 1000;
  }

  /** The quarter's average if the present import continued to its end (kW). */
  projectedKw(meterMs: number): number {
    return (this.usedKwh + (this.lastImportKw * this.leftS(meterMs)) / 3600) / 0.25;
  }

  /**
   * Average import allowed from now on (kW), with the present import committed for the actuation lag;
   * `frozen` near the quarter's end, where only cuts make sense and the lag no longer fits.
   */
  allowed(meterMs: number): { allowedKw: number; frozen: boolean } | null {
    const target = this.targetKw;
    if (target === null) return null;
    const left = this.leftS(meterMs);
    const budgetKwh = (target - this.o.marginKw) * 0.25 - this.usedKwh;
    const lag = Math.min(this.o.lagS, left);
    if (left - lag > this.o.freezeS) {
      const committed = (this.lastImportKw * lag) / 3600;
      return { allowedKw: ((budgetKwh - committed) * 3600) / (left - lag), frozen: false };
    }
    return { allowedKw: (budgetKwh * 3600) / Math.max(left, 1), frozen: true };
  }
}
