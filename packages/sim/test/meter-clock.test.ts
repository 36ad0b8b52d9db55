import { formatMeterIso, meterLocalTime } from '@p1/dsmr';
import { describe, expect, it } from 'vitest';
import { monthStartUtc, nextMonthStartUtc } from '../src/meter/clock';

describe('meter clock', () => {
  it('finds local month starts across DST', () => {
    expect(formatMeterIso(monthStartUtc(Date.parse('2025-04-15T12:00:00Z')))).toBe('2025-04-01T00:00:00+02:00');
    expect(formatMeterIso(nextMonthStartUtc(Date.parse('2025-10-15T12:00:00Z')))).toBe('2025-11-01T00:00:00+01:00');
    expect(formatMeterIso(nextMonthStartUtc(Date.parse('2025-12-31T22:59:59Z')))).toBe('2026-01-01T00:00:00+01:00');
    expect(meterLocalTime(Date.parse('2025-06-01T12:00:00Z')).hour).toBe(14);
  });
});
