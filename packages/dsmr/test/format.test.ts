import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFixed, formatInt, hexText } from '../src/index';

describe('fixed-width meter numbers', () => {
  it('always have the meter width and read back as the rounded value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 999_999, noNaN: true }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        (v, intDigits, decimals) => {
          const s = formatFixed(v, intDigits, decimals);
          expect(s).toHaveLength(decimals ? intDigits + 1 + decimals : intDigits);
          expect(s).toMatch(decimals ? /^\d+\.\d+$/ : /^\d+$/);
          const scale = 10 ** decimals;
          const modulo = 10 ** (intDigits + decimals);
          // Values wider than the field wrap like the meter's register.
          expect(Math.round(Number(s) * scale)).toBe(Math.round(v * scale) % modulo);
        },
      ),
    );
    expect(formatFixed(301.548, 6, 3)).toBe('000301.548');
    expect(formatFixed(-2, 2, 3)).toBe('-2.000');
    expect(formatFixed(-1e-9, 2, 3)).toBe('00.000');
    expect(formatFixed(-63, 3, 0)).toBe('-63');
    expect(formatInt(5, 5)).toBe('00005');
  });
});

describe('hex text', () => {
  it('is the upper-case hex of the UTF-8 bytes', () => {
    expect(hexText('1SAG1100721326')).toBe('3153414731313030373231333236');
    expect(hexText('é')).toBe('C3A9');
  });
});
