import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  crc16,
  createTelegramStream,
  encodeTelegram,
  type Frame,
  OBIS,
  parseTelegram,
  TelegramFramer,
} from '../src/index';
import { fixture, fixtureNames, SMARTY_FIXTURE_KEY } from './fixtures';

const summary = (frames: Frame[]) => frames.map((f) => ({ ...f.reading, raw: Buffer.from(f.raw).toString('latin1') }));

function frameAll(chunks: Uint8Array[], options = {}): Frame[] {
  const framer = new TelegramFramer(options);
  const out: Frame[] = [];
  for (const c of chunks) out.push(...framer.push(c));
  out.push(...framer.end());
  return out;
}

/** Telegrams that parse ok on their own (single frames, not the encrypted one). */
const VALID = fixtureNames()
  .filter((n) => !n.includes('stream-') && !n.includes('encrypted'))
  .map(fixture)
  .filter((b) => parseTelegram(b).ok);

function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  return out;
}

describe('streaming framer', () => {
  it('has valid fixtures to stream', () => {
    expect(VALID.length).toBeGreaterThan(25);
  });

  it('any chunking of a stream of telegrams and noise yields the same frames', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(VALID.length - 1), fc.uint8Array({ maxLength: 40 })), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (parts, cuts) => {
          const stream = Buffer.concat(parts.flatMap(([i, noise]) => [Buffer.from(noise), VALID[i] as Buffer]));
          const whole = frameAll([stream]);
          expect(summary(frameAll(splitAt(stream, cuts)))).toEqual(summary(whole));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('every telegram of a noise-separated stream comes out ok when the noise holds no header', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(VALID.length - 1), fc.uint8Array({ maxLength: 40 })), { minLength: 1, maxLength: 6 }),
        (parts) => {
          // Noise without '/', '!' or the Smarty tag cannot start or end a frame.
          const clean = (n: Uint8Array) => Buffer.from(n.filter((b) => b !== 0x2f && b !== 0x21));
          const stream = Buffer.concat(parts.flatMap(([i, noise]) => [clean(noise), VALID[i] as Buffer]));
          const frames = frameAll([stream]);
          expect(frames.map((f) => f.reading.ok)).toEqual(parts.map(() => true));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('byte one at a time gives the same as all at once (stream excerpt)', () => {
    const bytes = fixture('other/stream-iskra-am550-raw-excerpt.txt');
    const single = [...bytes].map((b) => Uint8Array.of(b));
    expect(summary(frameAll(single))).toEqual(summary(frameAll([bytes])));
  });

  it('random byte mutations never throw, and never yield ok with a CRC that does not match', () => {
    const withCrc = VALID.filter((b) => parseTelegram(b).crc === 'valid');
    fc.assert(
      fc.property(
        fc.nat(withCrc.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete')), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (which, mutations, cuts) => {
          const bytes = [...(withCrc[which] as Buffer)];
          for (const [pos, value, op] of mutations) {
            const at = pos % (bytes.length + 1);
            if (op === 'set' && at < bytes.length) bytes[at] = value;
            else if (op === 'insert') bytes.splice(at, 0, value);
            else bytes.splice(at, 1);
          }
          const frames = frameAll(splitAt(Buffer.from(bytes), cuts));
          for (const f of frames) {
            if (!f.reading.ok || f.reading.crc !== 'valid') continue;
            const raw = Buffer.from(f.raw);
            const bang = raw.lastIndexOf(0x21);
            expect(Number.parseInt(raw.subarray(bang + 1).toString('latin1'), 16)).toBe(crc16(raw, 0, bang + 1));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('a mutated byte inside a CRC-protected telegram is always caught', () => {
    const base = VALID.find((b) => parseTelegram(b).crc === 'valid') as Buffer;
    const bang = base.indexOf(0x21);
    // unmutated, the whole telegram is one valid frame: the check below can fail
    expect(frameAll([base]).map((f) => [f.reading.crc, f.raw.length])).toEqual([['valid', base.length]]);
    fc.assert(
      fc.property(fc.integer({ min: 6, max: bang - 1 }), fc.integer({ min: 1, max: 255 }), (pos, delta) => {
        const bytes = Buffer.from(base);
        bytes[pos] = ((bytes[pos] as number) + delta) & 0xff;
        // CRC-16 detects every single-byte error; a '!' or '/' written in may also end or split the frame.
        const frames = frameAll([bytes]);
        expect(frames.some((f) => f.reading.ok && f.reading.crc === 'valid' && f.raw.length === bytes.length)).toBe(
          false,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('raw is the telegram as sent, from / through the CR LF after the CRC line, in any chunking', () => {
    // The telegram of a fixture, cut where a reader written to the standard cuts it.
    const sent = (b: Buffer): Buffer | null => {
      const start = b.indexOf(0x2f);
      const bang = b.indexOf(0x21, start);
      const lf = b.indexOf(0x0a, bang);
      const tail = b.subarray(bang + 1, lf + 1).toString('latin1');
      return start >= 0 && lf > bang && /^[0-9A-F]{0,4}\r\n$/.test(tail) ? b.subarray(start, lf + 1) : null;
    };
    const telegrams = VALID.map(sent).filter((t): t is Buffer => t !== null);
    expect(telegrams.length).toBeGreaterThan(25);
    expect(telegrams.some((t) => t.subarray(-3).toString('latin1') === '!\r\n')).toBe(true); // DSMR 2.2
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(telegrams.length - 1), fc.uint8Array({ maxLength: 40 })), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (parts, cuts) => {
          const clean = (n: Uint8Array) => Buffer.from(n.filter((b) => b !== 0x2f && b !== 0x21));
          const stream = Buffer.concat(parts.flatMap(([i, noise]) => [clean(noise), telegrams[i] as Buffer]));
          const raws = frameAll(splitAt(stream, cuts)).map((f) => Buffer.from(f.raw).toString('latin1'));
          expect(raws).toEqual(parts.map(([i]) => (telegrams[i] as Buffer).toString('latin1')));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a frame is complete with the LF of its CRC line, a NUL before the CR included', () => {
    const t = Buffer.from(encodeTelegram({ header: 'ISK5\\2M550T-1012', lines: [`${OBIS.TARIFF}(0001)`] }));
    const framer = new TelegramFramer();
    expect(framer.push(t.subarray(0, t.length - 1))).toEqual([]); // waits for the LF
    const [frame] = framer.push(t.subarray(t.length - 1));
    expect(frame?.reading.crc).toBe('valid');
    expect(Buffer.from(frame?.raw ?? []).equals(t)).toBe(true);

    const withNul = Buffer.concat([t.subarray(0, t.length - 2), Buffer.from('\0\r\n', 'latin1')]);
    const frames = frameAll([withNul, t]);
    expect(frames.map((f) => f.reading.crc)).toEqual(['valid', 'valid']);
    expect(Buffer.from(frames[0]?.raw ?? []).equals(withNul)).toBe(true);
    expect(Buffer.from(frames[1]?.raw ?? []).equals(t)).toBe(true);
  });

  it('oversize frames are dropped with a bounded buffer and the next telegram still reads', () => {
    const big = Buffer.from(
      `/ISK5\\2M550T-1012\r\n\r\n${'1-0:99.99.0(0000000000)\r\n'.repeat(2000)}!0000\r\n`,
      'latin1',
    );
    const next = VALID[0] as Buffer;
    const frames = frameAll([big, next]);
    expect(frames.map((f) => f.reading.error?.code ?? 'ok')).toEqual(['oversize', 'ok']);
    expect(frames[0]?.reading.error?.message).toContain('8192');
  });

  it('a megabyte without an end marker yields oversize frames, never an unbounded buffer', () => {
    const framer = new TelegramFramer();
    let frames = 0;
    const line = Buffer.from('/ABC5 x\r\n'.padEnd(64 * 1024, 'x'), 'latin1');
    for (let i = 0; i < 16; i++) frames += framer.push(line).length;
    // One oversize report per would-be telegram; the rest is skipped as noise, never buffered.
    expect(frames).toBe(16);
    expect(framer.end()).toEqual([]);
  });

  it("'/' followed by something that is not an identification line is noise", () => {
    const t = VALID[0] as Buffer;
    const frames = frameAll([Buffer.from('// /1 /a- \r\n'), t]);
    expect(frames.map((f) => f.reading.ok)).toEqual([true]);
  });

  it('a telegram ending without a line ending is completed at the end of input', () => {
    const t = encodeTelegram({ header: 'ISK5\\2M550T-1012', lines: [`${OBIS.TARIFF}(0001)`] });
    const noEol = Buffer.from(t).subarray(0, t.length - 2);
    expect(frameAll([noEol]).map((f) => f.reading.ok)).toEqual([true]);
  });

  it('CRC of 1 or 2 digits is a mismatch, not a pass', () => {
    const t = Buffer.from(encodeTelegram({ header: 'ISK5\\2M550T-1012', lines: [`${OBIS.TARIFF}(0001)`] })).toString(
      'latin1',
    );
    const short = t.replace(/!([0-9A-F]{4})/, (_m, crc: string) => `!${crc.slice(2)}`);
    expect(parseTelegram(short).error?.code).toBe('crc_mismatch');
  });

  it('Smarty frames are found in a noisy stream, byte by byte', () => {
    const apdu = fixture('lu-smarty/smarty-lux5-encrypted-frame-2018-01.txt');
    const stream = Buffer.concat([Buffer.from([0x00, 0x7e, 0x42]), apdu, Buffer.from([0x13]), apdu]);
    const frames = frameAll(
      [...stream].map((b) => Uint8Array.of(b)),
      { smartyKey: SMARTY_FIXTURE_KEY },
    );
    expect(frames.map((f) => f.reading.ok && f.reading.protocol)).toEqual(['smarty', 'smarty']);
    expect(Buffer.from(frames[0]?.raw ?? []).equals(apdu)).toBe(true);
  });

  it('a Smarty frame without a key, or with a malformed key, is reported, not thrown', () => {
    const apdu = fixture('lu-smarty/smarty-lux5-encrypted-frame-2018-01.txt');
    expect(parseTelegram(apdu).error?.code).toBe('decrypt_failed');
    expect(parseTelegram(apdu, { smartyKey: 'nope' }).error?.message).toContain('32 hex digits');
    expect(() => new TelegramFramer({ smartyKey: 'nope' })).toThrow(/32 hex digits/);
  });

  it('input without any telegram is malformed', () => {
    expect(parseTelegram('hello').error?.code).toBe('malformed');
    expect(parseTelegram('').error?.code).toBe('malformed');
  });

  it('a CRC-less telegram with a garbled line is malformed, naming the line', () => {
    const r = parseTelegram('/KMP5 ZABF001587315111\r\n\r\n1-0:1.8.1(00185.000*kWh)\r\n1-0:1.8.2(0008\r\n!\r\n');
    expect(r.error).toEqual({ code: 'malformed', message: expect.stringContaining('line 4') });
  });

  it('works as a Node stream', async () => {
    const bytes = fixture('other/stream-iskra-am550-raw-excerpt.txt');
    const frames: Frame[] = [];
    for await (const f of Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]).pipe(createTelegramStream())) {
      frames.push(f as Frame);
    }
    expect(frames.map((f) => f.reading.ok)).toEqual([true, true, true, false]);
  });
});
