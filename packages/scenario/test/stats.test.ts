import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kthSmallest } from '../src/fleet/stats';

describe('kthSmallest', () => {
  it('is the k-th value of the sorted prefix, and leaves the input as it was', () => {
    // Few distinct values as well as many: duplicates are where a partition goes wrong. (−0 made 0: sort puts it
    // before 0, selection sees them equal, and a step time is never −0.)
    const value = fc.oneof(
      fc.double({ noNaN: true }).map((x) => (x === 0 ? 0 : x)),
      fc.integer({ min: 0, max: 3 }),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), fc.nat(), fc.nat(), (xs, cut, pick) => {
        const values = Float64Array.from(xs);
        const n = 1 + (cut % values.length);
        const k = pick % n;
        const before = values.slice();
        expect(kthSmallest(values, n, k)).toBe(values.slice(0, n).sort()[k]);
        expect(values).toEqual(before);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the order statistics of a day of sorted, reversed and constant step times', () => {
    const n = 86_400;
    const rising = Float64Array.from({ length: n }, (_, i) => i);
    const flat = new Float64Array(n).fill(3.5);
    expect(kthSmallest(rising, n, Math.floor(n * 0.99))).toBe(85_536);
    expect(kthSmallest(rising.reverse(), n, 0)).toBe(0);
    expect(kthSmallest(flat, n, 12_345)).toBe(3.5);
  });
});
