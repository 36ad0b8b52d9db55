/**
 * The normalized reading (packages/dsmr/README.md#reading-json) from the OBIS lines of one telegram, in one pass: each
 * line's code is looked up once in a table that says which field it feeds; the fields are then
 * resolved in the order of precedence meters need (e-MUCS before DSMR codes, 24.2.3 before 24.2.1).
 */

import * as O from './obis';
import type {
  Capacity,
  CapacityHistoryEntry,
  MbusDevice,
  MbusKind,
  PhaseReading,
  PowerFailureLogEntry,
  PowerFailures,
  Protocol,
  Reading,
} from './reading';
import { sameStrings } from './same-strings';
import { parseDsmrTimestamp } from './timestamp';

/** Fields fed by a known OBIS code (index into the slot array). */
const F = {
  timestamp: 0,
  equipment: 1,
  equipmentEasyMeter: 2,
  equipmentLu: 3,
  versionBe: 4,
  versionNl: 5,
  tariff: 6,
  impT1: 7,
  impT2: 8,
  impT3: 9,
  impT4: 10,
  impTotal: 11,
  expT1: 12,
  expT2: 13,
  expT3: 14,
  expT4: 15,
  expTotal: 16,
  powerImp: 17,
  powerExp: 18,
  v1: 19,
  v2: 20,
  v3: 21,
  a1: 22,
  a2: 23,
  a3: 24,
  pi1: 25,
  pi2: 26,
  pi3: 27,
  pe1: 28,
  pe2: 29,
  pe3: 30,
  quarterAvg: 31,
  monthPeak: 32,
  history: 33,
  limiter: 34,
  breaker: 35,
  fuse: 36,
  message: 37,
  pfCount: 38,
  pfLong: 39,
  pfLog: 40,
} as const;
const SLOTS = 41;

const CODES = new Map<string, number>([
  [O.TIMESTAMP, F.timestamp],
  [O.EQUIPMENT_ID, F.equipment],
  [O.EQUIPMENT_ID_EASYMETER, F.equipmentEasyMeter],
  [O.EQUIPMENT_ID_LU, F.equipmentLu],
  [O.P1_VERSION_BE, F.versionBe],
  [O.P1_VERSION, F.versionNl],
  [O.TARIFF, F.tariff],
  [O.ENERGY_IMPORT_T1, F.impT1],
  [O.ENERGY_IMPORT_T2, F.impT2],
  [O.ENERGY_IMPORT_T3, F.impT3],
  [O.ENERGY_IMPORT_T4, F.impT4],
  [O.ENERGY_IMPORT, F.impTotal],
  [O.ENERGY_EXPORT_T1, F.expT1],
  [O.ENERGY_EXPORT_T2, F.expT2],
  [O.ENERGY_EXPORT_T3, F.expT3],
  [O.ENERGY_EXPORT_T4, F.expT4],
  [O.ENERGY_EXPORT, F.expTotal],
  [O.POWER_IMPORT, F.powerImp],
  [O.POWER_EXPORT, F.powerExp],
  [O.VOLTAGE_L1, F.v1],
  [O.VOLTAGE_L2, F.v2],
  [O.VOLTAGE_L3, F.v3],
  [O.CURRENT_L1, F.a1],
  [O.CURRENT_L2, F.a2],
  [O.CURRENT_L3, F.a3],
  [O.POWER_IMPORT_L1, F.pi1],
  [O.POWER_IMPORT_L2, F.pi2],
  [O.POWER_IMPORT_L3, F.pi3],
  [O.POWER_EXPORT_L1, F.pe1],
  [O.POWER_EXPORT_L2, F.pe2],
  [O.POWER_EXPORT_L3, F.pe3],
  [O.QUARTER_AVERAGE, F.quarterAvg],
  [O.MONTH_PEAK, F.monthPeak],
  [O.PEAK_HISTORY, F.history],
  [O.LIMITER_THRESHOLD, F.limiter],
  [O.BREAKER_STATE, F.breaker],
  [O.FUSE_SUPERVISION, F.fuse],
  [O.TEXT_MESSAGE, F.message],
  [O.POWER_FAILURES, F.pfCount],
  [O.LONG_POWER_FAILURES, F.pfLong],
  [O.POWER_FAILURE_LOG, F.pfLog],
]);

