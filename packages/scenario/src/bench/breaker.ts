/**
 * The thermal element of what protects the connection, per line: a first-order heating model in units of the
 * rated current squared (the bimetal or fuse element warms with I², cools towards it with one time constant).
 * Only the time constant matters for the metric: `thermalPeak` compares the hottest state with the state a
 * steady conventional non-tripping current reaches, which the standard guarantees never trips.
 */
import type { BreakerKind } from '../scenario';

export interface ThermalCharacteristic {
  /** Conventional non-tripping (non-fusing) current, × In: held for the conventional time it must not trip. */
  noTrip: number;
  /** Conventional tripping (fusing) current, × In: it must trip within the conventional time. */
  trip: number;
  /** Where the model trips, × In: between the two conventional currents (their geometric mean). */
  threshold: number;
  /** Heating time constant (s). */
  tauS: number;
}

/** The time constant that makes a cold element at `multiple` × In reach `threshold` in `seconds`. */
export function tauFor(threshold: number, multiple: number, seconds: number): number {
  return seconds / -Math.log(1 - (threshold / multiple) ** 2);
}

const mcbThreshold = Math.sqrt(1.13 * 1.45);
const ggThreshold = Math.sqrt(1.25 * 1.6);

/**
 * IEC 60898-1 (B and C share the thermal release; they differ only in the magnetic one, at 3–5 In and 5–10 In,
 * far above what a house draws): 1.13 In no trip within 1 h, 1.45 In trips within 1 h, 2.55 In trips in
 * 1–60 s from cold. The time constant puts the 2.55 In trip in the middle of that band on a log scale (√60 s).
 *
 * IEC 60269 gG (16–63 A): 1.25 In does not melt within 1 h, 1.6 In melts within 1 h; the time-current gates of a
 * 25 A link (about 2.1 In must not melt it within 10 s, about 4.4 In must within 5 s) bound the time constant;
 * the model takes their geometric mean.
 */
export const THERMAL: Record<BreakerKind, ThermalCharacteristic> = {
  B: { noTrip: 1.13, trip: 1.45, threshold: mcbThreshold, tauS: tauFor(mcbThreshold, 2.55, Math.sqrt(60)) },
  C: { noTrip: 1.13, trip: 1.45, threshold: mcbThreshold, tauS: tauFor(mcbThreshold, 2.55, Math.sqrt(60)) },
  gG: {
    noTrip: 1.25,
    trip: 1.6,
    threshold: ggThreshold,
    tauS: Math.sqrt(tauFor(ggThreshold, 52 / 25, 10) * tauFor(ggThreshold, 110 / 25, 5)),
  },
};

export interface ThermalModel {
  /** Advances one second with these line currents (A, any sign). */
  step(lineA: ArrayLike<number>): void;
  /** The hottest state so far relative to a steady conventional non-tripping current's (≤ 1 never trips). */
  readonly peak: number;
  /** Whether some line has reached the model's trip threshold. */
  readonly tripped: boolean;
  /** The present state of a line relative to the same reference. */
  relative(line: number): number;
}

/**
 * One thermal element per line. The state starts where the first second's current would hold it (the house
 * was drawing before the run began), and each second moves towards the present current's steady state by
 * the exact first-order factor for a current held one second.
 */
export function createThermal(kind: BreakerKind, ratedA: number, lines: number): ThermalModel {
  return new ThermalElement(THERMAL[kind], ratedA, lines);
}

class ThermalElement implements ThermalModel {
  private readonly keep: number;
  private readonly ref: number;
  private readonly tripAt: number;
  private readonly state: Float64Array;
  private started = false;
  private hottest = 0;

  constructor(
    c: ThermalCharacteristic,
    private readonly ratedA: number,
    private readonly lines: number,
  ) {
    this.keep = Math.exp(-1 / c.tauS);
    this.ref = c.noTrip * c.noTrip;
    this.tripAt = c.threshold * c.threshold;
    this.state = new Float64Array(lines);
  }

  step(lineA: ArrayLike<number>): void {
    const state = this.state;
    for (let l = 0; l < this.lines; l++) {
      const x = lineA[l]! / this.ratedA;
      const target = x * x;
      state[l] = this.started ? target + (state[l]! - target) * this.keep : target;
      if (state[l]! > this.hottest) this.hottest = state[l]!;
    }
    this.started = true;
  }

  get peak(): number {
    return this.hottest / this.ref;
  }

  get tripped(): boolean {
    return this.hottest >= this.tripAt;
  }

  relative(line: number): number {
    return this.state[line]! / this.ref;
  }
}
