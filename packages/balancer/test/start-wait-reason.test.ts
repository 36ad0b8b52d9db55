/**
 * A car whose start waits for other cars' cuts shows that wait until it starts. Fleet house 65537/41 (3x230 25 A,
 * two single-phase cars ramping up to a limit, a three-phase car plugged in beside them): the others' trim waited
 * for them to finish their ramp, the new car's start waited for that cut, and its reason read "waiting for cut" and
 * "raise delay" by turns every 5 s for half a minute, 54 times that day: the retry after a wait for a cut counted
 * as a delay of its own.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, followingCar, input, reading, step, T0 } from './helpers';

describe('a start that waits for other cars’ cuts', () => {
  it('shows "waiting for cut" until it starts, and starts once they land', () => {
    // 3x230 20 A: 1.45 × In less the house and the 13 A kept for an appliance not seen yet leaves 14.6 A a line,
    // 7.3 A each for a single-phase car and the three-phase one beside it. The single-phase cars are held a little
    // above that by their chargers' maximum, so their cut is a trim, sent once they have ramped to it.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.double({ min: 0.3, max: 0.6, noNaN: true }),
        fc.double({ min: 8.8, max: 9.2, noNaN: true }),
        (plugS, rampAps, maxA) => {
          const b = createBalancer({ site: { connection: '3x230', fuseA: 20 } });
          const caps = [
            charger({ id: 'cp1', phases: [1], maxA }),
            charger({ id: 'cp2', phases: [2], maxA }),
            charger({ id: 'cp3', phases: [1, 2, 3], maxA: 16 }),
          ];
          const cars = caps.map((c, i) => (i < 2 ? followingCar(c, 2, rampAps) : followingCar(c, 3)));
          const shown: string[] = [];
          let startedS = Number.NaN;
          for (let s = 0; s < 120; s++) {
            const ms = T0 + s * 1000;
            const a = cars.map((car) => car.drawA(s));
            const lineA = [0.7 + a[0]! + a[2]!, 0.7 + a[1]! + a[2]!, 0.7 + a[2]!];
            const inputs = caps.map((c, i) => input(c, a[i]!, i < 2 || s >= plugS));
            const d = b.step(step(ms, reading(ms, lineA), inputs));
            for (let i = 0; i < caps.length; i++) cars[i]!.offers.push(d.chargers[i]!.limitA);
            const third = d.chargers[2]!;
            if (s >= plugS && Number.isNaN(startedS)) {
              if (third.limitA >= 6) startedS = s;
              else shown.push(third.reason ?? '');
            }
          }
          expect(shown).toContain('waiting for cut');
          expect(shown.slice(shown.indexOf('waiting for cut'))).not.toContain('raise delay');
          // the trim lands once the cars have ramped to their maximum: 2 s of lag and 9.2 A at 0.3 A a second
          expect(startedS - plugS).toBeLessThan(45);
        },
      ),
      { numRuns: 20 },
    );
  });
});
