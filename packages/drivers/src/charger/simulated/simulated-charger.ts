import { EventEmitter } from 'node:events';
import type { Charger, ChargerCapabilities, ChargerEvents, ChargerMeasurement } from '../charger';
import { toTenths } from '../ocpp/charging-profile';
import { type CarModel, type CarSpec, createCar } from './car';

export interface SimulatedChargerOptions {
  /** The car plugged in at start; null = no car. Default: a typical 3-phase 16 A car. */
  car?: CarSpec | null;
  /** Injectable clock (epoch ms). */
  now?: () => number;
  /** Step by itself every tickMs of real time; false = the caller calls `step()` (simulations, tests). */
  tickMs?: number | false;
}

export interface SimulatedCharger extends Charger {
  /** Advances the car to now() and refreshes the measurement. */
  step(): ChargerMeasurement;
  plugIn(car?: CarSpec): void;
  unplug(): void;
  readonly offeredA: number;
  readonly car: CarModel | null;
}

/**
 * An in-process charger: the limit is held at once, the car follows it with its own lag and ramp.
 * Until the first limit it offers its safe current, as a charger with only its fail-safe would.
 */
export function createSimulatedCharger(
  capabilities: ChargerCapabilities,
  options: SimulatedChargerOptions = {},
): SimulatedCharger {
  const now = options.now ?? Date.now;
  const emitter = new EventEmitter<ChargerEvents>();
  let limitA: number | null = null;
  let phases: 1 | 3 = capabilities.phases.length === 3 ? 3 : 1;
  let car: CarModel | null = null;
  let lastStep = now();
  let sessionKwh = 0;
  let timer: NodeJS.Timeout | null = null;
  let measurement: ChargerMeasurement = {
    connected: true,
    vehiclePlugged: false,
    currentA: capabilities.phases.map(() => 0),
    sessionKwh: 0,
    appliedLimitA: null,
    appliedPhases: null,
    at: lastStep,
  };

  const publish = (patch: Partial<ChargerMeasurement>) => {
    measurement = { ...measurement, ...patch, at: now() };
    emitter.emit('measurement', measurement);
    return measurement;
  };

  const offered = () => (car ? (limitA ?? capabilities.safeA) : 0);

  const charger = Object.assign(emitter, {
    capabilities,
    get measurement() {
      return measurement;
    },
    get offeredA() {
      return offered();
    },
    get car() {
      return car;
    },
    async setLimit(amps: number, p?: 1 | 3) {
      if (!Number.isFinite(amps) || amps < 0) {
        throw new RangeError(`charger ${capabilities.id}: limit must be a finite number of amperes >= 0, got ${amps}`);
      }
      const next = toTenths(Math.min(amps, capabilities.maxA));
      const nextPhases = p ?? phases;
      if (next === limitA && nextPhases === phases) return;
      limitA = next;
      phases = nextPhases;
      publish({ appliedLimitA: limitA, appliedPhases: phases });
    },
    step() {
      const t = now();
      const dtS = Math.max(0, (t - lastStep) / 1000);
      lastStep = t;
      if (!car) return publish({ currentA: capabilities.phases.map(() => 0) });
      const drawn = car.step(dtS, offered(), t / 1000, phases);
      sessionKwh += (car.powerKw * dtS) / 3600;
      const lines = car.lines;
      return publish({
        currentA: capabilities.phases.map((line) => (lines.includes(line) ? drawn : 0)),
        sessionKwh,
      });
    },
    plugIn(spec: CarSpec = {}) {
      car = createCar(spec, capabilities.phases);
      sessionKwh = 0;
      lastStep = now();
      publish({ vehiclePlugged: true, sessionKwh: 0 });
    },
    unplug() {
      car = null;
      publish({ vehiclePlugged: false, currentA: capabilities.phases.map(() => 0) });
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  });

  if (options.car !== null) charger.plugIn(options.car ?? {});
  if (options.tickMs !== false) {
    timer = setInterval(() => charger.step(), options.tickMs ?? 1000);
    timer.unref();
  }
  return charger as SimulatedCharger;
}
