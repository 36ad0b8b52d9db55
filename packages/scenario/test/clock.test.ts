import { describe, expect, it } from 'vitest';
import { meterIso, meterTimeOfDayS, parseStart, secondsUntilTimeOfDay } from '../src/index';

describe('meter clock (Europe/Brussels)', () => {
  it('formats winter and summer time with their offsets', () => {
    expect(meterIso(Date.parse('2025-01-15T17:00:00Z'))).toBe('2025-01-15T18:00:00+01:00');
    expect(meterIso(Date.parse('2025-07-15T17:00:00Z'))).toBe('2025-07-15T19:00:00+02:00');
  });

  it('finds times of day relative to the start, across DST changes', () => {
    const start = parseStart('2025-01-15T00:00:00+01:00');
    expect(secondsUntilTimeOfDay(start, '18:00')).toBe(18 * 3600);
    // Spring forward: 30 March 2025 has 23 hours, so 18:00 comes an hour earlier in elapsed time.
    const spring = parseStart('2025-03-30T00:00:00+01:00');
    expect(secondsUntilTimeOfDay(spring, '18:00')).toBe(17 * 3600);
    const autumn = parseStart('2025-10-26T00:00:00+02:00');
    expect(secondsUntilTimeOfDay(autumn, '18:00')).toBe(19 * 3600);
    expect(meterTimeOfDayS(spring + 17 * 3600 * 1000)).toBe(18 * 3600);
    // A time earlier than the start is the next day.
    expect(secondsUntilTimeOfDay(start, '07:30', 18 * 3600)).toBe((24 + 7.5) * 3600);
  });
});
