import { describe, expect, it } from 'vitest';
import { learnResponse, watchResponse } from '../src/car-response';
import { type ChargerRecord, DEFAULT_LAG_S, DEFAULT_RAMP_S } from '../src/charger-record';

/** The part of a charger's record that learning a car's response reads and writes. */
function record(): ChargerRecord {
  return {
    limitA: 0,
    drawnA: 0,
    steady: true,
    watch: null,
    sampleGapMs: 1000,
    lagS: DEFAULT_LAG_S,
    rampAps: 16 / DEFAULT_RAMP_S,
    stopLagS: DEFAULT_LAG_S,
    stopLagMeasured: false,
  } as ChargerRecord;
}

/**
 * Sends the car `toA` at `t0` (ms) and feeds its samples, one a second, of a car that starts moving `lagS` after
 * the change and then moves at `rampAps` (a cut all at once); a sample shows the second before it.
 */
function change(st: ChargerRecord, t0: number, toA: number, lagS: number, rampAps: number): void {
  const fromA = st.drawnA;
  st.limitA = toA;
  watchResponse(st, t0);
  for (let s = 1; s <= 30; s++) {
    const sinceMove = s - lagS;
    const drawnA = sinceMove <= 0 ? fromA : toA > fromA ? Math.min(toA, fromA + rampAps * sinceMove) : toA;
    learnResponse(st, drawnA, t0 + s * 1000, 1000);
    st.drawnA = drawnA;
  }
}

describe("a car's response, learned from its charger's samples", () => {
  it('learns a 3 s lag and a 2 A/s ramp from the raises it is given', () => {
    const st = record();
    st.drawnA = 6;
    for (let k = 0; k < 6; k++) {
      change(st, k * 120_000, 16, 3, 2);
      change(st, k * 120_000 + 60_000, 6, 3, 2);
    }
    expect(st.lagS).toBeCloseTo(3, 1);
    expect(st.rampAps).toBeCloseTo(2, 1);
  });

  it('learns how long a cut takes to land from cuts the car met drawing steadily', () => {
    const st = record();
    st.drawnA = 16;
    for (let k = 0; k < 6; k++) {
      change(st, k * 120_000, 6, 2, 2);
      change(st, k * 120_000 + 60_000, 16, 2, 2);
    }
    expect(st.stopLagMeasured).toBe(true);
    expect(st.stopLagS).toBeCloseTo(2, 1);
  });

  it('learns no lag from a change sent while the car still followed the one before', () => {
    const st = record();
    st.drawnA = 6;
    st.steady = false;
    change(st, 0, 16, 1, 2);
    expect(st.lagS).toBe(DEFAULT_LAG_S);
  });

  it('watches no change too small to show a response', () => {
    const st = record();
    st.drawnA = 10;
    st.limitA = 11;
    watchResponse(st, 0);
    expect(st.watch).toBeNull();
  });
});
