/** The normalized reading (CONTRACTS.md §2) from the `obis` map of one telegram. */
import type {
  Capacity,
  CapacityHistoryEntry,
  EnergyRegisters,
  MbusDevice,
  MbusKind,
  PhaseReading,
  PowerFailures,
  Protocol,
  Reading,
} from './reading';
import { parseDsmrTimestamp } from './timestamp';

type Obis = Record<string, string[]>;

/** `737.28` W → `0.73728` kW by moving the decimal point in the text, so no binary rounding creeps in. */
function thousandth(num: string): number {
  const neg = num.startsWith('-');
  const digits = neg ? num.slice(1) : num;
  const dot = digits.indexOf('.');
  const int = (dot < 0 ? digits : digits.slice(0, dot)).padStart(4, '0');
  const frac = dot < 0 ? '' : digits.slice(dot + 1);
  return Number(`${neg ? '-' : ''}${int.slice(0, -3)}.${int.slice(-3)}${frac}`);
}

/** A quantity `004512.871*kWh` → number in the unit the name says (k-prefixed or not); null when empty. */
function quantity(raw: string | undefined, base: 'W' | 'Wh' | 'V' | 'A' | 'none'): number | null {
  if (raw === undefined || raw.length === 0) return null;
  const star = raw.indexOf('*');
  const num = star < 0 ? raw : raw.slice(0, star);
  const n = Number(num);
  if (!Number.isFinite(n) || num.trim() === '') return null;
  if (star < 0 || base === 'none') return n;
  // Austrian and German meters write W and Wh where DSMR writes kW and kWh.
  if ((base === 'W' || base === 'Wh') && raw.slice(star + 1) === base) return thousandth(num.trim());
  return n;
}

function first(obis: Obis, code: string): string | undefined {
  return obis[code]?.[0];
}

/** EasyMeter and a few others suffix codes with *255: look up both spellings. */
function get(obis: Obis, code: string): string[] | undefined {
  return obis[code] ?? obis[`${code}*255`];
}

function int(raw: string | undefined): number | null {
  if (raw === undefined || raw === '') return null;
  const n = Number(raw.indexOf('*') < 0 ? raw : raw.slice(0, raw.indexOf('*')));
  return Number.isFinite(n) ? n : null;
}

const HEX = /^(?:[0-9A-Fa-f]{2})+$/;

/** Hex-encoded text (equipment ids, messages) decoded when the result is printable; else the raw text. */
export function decodeHexText(raw: string): string {
  if (!HEX.test(raw)) return raw;
  const text = Buffer.from(raw, 'hex').toString('utf8');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0xfffd) return raw;
  }
  return text;
}

const DUTCH_MAKERS = new Set(['ISK', 'KFM', 'XMX', 'KMP', 'ENE', 'MCS', 'NWA', 'KAM', 'LGF', 'ELL', 'LGB']);

export function detectProtocol(header: string | null, obis: Obis, smarty: boolean): Protocol {
  const maker = (header ?? '').slice(0, 3).toUpperCase();
  if (smarty || maker === 'LUX') return 'smarty';
  if (maker === 'FLU' || obis['0-0:96.1.4'] !== undefined) return 'emucs';
  if (DUTCH_MAKERS.has(maker)) return 'dsmr';
  return 'other';
}

