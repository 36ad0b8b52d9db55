/**
 * The meter's registers and how they evolve: energy integrates power per tariff, 1-0:1.4.0 is the
 * running average of the current fixed quarter, the quarter average feeds the month peak (1-0:1.6.0),
 * and at local midnight on the 1st the month peak moves into the 13-month history (0-0:98.1.0).
 * Pure: the caller passes the instant and the power.
 */
import { QUARTER_MS } from '@p1/balancer';
import { nextMonthStartUtc } from './clock';

const HISTORY_MONTHS = 13;
const POWER_FAILURE_LOG = 10;
/** Outages longer than this count as "long" (DSMR: 3 minutes). */
const LONG_FAILURE_S = 180;

export interface HistoryEntry {
  /** Local midnight starting the month after the peak's month (the meter's own stamp). */
  periodAtMs: number;
  peakAtMs: number | null;
  peakKw: number;
}

export interface PowerFailureEntry {
  endedAtMs: number;
  durationS: number;
}

export interface RegisterInit {
  importKwh?: [number, number];
  exportKwh?: [number, number];
  monthPeakKw?: number;
  monthPeakAtMs?: number | null;
  history?: HistoryEntry[];
  gasM3?: number;
  waterM3?: number;
  shortFailures?: number;
  longFailures?: number;
  powerFailureLog?: PowerFailureEntry[];
}

export class MeterRegisters {
  readonly importKwh: [number, number];
  readonly exportKwh: [number, number];
  quarterStartMs: number;
  quarterImportKwh = 0;
  /** 1-0:1.4.0 as last computed. */
  quarterAverageKw = 0;
  monthPeakKw: number;
  monthPeakAtMs: number | null;
  readonly history: HistoryEntry[];
  nextMonthMs: number;
  gasM3: number;
  waterM3: number;
  shortFailures: number;
  longFailures: number;
  readonly powerFailureLog: PowerFailureEntry[];
  /** Count of completed quarters, and months rolled over (for tests and the state API). */
  quartersCompleted = 0;
  monthsRolled = 0;
  /** Changes whenever the month peak or the history changes (lets telegram lines be cached). */
  peakVersion = 0;

  constructor(
    readonly nowMsAtStart: number,
    init: RegisterInit = {},
  ) {
    this.importKwh = init.importKwh ?? [0, 0];
    this.exportKwh = init.exportKwh ?? [0, 0];
    this.quarterStartMs = Math.floor(nowMsAtStart / QUARTER_MS) * QUARTER_MS;
    this.monthPeakKw = init.monthPeakKw ?? 0;
    this.monthPeakAtMs = init.monthPeakAtMs ?? null;
    this.history = init.history ? [...init.history] : [];
    this.nextMonthMs = nextMonthStartUtc(nowMsAtStart);
    this.gasM3 = init.gasM3 ?? 0;
    this.waterM3 = init.waterM3 ?? 0;
    this.shortFailures = init.shortFailures ?? 0;
    this.longFailures = init.longFailures ?? init.powerFailureLog?.length ?? 0;
    this.powerFailureLog = init.powerFailureLog ? [...init.powerFailureLog] : [];
  }

  /**
   * The power held during (nowMs − dtS, nowMs]. `tariff` is 1 or 2. Returns nothing; read the
   * fields. A step must not span a quarter boundary (steps of 1 s from a whole second never do).
   */
  integrate(nowMs: number, dtS: number, importKw: number, exportKw: number, tariff: 1 | 2): void {
    const idx = tariff - 1;
    const importKwh = (importKw * dtS) / 3600;
    this.importKwh[idx] = (this.importKwh[idx] as number) + importKwh;
    this.exportKwh[idx] = (this.exportKwh[idx] as number) + (exportKw * dtS) / 3600;
    this.quarterImportKwh += importKwh;
    const elapsedS = (nowMs - this.quarterStartMs) / 1000;
    this.quarterAverageKw = elapsedS > 0 ? (this.quarterImportKwh * 3600) / elapsedS : 0;
    if (nowMs >= this.quarterStartMs + QUARTER_MS) this.completeQuarter();
    if (nowMs >= this.nextMonthMs) this.rollMonth();
  }

  /** Time passes with the meter unpowered: no energy, but quarters and months still turn. */
  skip(nowMs: number): void {
    while (this.quarterStartMs + QUARTER_MS <= nowMs) this.completeQuarter();
    this.quarterAverageKw = 0;
    if (nowMs >= this.nextMonthMs) this.rollMonth();
  }

  private completeQuarter(): void {
    const averageKw = this.quarterImportKwh * 4;
    if (averageKw > this.monthPeakKw) {
      this.monthPeakKw = averageKw;
      // Fluvius stamps the peak with the start of its quarter.
      this.monthPeakAtMs = this.quarterStartMs;
      this.peakVersion++;
    }
    this.quartersCompleted++;
    this.quarterStartMs += QUARTER_MS;
    this.quarterImportKwh = 0;
    // The telegram at the boundary still shows the completed quarter's average (its last second).
  }

  private rollMonth(): void {
    while (this.nextMonthMs <= (this.quarterStartMs as number)) {
      this.history.push({ periodAtMs: this.nextMonthMs, peakAtMs: this.monthPeakAtMs, peakKw: this.monthPeakKw });
      if (this.history.length > HISTORY_MONTHS) this.history.shift();
      this.monthPeakKw = 0;
      this.monthPeakAtMs = null;
      this.monthsRolled++;
      this.peakVersion++;
      this.nextMonthMs = nextMonthStartUtc(this.nextMonthMs + 3_600_000);
    }
  }

  /** A power failure that ended at `endedAtMs` after `durationS` seconds. */
  recordPowerFailure(endedAtMs: number, durationS: number): void {
    if (durationS > LONG_FAILURE_S) {
      this.longFailures++;
      this.powerFailureLog.push({ endedAtMs, durationS: Math.round(durationS) });
      if (this.powerFailureLog.length > POWER_FAILURE_LOG) this.powerFailureLog.shift();
    } else {
      this.shortFailures++;
    }
  }

  addGas(m3: number): void {
    this.gasM3 += m3;
  }

  addWater(m3: number): void {
    this.waterM3 += m3;
  }
}