/** M-Bus codes after `0-n:`. */
const M = { type: 0, id0: 1, id1: 2, v3: 3, v1: 4, v0: 5, legacy: 6 } as const;
const MBUS_CODES = new Map<string, number>([
  [O.MBUS_DEVICE_TYPE, M.type],
  [O.MBUS_EQUIPMENT_ID, M.id0],
  [O.MBUS_EQUIPMENT_ID_BE, M.id1],
  [O.MBUS_READING_CORRECTED, M.v3],
  [O.MBUS_READING, M.v1],
  [O.MBUS_READING_OLD, M.v0],
  [O.MBUS_READING_LEGACY, M.legacy],
]);

type Slots = (string[] | undefined)[];

/**
 * A register value `004512.871*kWh` read without string copies. The digits form an exact integer
 * mantissa, and one division by an exact power of ten gives the correctly rounded double — the
 * same number `Number("4512.871")` gives, and `737.28` W becomes exactly `0.73728` kW.
 */
function decimal(raw: string, perThousand: boolean): number {
  const n = raw.length;
  let i = 0;
  let neg = false;
  if (n > 0 && raw.charCodeAt(0) === 0x2d) {
    neg = true;
    i = 1;
  }
  let mantissa = 0;
  let scale = perThousand ? 1000 : 1;
  let digits = 0;
  let dot = false;
  for (; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digits++;
      if (dot) scale *= 10;
    } else if (c === 0x2e && !dot) dot = true;
    else break;
  }
  if (digits === 0 || (i < n && raw.charCodeAt(i) !== 0x2a)) return Number.NaN;
  if (mantissa > Number.MAX_SAFE_INTEGER || scale > 1e22) {
    const v = Number(raw.slice(0, i));
    return perThousand ? v / 1000 : v;
  }
  const v = mantissa / scale;
  return neg ? -v : v;
}

/** True when the unit after '*' is exactly `unit` (W or Wh: the meter writes W where DSMR writes kW). */
function unitIs(raw: string, unit: string): boolean {
  const star = raw.indexOf('*');
  return star >= 0 && raw.length - star - 1 === unit.length && raw.endsWith(unit);
}

/** A quantity `004512.871*kWh` → number in the unit the name says (k-prefixed or not); null when empty. */
function quantity(raw: string | undefined, base: 'W' | 'Wh' | 'V' | 'A'): number | null {
  if (raw === undefined || raw.length === 0) return null;
  const v = decimal(raw, (base === 'W' || base === 'Wh') && unitIs(raw, base));
  return Number.isFinite(v) ? v : null;
}

function int(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const v = decimal(raw, false);
  return Number.isFinite(v) ? v : null;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** The last few ids decoded: a telegram carries the same two or three ids every second. */
const recentHex: string[] = ['', '', '', ''];
const recentText: string[] = ['', '', '', ''];
let recentNext = 0;

/** Hex-encoded text (equipment ids, messages) decoded when the result is printable; else the raw text. */
export function decodeHexText(raw: string): string {
  for (let k = 0; k < 4; k++) if (recentHex[k] === raw) return recentText[k] as string;
  const text = decodeHex(raw);
  recentHex[recentNext] = raw;
  recentText[recentNext] = text;
  recentNext = (recentNext + 1) & 3;
  return text;
}

function decodeHex(raw: string): string {
  const n = raw.length;
  if (n === 0 || n % 2 !== 0) return raw;
  let ascii = '';
  let plain = true;
  for (let i = 0; i < n; i += 2) {
    const hi = hexDigit(raw.charCodeAt(i));
    const lo = hexDigit(raw.charCodeAt(i + 1));
    if (hi < 0 || lo < 0) return raw;
    const b = hi * 16 + lo;
    if (b >= 0x80) plain = false;
    else if (b < 0x20 || b === 0x7f) return raw;
    else ascii += String.fromCharCode(b);
  }
  if (plain) return ascii;
  // Non-ASCII bytes: a message in UTF-8, or binary (then keep the hex).
  const text = Buffer.from(raw, 'hex').toString('utf8');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0xfffd) return raw;
  }
  return text;
}

