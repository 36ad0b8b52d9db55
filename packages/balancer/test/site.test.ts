import { describe, expect, it } from 'vitest';
import { ampsForKw, kwForAmps, linesInUse } from '../src/index';

describe('site model', () => {
  it.each([
    ['1x230', 1, 10, 2.3],
    ['3N400', 1, 10, 2.3],
    ['3N400', 3, 10, 6.9],
    ['3x230', 2, 10, 2.3],
    ['3x230', 3, 10, (Math.sqrt(3) * 230 * 10) / 1000],
  ] as const)('%s, %i line(s), %i A → %f kW', (connection, lines, amps, kw) => {
    expect(kwForAmps(connection, lines, amps)).toBeCloseTo(kw, 9);
    expect(ampsForKw(connection, lines, kw)).toBeCloseTo(amps, 9);
  });

  it.each([
    ['3N400', [1, 2, 3], 3, [1, 2, 3]],
    ['3N400', [1, 2, 3], 1, [1]],
    ['3N400', [2], 3, [2]],
    ['3x230', [1, 2, 3], 1, [1, 2]],
    ['3x230', [2, 3], 1, [2, 3]],
    ['1x230', [1], 3, [1]],
  ] as const)('%s charger on %j running %i phase(s) loads %j', (connection, wired, phases, expected) => {
    expect(linesInUse(connection, [...wired], phases)).toEqual(expected);
  });
});
