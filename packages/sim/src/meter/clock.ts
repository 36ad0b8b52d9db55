/**
 * The meter's wall clock: local time of Brussels/Amsterdam/Luxembourg (CET/CEST, EU rules), as the
 * meter writes it (`YYMMDDhhmmssX`, X = S summer / W winter). Pure: instants are UTC milliseconds.
 */

import { isEuSummerTime } from '@p1/dsmr';

const HOUR_MS = 3_600_000;
/** True while summer time (UTC+2) applies: the EU rule, as the parser reads the S/W flag. */
export const isSummerTime = isEuSummerTime;

/** Offset of the meter's local time from UTC, in ms (1 h in winter, 2 h in summer). */
export function localOffsetMs(utcMs: number): number {
  return isSummerTime(utcMs) ? 2 * HOUR_MS : HOUR_MS;
}

export interface LocalTime {
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

interface HourFields {
  key: number;
  year: number;
  month: number;
  day: number;
  hour: number;
  weekday: number;
  summer: boolean;
  /** `YYMMDDhh` of the meter timestamp. */
  prefix: string;
}

/** DST changes on whole UTC hours, so the local date and hour are fixed within one UTC hour: cache them. */
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
  const summer = isSummerTime(at);
  const d = new Date(at + (summer ? 2 : 1) * HOUR_MS);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  hourCache = {
    key,
    year,
    month,
    day,
    hour,
    weekday: d.getUTCDay(),
    summer,
    prefix: `${pad2(year % 100)}${pad2(month)}${pad2(day)}${pad2(hour)}`,
  };
  return hourCache;
}

export function localTime(utcMs: number): LocalTime {
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

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : `${i}`));
const pad2 = (n: number): string => TWO_DIGITS[n] ?? (n < 10 ? `0${n}` : `${n}`);

/** `YYMMDDhhmmssX` as in 0-0:1.0.0. */
export function meterTimestamp(utcMs: number): string {
  const h = hourFields(utcMs);
  const inHour = utcMs - h.key * HOUR_MS;
  return `${h.prefix}${pad2(Math.floor(inHour / 60_000))}${pad2(Math.floor((inHour % 60_000) / 1000))}${h.summer ? 'S' : 'W'}`;
}

/** ISO 8601 with the meter's offset, e.g. `2025-01-15T00:00:00+01:00`. */
export function isoLocal(utcMs: number): string {
  const t = localTime(utcMs);
  return `${t.year}-${pad2(t.month)}-${pad2(t.day)}T${pad2(t.hour)}:${pad2(t.minute)}:${pad2(t.second)}${t.summer ? '+02:00' : '+01:00'}`;
}

/** The UTC instant of local midnight starting the month after the one `utcMs` falls in. */
export function nextMonthStartUtc(utcMs: number): number {
  const t = localTime(utcMs);
  const year = t.month === 12 ? t.year + 1 : t.year;
  const month = t.month === 12 ? 0 : t.month;
  // Local midnight = 23:00 or 22:00 UTC the day before; try winter offset, correct for summer.
  const guess = Date.UTC(year, month, 1) - HOUR_MS;
  return isSummerTime(guess) ? guess - HOUR_MS : guess;
}

/** The UTC instant of local midnight that starts the month `utcMs` falls in. */
export function monthStartUtc(utcMs: number): number {
  const t = localTime(utcMs);
  const guess = Date.UTC(t.year, t.month - 1, 1) - HOUR_MS;
  return isSummerTime(guess) ? guess - HOUR_MS : guess;
}

/** Placeholder a meter sends for "no time" (clock not set, empty history month). */
export const PLACEHOLDER_TIMESTAMP = '632525252525W';
/** What a meter whose clock was never set writes in 0-0:1.0.0. */
export const UNSET_CLOCK_TIMESTAMP = '000101010000W';
