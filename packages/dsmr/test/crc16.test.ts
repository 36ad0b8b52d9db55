import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16, crcHex } from '../src/index';

/** The definition, bit by bit: the sliced table version must agree with it everywhere. */
function bitwise(bytes: Uint8Array, start: number, end: number): number {
  let c = 0;
  for (let i = start; i < end; i++) {
    c ^= bytes[i] as number;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
  }
  return c;
}

describe('CRC-16/ARC', () => {
  it('has the catalogue check value', () => {
    expect(crcHex(crc16(Buffer.from('123456789')))).toBe('BB3D');
  });

  it('equals the bitwise definition on any bytes and any range', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = a % (bytes.length + 1);
        const end = start + (b % (bytes.length - start + 1));
        expect(crc16(bytes, start, end)).toBe(bitwise(bytes, start, end));
      }),
      { numRuns: 500 },
    );
  });
});
