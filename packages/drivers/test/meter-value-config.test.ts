/** The MeterValueSampleInterval choice: the wanted one first, only longer fallbacks, never worse than the charger's own. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intervalCandidates, ownIntervalSuffices } from '../src/charger/ocpp/meter-value-config';

const seconds = fc.integer({ min: 1, max: 900 });

describe('MeterValueSampleInterval candidates', () => {
  it('start with the wanted interval and only lengthen from there', () => {
    fc.assert(
      fc.property(seconds, (wanted) => {
        const c = intervalCandidates(wanted);
        expect(c[0]).toBe(wanted);
        for (let i = 1; i < c.length; i++) expect(c[i]!).toBeGreaterThan(c[i - 1]!);
      }),
    );
    expect(intervalCandidates(1)).toEqual([1, 5, 10]);
    expect(intervalCandidates(7)).toEqual([7, 10]);
  });

  it("keep the charger's own interval only where it is no worse than the candidate and not below the wanted", () => {
    fc.assert(
      fc.property(seconds, seconds, seconds, (own, wanted, candidate) => {
        expect(ownIntervalSuffices(String(own), wanted, candidate)).toBe(own >= wanted && own <= candidate);
      }),
    );
    // a charger at 3 s that refuses 1 s keeps its 3 s rather than being set to 5 s
    expect(intervalCandidates(1).find((s) => ownIntervalSuffices('3', 1, s))).toBe(5);
    for (const own of [undefined, '', '0', 'abc', '-5']) expect(ownIntervalSuffices(own, 1, 10)).toBe(false);
  });
});
