import type { Phase } from '@p1/balancer/charger-state';
import { createEv, type EvSpec } from '@p1/scenario';

/** What the simulated chargers need of a car; `createEv` from @p1/scenario provides the physics. */
export interface CarModel {
  /** Advances by `dtS` with `offeredA` per phase on `phases` phases; returns the current it draws per phase. */
  step(dtS: number, offeredA: number, tS: number, phases?: 1 | 3): number;
  /** Grid lines the car draws from after the last step. */
  readonly lines: readonly Phase[];
  /** Power after the last step (kW). */
  readonly powerKw: number;
}

export type CarSpec = Partial<Omit<EvSpec, 'name' | 'charger' | 'arrive' | 'depart'>>;

/** A typical car: 3-phase 16 A, follows a cut after 5 s and ramps up over 20 s. */
export const DEFAULT_CAR: Required<CarSpec> = {
  phases: 3,
  needKwh: 60,
  minA: 6,
  maxA: 16,
  lagS: 5,
  rampS: 20,
  drawRatio: 1,
  minPauseS: 0,
};

/**
 * A car plugged in for as long as the charger says so: plugging is the charger's business, so the
 * scenario's arrival window is made to cover the whole day and time starts at the first step.
 */
export function createCar(spec: CarSpec, wired: readonly Phase[]): CarModel {
  const ev = createEv(
    { ...DEFAULT_CAR, ...spec, name: 'car', charger: 'sim', arrive: '00:00', depart: '23:59:59' },
    { connection: wired.length === 2 ? '3x230' : '3N400', chargerPhases: [...wired] },
  );
  let t0: number | null = null;
  return {
    step(dtS, offeredA, tS, phases) {
      t0 ??= tS;
      return ev.step(dtS, offeredA, tS - t0, phases);
    },
    get lines() {
      return ev.lines;
    },
    get powerKw() {
      return ev.powerKw;
    },
  };
}
