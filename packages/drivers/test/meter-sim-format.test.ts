import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measure, VoltageModel } from '../src/meter/sim/electrical';
import { fixed, int } from '../src/meter/sim/format';
import { seededRandom } from '../src/meter/sim/random';

describe('fixed-width meter numbers', () => {
  it('always have the meter width and read back as the rounded value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 999_999, noNaN: true }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        (v, intDigits, decimals) => {
          const s = fixed(v, intDigits, decimals);
          expect(s).toHaveLength(decimals ? intDigits + 1 + decimals : intDigits);
          expect(s).toMatch(decimals ? /^\d+\.\d+$/ : /^\d+$/);
          const scale = 10 ** decimals;
          const modulo = 10 ** (intDigits + decimals);
          // Values wider than the field wrap like the meter's register.
          expect(Math.round(Number(s) * scale)).toBe(Math.round(v * scale) % modulo);
        },
      ),
    );
    expect(fixed(301.548, 6, 3)).toBe('000301.548');
    expect(fixed(-2, 2, 3)).toBe('00.000');
    expect(int(5, 5)).toBe('00005');
  });
});

describe('what the meter measures per phase', () => {
  it('phase powers add up to the net power and currents are |P|/V on every supply type', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -15, max: 15, noNaN: true }), { minLength: 3, maxLength: 3 }),
        fc.constantFrom('1x230', '3x230', '3N400' as const),
        (lineKw, connection) => {
          const e = measure(connection, lineKw, new VoltageModel(seededRandom(1)));
          const net = lineKw.reduce((a, b) => a + b, 0);
          const phaseNet = e.phases.reduce((s, p) => s + p.importKw - p.exportKw, 0);
          expect(phaseNet).toBeCloseTo(net, 9);
          expect(e.importKw - e.exportKw).toBeCloseTo(net, 9);
          for (const p of e.phases) {
            if (p.voltageV === 0) expect(p.currentA).toBe(0);
            else expect(p.currentA).toBeCloseTo(((p.importKw + p.exportKw) * 1000) / p.voltageV, 9);
          }
          expect(e.phases).toHaveLength(connection === '1x230' ? 1 : 3);
          if (connection === '3x230') expect(e.phases[1]?.voltageV).toBe(0);
        },
      ),
    );
  });
});
