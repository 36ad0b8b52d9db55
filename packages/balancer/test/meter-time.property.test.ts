import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMeterTime } from '../src/index';

/** "YYYY-MM-DDTHH:MM:SS±HH:MM" for an instant at a UTC offset in minutes. */
function iso(utcMs: number, offsetMin: number): string {
  const local = new Date(utcMs + offsetMin * 60_000).toISOString().slice(0, 19);
  const abs = Math.abs(offsetMin);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${offsetMin < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** What parseMeterTime answers for one string on its own, without the minute it remembers from earlier calls. */
function parseAlone(ts: string): number {
  const num = (at: number, n: number) => {
    const part = ts.slice(at, at + n);
    return /^\d+$/.test(part) ? Number(part) : Number.NaN;
  };
  if (ts.length === 25 && ts[10] === 'T' && (ts[19] === '+' || ts[19] === '-')) {
    const ms = Date.UTC(num(0, 4), num(5, 2) - 1, num(8, 2), num(11, 2), num(14, 2), num(17, 2));
    const off = (num(20, 2) * 60 + num(23, 2)) * 60_000;
    if (!Number.isNaN(ms) && !Number.isNaN(off)) return ts[19] === '+' ? ms - off : ms + off;
  }
  return Date.parse(ts);
}

const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) });
const offset = fc.constantFrom(0, 60, 120, -300, 330);

/**
 * Telegrams around one instant (within two minutes, at any of the offsets), some with one character replaced by
 * a digit, a separator or a character that is neither, and strings of any kind: most share the last one's minute.
 */
const stampsNear = (start: number) => {
  const near = fc.tuple(fc.integer({ min: 0, max: 120 }), offset).map(([s, off]) => iso(start + s * 1000, off));
  const mutated = fc
    .tuple(near, fc.nat(24), fc.constantFrom('0', '5', '9', 'T', '+', '-', ':', 'x', ' '))
    .map(([s, at, c]) => s.slice(0, at) + c + s.slice(at + 1));
  return fc.array(fc.oneof(near, mutated, fc.string()), { minLength: 1, maxLength: 40 });
};

describe('property: parseMeterTime', () => {
  it('reads consecutive telegrams of the meter clock as Date.parse does', () => {
    fc.assert(
      fc.property(instant, offset, fc.integer({ min: 1, max: 200 }), (start, off, n) => {
        const from = Math.floor(start / 1000) * 1000;
        for (let k = 0; k < n; k++) expect(parseMeterTime(iso(from + k * 1000, off))).toBe(from + k * 1000);
      }),
      { numRuns: 200 },
    );
  });

  it('answers any string as it would on its own, whatever minute it parsed before', () => {
    fc.assert(
      fc.property(instant.chain(stampsNear), (stamps) => {
        for (const ts of stamps) expect(parseMeterTime(ts)).toBe(parseAlone(ts));
      }),
      { numRuns: 500 },
    );
  });

  it('answers a telegram that differs from the last one outside its seconds from its own text', () => {
    // Same minute prefix and another offset, another minute with the same offset, seconds out of range.
    const base = '2025-01-15T18:00:05+01:00';
    expect(parseMeterTime(base)).toBe(Date.parse(base));
    expect(parseMeterTime('2025-01-15T18:00:06+02:00')).toBe(Date.parse('2025-01-15T18:00:06+02:00'));
    expect(parseMeterTime('2025-01-15T18:01:06+01:00')).toBe(Date.parse('2025-01-15T18:01:06+01:00'));
    expect(parseMeterTime('2025-01-15T18:01:6x+01:00')).toBeNaN();
  });
});
