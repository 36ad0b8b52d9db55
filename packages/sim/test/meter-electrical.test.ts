import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measure, VoltageModel } from '../src/meter/electrical';
import { seededRandom } from '../src/meter/random';

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
