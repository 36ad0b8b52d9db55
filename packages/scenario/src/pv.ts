/** PV output: clear-sky curve for Brussels from the sun's elevation, times a seeded cloud process. */
import { createRng } from './prng';
import type { PvSpec } from './scenario';

const LAT = (50.85 * Math.PI) / 180;
const LON_DEG = 4.35;
const DAY_MS = 86_400_000;

const SIN_LAT = Math.sin(LAT);
const COS_LAT = Math.cos(LAT);

/** Milliseconds since the instant's UTC midnight. */
const msOfUtcDay = (epochMs: number) => ((epochMs % DAY_MS) + DAY_MS) % DAY_MS;

/** Sine of the sun's elevation over Brussels at an instant (negative at night). */
export function sunElevationSin(epochMs: number): number {
  return sunSin(epochMs, Date.UTC(new Date(epochMs).getUTCFullYear(), 0, 1), msOfUtcDay(epochMs));
}

/** The same, given the start of the instant's UTC year and its time of day (the hot path keeps both). */
function sunSin(epochMs: number, yearStart: number, utcMs: number): number {
  const doy = (epochMs - yearStart) / DAY_MS;
  const decl = ((23.44 * Math.PI) / 180) * Math.sin((2 * Math.PI * (284 + doy)) / 365);
  const utcHours = utcMs / 3_600_000;
  const hourAngle = (15 * (utcHours + LON_DEG / 15 - 12) * Math.PI) / 180;
  return SIN_LAT * Math.sin(decl) + COS_LAT * Math.cos(decl) * Math.cos(hourAngle);
}

export interface PvModel {
  /** Generated power (kW, ≥ 0) at t seconds after start; t must not decrease between calls. */
  kwAt(tS: number): number;
}

/**
 * Clouds come as segments of random length (shorter when cloudier) that are either clear or shaded, with a
 * 20 s transition between them. Segments are drawn in time order, so the output does not depend on how
 * often it is sampled.
 */
export function createPv(spec: PvSpec, startMs: number, seed: number): PvModel {
  return new PvArray(spec, startMs, seed);
}

class PvArray implements PvModel {
  private readonly rng: () => number;
  private readonly meanDwellS: number;
  private segStart = 0;
  private segEnd = 0;
  private prevFactor = 1;
  private factor = 1;
  private yearStart = Number.NaN;
  private nextYear = Number.NaN;
  /** The UTC midnight of the last instant asked: its time of day is then a subtraction, not two remainders. */
  private dayStart = Number.NaN;

  constructor(
    private readonly spec: PvSpec,
    private readonly startMs: number,
    seed: number,
  ) {
    this.rng = createRng(seed ^ 0x5eed);
    this.meanDwellS = 600 - 480 * spec.clouds;
  }

  private nextSegment(): void {
    const rng = this.rng;
    this.prevFactor = this.factor;
    this.segStart = this.segEnd;
    this.segEnd = this.segStart + Math.max(10, Math.round(-this.meanDwellS * Math.log(1 - rng())));
    this.factor = rng() < this.spec.clouds ? 0.15 + 0.35 * rng() : 0.9 + 0.1 * rng();
  }

  kwAt(tS: number): number {
    const spec = this.spec;
    const ms = this.startMs + tS * 1000;
    if (!(ms >= this.yearStart && ms < this.nextYear)) {
      const y = new Date(ms).getUTCFullYear();
      this.yearStart = Date.UTC(y, 0, 1);
      this.nextYear = Date.UTC(y + 1, 0, 1);
    }
    if (!(ms >= this.dayStart && ms < this.dayStart + DAY_MS)) this.dayStart = ms - msOfUtcDay(ms);
    const sin = sunSin(ms, this.yearStart, ms - this.dayStart);
    if (sin <= 0) return 0;
    const clear = 0.95 * Math.min(1, sin / 0.9) ** 1.3;
    if (spec.clouds <= 0) return spec.peakKw * clear;
    while (tS >= this.segEnd) this.nextSegment();
    const blend = Math.min(1, (tS - this.segStart) / 20);
    return spec.peakKw * clear * (this.prevFactor + (this.factor - this.prevFactor) * blend);
  }
}
