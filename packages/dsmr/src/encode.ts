import { crc16, crcHex } from './crc16';
import { formatFixed as fixed, hexText, formatInt as int } from './format';
import * as O from './obis';
import type { Reading } from './reading';
import { PLACEHOLDER_TIMESTAMP } from './timestamp';

export interface TelegramSource {
  /** Identification line without the leading '/', e.g. `FLU5\253769484_A`. */
  header: string;
  /** OBIS lines without line ending, e.g. `1-0:1.8.1(004512.871*kWh)`. */
  lines: readonly string[];
  /** Append the CRC-16 after '!' (DSMR 4+ and e-MUCS); DSMR 2.2/3 send none. Default true. */
  crc?: boolean;
}

const EOL = '\r\n';

/** Builds the bytes of one telegram as the meter sends it: header, empty line, lines, '!' + CRC. */
export function encodeTelegram(source: TelegramSource): Uint8Array {
  const body = `/${source.header}${EOL}${EOL}${source.lines.join(EOL)}${EOL}!`;
  const bytes = Buffer.from(body, 'latin1');
  if (source.crc === false) return Buffer.concat([bytes, Buffer.from(EOL, 'latin1')]);
  const tail = Buffer.from(`${crcHex(crc16(bytes))}${EOL}`, 'latin1');
  return Buffer.concat([bytes, tail]);
}

/** ISO 8601 with offset → `YYMMDDhhmmssX` on the clock the offset names; null → the "no value" placeholder. */
function stamp(iso: string | null): string {
  if (iso === null) return PLACEHOLDER_TIMESTAMP;
  const m = /^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?([+-]\d\d:\d\d|Z)$/.exec(iso);
  if (!m) throw new RangeError(`timestamp ${iso} is not ISO 8601 with an offset`);
  return `${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}${m[6]}${m[7] === '+02:00' ? 'S' : 'W'}`;
}

export type EncodableReading = Pick<Reading, 'header'> & Partial<Omit<Reading, 'ok' | 'error' | 'crc' | 'obis'>>;

/**
 * The OBIS lines of a reading, in the order and number formats real meters use; Belgian (e-MUCS)
 * conventions when `protocol` is "emucs" (decimal currents, gas on 24.2.3, hex M-Bus ids on 96.1.1).
 */
