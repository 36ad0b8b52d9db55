/**
 * The streaming framer: byte chunks in any split → frames → readings. Skips noise between frames,
 * resynchronises on a '/' that starts an identification line even in the middle of a line, yet
 * keeps a frame whose CRC proves that such a '/' was only text. Memory is bounded: one buffer of
 * `maxFrameBytes`, reused for every frame. A frame ends with the line ending after its CRC line, so
 * that `raw` is the telegram as the meter sent it and other readers can be served it unchanged.
 */
import { frameText, parseFrame, rejected } from './parse-frame';
import type { Reading } from './reading';
import { checkSmartyKey, decryptSmarty, readSmartyHeader, SMARTY_TAG } from './smarty';

export interface FramerOptions {
  /** Frames longer than this are reported as `oversize` and dropped (default 8192). */
  maxFrameBytes?: number;
  /** Luxembourg Smarty key (32 hex digits): DLMS-encrypted frames are decrypted before parsing. */
  smartyKey?: string;
  /** Smarty authentication key, when the grid operator uses another than the default. */
  smartyAuthKey?: string;
}

export interface Frame {
  readonly reading: Reading;
  /**
   * The frame's bytes as received: '/' through the CR LF that ends the CRC line (`!XXXX\r\n`, or
   * `!\r\n` without CRC; a NUL some meters put before the CR included), or the whole encrypted APDU.
   * A frame cut off before its line ending (end of input, next telegram) keeps what there was.
   */
  readonly raw: Uint8Array;
}

/** A parsed frame keeps the text it was parsed from; its bytes are made again only when asked for. */
class ParsedFrame implements Frame {
  private bytes: Uint8Array | null = null;
  constructor(
    readonly reading: Reading,
    private readonly text: string,
  ) {}

  get raw(): Uint8Array {
    this.bytes ??= Buffer.from(this.text, 'latin1');
    return this.bytes;
  }
}

const SLASH = 0x2f;
const BANG = 0x21;
const NUL = 0x00;
const CR = 0x0d;
const LF = 0x0a;

const HUNT = 0;
const FRAME = 1;
const TAIL = 2;
const SMARTY = 3;

/** Where TAIL is in `!XXXX[NUL]\r\n`: the CRC digits, past a NUL, past the CR. */
const DIGITS = 0;
const AFTER_NUL = 1;
const AFTER_CR = 2;

function isLetter(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
}

/** An identification line starts `/XXXZ`: three letters (maker) and one printable character. */
function looksLikeHeader(buf: Uint8Array, at: number, len: number): boolean {
  if (at + 5 > len) return false;
  const z = buf[at + 4] as number;
  return isLetter(buf[at + 1]) && isLetter(buf[at + 2]) && isLetter(buf[at + 3]) && z > 0x20 && z < 0x7f;
}

