/** The breaker's thermal element against the points IEC 60898-1 and IEC 60269 fix. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createThermal, THERMAL } from '../src/index';
import type { BreakerKind } from '../src/scenario';

const IN = 25;

/**
 * Holds `multiple` × In on one line for `seconds`, after `warm` seconds at `warmMultiple` × In (cold: at rest);
 * returns the second it tripped in, or null.
 */
function tripAfter(kind: BreakerKind, multiple: number, seconds: number, warmMultiple = 0, warm = 1): number | null {
  const el = createThermal(kind, IN, 1);
  for (let s = 0; s < warm; s++) el.step([warmMultiple * IN]);
  if (el.tripped) return -1;
  for (let s = 1; s <= seconds; s++) {
    el.step([multiple * IN]);
    if (el.tripped) return s;
  }
  return null;
}

describe('IEC 60898-1 thermal release (B and C)', () => {
  for (const kind of ['B', 'C'] as const) {
    it(`${kind}: 1.13 In for an hour from cold does not trip, and sits at thermalPeak 1`, () => {
      const el = createThermal(kind, IN, 1);
      el.step([0]);
      for (let s = 0; s < 3600; s++) el.step([1.13 * IN]);
      expect(el.tripped).toBe(false);
      expect(el.peak).toBeLessThanOrEqual(1);
      expect(el.peak).toBeGreaterThan(0.999);
    });

    it(`${kind}: 1.45 In right after an hour at 1.13 In trips within the hour`, () => {
      const t = tripAfter(kind, 1.45, 3600, 1.13, 3600);
      expect(t).not.toBeNull();
      expect(t!).toBeGreaterThan(0);
    });

    it(`${kind}: 2.55 In from cold trips after more than 1 s and within 60 s`, () => {
      const el = createThermal(kind, IN, 1);
      el.step([0]);
      let t = 0;
      while (!el.tripped && t < 120) {
        el.step([2.55 * IN]);
        t++;
      }
      expect(t).toBeGreaterThan(1);
      expect(t).toBeLessThanOrEqual(60);
    });
  }

  it('takes its time constant from the middle of the 2.55 In band: the trip at √60 s', () => {
    const c = THERMAL.C;
    const seconds = -c.tauS * Math.log(1 - (c.threshold / 2.55) ** 2);
    expect(seconds).toBeCloseTo(Math.sqrt(60), 9);
    expect(c.threshold).toBeGreaterThan(1.13);
    expect(c.threshold).toBeLessThan(1.45);
  });
});

describe('IEC 60269 gG fuse (16–63 A)', () => {
  it('1.25 In for an hour does not melt it; 1.6 In melts it within the hour', () => {
    expect(tripAfter('gG', 1.25, 3600)).toBeNull();
    expect(tripAfter('gG', 1.6, 3600)).not.toBeNull();
  });

  it('keeps the 25 A gates: 52 A does not melt it within 10 s, 110 A melts it within 5 s', () => {
    expect(tripAfter('gG', 52 / IN, 10)).toBeNull();
    expect(tripAfter('gG', 110 / IN, 5)).not.toBeNull();
  });

  it('is relative to the non-fusing current: a steady 1.25 In reaches thermalPeak 1', () => {
    const el = createThermal('gG', IN, 1);
    for (let s = 0; s < 4 * 3600; s++) el.step([1.25 * IN]);
    expect(el.peak).toBeCloseTo(1, 6);
  });
});

describe('thermalPeak', () => {
  it('never exceeds 1 while no line exceeds 1.13 In, whatever the profile', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1.13, noNaN: true }), fc.integer({ min: 1, max: 600 })), {
          minLength: 1,
          maxLength: 20,
        }),
        (profile) => {
          const el = createThermal('C', IN, 3);
          for (const [m, s] of profile) for (let k = 0; k < s; k++) el.step([m * IN, 0, m * IN * 0.5]);
          expect(el.peak).toBeLessThanOrEqual(1 + 1e-12);
        },
      ),
    );
  });

  it('rises above 1 for an overload long enough, and a short one stays under', () => {
    const run = (seconds: number) => {
      const el = createThermal('C', IN, 1);
      for (let s = 0; s < 3600; s++) el.step([0.9 * IN]);
      for (let s = 0; s < seconds; s++) el.step([1.45 * IN]);
      return el.peak;
    };
    expect(run(5)).toBeLessThan(1);
    expect(run(60)).toBeGreaterThan(1);
  });
});
