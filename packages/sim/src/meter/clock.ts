/**
 * The meter's calendar beyond what @p1/dsmr formats: where months start on the meter clock (local
 * time of Brussels/Amsterdam/Luxembourg, CET/CEST). Pure: instants are UTC milliseconds.
 */
import { isEuSummerTime, meterLocalTime } from '@p1/dsmr';

const HOUR_MS = 3_600_000;

/** Local midnight on the 1st of `month` (0-based, may be 12 = January next year) as a UTC instant. */
function localMonthStart(year: number, month: number): number {
  // Local midnight is 23:00 or 22:00 UTC the day before: try the winter offset, correct for summer.
  const guess = Date.UTC(year, month, 1) - HOUR_MS;
  return isEuSummerTime(guess) ? guess - HOUR_MS : guess;
}

/** The UTC instant of local midnight starting the month after the one `utcMs` falls in. */
export function nextMonthStartUtc(utcMs: number): number {
  const t = meterLocalTime(utcMs);
  return localMonthStart(t.year, t.month);
}

/** The UTC instant of local midnight that starts the month `utcMs` falls in. */
export function monthStartUtc(utcMs: number): number {
  const t = meterLocalTime(utcMs);
  return localMonthStart(t.year, t.month - 1);
}
