import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AllocItem, type AllocLimits, allocate } from '../src/allocate';

const LINE_SETS = [[0], [1], [2], [0, 1, 2]];

const item = fc.record({
  lines: fc.constantFrom(...LINE_SETS),
  kwPerA: fc.constantFrom(0.23, 0.69),
  minA: fc.constantFrom(6, 8),
  maxA: fc.integer({ min: 0, max: 32 }),
  priority: fc.integer({ min: 0, max: 2 }),
  incumbent: fc.boolean(),
  fixed: fc.option(fc.tuple(fc.integer({ min: 6, max: 32 }), fc.integer({ min: 0, max: 16 })), { nil: undefined }),
});

const items = fc
  .array(item, { minLength: 2, maxLength: 4 })
  .map((xs) => xs.map(({ fixed, ...it }): AllocItem => (fixed ? { ...it, fixedA: fixed[0], reserveA: fixed[1] } : it)));

const limits = fc.record({
  lineA: fc.tuple(
    fc.double({ min: -5, max: 60, noNaN: true }),
    fc.double({ min: -5, max: 60, noNaN: true }),
    fc.constant(Infinity),
  ),
  powerKw: fc.oneof(fc.constant(Infinity), fc.double({ min: 0, max: 30, noNaN: true })),
  powerReason: fc.constant('quarter budget'),
}) as fc.Arbitrary<AllocLimits>;

const copy = (r: ReturnType<typeof allocate>) => ({ a: [...r.a], binding: [...r.binding] });

describe('allocate, several chargers', () => {
  it('answers the same whatever was allocated before (its working arrays are reused)', () => {
    fc.assert(
      fc.property(items, limits, items, limits, (xs, lx, ys, ly) => {
        const first = copy(allocate(xs, lx));
        allocate(ys, ly);
        expect(copy(allocate(xs, lx))).toEqual(first);
      }),
    );
  });

  it('keeps each line and the power within their limits, each charger at 0 or within its range', () => {
    const plain = items.map((xs) => xs.map(({ fixedA: _f, reserveA: _r, ...it }) => it));
    fc.assert(
      fc.property(plain, limits, (xs, lim) => {
        const { a } = allocate(xs, lim);
        const line = [0, 0, 0];
        let kw = 0;
        xs.forEach((it, i) => {
          const got = a[i]!;
          if (got > 0) expect(got >= it.minA - 1e-6 && got <= it.maxA + 1e-6).toBe(true);
          for (const l of it.lines) line[l]! += got;
          kw += got * it.kwPerA;
        });
        for (let l = 0; l < 3; l++) if (line[l]! > 0) expect(line[l]!).toBeLessThanOrEqual(lim.lineA[l]! + 1e-4);
        expect(kw).toBeLessThanOrEqual(lim.powerKw + 1e-4);
      }),
    );
  });

  it('admits the higher priority first when only one fits', () => {
    const low: AllocItem = { lines: [0], kwPerA: 0.23, minA: 6, maxA: 16, priority: 0, incumbent: true };
    const high: AllocItem = { ...low, priority: 1, incumbent: false };
    const { a, binding } = allocate([low, high], {
      lineA: [10, Infinity, Infinity],
      powerKw: Infinity,
      powerReason: 'x',
    });
    expect(a[0]).toBe(0);
    expect(a[1]).toBeCloseTo(10, 4);
    expect(binding).toEqual(['L1 fuse', 'L1 fuse']);
  });
});