export function readingLines(r: EncodableReading): string[] {
  const be = r.protocol === 'emucs';
  const lines: string[] = [];
  const add = (code: string, ...groups: string[]) => lines.push(`${code}${groups.map((g) => `(${g})`).join('')}`);
  if (r.version != null) add(be ? O.P1_VERSION_BE : O.P1_VERSION, r.version);
  if (r.timestamp !== undefined) add(O.TIMESTAMP, stamp(r.timestamp));
  if (r.equipmentId != null) add(O.EQUIPMENT_ID, hexText(r.equipmentId));
  const e = r.energy;
  if (e) {
    const kwh = (code: string, v: number | null) => v !== null && add(code, `${fixed(v, 6, 3)}*kWh`);
    if (e.importT1Kwh === null && e.importT2Kwh === null) kwh(O.ENERGY_IMPORT, e.importKwh);
    if (e.exportT1Kwh === null && e.exportT2Kwh === null) kwh(O.ENERGY_EXPORT, e.exportKwh);
    kwh(O.ENERGY_IMPORT_T1, e.importT1Kwh);
    kwh(O.ENERGY_IMPORT_T2, e.importT2Kwh);
    kwh(O.ENERGY_EXPORT_T1, e.exportT1Kwh);
    kwh(O.ENERGY_EXPORT_T2, e.exportT2Kwh);
  }
  if (r.tariff != null) add(O.TARIFF, int(r.tariff, 4));
  const c = r.capacity;
  if (c) {
    if (c.quarterAverageKw !== null) add(O.QUARTER_AVERAGE, `${fixed(c.quarterAverageKw, 2, 3)}*kW`);
    if (c.monthPeakKw !== null) add(O.MONTH_PEAK, stamp(c.monthPeakAt), `${fixed(c.monthPeakKw, 2, 3)}*kW`);
    if (c.history.length > 0) {
      const groups = [String(c.history.length), O.MONTH_PEAK, O.MONTH_PEAK];
      for (const h of c.history) groups.push(stamp(h.periodAt), stamp(h.peakAt), `${fixed(h.peakKw ?? 0, 2, 3)}*kW`);
      add(O.PEAK_HISTORY, ...groups);
    }
  }
  if (r.power) {
    if (r.power.importKw !== null) add(O.POWER_IMPORT, `${fixed(r.power.importKw, 2, 3)}*kW`);
    if (r.power.exportKw !== null) add(O.POWER_EXPORT, `${fixed(r.power.exportKw, 2, 3)}*kW`);
  }
  const pf = r.powerFailures;
  if (pf) {
    if (pf.count !== null) add(O.POWER_FAILURES, int(pf.count, 5));
    if (pf.longCount !== null) add(O.LONG_POWER_FAILURES, int(pf.longCount, 5));
    const log = [String(pf.log.length), O.POWER_FAILURE_EVENT];
    for (const l of pf.log) log.push(stamp(l.endedAt), `${int(l.durationS ?? 2147483647, 10)}*s`);
    add(O.POWER_FAILURE_LOG, ...log);
  }
  const ph = r.phases ?? [];
  const code = (p: number) => O.PHASES[p - 1] as (typeof O.PHASES)[number];
  for (const p of ph) if (p.importKw !== null) add(code(p.phase).powerImport, `${fixed(p.importKw, 2, 3)}*kW`);
  for (const p of ph) if (p.exportKw !== null) add(code(p.phase).powerExport, `${fixed(p.exportKw, 2, 3)}*kW`);
  for (const p of ph) if (p.voltageV !== null) add(code(p.phase).voltage, `${fixed(p.voltageV, 3, 1)}*V`);
  for (const p of ph) {
    if (p.currentA !== null)
      add(code(p.phase).current, be ? `${fixed(p.currentA, 3, 2)}*A` : `${int(p.currentA, 3)}*A`);
  }
  if (r.breakerState != null) add(O.BREAKER_STATE, String(r.breakerState));
  if (r.limiterKw != null) add(O.LIMITER_THRESHOLD, `${fixed(r.limiterKw, 3, 1)}*kW`);
  if (r.fuseSupervisionA != null) add(O.FUSE_SUPERVISION, `${int(r.fuseSupervisionA, 3)}*A`);
  if (r.message !== undefined) add(O.TEXT_MESSAGE, r.message === null ? '' : hexText(r.message));
  for (const m of r.mbus ?? []) {
    const ch = m.channel;
    if (m.deviceType !== null) add(O.mbus(ch, O.MBUS_DEVICE_TYPE), int(m.deviceType, 3));
    const id = be ? O.MBUS_EQUIPMENT_ID_BE : O.MBUS_EQUIPMENT_ID;
    add(O.mbus(ch, id), m.equipmentId === null ? '' : hexText(m.equipmentId));
    if (m.value !== null) {
      const reading = be && m.kind === 'gas' ? O.MBUS_READING_CORRECTED : O.MBUS_READING;
      add(O.mbus(ch, reading), stamp(m.at), `${fixed(m.value, 5, 3)}${m.unit ? `*${m.unit}` : ''}`);
    }
  }
  return lines;
}

/** Reading → telegram bytes with a correct CRC. `parseTelegram(encodeReading(r))` gives `r` back. */
export function encodeReading(r: EncodableReading, options: { crc?: boolean; extraLines?: string[] } = {}): Uint8Array {
  if (r.header === null) throw new RangeError('a telegram needs a header (identification line)');
  return encodeTelegram({
    header: r.header,
    lines: [...readingLines(r), ...(options.extraLines ?? [])],
    crc: options.crc,
  });
}
