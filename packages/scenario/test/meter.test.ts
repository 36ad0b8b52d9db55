import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMeter, parseScenario } from '../src/index';

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * What a meter shows for these line values (the scenario README, "Physics": the bench meter): 3x230 measures L1 and
 * L3, L2 at 0 V; a Dutch meter (`currentDecimals` 0) sends whole amperes, cut down.
 */
function shown(connection: string, kw: number[], a: number[], decimals: 0 | 2) {
  const line = (l: number) => {
    const two = connection === '3x230';
    const p = two ? (l === 1 ? null : kw[l]! + kw[1]! / 2) : kw[l]!;
    return {
      phase: l + 1,
      voltageV: two && l === 1 ? 0 : 230,
      currentA: decimals === 0 ? Math.floor(Math.abs(a[l]!)) : round(Math.abs(a[l]!), 2),
      importKw: p === null ? null : round(Math.max(0, p), 3),
      exportKw: p === null ? null : round(Math.max(0, -p), 3),
    };
  };
  const net = kw[0]! + kw[1]! + kw[2]!;
  return {
    phases: connection === '1x230' ? [line(0)] : [line(0), line(1), line(2)],
    power: { importKw: round(Math.max(0, net), 3), exportKw: round(Math.max(0, -net), 3) },
  };
}

describe('bench meter', () => {
  it('shows the lines of every second, whether they changed since the last telegram or not', () => {
    const value = fc.double({ min: -30, max: 30, noNaN: true });
    // Each second changes a few line values (a power or a current, of one line) or none (a house that holds still).
    const edit = fc.record({ of: fc.constantFrom('kw', 'a'), line: fc.integer({ min: 0, max: 2 }), value });
    const second = fc.array(edit, { maxLength: 3 });
    fc.assert(
      fc.property(
        fc.constantFrom('1x230', '3x230', '3N400'),
        fc.constantFrom<0 | 2>(0, 2),
        fc.array(second, { minLength: 1, maxLength: 40 }),
        (connection, decimals, seconds) => {
          const site = { connection, fuseA: 25, currentDecimals: decimals };
          const meter = createMeter(parseScenario({ site }, 'meter'));
          const now = { kw: [0, 0, 0], a: [0, 0, 0] };
          seconds.forEach((edits, t) => {
            for (const e of edits) now[e.of][e.line] = e.value;
            const telegram = meter.tick(t, now.kw, now.a);
            expect({ phases: telegram?.phases, power: telegram?.power }).toEqual(
              shown(connection, now.kw, now.a, decimals),
            );
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a meter that sends every few seconds (site.telegramEveryS: DSMR 4 and Smarty send every 10 s)', () => {
  it('sends what every n-th second measured; only a meter sending every second has a quarter average', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 60 }),
        (everyS, kws) => {
          const scenario = parseScenario(
            { start: '2025-01-15T00:00:00+01:00', site: { connection: '1x230', fuseA: 40, telegramEveryS: everyS } },
            'meter',
          );
          const meter = createMeter(scenario);
          let sumKws = 0;
          kws.forEach((kw, t) => {
            sumKws += kw;
            const telegram = meter.tick(t, [kw, 0, 0], [kw * 4, 0, 0]);
            expect(meter.sent).toBe((t + 1) % everyS === 0);
            if (!meter.sent) {
              expect(telegram).toBeNull();
              return;
            }
            expect(telegram!.power.importKw).toBe(round(kw, 3));
            // e-MUCS (every second) counts the quarter; DSMR 4 and Smarty (every 10 s) send no such register
            if (everyS === 1) expect(telegram!.capacity!.quarterAverageKw).toBe(round(sumKws / (t + 1), 3));
            else expect(telegram!.capacity).toBeNull();
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
