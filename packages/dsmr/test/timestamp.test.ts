import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDsmrTimestamp, formatMeterIso, parseDsmrTimestamp } from '../src/index';

describe('DSMR timestamps', () => {
  it.each([
    ['240112231755W', '2024-01-12T23:17:55+01:00'],
    ['200512135409S', '2020-05-12T13:54:09+02:00'],
    // No S/W flag (DSMR 2.2/3): the EU summer-time rule decides.
    ['211123200000', '2021-11-23T20:00:00+01:00'],
    ['120517020000', '2012-05-17T02:00:00+02:00'],
    ['240229120000W', '2024-02-29T12:00:00+01:00'],
  ])('%s → %s', (raw, iso) => expect(parseDsmrTimestamp(raw)).toBe(iso));

  it.each([
    '632525252525W',
    '632525252525S',
    '000101010000W',
    '000101000001W',
    '700101010000W',
    '000000000000W',
    '231302121548W',
    '230230121548W',
    '230229121548W',
    '231102241548W',
    '2311021215W',
    '23110212154XW',
    '231102121548X',
  ])('%s is no value', (raw) => expect(parseDsmrTimestamp(raw)).toBeNull());

  it('format then parse gives the same instant, with the right S/W flag', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2001, 0, 2), max: Date.UTC(2060, 0, 1) }), (ms) => {
        const t = Math.floor(ms / 1000) * 1000;
        const iso = parseDsmrTimestamp(formatDsmrTimestamp(t));
        expect(iso).not.toBeNull();
        expect(Date.parse(iso as string)).toBe(t);
      }),
      { numRuns: 2000 },
    );
  });

  it('the autumn DST change: the repeated hour is told apart by S and W', () => {
    // 2024-10-27 01:30 UTC is 02:30 winter; 00:30 UTC is 02:30 summer.
    expect(formatDsmrTimestamp(Date.UTC(2024, 9, 27, 0, 30))).toBe('241027023000S');
    expect(formatDsmrTimestamp(Date.UTC(2024, 9, 27, 1, 30))).toBe('241027023000W');
  });

  it('switches W→S on the last Sunday of March at 02:00 local and S→W in October', () => {
    const beforeSpring = Date.parse('2025-03-30T00:59:59Z');
    expect(formatDsmrTimestamp(beforeSpring)).toBe('250330015959W');
    expect(formatDsmrTimestamp(beforeSpring + 1000)).toBe('250330030000S');
    const beforeAutumn = Date.parse('2025-10-26T00:59:59Z');
    expect(formatDsmrTimestamp(beforeAutumn)).toBe('251026025959S');
    // The hour 02:00–03:00 happens twice; the letter tells them apart.
    expect(formatDsmrTimestamp(beforeAutumn + 1000)).toBe('251026020000W');
  });

  it('ISO on the meter clock agrees with the parser for any instant (round trip through the S/W flag)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2001-01-01T00:00:00Z') / 1000, max: Date.parse('2060-12-31T00:00:00Z') / 1000 }),
        (s) => {
          const ms = s * 1000;
          expect(parseDsmrTimestamp(formatDsmrTimestamp(ms))).toBe(formatMeterIso(ms));
          expect(Date.parse(formatMeterIso(ms))).toBe(ms);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
