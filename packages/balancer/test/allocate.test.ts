import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AllocItem, type AllocLimits, allocate, kwWithLead, leadGain } from '../src/allocate';

const LINE_SETS = [[0], [1], [2], [0, 1, 2]];

const item = fc.record({
  lines: fc.constantFrom(...LINE_SETS),
  kwPerA: fc.constantFrom(0.23, 0.69),
  minA: fc.constantFrom(6, 8),
  maxA: fc.integer({ min: 0, max: 32 }),
  priority: fc.integer({ min: 0, max: 2 }),
  incumbent: fc.boolean(),
  lead: fc.option(fc.boolean(), { nil: undefined }),
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

  it('asks a car that does not charge for the start margin over its minimum, not one that charges', () => {
    const charging: AllocItem = { lines: [0], kwPerA: 0.23, minA: 6, maxA: 16, priority: 0, incumbent: true };
    const paused: AllocItem = { ...charging, lines: [1], incumbent: false };
    // 2.86 kW: both minimums (2 × 1.38 kW) and 0.1 kW, under a 0.2 kW margin
    const lim: AllocLimits = { lineA: [40, 40, 40], powerKw: 2.86, powerReason: 'quarter budget', startMarginKw: 0.2 };
    const held = allocate([charging, paused], lim);
    expect(held.a[0]).toBeCloseTo(2.86 / 0.23, 4);
    expect(held.a[1]).toBe(0);
    expect(held.binding[1]).toBe('quarter budget');
    const both = allocate([charging, paused], { ...lim, powerKw: 2.97 });
    expect(both.a[0]).toBeCloseTo(2.97 / 0.46, 4);
    expect(both.a[1]).toBeCloseTo(2.97 / 0.46, 4);
    // once charging, it keeps its share down to the minimum
    const kept = allocate([charging, { ...paused, incumbent: true }], lim);
    expect(kept.a[1]).toBeCloseTo(2.86 / 0.46, 4);
  });

  it('finds a car that makes more of the lines going first, and leaves every mark as it was', () => {
    fc.assert(
      fc.property(items, limits, (xs, lim) => {
        const marks = xs.map((it) => it.lead === true);
        const base = copy(allocate(xs, lim));
        const { index, gainKw } = leadGain(xs, lim, 4, () => false);
        expect(xs.map((it) => it.lead === true)).toEqual(marks);
        if (index < 0) return;
        // it was held out by a line, and going first it gives what was found
        expect(base.a[index]).toBe(0);
        expect(base.binding[index]).toMatch(/fuse$/);
        expect(gainKw).toBeGreaterThan(0);
        expect(kwWithLead(xs, lim, index) - kwWithLead(xs, lim, -1)).toBeCloseTo(gainKw, 6);
        expect(xs.map((it) => it.lead === true)).toEqual(marks);
      }),
    );
  });

  it('lets a three-phase car go first where a single-phase one holds the line both need', () => {
    const one: AllocItem = { lines: [0], kwPerA: 0.23, minA: 6, maxA: 16, priority: 0, incumbent: true };
    const three: AllocItem = { lines: [0, 1, 2], kwPerA: 0.69, minA: 6, maxA: 16, priority: 0, incumbent: false };
    const lim: AllocLimits = { lineA: [9, 9, 9], powerKw: Infinity, powerReason: 'x' };
    const { a } = allocate([one, three], lim);
    expect(a[0]).toBeCloseTo(9, 4);
    expect(a[1]).toBe(0);
    const { index, gainKw } = leadGain([one, three], lim, 4, () => false);
    expect(index).toBe(1);
    expect(gainKw).toBeCloseTo(9 * 0.46, 3);
    // counted at its own pace: a car that took 1.4 kW when last offered more gains nothing going first
    expect(leadGain([one, { ...three, ownKw: 1.4 }], lim, 4, () => false).index).toBe(-1);
    expect(leadGain([one, three], lim, 4, (i) => i === 1).index).toBe(-1);
    // capped at what a capacity target leaves: 3.3 kW of the 6.2 the three-phase car takes, over the 2.1 of the other
    const capped = leadGain([one, three], lim, 4, () => false, undefined, undefined, 3.3);
    expect(capped.index).toBe(1);
    expect(capped.gainKw).toBeCloseTo(3.3 - 9 * 0.23, 3);
    // where the other car alone spends the room, going first gains nothing
    expect(leadGain([one, three], lim, 4, () => false, undefined, undefined, 2).index).toBe(-1);
  });
});
