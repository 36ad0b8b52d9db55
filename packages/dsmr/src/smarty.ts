/**
 * Luxembourg Smarty: the telegram travels inside a DLMS general-global-cipher APDU,
 *   0xDB | len(system title)=8 | system title | BER length | security byte 0x30 | frame counter (4) | ciphertext | tag (12)
 * encrypted with AES-128-GCM: IV = system title ‖ frame counter, AAD = security byte ‖ authentication key.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';

export const SMARTY_TAG = 0xdb;
const TAG_BYTES = 12;
/** The authentication key every Smarty meter uses unless the grid operator says otherwise. */
export const SMARTY_DEFAULT_AUTH_KEY = '00112233445566778899AABBCCDDEEFF';

export interface SmartyKeys {
  /** The 16-byte key from the grid operator, as 32 hex digits. */
  key: string;
  authKey?: string;
}

export interface SmartyHeader {
  /** Offset of the security byte. */
  bodyStart: number;
  /** Total APDU length in bytes. */
  totalLength: number;
}

/**
 * Reads the APDU header at `at`: null when more bytes are needed, 'invalid' when these bytes
 * cannot start a general-global-cipher APDU.
 */
export function readSmartyHeader(bytes: Uint8Array, at: number, end: number): SmartyHeader | null | 'invalid' {
  if (end - at < 2) return null;
  if (bytes[at] !== SMARTY_TAG || bytes[at + 1] !== 8) return 'invalid';
  const lenAt = at + 10;
  if (end <= lenAt) return null;
  const first = bytes[lenAt] as number;
  let length: number;
  let bodyStart: number;
  if (first < 0x80) {
    length = first;
    bodyStart = lenAt + 1;
  } else if (first === 0x81) {
    if (end <= lenAt + 1) return null;
    length = bytes[lenAt + 1] as number;
    bodyStart = lenAt + 2;
  } else if (first === 0x82) {
    if (end <= lenAt + 2) return null;
    length = ((bytes[lenAt + 1] as number) << 8) | (bytes[lenAt + 2] as number);
    bodyStart = lenAt + 3;
  } else return 'invalid';
  if (length < 5 + TAG_BYTES) return 'invalid';
  return { bodyStart, totalLength: bodyStart - at + length };
}

function keyBytes(hex: string, what: string): Buffer {
  const clean = hex.replace(/[\s:]/g, '');
  if (!/^[0-9A-Fa-f]{32}$/.test(clean)) throw new RangeError(`${what} must be 32 hex digits (16 bytes)`);
  return Buffer.from(clean, 'hex');
}

/** Checks a key's form up front, so a typo is reported once rather than as a failed frame each second. */
export function checkSmartyKey(hex: string): string | null {
  try {
    keyBytes(hex, 'the Smarty key');
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Decrypts one APDU; throws with a reason when the frame is not well-formed or the tag does not verify. */
export function decryptSmarty(frame: Uint8Array, keys: SmartyKeys): Uint8Array {
  const header = readSmartyHeader(frame, 0, frame.length);
  if (header === null || header === 'invalid') throw new Error('not a DLMS general-global-cipher frame');
  if (frame.length < header.totalLength) throw new Error('frame shorter than its length field');
  const body = header.bodyStart;
  if (frame[body] !== 0x30) throw new Error(`security byte 0x${(frame[body] ?? 0).toString(16)} is not 0x30`);
  const iv = Buffer.concat([Buffer.from(frame.subarray(2, 10)), Buffer.from(frame.subarray(body + 1, body + 5))]);
  const end = header.totalLength;
  const decipher = createDecipheriv('aes-128-gcm', keyBytes(keys.key, 'the Smarty key'), iv, {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(
    Buffer.concat([Buffer.from([0x30]), keyBytes(keys.authKey ?? SMARTY_DEFAULT_AUTH_KEY, 'the authentication key')]),
  );
  decipher.setAuthTag(Buffer.from(frame.subarray(end - TAG_BYTES, end)));
  const plain = decipher.update(frame.subarray(body + 5, end - TAG_BYTES));
  try {
    return Buffer.concat([plain, decipher.final()]);
  } catch {
    throw new Error('the authentication tag does not verify (wrong key?)');
  }
}

export interface SmartyFrameOptions extends SmartyKeys {
  /** 8 bytes as 16 hex digits, e.g. "SAG" + meter id. */
  systemTitle: string;
  frameCounter: number;
}

/** Encrypts a telegram into an APDU, as a Smarty meter sends it (the simulator uses this). */
export function encryptSmarty(plain: Uint8Array, options: SmartyFrameOptions): Uint8Array {
  const title = Buffer.from(options.systemTitle, 'hex');
  if (title.length !== 8) throw new RangeError('systemTitle must be 16 hex digits (8 bytes)');
  const fc = Buffer.alloc(4);
  fc.writeUInt32BE(options.frameCounter >>> 0);
  const cipher = createCipheriv('aes-128-gcm', keyBytes(options.key, 'the Smarty key'), Buffer.concat([title, fc]), {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(
    Buffer.concat([
      Buffer.from([0x30]),
      keyBytes(options.authKey ?? SMARTY_DEFAULT_AUTH_KEY, 'the authentication key'),
    ]),
  );
  const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  const length = 5 + body.length;
  const lengthBytes =
    length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, (length >> 8) & 0xff, length & 0xff];
  return Buffer.concat([Buffer.from([SMARTY_TAG, 8]), title, Buffer.from(lengthBytes), Buffer.from([0x30]), fc, body]);
}
