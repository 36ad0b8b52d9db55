/**
 * The meter clock: Belgian/Dutch meters keep local time in Europe/Brussels (CET/CEST, the EU
 * summer-time rule that @p1/dsmr reads the S/W flag with).
 */
import { isEuSummerTime, meterOffset } from '@p1/dsmr';

const DAY_S = 86_400;

/** The Brussels UTC offset in minutes (60 or 120) at an instant: the EU summer-time rule. */
export function brusselsOffsetMin(epochMs: number): number {
  return isEuSummerTime(epochMs) ? 120 : 60;
}

/** Seconds since local midnight on the meter clock. */
export function meterTimeOfDayS(epochMs: number): number {
  const local = epochMs + brusselsOffsetMin(epochMs) * 60_000;
  const s = Math.floor(local / 1000) % DAY_S;
  return s < 0 ? s + DAY_S : s;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
/** "00" … "59": the bench writes a timestamp a second, without formatting a number each time. */
const SECONDS = Array.from({ length: 60 }, (_, s) => pad2(s));

const HOUR_S = 3600;
/** "YYYY-MM-DDTHH:MM:SS±HH:MM" */
const ISO_LENGTH = 25;
/** "YYYY-MM-DDTHH:", the part of a timestamp an hour rewrites. */
const HOUR_PREFIX_LENGTH = 14;

/**
 * Per offset, an hour's timestamps end to end with their minutes and seconds in place, and the "YYYY-MM-DDTHH:"
 * they were last written with.
 */
interface HourTemplate {
  bytes: Buffer;
  prefix: string;
}
const hourTemplates = new Map<string, HourTemplate>();
let isoHourKey = Number.NaN;
let isoHour = '';

function hourTemplate(offset: string): HourTemplate {
  let t = hourTemplates.get(offset);
  if (!t) {
    const bytes = Buffer.alloc(HOUR_S * ISO_LENGTH);
    const prefix = '0000-00-00T00:';
    for (let s = 0; s < HOUR_S; s++)
      bytes.write(`${prefix}${SECONDS[Math.floor(s / 60)]}:${SECONDS[s % 60]}${offset}`, s * ISO_LENGTH, 'latin1');
    t = { bytes, prefix };
    hourTemplates.set(offset, t);
  }
  return t;
}

/** Writes the hour's "YYYY-MM-DDTHH:" into each timestamp: only the characters that differ from the last hour's. */
function writePrefix(t: HourTemplate, prefix: string): void {
  const { bytes } = t;
  for (let i = 0; i < HOUR_PREFIX_LENGTH; i++) {
    const c = prefix.charCodeAt(i);
    if (c === t.prefix.charCodeAt(i)) continue;
    for (let at = i; at < bytes.length; at += ISO_LENGTH) bytes[at] = c;
  }
  t.prefix = prefix;
}

/**
 * ISO 8601 with the meter's offset, whole seconds: "2025-01-15T18:00:00+01:00". Hot in the bench (a telegram a
 * second): the offset changes only on a whole UTC hour, so an hour's timestamps are written at once into one flat
 * string and each is a slice of it. A slice of a flat string reads directly, where a concatenation would be
 * flattened (copied) by the first reader of each.
 */
export function meterIso(epochMs: number): string {
  const sec = Math.floor(epochMs / 1000);
  const hour = Math.floor(sec / HOUR_S);
  if (hour !== isoHourKey) {
    const d = new Date(hour * HOUR_S * 1000 + brusselsOffsetMin(epochMs) * 60_000);
    const prefix = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:`;
    const offset = meterOffset(epochMs);
    if (prefix.length !== HOUR_PREFIX_LENGTH) {
      // A year without four digits: no template fits, write this one out.
      const s = sec - hour * HOUR_S;
      return `${prefix}${SECONDS[Math.floor(s / 60)]}:${SECONDS[s % 60]}${offset}`;
    }
    const t = hourTemplate(offset);
    writePrefix(t, prefix);
    isoHour = t.bytes.toString('latin1');
    isoHourKey = hour;
  }
  const at = (sec - hour * HOUR_S) * ISO_LENGTH;
  return isoHour.slice(at, at + ISO_LENGTH);
}

/**
 * Whole seconds since 1970-01-01 00:00 on the meter's local clock at tS seconds after `startMs` (modulo a day:
 * the time of day `meterTimeOfDayS` gives), without its per-call year lookup: the offset only changes on a
 * whole UTC hour, so it is looked up once per hour.
 */
export function createLocalClock(startMs: number): (tS: number) => number {
  const clock = new LocalClock(startMs);
  return (tS) => clock.at(tS);
}

/** The same as a class, for hot paths that create many (methods shared by every instance). */
export class LocalClock {
  private hour = Number.NaN;
  private offsetMs = 0;
  private lastS = Number.NaN;
  private lastTod = 0;

  constructor(private readonly startMs: number) {}

  at(tS: number): number {
    const ms = this.startMs + tS * 1000;
    const h = Math.floor(ms / 3_600_000);
    if (h !== this.hour) {
      this.hour = h;
      this.offsetMs = brusselsOffsetMin(ms) * 60_000;
    }
    return Math.floor((ms + this.offsetMs) / 1000);
  }

  /**
   * `at(tS) % 86,400`, the time of day. The remainder of a date-sized float is a call into the C library, and the
   * physics asks several times a second: a second later is one more, short of midnight (or of 1970).
   */
  timeOfDay(tS: number): number {
    const s = this.at(tS);
    if (s === this.lastS + 1 && s > 0 && this.lastTod + 1 < DAY_S) this.lastTod++;
    else if (s !== this.lastS) this.lastTod = s % DAY_S;
    this.lastS = s;
    return this.lastTod;
  }
}

const TIME_OF_DAY = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** "HH:MM" or "HH:MM:SS" → seconds since midnight; null when not a valid time of day. */
export function parseTimeOfDay(text: string): number | null {
  const m = TIME_OF_DAY.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 23 || min > 59 || s > 59) return null;
  return h * 3600 + min * 60 + s;
}

/** Seconds of the day (wrapped into one day, rounded to whole seconds) → "HH:MM:SS". */
export function formatTimeOfDay(seconds: number): string {
  const t = ((Math.round(seconds) % DAY_S) + DAY_S) % DAY_S;
  return `${pad2(Math.floor(t / 3600))}:${pad2(Math.floor((t % 3600) / 60))}:${pad2(t % 60)}`;
}

/** Whether a time of day `tod` lies in the daily window [from, to) (wrapping past midnight when to < from). */
export function inDailyWindow(tod: number, from: number, to: number): boolean {
  return from <= to ? tod >= from && tod < to : tod >= from || tod < to;
}

/**
 * Seconds from `startMs` to the first instant at or after `startMs + fromS` at which the meter clock reads
 * `timeOfDay` (DST-correct: on a 23 h or 25 h day the answer shifts by an hour).
 */
export function secondsUntilTimeOfDay(startMs: number, timeOfDay: string, fromS = 0): number {
  const target = parseTimeOfDay(timeOfDay);
  if (target === null) throw new RangeError(`not a time of day: "${timeOfDay}"`);
  const fromMs = startMs + fromS * 1000;
  const tod = meterTimeOfDayS(fromMs);
  let guess = fromMs + ((target - tod + DAY_S) % DAY_S) * 1000;
  // Correct for a DST change between now and the guess.
  guess -= (brusselsOffsetMin(guess) - brusselsOffsetMin(fromMs)) * 60_000;
  if (guess < fromMs) guess += DAY_S * 1000;
  return Math.round((guess - startMs) / 1000);
}

/** Parses the scenario's start; NaN when not a date. */
export function parseStart(start: string): number {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(start)
    ? Date.parse(start)
    : Number.NaN;
}
