import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeReading,
  encodeTelegram,
  formatDsmrTimestamp,
  OBIS,
  parseDsmrTimestamp,
  parseTelegram,
} from '../src/index';
import { fixture } from './fixtures';

/** A value with `d` decimals, as a meter register of that format can hold it. */
const dec = (max: number, d: number) => fc.integer({ min: 0, max: max * 10 ** d }).map((n) => n / 10 ** d);
const instant = fc
  .integer({ min: Date.UTC(2001, 0, 2) / 1000, max: Date.UTC(2060, 0, 1) / 1000 })
  .map((s) => parseDsmrTimestamp(formatDsmrTimestamp(s * 1000)) as string);
const text = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_/'.split('')),
  minLength: 1,
  maxLength: 30,
});

const reading = fc.constantFrom('emucs', 'dsmr').chain((protocol) =>
  fc.record({
    header:
      protocol === 'emucs' ? fc.constant('FLU5\\253769484_A') : fc.constantFrom('ISK5\\2M550T-1012', 'KFM5KAIFA-METER'),
    protocol: fc.constant(protocol as 'emucs' | 'dsmr'),
    version: fc.constantFrom('50217', '50'),
    timestamp: instant,
    equipmentId: text,
    tariff: fc.integer({ min: 1, max: 2 }),
    t: fc.tuple(dec(999999, 3), dec(999999, 3), dec(999999, 3), dec(999999, 3)),
    power: fc.record({ importKw: dec(99, 3), exportKw: dec(99, 3) }),
    phases: fc.subarray([1, 2, 3] as const, { minLength: 1 }).chain((ps) =>
      fc.tuple(
        ...ps.map((phase) =>
          fc.record({
            phase: fc.constant(phase),
            voltageV: dec(999, 1),
            currentA: protocol === 'emucs' ? dec(999, 2) : fc.integer({ min: 0, max: 999 }),
            importKw: dec(99, 3),
            exportKw: dec(99, 3),
          }),
        ),
      ),
    ),
    capacity:
      protocol === 'emucs'
        ? fc.record({
            quarterAverageKw: dec(99, 3),
            monthPeakKw: dec(99, 3),
            monthPeakAt: instant,
            history: fc.array(
              fc.record({ periodAt: instant, peakAt: fc.option(instant, { nil: null }), peakKw: dec(99, 3) }),
              {
                maxLength: 13,
              },
            ),
          })
        : fc.constant(null),
    limiterKw: dec(999, 1),
    breakerState: fc.integer({ min: 0, max: 2 }),
    fuseSupervisionA: fc.integer({ min: 0, max: 999 }),
    message: fc.option(text, { nil: null }),
    powerFailures: fc.option(
      fc.record({
        count: fc.integer({ min: 0, max: 99999 }),
        longCount: fc.integer({ min: 0, max: 99999 }),
        log: fc.array(fc.record({ endedAt: instant, durationS: fc.integer({ min: 0, max: 2147483646 }) }), {
          maxLength: 10,
        }),
      }),
      { nil: null },
    ),
    mbus: fc.uniqueArray(
      fc.record({
        channel: fc.integer({ min: 1, max: 4 }),
        deviceType: fc.constantFrom(3, 7, 4),
        equipmentId: text,
        value: dec(99999, 3),
        at: instant,
      }),
      { selector: (m) => m.channel, maxLength: 4 },
    ),
  }),
);

describe('encoder', () => {
  it('parse(encode(reading)) gives the reading back', () => {
    fc.assert(
      fc.property(reading, (g) => {
        const [t1, t2, e1, e2] = g.t;
        const mbus = [...g.mbus]
          .sort((a, b) => a.channel - b.channel)
          .map((m) => ({ ...m, kind: ({ 3: 'gas', 7: 'water', 4: 'heat' } as const)[m.deviceType], unit: 'm3' }));
        const input = {
          ...g,
          energy: {
            importT1Kwh: t1,
            importT2Kwh: t2,
            exportT1Kwh: e1,
            exportT2Kwh: e2,
            importKwh: null,
            exportKwh: null,
          },
          mbus,
        };
        const r = parseTelegram(encodeReading(input));
        expect(r.ok).toBe(true);
        expect(r.crc).toBe('valid');
        const { t: _t, ...expected } = g;
        expect(r).toMatchObject({ ...expected, mbus, phases: [...g.phases] });
        expect(r.energy).toMatchObject({ importT1Kwh: t1, importT2Kwh: t2, exportT1Kwh: e1, exportT2Kwh: e2 });
        expect(r.energy.importKwh).toBeCloseTo(t1 + t2, 6);
      }),
      { numRuns: 500 },
    );
  });

  it('re-encodes a real Belgian telegram to the same normalized reading', () => {
    const original = parseTelegram(fixture('be-emucs/fluvius-3ph-gas-water-2023-11.txt'));
    const again = parseTelegram(encodeReading(original));
    const { obis: _a, ...a } = original;
    const { obis: _b, ...b } = again;
    expect(b).toEqual(a);
  });

  it('writes the CRC a meter would', () => {
    const bytes = fixture('nl-dsmr5/iskra-am550t-3ph-2019-03.txt').toString('latin1');
    const [, header, body] = /^\/([^\r\n]*)\r\n\r\n([\s\S]*)\r\n!/.exec(bytes) as RegExpExecArray;
    const encoded = Buffer.from(
      encodeTelegram({ header: header as string, lines: (body as string).split('\r\n') }),
    ).toString('latin1');
    expect(encoded).toBe(bytes.slice(0, bytes.indexOf('!') + 5) + '\r\n');
  });

  it('leaves the CRC out for DSMR 2.2', () => {
    const t = Buffer.from(
      encodeTelegram({ header: 'KMP5 ZABF001587315111', lines: [`${OBIS.TARIFF}(0001)`], crc: false }),
    ).toString();
    expect(t.endsWith('!\r\n')).toBe(true);
    expect(parseTelegram(t)).toMatchObject({ ok: true, crc: 'absent', tariff: 1 });
  });
});
