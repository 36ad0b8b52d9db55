import { describe, expect, it } from 'vitest';
import { learnKwPerA, learnResponse, watchResponse } from '../src/car-response';
import { type ChargerRecord, DEFAULT_LAG_S, DEFAULT_RAMP_S } from '../src/charger-record';
import { charger } from './helpers';

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

  it('learns the power an ampere offered costs once the car has settled at its offer, not while it ramps', () => {
    // A single-phase car offered 16 A that draws 15 A (its charger's own losses): 3.45 kW, 0.216 kW per ampere
    // offered rather than the 0.23 a line's ampere carries.
    const st = {
      ...record(),
      limitA: 16,
      drawnA: 15,
      evKw: 3.45,
      lastChangeMs: 0,
      lagS: 3,
      rampAps: 2,
    } as ChargerRecord;
    st.kwPerOfferedA = Number.NaN;
    const cap = charger({ phases: [1], minA: 6, maxA: 16 });
    // Settled after its lag, its ramp to 16 A and 2 s: 13 s. A sample from 10 s in teaches nothing.
    learnKwPerA(st, cap, '1x230', 1, 10_000);
    expect(st.kwPerOfferedA).toBeNaN();
    learnKwPerA(st, cap, '1x230', 1, 14_000);
    expect(st.kwPerOfferedA).toBeCloseTo(3.45 / 16, 6);
  });
});
