import { EventEmitter } from 'node:events';
import type { Charger, ChargerCapabilities, ChargerEvents, ChargerMeasurement } from '@p1/balancer/charger-state';
import { type CarModel, type CarSpec, createCar } from './car';

/**
 * A charger holds its limit in steps of 0.1 A (OCPP schedules allow no finer), rounded down so it
 * never offers more than asked; the 1e-6 keeps float noise (0.3 × 10 = 2.9999999999999996) from costing a step.
 */
function holdableLimit(amps: number): number {
  return Math.floor(amps * 10 + 1e-6) / 10;
}

export interface SimulatedChargerOptions {
  /** The car plugged in at start; null = no car. Default: a typical 3-phase 16 A car. */
  car?: CarSpec | null;
  /** Injectable clock (epoch ms). */
  now?: () => number;
  /** Step by itself every tickMs of real time; false = the caller calls `step()` (simulations, tests). */
  tickMs?: number | false;
  /** The car at start has been plugged in since then (epoch ms): a session that began before this process. */
  pluggedSinceMs?: number;
  /**
   * It tells when a session began only this long after it reports the car (ms, default 0): an OCPP charger
   * back online reports its connector, then sends the StartTransaction it queued while the module was away.
   */
  sessionStartLateMs?: number;
}

export interface SimulatedCharger extends Charger {
  /** Advances the car to now() and refreshes the measurement. */
  step(): ChargerMeasurement;
  /** `sinceMs`: when the car plugged in (default now). */
  plugIn(car?: CarSpec, sinceMs?: number): void;
  unplug(): void;
  readonly offeredA: number;
  readonly car: CarModel | null;
}

/**
 * An in-process charger: the limit is held at once, the car follows it with its own lag and ramp.
 * Until the first limit it offers its safe current, as a charger with only its fail-safe would.
 */
class InProcessCharger extends EventEmitter<ChargerEvents> implements SimulatedCharger {
  measurement: ChargerMeasurement;
  car: CarModel | null = null;
  private limitA: number | null = null;
  private phases: 1 | 3;
  private lastStep: number;
  private sessionKwh = 0;
  private timer: NodeJS.Timeout | null = null;
  /** A session start not told yet, and when it will be (see `sessionStartLateMs`). */
  private untoldStart: { sinceMs: number; tellAtMs: number } | null = null;

  constructor(
    readonly capabilities: ChargerCapabilities,
    private readonly now: () => number,
    private readonly sessionStartLateMs = 0,
  ) {
    super();
    this.phases = capabilities.phases.length === 3 ? 3 : 1;
    this.lastStep = now();
    this.measurement = {
      connected: true,
      vehiclePlugged: false,
      currentA: capabilities.phases.map(() => 0),
      sessionKwh: 0,
      appliedLimitA: null,
      appliedPhases: null,
      at: this.lastStep,
    };
  }

  get offeredA(): number {
    return this.car ? (this.limitA ?? this.capabilities.safeA) : 0;
  }

  private publish(patch: Partial<ChargerMeasurement>): ChargerMeasurement {
    this.measurement = { ...this.measurement, ...patch, at: this.now() };
    this.emit('measurement', this.measurement);
    return this.measurement;
  }

  async setLimit(amps: number, phases?: 1 | 3): Promise<void> {
    if (!Number.isFinite(amps) || amps < 0) {
      throw new RangeError(
        `charger ${this.capabilities.id}: limit must be a finite number of amperes >= 0, got ${amps}`,
      );
    }
    const next = holdableLimit(Math.min(amps, this.capabilities.maxA));
    const nextPhases = phases ?? this.phases;
    if (next === this.limitA && nextPhases === this.phases) return;
    this.limitA = next;
    this.phases = nextPhases;
    this.publish({ appliedLimitA: next, appliedPhases: nextPhases });
  }

  step(): ChargerMeasurement {
    const t = this.now();
    const dtS = Math.max(0, (t - this.lastStep) / 1000);
    this.lastStep = t;
    const car = this.car;
    if (!car) return this.publish({ currentA: this.capabilities.phases.map(() => 0) });
    const drawn = car.step(dtS, this.offeredA, t / 1000, this.phases);
    this.sessionKwh += (car.powerKw * dtS) / 3600;
    const told = this.untoldStart !== null && t >= this.untoldStart.tellAtMs ? this.untoldStart.sinceMs : undefined;
    if (told !== undefined) this.untoldStart = null;
    return this.publish({
      currentA: this.capabilities.phases.map((line) => (car.lines.includes(line) ? drawn : 0)),
      sessionKwh: this.sessionKwh,
      ...(told !== undefined ? { sessionStartMs: told } : {}),
    });
  }

  plugIn(spec: CarSpec = {}, sinceMs = this.now()): void {
    this.car = createCar(spec, this.capabilities.phases);
    this.sessionKwh = 0;
    this.lastStep = this.now();
    const late = this.sessionStartLateMs > 0;
    this.untoldStart = late ? { sinceMs, tellAtMs: this.now() + this.sessionStartLateMs } : null;
    this.publish({ vehiclePlugged: true, sessionKwh: 0, sessionStartMs: late ? undefined : sinceMs });
  }

  unplug(): void {
    this.car = null;
    this.untoldStart = null;
    this.publish({ vehiclePlugged: false, currentA: this.capabilities.phases.map(() => 0) });
  }

  tickEvery(ms: number): void {
    this.timer = setInterval(() => this.step(), ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

export function createSimulatedCharger(
  capabilities: ChargerCapabilities,
  options: SimulatedChargerOptions = {},
): SimulatedCharger {
  const charger = new InProcessCharger(capabilities, options.now ?? Date.now, options.sessionStartLateMs);
  if (options.car !== null) charger.plugIn(options.car ?? {}, options.pluggedSinceMs);
  if (options.tickMs !== false) charger.tickEvery(options.tickMs ?? 1000);
  return charger;
}