const DUTCH_MAKERS = new Set(['ISK', 'KFM', 'XMX', 'KMP', 'ENE', 'MCS', 'NWA', 'KAM', 'LGF', 'ELL', 'LGB']);

export function detectProtocol(header: string | null, hasEmucsVersion: boolean, smarty: boolean): Protocol {
  const maker = (header ?? '').slice(0, 3).toUpperCase();
  if (smarty || maker === 'LUX') return 'smarty';
  if (maker === 'FLU' || hasEmucsVersion) return 'emucs';
  if (DUTCH_MAKERS.has(maker)) return 'dsmr';
  return 'other';
}

/** The total register, or the sum of the tariff registers when the meter has none. */
function total(
  totalRaw: string[] | undefined,
  t1: number | null,
  t2: number | null,
  t3: string[] | undefined,
  t4: string[] | undefined,
): number | null {
  const t = quantity(totalRaw?.[0], 'Wh');
  if (t !== null) return t;
  const v3 = quantity(t3?.[0], 'Wh');
  const v4 = quantity(t4?.[0], 'Wh');
  if (t1 === null && t2 === null && v3 === null && v4 === null) return null;
  return Math.round(((t1 ?? 0) + (t2 ?? 0) + (v3 ?? 0) + (v4 ?? 0)) * 1000) / 1000;
}

const PHASES = [
  [1, F.v1, F.a1, F.pi1, F.pe1],
  [2, F.v2, F.a2, F.pi2, F.pe2],
  [3, F.v3, F.a3, F.pi3, F.pe3],
] as const;

function phases(slots: Slots): PhaseReading[] {
  const out: PhaseReading[] = [];
  for (const [phase, v, a, pi, pe] of PHASES) {
    if (!slots[v] && !slots[a] && !slots[pi] && !slots[pe]) continue;
    out.push({
      phase,
      voltageV: quantity(slots[v]?.[0], 'V'),
      currentA: quantity(slots[a]?.[0], 'A'),
      importKw: quantity(slots[pi]?.[0], 'W'),
      exportKw: quantity(slots[pe]?.[0], 'W'),
    });
  }
  return out;
}

/**
 * Belgian capacity fields. 0-0:98.1.0 is `(n)(1-0:1.6.0)(1-0:1.6.0)` then n triples
 * (month start)(peak time)(peak kW); other countries reuse the code for a billing snapshot,
 * which is not a peak list and is left in `obis` only.
 */
function capacity(slots: Slots): Capacity | null {
  const avg = slots[F.quarterAvg];
  const peak = slots[F.monthPeak];
  const hist = slots[F.history];
  const peakList = hist !== undefined && hist.length >= 3 && hist[1] === O.MONTH_PEAK && int(hist[0]) !== null;
  if (!avg && !peak && !peakList) return null;
  return {
    quarterAverageKw: quantity(avg?.[0], 'W'),
    monthPeakKw: quantity(peak?.[1], 'W'),
    monthPeakAt: peak?.[0] ? parseDsmrTimestamp(peak[0]) : null,
    history: peakList ? peakHistory(hist) : [],
  };
}

let lastHistoryRaw: string[] = [];
let lastHistory: readonly CapacityHistoryEntry[] = [];

