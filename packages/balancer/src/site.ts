/** The electrical model of a grid connection: which lines a device loads and what an ampere costs in kW. */
import type { Phase } from './charger-state';

/** Supply types: single phase, three phases without neutral (Belgian 3×230 V), three phases with neutral. */
export const CONNECTIONS = ['1x230', '3x230', '3N400'] as const;
export type Connection = (typeof CONNECTIONS)[number];

/** Line-to-neutral (3N400, 1x230) or line-to-line (3x230) voltage. */
export const LINE_V = 230;
const SQRT3 = Math.sqrt(3);

export function connectionLines(connection: Connection): Phase[] {
  return connection === '1x230' ? [1] : [1, 2, 3];
}

/**
 * The lines a device wired to `wired` uses when it runs on `phases` (1 or 3).
 * A single-phase device on 3x230 sits between two lines, so it uses the first two it is wired to.
 */
export function linesInUse(connection: Connection, wired: readonly Phase[], phases: 1 | 3): Phase[] {
  if (connection === '1x230') return [1];
  if (phases === 3 || wired.length === 1) return wired.slice();
  return connection === '3x230' ? wired.slice(0, 2) : wired.slice(0, 1);
}

/** Power (kW) of a device drawing `amps` in each of its `lineCount` lines. */
export function kwForAmps(connection: Connection, lineCount: number, amps: number): number {
  if (connection === '3x230') return ((lineCount >= 3 ? SQRT3 : 1) * LINE_V * amps) / 1000;
  return (lineCount * LINE_V * amps) / 1000;
}

/** The current (A) a device of `kw` draws in each of its `lineCount` lines. */
export function ampsForKw(connection: Connection, lineCount: number, kw: number): number {
  const kwPerA = kwForAmps(connection, lineCount, 1);
  return kwPerA === 0 ? 0 : kw / kwPerA;
}
