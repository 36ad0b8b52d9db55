import type { SampledValue } from '@p1/ocpp16';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineCurrents, readMeterValues } from '../src/charger/ocpp/meter-values';
import { DEFAULT_OVERDRAW_POLICY, OverdrawWatch, overdrawThresholdA } from '../src/charger/ocpp/overdraw';

describe('MeterValues → per-line currents and energy', () => {
  it('maps L1..L3 onto the wired lines and reads the energy register in Wh or kWh', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 80, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.boolean(),
        (currents, wh, inKwh) => {
          const sample = readMeterValues(
            [
              {
                timestamp: '2025-01-15T10:00:00Z',
                sampledValue: [
                  ...currents.map(
                    (c, i): SampledValue => ({
                      measurand: 'Current.Import',
                      phase: `L${i + 1}-N` as SampledValue['phase'],
                      unit: 'A',
                      value: String(c),
                    }),
                  ),
                  { measurand: 'Current.Offered', unit: 'A', value: '99' },
                  {
                    measurand: 'Energy.Active.Import.Register',
                    unit: inKwh ? 'kWh' : 'Wh',
                    value: String(inKwh ? wh / 1000 : wh),
                  },
                ],
              },
            ],
            0,
          );
          expect(sample).not.toBeNull();
          expect(lineCurrents(sample!, [1, 2, 3])).toEqual(currents);
          expect(sample!.energyWh).toBeCloseTo(wh, 6);
          expect(sample!.at).toBe(Date.parse('2025-01-15T10:00:00Z'));
        },
      ),
    );
  });

  it('defaults: no measurand is the energy register; no phase applies to every line; junk is skipped', () => {
    const s = readMeterValues(
      [
        { timestamp: 'not a date', sampledValue: [{ value: '1234' }] },
        {
          timestamp: 'not a date',
          sampledValue: [
            { value: '5000' },
            { measurand: 'Current.Import', value: '7.5' },
            { measurand: 'Current.Import', phase: 'N', value: '3' },
            { measurand: 'Current.Import', phase: 'L2', value: 'NaN?' },
          ],
        },
      ],
      42,
    );
    expect(s).toEqual({ currentA: { any: 7.5 }, energyWh: 5000, at: 42, unusable: ['NaN?'] });
    expect(lineCurrents(s!, [1, 2, 3])).toEqual([7.5, 7.5, 7.5]);
    // A 1-phase charger between two lines of a 3x230 supply loads both.
    expect(lineCurrents({ currentA: { L1: 9 }, energyWh: null, at: 0, unusable: [] }, [1, 2])).toEqual([9, 9]);
    expect(readMeterValues([], 0)).toBeNull();
  });
});

describe('overdraw watch', () => {
  const policy = { ...DEFAULT_OVERDRAW_POLICY, graceS: 10 };

  it('a charger within its limit and tolerance is never escalated', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 32, noNaN: true }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (limit, fractions) => {
          const watch = new OverdrawWatch(policy);
          fractions.forEach((f, i) => {
            expect(watch.observe(f * overdrawThresholdA(limit, policy), limit, 0, i * 1000)).toBe('none');
          });
        },
      ),
    );
  });

  it('sustained overdraw escalates one step per grace period: cut, remote stop, unresponsive, then quiet', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 32, noNaN: true }),
        fc.double({ min: 1.01, max: 5, noNaN: true }),
        (limit, over) => {
          const watch = new OverdrawWatch(policy);
          const drawn = overdrawThresholdA(limit, policy) * over + 0.01;
          const actions = Array.from(
            { length: 60 },
            (_, s) => [s, watch.observe(drawn, limit, 0, s * 1000)] as const,
          ).filter(([, a]) => a !== 'none');
          expect(actions).toEqual([
            [10, 'cut'],
            [20, 'remoteStop'],
            [30, 'unresponsive'],
          ]);
        },
      ),
    );
  });

  it('the grace period starts when the limit was acknowledged, and a dip resets it', () => {
    const watch = new OverdrawWatch(policy);
    expect(watch.observe(20, 10, 5_000, 0)).toBe('none');
    expect(watch.observe(20, 10, 5_000, 14_000)).toBe('none'); // 9 s after the ack
    expect(watch.observe(5, 10, 5_000, 15_000)).toBe('none'); // followed after all
    expect(watch.observe(20, 10, 5_000, 16_000)).toBe('none');
    expect(watch.observe(20, 10, 5_000, 26_000)).toBe('cut');
    watch.reset();
    expect(watch.stage).toBe(0);
  });
});
