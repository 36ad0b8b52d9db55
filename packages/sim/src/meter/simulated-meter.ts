/**
 * The simulated meter in-process, as the bytes of its P1 port: each `open()` plugs a reader in and
 * returns a byte stream on which the telegrams flow (faults applied) at the meter's cadence, ×speed,
 * or one per `tick()`. The reader frames and parses them as it would a serial port's (@p1/drivers'
 * `stream` meter source does). An `unplug` fault ends the stream and refuses a new one until the
 * cable is back; `stop()` ends it for good.
 */
import { Readable } from 'node:stream';
import { type ActiveFault, FaultInjector, type FaultRequest } from './faults';
import { seededRandom } from './random';
import { MeterSimulation, type SimulationOptions } from './simulation';

export interface SimulatedMeterOptions extends Omit<SimulationOptions, 'model'> {
  /** Meter model name (see METER_MODELS) or a model; default fluvius-3ph. */
  model?: SimulationOptions['model'];
  /** Meter clock speed: 1 = real time, N = ×N; 0 = manual (call `tick()`). Default 1. */
  speed?: number;
  /** Runs before every telegram, e.g. to show the simulated chargers' cars in the meter's load. */
  beforeTelegram?: (simulation: MeterSimulation) => void;
}

export class SimulatedMeter {
  readonly simulation: MeterSimulation;
  readonly faults: FaultInjector;
  private stream: Readable | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unplugged = false;
  private stopped = false;

  constructor(private readonly options: SimulatedMeterOptions = {}) {
    this.simulation = new MeterSimulation({ ...options, model: options.model ?? 'fluvius-3ph' });
    this.faults = new FaultInjector(seededRandom(this.simulation.seed ^ 0xfa017));
    this.faults.addScenarioFaults(this.simulation.scenario.faults, this.simulation.startMs);
  }

  /** The Smarty key a reader needs (encrypted model only). */
  get key(): string | undefined {
    return this.simulation.key;
  }

  /** Plugs a reader in: a fresh byte stream (one reader at a time; the previous stream ends). */
  open(): Readable {
    if (this.stopped) throw new Error('the simulated meter has stopped');
    if (this.unplugged) throw new Error('the cable is unplugged from the simulated meter');
    this.endStream();
    const stream = new Readable({ read() {} });
    this.stream = stream;
    return stream;
  }

  /** Starts the meter clock (nothing to do at speed 0). */
  start(): void {
    const speed = this.options.speed ?? 1;
    if (this.stopped || this.timer || speed <= 0) return;
    this.timer = setInterval(() => this.tick(), (this.simulation.model.intervalS * 1000) / speed);
  }

  /** The meter goes away: the clock stops, the stream ends, no reader gets a new one. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.endStream();
  }

  injectFault(request: FaultRequest): ActiveFault {
    return this.faults.add(request, this.simulation.nowMs, this.simulation);
  }

  /** One telegram interval of meter time: physics, faults, then the bytes onto the open stream. */
  tick(): void {
    this.options.beforeTelegram?.(this.simulation);
    const out = this.simulation.next();
    const wire = this.faults.apply(out, this.simulation);
    this.unplugged = this.faults.active('unplug', out.atMs) !== undefined;
    if (this.unplugged) {
      this.endStream();
      return;
    }
    // With no reader plugged in the meter sends all the same, to nobody.
    for (const chunk of wire.chunks) this.stream?.push(chunk);
  }

  private endStream(): void {
    const stream = this.stream;
    this.stream = null;
    stream?.push(null);
  }
}

export function createSimulatedMeter(options: SimulatedMeterOptions = {}): SimulatedMeter {
  return new SimulatedMeter(options);
}
