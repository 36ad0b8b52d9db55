/** One complete frame (bytes from '/' to '!' and the CRC digits after it) → Reading. */
import { crc16, crcHex } from './crc16';
import { expectedCodes, layoutOf } from './layout';
import { normalize } from './normalize';
import { readObisLines } from './obis-lines';
import type { ErrorCode, Reading } from './reading';

const latin1Slice = (
  Buffer.prototype as unknown as { latin1Slice(this: Uint8Array, start: number, end: number): string }
).latin1Slice;

/** The frame's bytes as text, one char per byte (latin1Slice reads them in place: no Buffer wrapper). */
export function frameText(bytes: Uint8Array, end: number): string {
  return latin1Slice.call(bytes, 0, end);
}

export function rejected(
  code: ErrorCode,
  message: string,
  header: string | null = null,
  obis: Record<string, string[]> = {},
): Reading {
  return {
    ok: false,
    error: { code, message },
    crc: code === 'crc_mismatch' ? 'invalid' : 'absent',
    header,
    protocol: 'other',
    version: null,
    timestamp: null,
    equipmentId: null,
    tariff: null,
    energy: {
      importT1Kwh: null,
      importT2Kwh: null,
      exportT1Kwh: null,
      exportT2Kwh: null,
      importKwh: null,
      exportKwh: null,
    },
    power: { importKw: null, exportKw: null },
    phases: [],
    capacity: null,
    limiterKw: null,
    breakerState: null,
    fuseSupervisionA: null,
    message: null,
    powerFailures: null,
    mbus: [],
    obis,
  };
}

function headerOf(text: string): { header: string; bodyStart: number; ended: boolean } {
  let eol = text.indexOf('\n');
  const ended = eol >= 0;
  if (eol < 0) eol = text.length;
  const end = eol > 0 && text.charCodeAt(eol - 1) === 0x0d ? eol - 1 : eol;
  return { header: text.slice(1, end), bodyStart: Math.min(eol + 1, text.length), ended };
}

/** `XXXZ…`: maker, baud character and identification, all printable ASCII. */
function isIdentification(header: string): boolean {
  if (header.length < 4) return false;
  for (let i = 0; i < header.length; i++) {
    const c = header.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

export interface FrameOptions {
  /** The frame came out of a Smarty APDU whose tag verified: the inner CRC is reported, not used to reject. */
  smarty?: boolean;
}

/**
 * Parses `bytes[0, bang]` (bytes[0] = '/', bytes[bang] = '!') with `crcDigits` (0–4 hex digits
 * that followed the '!'). Rejected frames keep `header` and the raw `obis` for diagnosis only:
 * no normalized value of a rejected frame reaches the balancer.
 */
export function parseFrame(
  bytes: Uint8Array,
  bang: number,
  crcDigits: string,
  options: FrameOptions = {},
  text: string = frameText(bytes, bang),
): Reading {
  const { header, bodyStart, ended } = headerOf(text);
  const { codes, values, badLines } = readObisLines(text, bodyStart, bang, expectedCodes());
  const layout = layoutOf(codes);

  let crc: Reading['crc'] = 'absent';
  let crcError: string | null = null;
  if (crcDigits.length > 0) {
    const computed = crc16(bytes, 0, bang + 1);
    if (crcDigits.length >= 3 && Number.parseInt(crcDigits, 16) === computed) crc = 'valid';
    else {
      crc = 'invalid';
      crcError = `CRC mismatch: the telegram says ${crcDigits.toUpperCase()}, its bytes give ${crcHex(computed)}`;
    }
  }
  if (crcError && !options.smarty) {
    const r = rejected('crc_mismatch', crcError, header, layout.build(values));
    r.crc = 'invalid';
    return r;
  }
  if (crc === 'absent' && (!ended || !isIdentification(header))) {
    // Nothing vouches for a frame without a CRC but its grammar: '/', binary and '!' is not a telegram.
    return rejected('malformed', 'no identification line (no CRC to trust the telegram)', header);
  }
  if (crc === 'absent' && codes.length === 0) {
    return rejected('malformed', 'no OBIS line (no CRC to trust the telegram)', header);
  }
  if (crc === 'absent' && badLines.length > 0) {
    // Without a CRC, a line that is not OBIS grammar is the only sign of a garbled telegram.
    return rejected(
      'malformed',
      `line ${badLines[0]} is not an OBIS line (no CRC to trust the telegram)`,
      header,
      layout.build(values),
    );
  }
  const n = normalize(header, layout.fields, values, options.smarty === true);
  return {
    ok: true,
    error: null,
    crc,
    header,
    protocol: n.protocol,
    version: n.version,
    timestamp: n.timestamp,
    equipmentId: n.equipmentId,
    tariff: n.tariff,
    energy: n.energy,
    power: n.power,
    phases: n.phases,
    capacity: n.capacity,
    limiterKw: n.limiterKw,
    breakerState: n.breakerState,
    fuseSupervisionA: n.fuseSupervisionA,
    message: n.message,
    powerFailures: n.powerFailures,
    mbus: n.mbus,
    obis: layout.build(values),
  };
}
