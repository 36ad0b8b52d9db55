/**
 * The running quarter-hour on the meter clock (:00/:15/:30/:45): energy imported so far, the
 * average it amounts to and the projection if the present power holds until the quarter ends.
 * Export does not count (the capacity tariff bills import only).
 */
import { QUARTER_MS } from '@p1/balancer';

export interface QuarterStatus {
  /** Epoch ms of the quarter's start. */
  startTs: number;
  /** The meter-local ISO time of the quarter's first reading (its month names the month peak). */
  startLocal: string | null;
  elapsedS: number;
  energyKwh: number;
  /** Energy so far spread over the whole quarter (what the meter's 1.4.0 shows). */
  averageKw: number;
  /** Average at the end of the quarter if the present import holds. */
  projectedKw: number;
}

export interface ClosedQuarter {
  startTs: number;
  startLocal: string | null;
  averageKw: number;
}

export class QuarterTracker {
  private startTs = -1;
  private startLocal: string | null = null;
  private lastTs = -1;
  private lastImportKw = 0;
  private energyKwh = 0;

  /** Feeds one sample (zero-order hold between samples); returns the quarter that just closed, if any. */
  push(ts: number, importKw: number, local: string | null): ClosedQuarter | null {
    const kw = Math.max(0, importKw);
    if (this.startTs < 0) {
      this.startTs = ts - (ts % QUARTER_MS);
      this.startLocal = local;
      this.lastTs = ts;
      this.lastImportKw = kw;
      return null;
    }
    if (ts <= this.lastTs) {
      this.lastImportKw = kw;
      return null;
    }
    let closed: ClosedQuarter | null = null;
    const boundary = this.startTs + QUARTER_MS;
    if (ts >= boundary) {
      this.energyKwh += (this.lastImportKw * (boundary - this.lastTs)) / 3.6e6;
      closed = { startTs: this.startTs, startLocal: this.startLocal, averageKw: this.energyKwh * 4 };
      const start = ts - (ts % QUARTER_MS);
      // after a gap longer than a quarter nothing is known of the skipped time: start empty
      this.energyKwh = start === boundary ? (this.lastImportKw * (ts - boundary)) / 3.6e6 : 0;
      this.startTs = start;
      this.startLocal = local;
    } else {
      this.energyKwh += (this.lastImportKw * (ts - this.lastTs)) / 3.6e6;
    }
    this.lastTs = ts;
    this.lastImportKw = kw;
    return closed;
  }

  status(): QuarterStatus | null {
    if (this.startTs < 0) return null;
    const elapsedMs = this.lastTs - this.startTs;
    const remainingH = (QUARTER_MS - elapsedMs) / 3.6e6;
    return {
      startTs: this.startTs,
      startLocal: this.startLocal,
      elapsedS: Math.round(elapsedMs / 1000),
      energyKwh: this.energyKwh,
      averageKw: this.energyKwh * 4,
      projectedKw: (this.energyKwh + this.lastImportKw * remainingH) * 4,
    };
  }
}

/** Epoch ms of a meter timestamp (ISO with offset); null when absent or unparsable. */
export function meterTimeMs(iso: string | null): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}
