/**
 * Runs simulated meters in time: real time, ×N, or as fast as the outputs take it. Each tick
 * advances every meter one telegram interval, applies its faults and writes the bytes to its
 * outputs; unplug faults pull and re-insert the outputs' links.
 */
import {
  type ActiveFault,
  FaultInjector,
  type FaultRequest,
  MeterSimulation,
  type SimulationOptions,
  seededRandom,
} from '@p1/sim';
import type { Output } from './outputs/output';

export interface MeterInstance {
  index: number;
  sim: MeterSimulation;
  faults: FaultInjector;
  outputs: Output[];
  /** The latest telegram as sent (after faults), for GET /api/telegram. */
  last: Uint8Array | null;
  counters: { telegrams: number; bytes: number; silent: number; suppressed: number };
  unplugged: boolean;
}

export function createMeterInstance(index: number, options: SimulationOptions, outputs: Output[]): MeterInstance {
  const sim = new MeterSimulation(options);
  const faults = new FaultInjector(seededRandom(sim.seed ^ 0xfa017));
  faults.addScenarioFaults(sim.scenario.faults, sim.startMs);
  return {
    index,
    sim,
    faults,
    outputs,
    last: null,
    counters: { telegrams: 0, bytes: 0, silent: 0, suppressed: 0 },
    unplugged: false,
  };
}

export interface RuntimeOptions {
  /** Meter clock speed: 1 = real time, N = ×N, 'max' = as fast as possible. */
  speed: number | 'max';
  /** Stop after this many meter seconds (default: run until stopped). */
  durationS?: number;
  /** Called with a one-line notice for the operator (stderr). */
  log?: (line: string) => void;
}

export class SimulatorRuntime {
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private startedReal = 0;
  private ticks = 0;
  private endMs: number | null = null;
  private finished!: () => void;
  /** Resolves when the run ends (duration reached or stop()). */
  readonly done: Promise<void>;

  constructor(
    readonly meters: MeterInstance[],
    readonly options: RuntimeOptions,
  ) {
    if (meters.length === 0) throw new RangeError('at least one meter is needed');
    this.done = new Promise((resolve) => {
      this.finished = resolve;
    });
  }

  get intervalMs(): number {
    return (this.meters[0] as MeterInstance).sim.model.intervalS * 1000;
  }

  meter(index = 0): MeterInstance | undefined {
    return this.meters[index];
  }

  async start(): Promise<void> {
    for (const m of this.meters) for (const o of m.outputs) await o.start();
    const first = this.meters[0] as MeterInstance;
    if (this.options.durationS !== undefined) this.endMs = first.sim.nowMs + this.options.durationS * 1000;
    this.running = true;
    this.startedReal = performance.now();
    if (this.options.speed === 'max') void this.runFast();
    else this.schedule();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = false;
    for (const m of this.meters) for (const o of m.outputs) await o.stop().catch(() => {});
    this.finished();
  }

  /** Real or accelerated time: the k-th tick is due at start + k·interval/speed, so there is no drift. */
  private schedule(): void {
    if (!this.running) return;
    const speed = this.options.speed as number;
    const due = this.startedReal + ((this.ticks + 1) * this.intervalMs) / speed;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.tick();
        this.schedule();
      },
      Math.max(0, due - performance.now()),
    );
  }

  private async runFast(): Promise<void> {
    while (this.running) {
      this.tick();
      for (const m of this.meters) {
        for (const o of m.outputs) {
          const wait = o.backpressure();
          if (wait) await wait;
        }
      }
      // Let the control API and sockets breathe now and then.
      if (this.ticks % 256 === 0) await new Promise((r) => setImmediate(r));
    }
  }

  tick(): void {
    this.ticks++;
    let now = 0;
    for (const m of this.meters) now = this.tickMeter(m);
    if (this.endMs !== null && now >= this.endMs) void this.stop();
  }

  private tickMeter(m: MeterInstance): number {
    const out = m.sim.next();
    const wire = m.faults.apply(out, m.sim);
    const unplug = m.faults.active('unplug', out.atMs) !== undefined;
    if (unplug !== m.unplugged) {
      m.unplugged = unplug;
      this.options.log?.(`meter ${m.index}: ${unplug ? 'unplugged' : 'plugged back in'}`);
      for (const o of m.outputs) {
        (unplug ? o.unplug() : o.replug()).catch((err: Error) =>
          this.options.log?.(`meter ${m.index}: ${err.message}`),
        );
      }
    }
    if (!out.bytes) {
      m.counters.silent++;
      return out.atMs;
    }
    if (wire.chunks.length === 0) {
      m.counters.suppressed++;
      return out.atMs;
    }
    m.counters.telegrams++;
    m.last = wire.chunks.length === 1 ? (wire.chunks[0] as Uint8Array) : Buffer.concat(wire.chunks);
    for (const c of wire.chunks) m.counters.bytes += c.length;
    if (wire.delayMs === 0 && wire.gapMs === 0) {
      for (const c of wire.chunks) for (const o of m.outputs) o.write(c);
    } else {
      // Jitter: late, and in pieces, as a busy USB adapter delivers.
      wire.chunks.forEach((c, i) => {
        setTimeout(
          () => {
            for (const o of m.outputs) o.write(c);
          },
          wire.delayMs + i * wire.gapMs,
        );
      });
    }
    return out.atMs;
  }

  addFault(request: FaultRequest, index = 0): ActiveFault {
    const m = this.meters[index] as MeterInstance;
    return m.faults.add(request, m.sim.nowMs, m.sim);
  }

  state(index = 0): Record<string, unknown> | null {
    const m = this.meters[index];
    if (!m) return null;
    return {
      ...m.sim.state(),
      meter: m.index,
      meters: this.meters.length,
      speed: this.options.speed,
      faults: m.faults.list().map((f) => ({
        ...f,
        until: f.untilMs === null ? null : new Date(f.untilMs).toISOString(),
      })),
      faultsApplied: m.faults.applied,
      unplugged: m.unplugged,
      counters: { ...m.counters, ticks: this.ticks },
      outputs: m.outputs.map((o) => o.stats()),
    };
  }
}
