import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeEan, eanWhileTyping, formatEan, validateEan } from '../src/ean';

describe('validateEan', () => {
  it.each([
    ['541448820000000015', '541448820000000015'],
    ['541448820000000022', '541448820000000022'],
    ['540000000000000001', '540000000000000001'],
    ['5412 3456 7890 1234 53', '541234567890123453'],
    ['541.234.567.890.123.453', '541234567890123453'],
    ['  541448820000000015\n', '541448820000000015'],
  ])('accepts %j', (input, normalized) => {
    expect(validateEan(input)).toEqual({ valid: true, reason: null, problem: null, normalized });
  });

  it.each([
    ['', 'empty', /empty/],
    ['   ', 'empty', /empty/],
    ['54144882000000001X', 'characters', /only digits/],
    ['5414-4882-0000-0000-15', 'characters', /only digits/],
    ['54144882000000001', 'length', /17 digits, expected 18/],
    ['5414488200000000150', 'length', /19 digits/],
    ['551448820000000015', 'prefix', /this one with 55/],
    ['541448820000000016', 'check-digit', /check digit is 6 but should be 5/],
    ['541448820000000051', 'check-digit', /check digit/],
  ])('refuses %j (%s)', (input, problem, reason) => {
    const result = validateEan(input);
    expect(result.valid).toBe(false);
    expect(result.problem).toBe(problem);
    expect(result.reason).toMatch(reason);
  });

  const ean = fc.stringMatching(/^54\d{15}$/).map(completeEan);

  it('accepts every completed code, with any spaces and dots between digits', () => {
    fc.assert(
      fc.property(
        ean,
        fc.array(fc.constantFrom('', ' ', '.', '  '), { minLength: 18, maxLength: 18 }),
        (code, seps) => {
          const decorated = [...code].map((d, i) => d + seps[i]).join('');
          expect(validateEan(decorated)).toMatchObject({ valid: true, normalized: code });
        },
      ),
    );
  });

  it('catches every single mistyped digit', () => {
    fc.assert(
      fc.property(ean, fc.integer({ min: 2, max: 17 }), fc.integer({ min: 1, max: 9 }), (code, at, delta) => {
        const wrong = code.slice(0, at) + String((Number(code[at]) + delta) % 10) + code.slice(at + 1);
        expect(validateEan(wrong).valid).toBe(false);
      }),
    );
  });

  it('formats in groups of four for reading', () => {
    expect(formatEan('541448820000000015')).toBe('5414 4882 0000 0000 15');
  });
});

describe('eanWhileTyping', () => {
  it.each([
    ['', 'empty', 0],
    ['5', 'typing', 1],
    ['54 14', 'typing', 4],
    ['6', 'prefix', 1],
    ['55', 'prefix', 2],
    ['54a', 'characters', 3],
    ['5414 4882 0000 0000 1', 'typing', 17],
    ['5414 4882 0000 0000 15', 'valid', 18],
    ['5414 4882 0000 0000 16', 'check-digit', 18],
    ['5414 4882 0000 0000 151', 'length', 19],
  ])('%j → %s after %i digits', (partial, state, digits) => {
    expect(eanWhileTyping(partial)).toEqual({ state, digits });
  });

  it('agrees with validateEan on every complete code', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{18}$/), (code) => {
        expect(eanWhileTyping(code).state === 'valid').toBe(validateEan(code).valid);
      }),
    );
  });
});
