import { parseDsmrTimestamp } from '@p1/dsmr';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoLocal, localTime, meterTimestamp, monthStartUtc, nextMonthStartUtc } from '../src/meter/clock';

describe('meter clock', () => {
  it('switches W→S on the last Sunday of March at 02:00 local and S→W in October', () => {
    const beforeSpring = Date.parse('2025-03-30T00:59:59Z');
    expect(meterTimestamp(beforeSpring)).toBe('250330015959W');
    expect(meterTimestamp(beforeSpring + 1000)).toBe('250330030000S');
    const beforeAutumn = Date.parse('2025-10-26T00:59:59Z');
    expect(meterTimestamp(beforeAutumn)).toBe('251026025959S');
    // The hour 02:00–03:00 happens twice; the letter tells them apart.
    expect(meterTimestamp(beforeAutumn + 1000)).toBe('251026020000W');
  });

  it('agrees with the parser for any instant (round trip through the S/W flag)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2001-01-01T00:00:00Z') / 1000, max: Date.parse('2060-12-31T00:00:00Z') / 1000 }),
        (s) => {
          const ms = s * 1000;
          expect(parseDsmrTimestamp(meterTimestamp(ms))).toBe(isoLocal(ms));
          expect(Date.parse(isoLocal(ms))).toBe(ms);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds local month starts across DST', () => {
    expect(isoLocal(monthStartUtc(Date.parse('2025-04-15T12:00:00Z')))).toBe('2025-04-01T00:00:00+02:00');
    expect(isoLocal(nextMonthStartUtc(Date.parse('2025-10-15T12:00:00Z')))).toBe('2025-11-01T00:00:00+01:00');
    expect(isoLocal(nextMonthStartUtc(Date.parse('2025-12-31T22:59:59Z')))).toBe('2026-01-01T00:00:00+01:00');
    expect(localTime(Date.parse('2025-06-01T12:00:00Z')).hour).toBe(14);
  });
});