function energy(obis: Obis): EnergyRegisters {
  const v = (code: string) => quantity(get(obis, code)?.[0], 'Wh');
  const importT1Kwh = v('1-0:1.8.1');
  const importT2Kwh = v('1-0:1.8.2');
  const exportT1Kwh = v('1-0:2.8.1');
  const exportT2Kwh = v('1-0:2.8.2');
  const sum = (total: number | null, t: (number | null)[]) =>
    total ?? (t.some((x) => x !== null) ? round3(t.reduce<number>((a, b) => a + (b ?? 0), 0)) : null);
  return {
    importT1Kwh,
    importT2Kwh,
    exportT1Kwh,
    exportT2Kwh,
    importKwh: sum(v('1-0:1.8.0'), [importT1Kwh, importT2Kwh, v('1-0:1.8.3'), v('1-0:1.8.4')]),
    exportKwh: sum(v('1-0:2.8.0'), [exportT1Kwh, exportT2Kwh, v('1-0:2.8.3'), v('1-0:2.8.4')]),
  };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

const PHASE_CODES = [
  { phase: 1, v: '1-0:32.7.0', a: '1-0:31.7.0', pi: '1-0:21.7.0', pe: '1-0:22.7.0' },
  { phase: 2, v: '1-0:52.7.0', a: '1-0:51.7.0', pi: '1-0:41.7.0', pe: '1-0:42.7.0' },
  { phase: 3, v: '1-0:72.7.0', a: '1-0:71.7.0', pi: '1-0:61.7.0', pe: '1-0:62.7.0' },
] as const;

function phases(obis: Obis): PhaseReading[] {
  const out: PhaseReading[] = [];
  for (const c of PHASE_CODES) {
    const v = get(obis, c.v);
    const a = get(obis, c.a);
    const pi = get(obis, c.pi);
    const pe = get(obis, c.pe);
    if (!v && !a && !pi && !pe) continue;
    out.push({
      phase: c.phase,
      voltageV: quantity(v?.[0], 'V'),
      currentA: quantity(a?.[0], 'A'),
      importKw: quantity(pi?.[0], 'W'),
      exportKw: quantity(pe?.[0], 'W'),
    });
  }
  return out;
}

/**
 * Belgian capacity fields. 0-0:98.1.0 is `(n)(1-0:1.6.0)(1-0:1.6.0)` then n triples
 * (month start)(peak time)(peak kW); other countries reuse the code for a billing snapshot,
 * which is not a peak list and is left in `obis` only.
 */
function capacity(obis: Obis): Capacity | null {
  const avg = obis['1-0:1.4.0'];
  const peak = obis['1-0:1.6.0'];
  const hist = obis['0-0:98.1.0'];
  const history: CapacityHistoryEntry[] = [];
  let peakList = false;
  if (hist && hist.length >= 3 && /^\d+$/.test(hist[0] as string) && hist[1] === '1-0:1.6.0') {
    peakList = true;
    for (let i = 3; i + 2 < hist.length; i += 3) {
      history.push({
        periodAt: parseDsmrTimestamp(hist[i] as string),
        peakAt: parseDsmrTimestamp(hist[i + 1] as string),
        peakKw: quantity(hist[i + 2], 'W'),
      });
    }
  }
  if (!avg && !peak && !peakList) return null;
  return {
    quarterAverageKw: quantity(avg?.[0], 'W'),
    monthPeakKw: quantity(peak?.[1], 'W'),
    monthPeakAt: peak?.[0] ? parseDsmrTimestamp(peak[0]) : null,
    history,
  };
}

/** Power failure counters and the 1-0:99.97.0 log `(n)(0-0:96.7.19)(end)(duration*s)…`. */
function powerFailures(obis: Obis): PowerFailures | null {
  const count = int(first(obis, '0-0:96.7.21'));
  const longCount = int(first(obis, '0-0:96.7.9'));
  const raw = obis['1-0:99.97.0'];
  if (count === null && longCount === null && !raw) return null;
  const log = [];
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

function splitValueUnit(raw: string | undefined): { value: number | null; unit: string | null } {
  if (raw === undefined || raw === '') return { value: null, unit: null };
  const star = raw.indexOf('*');
  const n = Number(star < 0 ? raw : raw.slice(0, star));
  return { value: Number.isFinite(n) ? n : null, unit: star < 0 ? null : raw.slice(star + 1) };
}

function mbus(obis: Obis): MbusDevice[] {
  const out: MbusDevice[] = [];
  for (let ch = 1; ch <= 4; ch++) {
    const p = `0-${ch}:`;
    const type = obis[`${p}24.1.0`];
    const id = obis[`${p}96.1.0`] ?? obis[`${p}96.1.1`];
    // e-MUCS writes the temperature-corrected gas value on 24.2.3, DSMR on 24.2.1; 24.2.0 on old meters.
    const reading = obis[`${p}24.2.3`] ?? obis[`${p}24.2.1`] ?? obis[`${p}24.2.0`];
    const legacy = obis[`${p}24.3.0`];
    if (!type && !id && !reading && !legacy) continue;
    const deviceType = int(type?.[0]);
    let value: number | null = null;
    let unit: string | null = null;
    let at: string | null = null;
    if (reading) {
      at = reading[0] ? parseDsmrTimestamp(reading[0]) : null;
      ({ value, unit } = splitValueUnit(reading[1]));
    } else if (legacy) {
      // (time)(status)(period)(count)(code)(unit) then the value on the next line.
      at = legacy[0] ? parseDsmrTimestamp(legacy[0]) : null;
      unit = legacy[5] || null;
      value = splitValueUnit(legacy[6]).value;
    }
    out.push({
      channel: ch,
      deviceType,
      kind: mbusKind(deviceType),
      equipmentId: id?.[0] ? decodeHexText(id[0]) : null,
      value,
      unit,
      at,
    });
  }
  return out;
}

function limiterKw(obis: Obis): number | null {
  const raw = first(obis, '0-0:17.0.0');
  if (raw === undefined || raw === '') return null;
  const star = raw.indexOf('*');
  const unit = star < 0 ? null : raw.slice(star + 1);
  // Some DSMR 2.2/3 meters state the threshold in A: not a power, left in `obis`.
  if (unit !== null && unit !== 'kW' && unit !== 'kVA' && unit !== 'W') return null;
  return quantity(raw, 'W');
}

type Normalized = Omit<Reading, 'ok' | 'error' | 'crc' | 'header' | 'obis'>;

export function normalize(header: string | null, obis: Obis, smarty: boolean): Normalized {
  const ts = first(obis, '0-0:1.0.0');
  const equipment = first(obis, '0-0:96.1.1') ?? get(obis, '0-0:96.1.255')?.[0] ?? first(obis, '0-0:42.0.0');
  const message = first(obis, '0-0:96.13.0');
  return {
    protocol: detectProtocol(header, obis, smarty),
    version: first(obis, '0-0:96.1.4') || first(obis, '1-3:0.2.8') || null,
    timestamp: ts ? parseDsmrTimestamp(ts) : null,
    equipmentId: equipment ? decodeHexText(equipment) : null,
    tariff: int(first(obis, '0-0:96.14.0')),
    energy: energy(obis),
    power: {
      importKw: quantity(get(obis, '1-0:1.7.0')?.[0], 'W'),
      exportKw: quantity(get(obis, '1-0:2.7.0')?.[0], 'W'),
    },
    phases: phases(obis),
    capacity: capacity(obis),
    limiterKw: limiterKw(obis),
    breakerState: int(first(obis, '0-0:96.3.10')),
    fuseSupervisionA: quantity(first(obis, '1-0:31.4.0'), 'A'),
    message: message ? decodeHexText(message) : null,
    powerFailures: powerFailures(obis),
    mbus: mbus(obis),
  };
}
