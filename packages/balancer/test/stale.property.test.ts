import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, input, reading, step, T0 } from './helpers';

type Event =
  | { kind: 'fresh'; lines: number[]; draws: number[]; dtMs: number }
  | { kind: 'none' | 'rejected'; draws: number[]; dtMs: number };

const draws = fc.array(fc.double({ min: 0, max: 32, noNaN: true }), { minLength: 2, maxLength: 2 });
const event: fc.Arbitrary<Event> = fc.oneof(
  fc.record({
    kind: fc.constant('fresh' as const),
    lines: fc.array(fc.double({ min: -30, max: 60, noNaN: true }), { minLength: 3, maxLength: 3 }),
    draws,
    dtMs: fc.integer({ min: 100, max: 3000 }),
  }),
  fc.record({
    kind: fc.constantFrom('none' as const, 'rejected' as const),
    draws,
    dtMs: fc.integer({ min: 100, max: 15_000 }),
  }),
);

describe('property: stale data never raises a setpoint', () => {
  it('takes a charger’s first sample above the safe current it holds only with a fresh telegram', () => {
    // Found by the property below (seed -465253292): a charger whose first sample was implausible held its safe
    // 6 A, and its first usable one, 6.099 A on a step without a telegram, was taken as the limit it offers: 6.1 A.
    const b = createBalancer({ site: { connection: '3N400', fuseA: 25 } });
    const cap = charger({ phases: [2], switchPhases: false });
    const decide = (at: number, r: ReturnType<typeof reading> | null, drawA: number) =>
      b.step(step(at, r, [input(cap, [drawA])])).chargers[0]!;
    expect(decide(T0, reading(T0, [0, 0, 0]), 30)).toMatchObject({ limitA: 6, measurement: 'implausible' });
    expect(decide(T0 + 100, null, 6.099).limitA).toBe(6);
    expect(decide(T0 + 1000, reading(T0 + 1000, [0, 6, 0]), 6.099).limitA).toBeGreaterThan(6); // fresh: room
  });

  it('holds for any sequence of telegrams, gaps and rejected frames', () => {
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 80 }),
        fc.option(fc.double({ min: 2.5, max: 10, noNaN: true }), { nil: null }),
        fc.constantFrom('off', 'surplus', 'min+surplus'),
        (events, target, solar) => {
          const b = createBalancer({
            site: { connection: '3N400', fuseA: 25, capacityTargetKw: target },
            solar: { mode: solar as 'off' },
          });
          const caps = [charger({ id: 'a', maxA: 32 }), charger({ id: 'b', phases: [2], switchPhases: false })];
          let now = T0;
          let prev = [0, 0];
          for (const e of events) {
            now += e.dtMs;
            const r =
              e.kind === 'fresh'
                ? reading(now, e.lines)
                : e.kind === 'rejected'
                  ? { ...reading(now, [1, 1, 1]), ok: false }
                  : null;
            const d = b.step(step(now, r, [input(caps[0]!, e.draws[0]!), input(caps[1]!, [e.draws[1]!])]));
            const limits = d.chargers.map((c) => c.limitA);
            if (e.kind !== 'fresh') {
              limits.forEach((l, i) => {
                expect(l).toBeLessThanOrEqual(prev[i]!);
              });
            }
            prev = limits;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
