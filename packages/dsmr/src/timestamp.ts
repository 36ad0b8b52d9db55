/**
 * DSMR timestamps: `YYMMDDhhmmssX`, X = S (summer, +02:00) or W (winter, +01:00). Legacy meters
 * omit X; then the offset follows the EU summer-time rule. Placeholders (`632525252525W`,
 * `000101010000W`, `700101010000W`, `000101000001W`) and impossible dates mean "no value": null.
 */

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const HOUR_MS = 3_600_000;

/** Placeholder a meter sends for "no time" (an empty history month, a peak not reached yet). */
export const PLACEHOLDER_TIMESTAMP = '632525252525W';
/** What a meter whose clock was never set writes in 0-0:1.0.0. */
export const UNSET_CLOCK_TIMESTAMP = '000101010000W';

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));

/** Two digits with a leading zero (a top-level function: tsx wraps inner closures in a costly `__name`). */
function pad2(n: number): string {
  return TWO_DIGITS[n] ?? (n < 10 ? `0${n}` : String(n));
}

function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

/** Last Sunday of a month (1-based), as a day of the month. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month, 0));
  return last.getUTCDate() - last.getUTCDay();
}

/** Per year: the EU switches, the last Sundays of March and October at 01:00 UTC. */
const switches = new Map<number, [start: number, end: number]>();

/** EU summer time: from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC. */
export function isEuSummerTime(utcMs: number): boolean {
  const y = new Date(utcMs).getUTCFullYear();
  let s = switches.get(y);
  if (!s) {
    s = [Date.UTC(y, 2, lastSunday(y, 3), 1), Date.UTC(y, 9, lastSunday(y, 10), 1)];
    if (switches.size > 400) switches.clear();
    switches.set(y, s);
  }
  return utcMs >= s[0] && utcMs < s[1];
}

/** The meter-clock offset ("+01:00"/"+02:00") of an instant, as a Belgian or Dutch meter shows it. */
export function meterOffset(utcMs: number): '+01:00' | '+02:00' {
  return isEuSummerTime(utcMs) ? '+02:00' : '+01:00';
}

/** Parses a DSMR timestamp into ISO 8601 with offset, or null for a placeholder or an invalid value. */
export function parseDsmrTimestamp(raw: string): string | null {
  if (raw.length !== 12 && raw.length !== 13) return null;
  const yy = two(raw, 0);
  const mo = two(raw, 2);
  const dd = two(raw, 4);
  const hh = two(raw, 6);
  const mi = two(raw, 8);
  const ss = two(raw, 10);
  if (yy < 0 || mo < 1 || mo > 12 || dd < 1 || dd > (DAYS_IN_MONTH[mo - 1] as number)) return null;
  if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59) return null;
  // Placeholders of unset clocks and empty registers: 2000-01-01 and 1970-01-01 (written as 70).
  if (mo === 1 && dd === 1 && (yy === 0 || yy === 70)) return null;
  const year = 2000 + yy;
  if (mo === 2 && dd === 29 && year % 4 !== 0) return null;
  let offset: string;
  const flag = raw.length === 13 ? raw[12] : '';
  if (flag === 'S' || flag === 's') offset = '+02:00';
  else if (flag === 'W' || flag === 'w') offset = '+01:00';
  else if (flag === '') {
    // No flag (DSMR 2.2/3): assume winter, then correct if that instant falls in summer time.
    offset = meterOffset(Date.UTC(year, mo - 1, dd, hh - 1, mi, ss));
  } else return null;
  // The digits are already zero-padded: the ISO form is made of slices of the raw text.
  return `20${raw.slice(0, 2)}-${raw.slice(2, 4)}-${raw.slice(4, 6)}T${raw.slice(6, 8)}:${raw.slice(8, 10)}:${raw.slice(10, 12)}${offset}`;
}

/** The meter clock's calendar at an instant: local time of Brussels/Amsterdam/Luxembourg (CET/CEST). */
export interface MeterLocalTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
  summer: boolean;
}

interface HourFields extends Omit<MeterLocalTime, 'minute' | 'second'> {
  /** The UTC hour (ms / 1 h) these fields belong to. */
  key: number;
  /** `YYMMDDhh` of the DSMR timestamp. */
  prefix: string;
}

/**
 * The switch to and from summer time falls on a whole UTC hour, so the local date and hour are the
 * same for a whole UTC hour: a simulator writing a telegram a second works them out once an hour.
 */
let hourCache: HourFields = {
  key: Number.NaN,
  year: 0,
  month: 0,
  day: 0,
  hour: 0,
  weekday: 0,
  summer: false,
  prefix: '',
};

function hourFields(utcMs: number): HourFields {
  const key = Math.floor(utcMs / HOUR_MS);
  if (key === hourCache.key) return hourCache;
  const at = key * HOUR_MS;
  const summer = isEuSummerTime(at);
  const d = new Date(at + (summer ? 2 : 1) * HOUR_MS);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const prefix = pad2(year % 100) + pad2(month) + pad2(day) + pad2(hour);
  hourCache = { key, year, month, day, hour, weekday: d.getUTCDay(), summer, prefix };
  return hourCache;
}

export function meterLocalTime(utcMs: number): MeterLocalTime {
  const h = hourFields(utcMs);
  const inHour = utcMs - h.key * HOUR_MS;
  return {
    year: h.year,
    month: h.month,
    day: h.day,
    hour: h.hour,
    minute: Math.floor(inHour / 60_000),
    second: Math.floor((inHour % 60_000) / 1000),
    weekday: h.weekday,
    summer: h.summer,
  };
}

/** Formats an instant as a DSMR timestamp on the Belgian/Dutch meter clock (S/W flag included). */
export function formatDsmrTimestamp(utcMs: number): string {
  const h = hourFields(utcMs);
  const inHour = utcMs - h.key * HOUR_MS;
  return (
    h.prefix + pad2(Math.floor(inHour / 60_000)) + pad2(Math.floor((inHour % 60_000) / 1000)) + (h.summer ? 'S' : 'W')
  );
}

/** ISO 8601 with the meter clock's offset, whole seconds, e.g. `2025-01-15T00:00:00+01:00`. */
export function formatMeterIso(utcMs: number): string {
  const t = meterLocalTime(utcMs);
  return `${t.year}-${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}${t.summer ? '+02:00' : '+01:00'}`;
}
