/** Puts a device's power on the grid lines of a connection (signed: import +, export −). */
import { ampsForKw, type Connection } from '@p1/balancer';
import type { Line } from './scenario';

const LINE_1: readonly Line[] = [1];

/**
 * Adds `kw` drawn on `phases` to per-line power and current.
 * 3N400: each listed line carries kw/n at 230 V to neutral. 3x230 (no neutral): a load between two lines
 * carries I = P/230 in both; a three-phase one I = P/(√3·230) per line. 1x230: everything on line 1.
 * Currents are added as in-phase scalars (a simplification: real phasors of different loads partly cancel).
 */
export function addToLines(
  connection: Connection,
  phases: readonly Line[],
  kw: number,
  lineKw: [number, number, number],
  lineA: [number, number, number],
): void {
  if (kw === 0) return;
  const lines: readonly Line[] = connection === '1x230' ? LINE_1 : phases;
  const n = lines.length;
  const amps = ampsForKw(connection, n, kw);
  for (const l of lines) {
    lineKw[l - 1]! += kw / n;
    lineA[l - 1]! += amps;
  }
}

/**
 * The same additions as `addToLines`, into per-line columns at second t (`lineKw[l][t]`): a whole run's lines are
 * built one contribution at a time, and each second must come out as `addToLines` would make it, to the bit.
 */
export function addToColumns(
  connection: Connection,
  phases: readonly Line[],
  kw: number,
  lineKw: readonly Float64Array[],
  lineA: readonly Float64Array[],
  t: number,
): void {
  if (kw === 0) return;
  const lines: readonly Line[] = connection === '1x230' ? LINE_1 : phases;
  const n = lines.length;
  const amps = ampsForKw(connection, n, kw);
  for (let k = 0; k < n; k++) {
    const l = lines[k]! - 1;
    lineKw[l]![t]! += kw / n;
    lineA[l]![t]! += amps;
  }
}

/** Lines of a connection the base load is spread over. */
export function allLines(connection: Connection): Line[] {
  return connection === '1x230' ? [1] : [1, 2, 3];
}
