import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { emptyView, viewReading } from '../src/meter-view';
import type { MeterSnapshot } from '../src/types';
import { charger, input, iso, reading, step, T0 } from './helpers';

/** How a meter may turn a line's true current into whole amperes (DSMR's F3(0,0)). */
const WHOLE = { cut: Math.floor, rounded: Math.round } as const;

/** One line of a telegram: its true current at its voltage and power factor, the current as the meter sends it. */
function telegram(trueA: number, volts: number, pf: number, sent: (a: number) => number): MeterSnapshot {
  const kw = Math.round(trueA * volts * pf) / 1000; // the meter's power, to the watt
  return {
    ok: true,
    timestamp: iso(T0),
    power: { importKw: kw, exportKw: 0 },
    phases: [{ phase: 1, voltageV: Math.round(volts * 10) / 10, currentA: sent(trueA), importKw: kw, exportKw: 0 }],
    capacity: null,
  };
}

const lineA = (r: MeterSnapshot) => viewReading(r, T0, emptyView(), T0).lineA[0];

describe('a meter that sends whole amperes', () => {
  it('is read as at least what it sends, and never above both the truth and what it sends', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 80, noNaN: true }),
        fc.double({ min: 207, max: 253, noNaN: true }),
        fc.oneof(fc.constant(1), fc.double({ min: 0.7, max: 1, noNaN: true })),
        fc.constantFrom<keyof typeof WHOLE>('cut', 'rounded'),
        (trueA, volts, pf, how) => {
          const r = telegram(trueA, volts, pf, WHOLE[how]);
          const sent = r.phases[0]!.currentA!;
          const seen = lineA(r);
          expect(seen).toBeGreaterThanOrEqual(sent);
          // The power only ever shows what the line carries at least, but for the meter's rounding of the power to
          // the watt and of the voltage to 0.1 V (0.05 V in 207 V: 0.025 % of the current).
          const rounding = 0.003 + trueA * 0.00025;
          expect(seen).toBeLessThanOrEqual(Math.max(sent, trueA) + rounding);
          // At unity power factor a cut reading is undone to that rounding: the ampere it hid is seen.
          if (how === 'cut' && pf === 1) expect(Math.abs(seen - trueA)).toBeLessThanOrEqual(rounding);
        },
      ),
    );
  });

  it('keeps the readings of a meter that sends decimals as sent, whole ones too', () => {
    const view = emptyView();
    const r = telegram(12.345, 230, 1, (a) => Math.round(a * 100) / 100);
    r.phases[0]!.importKw = 3.5; // a power that disagrees: the two-decimal current is the measurement
    expect(viewReading(r, T0, view, T0).lineA[0]).toBe(12.35);
    // 12.00 A from the same meter is 12 A to the hundredth, whatever its line's power says
    const whole = telegram(12, 230, 1, (a) => a);
    whole.phases[0]!.importKw = 2.9;
    expect(viewReading(whole, T0, view, T0).lineA[0]).toBe(12);
    // the same reading from a meter that never sent a decimal is read against the power
    expect(lineA(whole)).toBeCloseTo(2900 / 230, 3);
  });

  it('gives the car the room a two-decimal meter would, not the ampere a cut reading hides', () => {
    // 3N400 25 A, a three-phase car drawing 10 A; the house draws 14.9 A on L1 (24.9 A with the car).
    const site = { connection: '3N400' as const, fuseA: 25 };
    const limitWith = (sent: (a: number) => number) => {
      const b = createBalancer({ margins: { fuseA: 0.5, unseenStepKw: 0 }, site });
      const r = reading(T0, [24.9, 12, 12]);
      for (const p of r.phases) p.currentA = sent(p.currentA!);
      return b.step(step(T0, r, [input(charger({ maxA: 32 }), 10)])).chargers[0]!.limitA;
    };
    const exact = limitWith((a) => Math.round(a * 100) / 100);
    expect(exact).toBeLessThan(10); // the line is over 25 − 0.5 A: the car is cut
    expect(limitWith(Math.floor)).toBe(exact);
  });
});
