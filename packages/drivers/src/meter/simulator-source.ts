/**
 * The simulated meter in-process (the balancer's embedded default and tests): a MeterSimulation
 * whose telegrams go through fault injection and the same framer as real bytes.
 */

import { FramedMeterSource, type FramingOptions } from './framed-source';
import { FaultInjector, type FaultRequest } from './sim/faults';
import { type Random, seededRandom } from './sim/random';
import { MeterSimulation, type SimulationOptions } from './sim/simulation';

export interface SimulatorMeterConfig extends Omit<SimulationOptions, 'model'>, Omit<FramingOptions, 'smartyKey'> {
  source: 'simulator';
  /** Meter model name (see METER_MODELS); default fluvius-3ph. */
  model?: string;
  /** Meter clock speed: 1 = real time, N = ×N; 0 = manual (call `tick()`). Default 1. */
  speed?: number;
}

export class SimulatedMeterSource extends FramedMeterSource {
  readonly kind = 'simulator';
  readonly simulation: MeterSimulation;
  readonly faults: FaultInjector;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private unplugged = false;

  constructor(readonly config: SimulatorMeterConfig) {
    const simulation = new MeterSimulation({ ...config, model: config.model ?? 'fluvius-3ph' });
    super({ ...config, ...(simulation.key ? { smartyKey: simulation.key } : {}) });
    this.simulation = simulation;
    const random: Random = seededRandom(simulation.seed ^ 0xfa017);
    this.faults = new FaultInjector(random);
    this.faults.addScenarioFaults(simulation.scenario.faults, simulation.startMs);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.connected();
    const speed = this.config.speed ?? 1;
    if (speed <= 0) return;
    const everyMs = (this.simulation.model.intervalS * 1000) / speed;
    this.timer = setInterval(() => this.tick(), everyMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopWatch();
  }

  injectFault(request: FaultRequest): void {
    this.faults.add(request, this.simulation.nowMs, this.simulation);
  }

  /** One telegram interval of meter time: physics, faults, bytes into the framer. */
  tick(): void {
    const out = this.simulation.next();
    const wire = this.faults.apply(out, this.simulation);
    const unplug = this.faults.active('unplug', out.atMs) !== undefined;
    if (unplug && !this.unplugged) {
      this.unplugged = true;
      this.disconnected();
    } else if (!unplug && this.unplugged) {
      this.unplugged = false;
      this.counters.reconnects++;
      this.connected();
    }
    if (this.unplugged) return;
    for (const chunk of wire.chunks) this.ingest(chunk);
  }
}

export function createSimulatedMeter(config: Omit<SimulatorMeterConfig, 'source'> = {}): SimulatedMeterSource {
  return new SimulatedMeterSource({ ...config, source: 'simulator' });
}
