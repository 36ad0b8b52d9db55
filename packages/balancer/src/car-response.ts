/**
 * What a car's samples teach about it: how long it takes to start following a new limit (its lag, and that of a
 * cut it met at rest), how fast it rises (its ramp), and the power it takes per ampere offered. The quarter's run
 * starts and stops by these, and the fuse loop times a second cut by the lag.
 */
import type { ChargerRecord } from './charger-record';
import type { ChargerCapabilities } from './charger-state';
import { type Connection, kwForAmps } from './site';

/** A change smaller than this teaches nothing about the car's response. */
const WATCH_MIN_A = 2;

/** Watches a new limit sent to the car, to learn its response from the samples that follow. */
export function watchResponse(st: ChargerRecord, nowMs: number): void {
  if (Math.abs(st.limitA - st.drawnA) < WATCH_MIN_A) return;
  st.watch = {
    cmdMs: nowMs,
    fromA: st.drawnA,
    toA: st.limitA,
    movedMs: Number.NaN,
    lastA: 0,
    flatSince: 0,
    steady: st.steady,
  };
}

/**
 * How long before its charger's sample shows it a car's move may have happened: the time since the sample
 * before. A charger sampling less often than the meter sends is counted as the meter would show it.
 */
export const seenWithinMs = (st: ChargerRecord, cadenceMs: number) =>
  Number.isNaN(st.sampleGapMs) ? cadenceMs : Math.min(st.sampleGapMs, cadenceMs);

/**
 * Learns how a car responds from the changes it was given: when its measured current starts to move (its lag)
 * and how fast it rises (its ramp), from its charger's sample taken at `sampleMs` (`cadenceMs`: the meter's
 * telegram interval).
 */
export function learnResponse(st: ChargerRecord, drawnA: number, sampleMs: number, cadenceMs: number) {
  const w = st.watch;
  if (!w) return;
  const seenWithinS = seenWithinMs(st, cadenceMs) / 1000;
  if (sampleMs - w.cmdMs > 60_000) {
    st.watch = null;
    return;
  }
  const raise = w.toA > w.fromA;
  if (Number.isNaN(w.movedMs)) {
    const moved = raise ? drawnA >= w.fromA + 1 : drawnA <= w.fromA - 0.5 * (w.fromA - w.toA);
    if (!moved) return;
    // The sample shows a move that happened since the sample before it.
    const lag = Math.min(10, Math.max(0.5, (sampleMs - w.cmdMs) / 1000 - seenWithinS));
    // Only from a change the car met at rest: one sent while it still followed the one before shows that move (a
    // raise "answered" in 1 s by the ramp of the raise before, a pause in 0.5 s by the cut before: fleet house
    // nl 8675309/127's 5 s car read 3.3 s, fast enough for two cuts within 10 s).
    if (w.steady) st.lagS += (lag - st.lagS) * 0.5;
    if (!raise && w.steady) {
      st.stopLagS += (lag - st.stopLagS) * 0.5;
      st.stopLagMeasured = true;
    }
    if (!raise) st.watch = null;
    w.movedMs = sampleMs;
    w.lastA = drawnA;
    w.flatSince = sampleMs;
    return;
  }
  if (drawnA > w.lastA + 0.2) {
    w.lastA = drawnA;
    w.flatSince = sampleMs;
    return;
  }
  // Risen as far as it goes (its target, or its own limit): the ramp is the rise over the time it took.
  if (drawnA >= w.toA - 0.5 || sampleMs - w.flatSince >= 3 * seenWithinS * 1000) {
    const riseS = (w.flatSince - w.movedMs) / 1000 + seenWithinS;
    if (w.lastA - w.fromA >= WATCH_MIN_A) st.rampAps += ((w.lastA - w.fromA) / riseS - st.rampAps) * 0.5;
    st.watch = null;
  }
}

/** Learns how much power the car takes per ampere offered, once it has settled at an offer (sampled at `atMs`). */
export function learnKwPerA(
  st: ChargerRecord,
  cap: ChargerCapabilities,
  connection: Connection,
  lines: number,
  atMs: number,
) {
  const settleMs = (st.lagS + cap.maxA / st.rampAps + 2) * 1000;
  if (st.limitA < cap.minA || st.watch !== null || atMs - st.lastChangeMs < settleMs || st.drawnA < 1) return;
  const most = kwForAmps(connection, lines, 1);
  const sample = Math.min(most, st.evKw / st.limitA);
  st.kwPerOfferedA = Number.isNaN(st.kwPerOfferedA) ? sample : st.kwPerOfferedA + (sample - st.kwPerOfferedA) * 0.2;
}
