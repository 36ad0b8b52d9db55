/** What the balancer takes from a telegram: signed line currents, net power, the meter clock. */
import type { MeterSnapshot } from './types';

export interface MeterView {
  /** Meter clock (epoch ms). */
  meterMs: number;
  /** Signed current per line 1..3 (import +, export −); NaN for a line the meter does not report. */
  lineA: [number, number, number];
  /** Net active power (kW): import +, export −. */
  netKw: number;
  quarterAverageKw: number | null;
  monthPeakKw: number | null;
  /** The import register (kWh), all tariffs. */
  importKwh: number | null;
  /** "YYYY-MM" of the meter clock: the month the peak belongs to. */
  month: string;
  /** The meter has sent a line current with decimals: it is no whole-ampere meter (see `lineCurrent`). */
  sentDecimals: boolean;
}

type PhaseReading = MeterSnapshot['phases'][number];

/**
 * The line's current magnitude: measured, or from its power at its voltage (meters that report no currents).
 * Dutch meters send whole amperes (DSMR's F3(0,0); Fluvius sends two decimals), rounded or cut: up to 1 A the
 * balancer would not see at the fuse. The line's power at its voltage is a current the line carries at least
 * (|P| ≤ V·I), to the watt, so on a meter that sends whole amperes (`wholeAmps`: it never sent a decimal) it is
 * the better figure where it is above the reading, never more than the next ampere up (the most a cut hides).
 */
function lineCurrent(p: PhaseReading, wholeAmps: boolean): number | null {
  const hasPower = p.importKw !== null || p.exportKw !== null;
  if (typeof p.currentA === 'number' && Number.isFinite(p.currentA)) {
    const a = Math.abs(p.currentA);
    if (!wholeAmps || !hasPower) return a;
    return Math.min(Math.max(a, powerAmps(p)), a + 1);
  }
  return hasPower ? powerAmps(p) : null;
}

/** The current the line's power takes at its voltage (A). */
function powerAmps(p: PhaseReading): number {
  const v = p.voltageV && p.voltageV > 100 ? p.voltageV : 230;
  return (Math.abs((p.importKw ?? 0) - (p.exportKw ?? 0)) * 1000) / v;
}

/** A telegram the balancer can act on: accepted and with at least one line current (measured or derived). */
export function isUsable(reading: MeterSnapshot): boolean {
  if (!reading.ok) return false;
  for (const p of reading.phases) if (lineCurrent(p, false) !== null) return true;
  return false;
}

const digits = (s: string, at: number, n: number): number => {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
};

/** The last minute parsed ("YYYY-MM-DDTHH:MM:" and its offset): telegrams a second apart share it. */
let minutePrefix = '';
let minuteOffset = '';
let minuteMs = 0;

/** Parses "YYYY-MM-DDTHH:MM:SS±HH:MM" (the parser's shape) without Date.parse, which is slow; else falls back. */
export function parseMeterTime(ts: string): number {
  if (
    ts.length === 25 &&
    minutePrefix !== '' &&
    // Builtin compares: on a flat string they cost a fraction of a charCodeAt loop over the same 23 characters.
    ts.startsWith(minutePrefix) &&
    ts.endsWith(minuteOffset)
  ) {
    const sec = digits(ts, 17, 2);
    if (!Number.isNaN(sec)) return minuteMs + sec * 1000;
  }
  if (ts.length === 25 && ts[10] === 'T' && (ts[19] === '+' || ts[19] === '-')) {
    const ms = Date.UTC(
      digits(ts, 0, 4),
      digits(ts, 5, 2) - 1,
      digits(ts, 8, 2),
      digits(ts, 11, 2),
      digits(ts, 14, 2),
      digits(ts, 17, 2),
    );
    const off = (digits(ts, 20, 2) * 60 + digits(ts, 23, 2)) * 60_000;
    if (!Number.isNaN(ms) && !Number.isNaN(off)) {
      const utc = ts[19] === '+' ? ms - off : ms + off;
      minutePrefix = ts.slice(0, 17);
      minuteOffset = ts.slice(19);
      minuteMs = utc - digits(ts, 17, 2) * 1000;
      return utc;
    }
  }
  return Date.parse(ts);
}

/** `meterMs`: the telegram's clock already parsed (NaN without one). */
export function viewReading(reading: MeterSnapshot, nowMs: number, out: MeterView, meterMs: number): MeterView {
  out.meterMs = Number.isNaN(meterMs) ? nowMs : meterMs;
  const ts = reading.timestamp;
  if (ts === null || !ts.startsWith(out.month) || out.month === '') {
    out.month = ts?.slice(0, 7) ?? new Date(out.meterMs).toISOString().slice(0, 7);
  }
  const imp = reading.power.importKw;
  const exp = reading.power.exportKw;
  let net = (imp ?? 0) - (exp ?? 0);
  if (imp === null && exp === null) {
    net = 0;
    for (const p of reading.phases) net += (p.importKw ?? 0) - (p.exportKw ?? 0);
  }
  out.netKw = net;
  out.lineA[0] = Number.NaN;
  out.lineA[1] = Number.NaN;
  out.lineA[2] = Number.NaN;
  if (!out.sentDecimals)
    for (const p of reading.phases)
      if (typeof p.currentA === 'number' && Number.isFinite(p.currentA) && !Number.isInteger(p.currentA))
        out.sentDecimals = true;
  for (const p of reading.phases) {
    const amps = lineCurrent(p, !out.sentDecimals);
    if (amps === null) continue;
    // Meters report current magnitudes; the line's own power tells the direction, else the total's
    // (on 3x230 the meter measures two elements and the middle line carries no power of its own).
    const pi = p.importKw ?? 0;
    const pe = p.exportKw ?? 0;
    const exporting = pi !== 0 || pe !== 0 ? pe > pi : net < 0;
    out.lineA[p.phase - 1] = exporting ? -amps : amps;
  }
  out.quarterAverageKw = reading.capacity?.quarterAverageKw ?? null;
  out.monthPeakKw = reading.capacity?.monthPeakKw ?? null;
  out.importKwh = reading.energy?.importKwh ?? null;
  return out;
}

export function emptyView(): MeterView {
  return {
    meterMs: 0,
    lineA: [Number.NaN, Number.NaN, Number.NaN],
    netKw: 0,
    quarterAverageKw: null,
    monthPeakKw: null,
    importKwh: null,
    month: '',
    sentDecimals: false,
  };
}