function hexValue(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

export class TelegramFramer {
  private readonly max: number;
  private readonly smartyKey: string | undefined;
  private readonly smartyAuthKey: string | undefined;
  private readonly buf: Buffer;
  private len = 0;
  private state = HUNT;
  private headerChecked = false;
  private bang = -1;
  private crc = '';
  private tail = DIGITS;
  /** Positions of '/' inside the current frame: possible starts of a telegram that cut it off. */
  private readonly slashes: number[] = [];
  private smartyLength = -1;

  constructor(options: FramerOptions = {}) {
    this.max = options.maxFrameBytes ?? 8192;
    this.smartyKey = options.smartyKey;
    this.smartyAuthKey = options.smartyAuthKey;
    if (this.smartyKey !== undefined) {
      const problem = checkSmartyKey(this.smartyKey);
      if (problem) throw new RangeError(problem);
    }
    this.buf = Buffer.allocUnsafe(this.max + 8);
  }

  /** Feeds bytes; returns the frames they complete, in stream order. Never throws for bad input. */
  push(chunk: Uint8Array): Frame[] {
    const out: Frame[] = [];
    this.feed(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength), out);
    return out;
  }

  /** End of input: a frame in progress is reported as truncated (or completed, if only its CRC line was open). */
  end(): Frame[] {
    const out: Frame[] = [];
    if (this.state === TAIL) this.finish(out);
    else if (this.state === FRAME) {
      if (!this.headerChecked && !looksLikeHeader(this.buf, 0, this.len)) this.reset();
      else this.emitCut('by the end of the input', out);
    } else if (this.state === SMARTY && this.len > 0) {
      out.push({
        reading: rejected('truncated', 'encrypted frame cut off by the end of the input'),
        raw: this.copy(0, this.len),
      });
    }
    this.reset();
    return out;
  }

  private reset(): void {
    this.state = HUNT;
    this.len = 0;
    this.bang = -1;
    this.crc = '';
    this.tail = DIGITS;
    this.headerChecked = false;
    this.slashes.length = 0;
    this.smartyLength = -1;
  }

  /** A copy of buf[from, to) for Frame.raw (from Node's buffer pool: cheap for telegram sizes). */
  private copy(from: number, to: number): Uint8Array {
    const out = Buffer.allocUnsafe(to - from);
    this.buf.copy(out, 0, from, to);
    return out;
  }

  private feed(chunk: Buffer, out: Frame[]): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case HUNT: {
          const slash = chunk.indexOf(SLASH, i);
          const tag = this.smartyKey !== undefined ? chunk.indexOf(SMARTY_TAG, i) : -1;
          if (tag >= 0 && (slash < 0 || tag < slash)) {
            this.state = SMARTY;
            this.buf[0] = SMARTY_TAG;
            this.len = 1;
            i = tag + 1;
          } else if (slash >= 0) {
            this.state = FRAME;
            this.buf[0] = SLASH;
            this.len = 1;
            this.headerChecked = false;
            i = slash + 1;
          } else i = n;
          break;
        }
        case FRAME: {
          let stop = chunk.indexOf(BANG, i);
          if (stop < 0) stop = n;
          const want = stop - i;
          const take = Math.min(want, this.max - this.len);
          chunk.copy(this.buf, this.len, i, i + take);
          for (let s = chunk.indexOf(SLASH, i); s >= 0 && s < i + take; s = chunk.indexOf(SLASH, s + 1)) {
            this.slashes.push(this.len + (s - i));
          }
          this.len += take;
          i += take;
          if (!this.headerChecked && this.len >= 5 && !this.checkHeader(out)) break;
          if (take < want) this.overflow(out);
          else if (i < n) {
            // chunk[i] is the '!' that ends the data lines.
            if (!this.headerChecked && !this.checkHeader(out)) break;
            this.buf[this.len] = BANG;
            this.bang = this.len++;
            i++;
            this.state = TAIL;
          }
          break;
        }
        case TAIL: {
          // '!', then up to 4 CRC digits, an optional NUL, CR, LF: the frame ends with its LF.
          const c = chunk[i] as number;
          const tail = this.tail;
          if (tail === DIGITS && this.crc.length < 4 && hexValue(c)) this.crc += String.fromCharCode(c);
          else if (tail === DIGITS && c === NUL) this.tail = AFTER_NUL;
          else if (tail !== AFTER_CR && c === CR) this.tail = AFTER_CR;
          else if (c !== LF) {
            this.finish(out); // this byte is not part of the frame: look at it again in HUNT
            break;
          }
          this.buf[this.len++] = c;
          i++;
          if (c === LF) this.finish(out);
          break;
        }
        case SMARTY: {
          if (this.smartyLength < 0) {
            this.buf[this.len++] = chunk[i++] as number;
            const h = readSmartyHeader(this.buf, 0, this.len);
            if (h === 'invalid') this.refeed(1, out);
            else if (h !== null) {
              if (h.totalLength > this.max) {
                out.push({
                  reading: rejected('oversize', `encrypted frame of ${h.totalLength} bytes exceeds ${this.max}`),
                  raw: new Uint8Array(0),
                });
                this.reset();
              } else this.smartyLength = h.totalLength;
            }
          } else {
            const take = Math.min(n - i, this.smartyLength - this.len);
            chunk.copy(this.buf, this.len, i, i + take);
            this.len += take;
            i += take;
          }
          if (this.state === SMARTY && this.len === this.smartyLength) this.finishSmarty(out);
          break;
        }
      }
    }
  }

  /** The bytes after '/' do not start an identification line: it was noise; look again after it. */
  private checkHeader(out: Frame[]): boolean {
    if (looksLikeHeader(this.buf, 0, this.len)) {
      this.headerChecked = true;
      return true;
    }
    this.refeed(1, out);
    return false;
  }

  private refeed(from: number, out: Frame[]): void {
    const rest = Buffer.from(this.copy(from, this.len));
    this.reset();
    this.feed(rest, out);
  }

  private firstHeaderSlash(after: number, before: number): number {
    for (const p of this.slashes) if (p > after && p < before && looksLikeHeader(this.buf, p, this.len)) return p;
    return -1;
  }

  /** The frame reached the size limit: a telegram that started inside it cut it off, or it is oversize. */
  private overflow(out: Frame[]): void {
    const p = this.firstHeaderSlash(0, this.len);
    if (p > 0) {
      out.push(this.cutFrame(p, 'by the start of the next one'));
      this.shift(p);
    } else {
      out.push({
        reading: rejected(
          'oversize',
          `telegram exceeds ${this.max} bytes without an end ('!'); dropped`,
          this.headerText(this.len),
        ),
        raw: new Uint8Array(0),
      });
      this.reset();
    }
  }

  private shift(p: number): void {
    this.buf.copy(this.buf, 0, p, this.len);
    this.len -= p;
    let k = 0;
    for (const s of this.slashes) if (s > p) this.slashes[k++] = s - p;
    this.slashes.length = k;
    this.headerChecked = true;
  }

  private headerText(len: number): string | null {
    const eol = this.buf.indexOf(0x0a);
    const end = eol < 0 || eol > len ? Math.min(len, 80) : eol;
    return this.buf.toString('latin1', 1, end).replace(/\r$/, '');
  }

  private cutFrame(end: number, why: string): Frame {
    return {
      reading: rejected('truncated', `telegram cut off after ${end} bytes ${why}`, this.headerText(end)),
      raw: this.copy(0, end),
    };
  }

  /** The input ended inside a frame: report it, and every telegram that started inside it, as truncated. */
  private emitCut(why: string, out: Frame[]): void {
    for (let p = this.firstHeaderSlash(0, this.len); p > 0; p = this.firstHeaderSlash(0, this.len)) {
      out.push(this.cutFrame(p, 'by the start of the next one'));
      this.shift(p);
    }
    out.push(this.cutFrame(this.len, why));
  }

  /** '!' and its CRC digits are in: parse. If the frame fails and a header starts inside it, split there. */
  private finish(out: Frame[]): void {
    const text = frameText(this.buf, this.len);
    const reading = parseFrame(this.buf, this.bang, this.crc, {}, text);
    if (!reading.ok) {
      const p = this.firstHeaderSlash(0, this.bang);
      if (p > 0) {
        out.push(this.cutFrame(p, 'by the start of the next one'));
        this.shift(p);
        this.bang -= p;
        this.finish(out);
        return;
      }
    }
    out.push(new ParsedFrame(reading, text));
    this.reset();
  }

  private finishSmarty(out: Frame[]): void {
    const raw = this.copy(0, this.len);
    this.reset();
    let plain: Uint8Array;
    try {
      plain = decryptSmarty(raw, { key: this.smartyKey as string, authKey: this.smartyAuthKey });
    } catch (e) {
      out.push({ reading: rejected('decrypt_failed', `Smarty frame: ${(e as Error).message}`), raw });
      return;
    }
    const start = Buffer.from(plain).indexOf(SLASH);
    const bang = start < 0 ? -1 : Buffer.from(plain).indexOf(BANG, start);
    if (start < 0 || bang < 0) {
      out.push({ reading: rejected('malformed', 'the decrypted Smarty frame holds no telegram'), raw });
      return;
    }
    let crc = '';
    for (let k = bang + 1; k < plain.length && crc.length < 4 && hexValue(plain[k] as number); k++) {
      crc += String.fromCharCode(plain[k] as number);
    }
    out.push({ reading: parseFrame(plain.subarray(start), bang - start, crc, { smarty: true }), raw });
  }
}
