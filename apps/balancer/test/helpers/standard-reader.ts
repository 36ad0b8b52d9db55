/**
 * A P1 reader written to the rules of the Python `dsmr_parser` package that Home Assistant's DSMR
 * integration runs (clients/telegram_buffer.py, clients/protocol.py, parsers.py), not to ours, so a
 * test can tell whether what we serve is what such a reader accepts:
 *
 * - the buffer keeps every byte as latin-1 text and takes out each non-overlapping match of
 *   `/` + one or more non-`/` characters (as few as possible) + `!` + 0–4 of `[A-F0-9]` + an optional
 *   NUL + CR LF, dropping whatever came before it; a telegram without that CR LF is never taken;
 * - a taken telegram must be 7-bit ASCII (the protocol re-decodes it as ASCII and fails otherwise);
 * - with a checksum-carrying specification (DSMR 4/5, Fluvius, Smarty), the CRC-16 (polynomial
 *   0xA001, initial 0) of the text from the first `/` to the last `!` must equal the first four
 *   `[0-9A-Z]` characters after a `!`, read as hex; else the telegram is dropped;
 * - an object is a line matching `^<d>-<d>:<code>.+?\r\n` (multi-line); its values are the `(…)`
 *   groups of `[0-9a-zA-Z.*-:]` characters; a one-value object needs exactly one group; a value
 *   `12.5*kW` splits into the number and the unit at `*`.
 */

const FIND_TELEGRAMS = /\/[^/]+?![A-F0-9]{0,4}\0?\r\n/g;
const VALUE_GROUPS = /(?<=\()[0-9a-zA-Z.*\-:]*(?=\))/g;

export class StandardTelegramBuffer {
  private text = '';

  append(bytes: Uint8Array): void {
    this.text += Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  }

  /** The complete telegrams in the buffer, removed from it together with what came before each. */
  takeAll(): string[] {
    const found = [...this.text.matchAll(FIND_TELEGRAMS)].map((m) => m[0]);
    for (const telegram of found) this.text = this.text.slice(this.text.indexOf(telegram) + telegram.length);
    return found;
  }

  /** `append` then `takeAll`: the telegrams a fresh reader finds in these bytes. */
  takeAllOf(bytes: Uint8Array): string[] {
    this.append(bytes);
    return this.takeAll();
  }

  /** What waits for the rest of a telegram (or is noise). */
  get pending(): string {
    return this.text;
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  return c;
});

function crc16(text: string): number {
  let crc = 0;
  for (let i = 0; i < text.length; i++) crc = (crc >>> 8) ^ (CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] as number);
  return crc;
}

export interface CosemValue {
  value: number;
  unit: string | null;
}

export type StandardParse = { ok: true; objects: Map<string, CosemValue> } | { ok: false; error: string };

/** The one-value numeric objects a test looks at, as `<group>.<group>.<group>` OBIS codes. */
export const NUMERIC_OBJECTS = ['1.8.1', '1.8.2', '2.8.1', '2.8.2', '1.7.0', '2.7.0', '31.7.0', '32.7.0'];

/** `dsmr_parser`'s TelegramParser.parse for one taken telegram; `checksum` as the specification says. */
export function parseLikeDsmrParser(telegram: string, checksum: boolean): StandardParse {
  if (!/^[\x00-\x7f]*$/.test(telegram)) return { ok: false, error: 'not 7-bit ASCII' };
  if (checksum) {
    const contents = /\/.+!/s.exec(telegram)?.[0];
    const given = /(?<=!)[0-9A-Z]{4}/.exec(telegram)?.[0];
    if (contents === undefined || given === undefined) return { ok: false, error: 'incomplete: no checksum' };
    const expected = Number.parseInt(given, 16);
    if (!/^[0-9A-F]{4}$/.test(given) || crc16(contents) !== expected) {
      return { ok: false, error: `invalid checksum ${given}` };
    }
  }
  const objects = new Map<string, CosemValue>();
  for (const code of NUMERIC_OBJECTS) {
    const line = new RegExp(`^\\d-\\d:${code.replaceAll('.', '\\.')}.+?\\r\\n`, 'm').exec(telegram)?.[0];
    if (line === undefined) continue;
    const values = line.match(VALUE_GROUPS) ?? [];
    if (values.length !== 1) return { ok: false, error: `${code}: ${values.length} value groups` };
    const [number, unit] = (values[0] as string).split('*');
    const value = Number(number);
    if (number === '' || !Number.isFinite(value)) return { ok: false, error: `${code}: not a decimal` };
    objects.set(code, { value, unit: unit ?? null });
  }
  return { ok: true, objects };
}