/**
 * The 13-month list changes once a month but comes in every telegram: when its text is the same
 * as in the previous telegram, the same (frozen) entries are returned instead of parsing 26 stamps.
 */
function peakHistory(hist: string[]): CapacityHistoryEntry[] {
  if (!sameStrings(hist, lastHistoryRaw)) {
    const history: CapacityHistoryEntry[] = [];
    for (let i = 3; i + 2 < hist.length; i += 3) {
      history.push(
        Object.freeze({
          periodAt: parseDsmrTimestamp(hist[i] as string),
          peakAt: parseDsmrTimestamp(hist[i + 1] as string),
          peakKw: quantity(hist[i + 2], 'W'),
        }),
      );
    }
    lastHistoryRaw = hist;
    lastHistory = Object.freeze(history);
  }
  return lastHistory as CapacityHistoryEntry[];
}

/** Power failure counters and the 1-0:99.97.0 log `(n)(0-0:96.7.19)(end)(duration*s)…`. */
function powerFailures(slots: Slots): PowerFailures | null {
  const count = int(slots[F.pfCount]?.[0]);
  const longCount = int(slots[F.pfLong]?.[0]);
  const raw = slots[F.pfLog];
  if (count === null && longCount === null && !raw) return null;
  const log: PowerFailureLogEntry[] = [];
  if (raw) {
    for (let i = 2; i + 1 < raw.length; i += 2) {
      const d = int(raw[i + 1]);
      // 2^31-1 and above are "no value" sentinels of Kaifa meters.
      log.push({ endedAt: parseDsmrTimestamp(raw[i] as string), durationS: d !== null && d < 2147483647 ? d : null });
    }
  }
  return { count, longCount, log };
}

/** M-Bus device types (EN 13757-3) to the kind a user understands. */
export function mbusKind(deviceType: number | null): MbusKind {
  switch (deviceType) {
    case 3:
      return 'gas';
    case 6:
    case 7:
      return 'water';
    case 4:
    case 12:
    case 13:
      return 'heat';
    case 10:
    case 11:
      return 'cooling';
    case 2:
      return 'electricity';
    default:
      return 'other';
  }
}

function mbusDevice(channel: number, s: Slots): MbusDevice {
  const deviceType = int(s[M.type]?.[0]);
  const id = s[M.id0] ?? s[M.id1];
  // e-MUCS writes the temperature-corrected gas value on 24.2.3, DSMR on 24.2.1; 24.2.0 on old meters.
  const reading = s[M.v3] ?? s[M.v1] ?? s[M.v0];
  const legacy = s[M.legacy];
  let value: number | null = null;
  let unit: string | null = null;
  let at: string | null = null;
  if (reading) {
    at = reading[0] ? parseDsmrTimestamp(reading[0]) : null;
    const raw = reading[1];
    if (raw) {
      const star = raw.indexOf('*');
      value = int(raw);
      unit = star < 0 ? null : raw.slice(star + 1);
    }
  } else if (legacy) {
    // (time)(status)(period)(count)(code)(unit) then the value on the next line.
    at = legacy[0] ? parseDsmrTimestamp(legacy[0]) : null;
    unit = legacy[5] || null;
    value = int(legacy[6]);
  }
  return {
    channel,
    deviceType,
    kind: mbusKind(deviceType),
    equipmentId: id?.[0] ? decodeHexText(id[0]) : null,
    value,
    unit,
    at,
  };
}

function limiterKw(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const star = raw.indexOf('*');
  const unit = star < 0 ? null : raw.slice(star + 1);
  // Some DSMR 2.2/3 meters state the threshold in A: not a power, left in `obis`.
  if (unit !== null && unit !== 'kW' && unit !== 'kVA' && unit !== 'W') return null;
  return quantity(raw, 'W');
}

type Normalized = Omit<Reading, 'ok' | 'error' | 'crc' | 'header' | 'obis'>;

