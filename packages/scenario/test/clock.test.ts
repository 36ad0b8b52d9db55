import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalClock } from '../src/clock';
import { brusselsOffsetMin, meterIso, meterTimeOfDayS, parseStart, secondsUntilTimeOfDay } from '../src/index';

describe('meter clock (Europe/Brussels)', () => {
  it('formats winter and summer time with their offsets', () => {
    expect(meterIso(Date.parse('2025-01-15T17:00:00Z'))).toBe('2025-01-15T18:00:00+01:00');
    expect(meterIso(Date.parse('2025-07-15T17:00:00Z'))).toBe('2025-07-15T19:00:00+02:00');
  });

  it('formats any run of seconds as the local time at its offset, across hours, days and DST changes', () => {
    // Formatted another way: the local time by toISOString.
    const expected = (ms: number) => {
      const offMin = brusselsOffsetMin(ms);
      const local = new Date(Math.floor(ms / 1000) * 1000 + offMin * 60_000).toISOString().slice(0, 19);
      return `${local}+0${offMin / 60}:00`;
    };
    const transitions = [Date.parse('2025-03-30T00:59:00Z'), Date.parse('2025-10-26T00:59:00Z')];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: Date.parse('1990-01-01'), max: Date.parse('2090-01-01') }),
          fc.constantFrom(...transitions),
        ),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 40 }),
        (start, n, stride) => {
          for (let k = 0; k < n; k++)
            expect(meterIso(start + k * stride * 1000)).toBe(expected(start + k * stride * 1000));
        },
      ),
      { numRuns: 300 },
    );
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

describe('LocalClock.timeOfDay', () => {
  const expectRemainder = (start: string, times: number[]) => {
    const startMs = parseStart(start);
    const clock = new LocalClock(startMs);
    const reference = new LocalClock(startMs);
    for (const t of times)
      expect(Object.is(clock.timeOfDay(t), reference.at(t) % 86_400), `${start} t=${t}`).toBe(true);
  };

  it('is at(tS) % 86,400 second by second through DST changes, midnight and midnights before 1970', () => {
    const hours = Array.from({ length: 3 * 3600 }, (_, t) => t);
    for (const start of [
      '2025-03-30T01:00:00+01:00',
      '2025-10-26T02:00:00+02:00',
      '2025-06-01T23:00:00+02:00',
      '1969-12-31T23:00:00+01:00',
      '1969-12-30T23:00:00+01:00',
    ])
      expectRemainder(start, hours);
  });

  it('is at(tS) % 86,400 for any start and any non-decreasing times', () => {
    const start = fc.integer({ min: -3e11, max: 4e12 }).map((ms) => new Date(ms).toISOString());
    const step = fc.oneof(fc.constant(1), fc.constant(0), fc.integer({ min: 2, max: 200_000 }));
    fc.assert(
      fc.property(start, fc.array(step, { maxLength: 300 }), (s, steps) => {
        let t = 0;
        expectRemainder(
          s,
          [0, ...steps].map((dt) => (t += dt)),
        );
      }),
      { numRuns: 300 },
    );
  });
});
