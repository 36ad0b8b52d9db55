/**
 * A frame without a CRC has only its grammar to vouch for it: it is accepted only with a printable
 * identification line and at least one well-formed OBIS line. Binary noise between a '/' and a '!'
 * (3 of 21 frames of /bin/ls came back ok before) must not read as a telegram.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Frame, parseTelegram, TelegramFramer } from '../src/index';
import { fixture, fixtureNames } from './fixtures';

function framesOf(bytes: Uint8Array): Frame[] {
  const framer = new TelegramFramer();
  return [...framer.push(bytes), ...framer.end()];
}

/** Independent of the parser: the first line is `/` and printable ASCII, and some line is `A-B:C.D.E(…)`. */
function hasHeaderAndObisLine(raw: Uint8Array): boolean {
  const text = Buffer.from(raw).toString('latin1');
  const lines = text.split(/\r?\n/);
  const header = /^\/[\x20-\x7e]{4,}$/.test(lines[0] ?? '') && lines.length > 1;
  const obis = lines.slice(1).some((l) => /^\d+-\d+:\d+\.\d+\.\d+(\*\d+)?(\([^()\r\n]*\))+$/.test(l));
  return header && obis;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');

describe('frames without a CRC', () => {
  it("'/', 'lib6' (a header's start), four binary bytes and '!' are not a telegram", () => {
    const r = parseTelegram(Buffer.from([0x2f, 0x6c, 0x69, 0x62, 0x36, 0x00, 0xff, 0x06, 0x9c, 0x21, 0x0d, 0x0a]));
    expect(r.ok).toBe(false);
    expect(r.error?.message).toBe('no identification line (no CRC to trust the telegram)');
  });

  it('an identification line with no OBIS line is not a telegram', () => {
    const r = parseTelegram(ascii('/KFM5KAIFA-METER\r\n\r\n!\r\n'));
    expect(r.ok).toBe(false);
    expect(r.error?.message).toBe('no OBIS line (no CRC to trust the telegram)');
  });

  it('a header that never ends its line is not an identification line', () => {
    expect(parseTelegram(ascii('/ABC5 1-0:1.8.1(000001.000*kWh)!\r\n')).ok).toBe(false);
  });

  it('a line with a colon but no A-B:C.D.E fields is not an OBIS line', () => {
    // found by the property below: ':()' passed as the code ':' with one empty group
    for (const line of [':()', '1-0:()', '1-0:1.8(1)', '-0:1.8.1(1)', '1-0:1..1(1)', '1-0:1.8.1*(1)']) {
      const r = parseTelegram(ascii(`/XMX5LGBBFG1012345678\r\n\r\n${line}\r\n!\r\n`));
      expect(r.ok, line).toBe(false);
    }
    expect(parseTelegram(ascii('/XMX5LGBBFG1012345678\r\n\r\n1-0:1.8.1*255(000001.000*kWh)\r\n!\r\n')).ok).toBe(true);
  });

  it('identification line and one OBIS line: accepted, with the value read', () => {
    const r = parseTelegram(ascii('/ISk5\\2MT382-1004\r\n\r\n1-0:1.8.1(00123.456*kWh)\r\n!\r\n'));
    expect(r).toMatchObject({ ok: true, crc: 'absent', header: 'ISk5\\2MT382-1004' });
    expect(r.energy.importT1Kwh).toBe(123.456);
  });

  it('an empty input says so', () => {
    expect(parseTelegram(new Uint8Array(0)).error?.message).toBe('empty input: no telegram to parse');
  });

  // Bytes that make frames likely: '/', '!', line ends, OBIS punctuation, digits, letters, binary.
  const byte = fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: 0, max: 255 }) },
    { weight: 3, arbitrary: fc.constantFrom(...ascii('/!\r\n()-:.*').values()) },
    { weight: 2, arbitrary: fc.integer({ min: 0x30, max: 0x39 }) },
    { weight: 2, arbitrary: fc.integer({ min: 0x41, max: 0x5a }) },
  );

  // The framer starts a frame only at '/' and three letters: put such starts among the random bytes.
  const start = fc
    .tuple(fc.stringMatching(/^[A-Za-z]{3}$/), fc.integer({ min: 0, max: 255 }))
    .map(([maker, z]) => [0x2f, ...ascii(maker).values(), z]);
  const noise = fc.array(fc.oneof({ weight: 12, arbitrary: byte.map((b) => [b]) }, { weight: 1, arbitrary: start }), {
    maxLength: 400,
  });

  it('no random frame without a CRC is accepted unless it has a header and a well-formed OBIS line', () => {
    let frames = 0;
    fc.assert(
      fc.property(noise, (pieces) => {
        for (const f of framesOf(Uint8Array.from(pieces.flat()))) {
          frames++;
          if (f.reading.ok && f.reading.crc === 'absent') expect(hasHeaderAndObisLine(f.raw)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
    expect(frames).toBeGreaterThan(200); // the generator does produce frames to judge
  });

  const obisLine = fc
    .tuple(
      fc.nat(9),
      fc.nat(9),
      fc.nat(99),
      fc.nat(9),
      fc.nat(9),
      fc.array(fc.stringMatching(/^[0-9.*A-Za-z]{0,12}$/), { minLength: 1, maxLength: 3 }),
    )
    .map(([a, b, c, d, e, groups]) => `${a}-${b}:${c}.${d}.${e}${groups.map((g) => `(${g})`).join('')}`);
  const line = fc.oneof(
    { weight: 3, arbitrary: obisLine.map((l) => ({ obis: true, bytes: ascii(l) })) },
    {
      weight: 1,
      arbitrary: fc.array(byte, { maxLength: 30 }).map((b) => ({ obis: false, bytes: Uint8Array.from(b) })),
    },
  );

  it('under a real identification line: well-formed OBIS lines are accepted, anything else is not', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        const body = lines.flatMap((l) => [l.bytes, ascii('\r\n')]);
        const bytes = Buffer.concat([ascii('/XMX5LGBBFG1012345678\r\n\r\n'), ...body, ascii('!\r\n')]);
        const frames = framesOf(bytes);
        const wellFormed = lines.length > 0 && lines.every((l) => l.obis);
        if (wellFormed) expect(frames.map((f) => f.reading.ok)).toEqual([true]);
        for (const f of frames) {
          if (!f.reading.ok || f.reading.crc !== 'absent') continue;
          accepted++;
          expect(hasHeaderAndObisLine(f.raw)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it('every real telegram without a CRC meets the rule (and so still parses)', () => {
    const noCrc = fixtureNames()
      .filter((n) => n.endsWith('.txt') && !n.includes('encrypted'))
      .flatMap((n) => framesOf(fixture(n)).filter((f) => f.reading.crc === 'absent' && f.reading.ok));
    expect(noCrc.length).toBeGreaterThanOrEqual(6);
    for (const f of noCrc) expect(hasHeaderAndObisLine(f.raw)).toBe(true);
  });
});