/** M-Bus channel of a code `0-n:…` (1–4), or 0. */
function mbusChannel(code: string): number {
  if (code.length < 5 || code.charCodeAt(0) !== 0x30 || code.charCodeAt(1) !== 0x2d || code.charCodeAt(3) !== 0x3a)
    return 0;
  const ch = code.charCodeAt(2) - 0x30;
  return ch >= 1 && ch <= 4 ? ch : 0;
}

/** Fields of M-Bus lines: MBUS_FIELD + channel * 8 + the M-Bus code's index. */
const MBUS_FIELD = 100;

/** Which field an OBIS code feeds: a slot index, an M-Bus field, or -1 (kept in `obis` only). */
export function fieldOf(raw: string): number {
  // EasyMeter and a few others suffix codes with *255.
  const code = raw.endsWith('*255') ? raw.slice(0, -4) : raw;
  const f = CODES.get(code);
  if (f !== undefined) return f;
  const ch = mbusChannel(code);
  const m = ch === 0 ? undefined : MBUS_CODES.get(code.slice(4));
  return m === undefined ? -1 : MBUS_FIELD + ch * 8 + m;
}

export function normalize(header: string | null, fields: Int16Array, values: string[][], smarty: boolean): Normalized {
  const slots: Slots = new Array(SLOTS);
  let mbusSlots: Slots[] | null = null;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as number;
    if (f < 0) continue;
    if (f < MBUS_FIELD) {
      slots[f] = values[i];
      continue;
    }
    const ch = (f - MBUS_FIELD) >> 3;
    mbusSlots ??= [];
    mbusSlots[ch] ??= new Array(7);
    (mbusSlots[ch] as Slots)[(f - MBUS_FIELD) & 7] = values[i];
  }
  const ts = slots[F.timestamp]?.[0];
  const equipment = (slots[F.equipment] ?? slots[F.equipmentEasyMeter] ?? slots[F.equipmentLu])?.[0];
  const message = slots[F.message]?.[0];
  const mbus: MbusDevice[] = [];
  if (mbusSlots) for (let ch = 1; ch <= 4; ch++) if (mbusSlots[ch]) mbus.push(mbusDevice(ch, mbusSlots[ch] as Slots));
  const importT1Kwh = quantity(slots[F.impT1]?.[0], 'Wh');
  const importT2Kwh = quantity(slots[F.impT2]?.[0], 'Wh');
  const exportT1Kwh = quantity(slots[F.expT1]?.[0], 'Wh');
  const exportT2Kwh = quantity(slots[F.expT2]?.[0], 'Wh');
  return {
    protocol: detectProtocol(header, slots[F.versionBe] !== undefined, smarty),
    version: slots[F.versionBe]?.[0] || slots[F.versionNl]?.[0] || null,
    timestamp: ts ? parseDsmrTimestamp(ts) : null,
    equipmentId: equipment ? decodeHexText(equipment) : null,
    tariff: int(slots[F.tariff]?.[0]),
    energy: {
      importT1Kwh,
      importT2Kwh,
      exportT1Kwh,
      exportT2Kwh,
      importKwh: total(slots[F.impTotal], importT1Kwh, importT2Kwh, slots[F.impT3], slots[F.impT4]),
      exportKwh: total(slots[F.expTotal], exportT1Kwh, exportT2Kwh, slots[F.expT3], slots[F.expT4]),
    },
    power: { importKw: quantity(slots[F.powerImp]?.[0], 'W'), exportKw: quantity(slots[F.powerExp]?.[0], 'W') },
    phases: phases(slots),
    capacity: capacity(slots),
    limiterKw: limiterKw(slots[F.limiter]?.[0]),
    breakerState: int(slots[F.breaker]?.[0]),
    fuseSupervisionA: quantity(slots[F.fuse]?.[0], 'A'),
    message: message ? decodeHexText(message) : null,
    powerFailures: powerFailures(slots),
    mbus,
  };
}
