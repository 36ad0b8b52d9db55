import { closeSync, constants, openSync, write } from 'node:fs';
import { MeterSimulation } from '@p1/drivers';
import type { Scenario } from '@p1/scenario';
import { openVirtualSerialPair, type VirtualSerialPair } from './virtual-serial';

export interface EmbeddedMeterOptions {
  model: string;
  /** 1 = real time; N = N telegram intervals per interval. */
  speed: number;
  scenario?: Scenario;
  seed?: number;
  /** Called before every telegram: lets the simulated chargers' cars show up in the meter. */
  beforeTelegram?: (simulation: MeterSimulation) => void;
}

export interface EmbeddedMeter {
  /** The serial device the module reads. */
  readonly device: string;
  readonly simulation: MeterSimulation;
  /** Epoch ms the last telegram's last byte was handed to the pty (for the latency bench). */
  lastWriteDoneAt: number;
  stop(): Promise<void>;
}

/**
 * The embedded default's meter: a simulated meter writing real telegram bytes into one end of a
 * socat pty pair, so the module reads the other end through the same serial driver as a P1 cable.
 */
export async function startEmbeddedMeter(options: EmbeddedMeterOptions): Promise<EmbeddedMeter> {
  const simulation = new MeterSimulation({
    model: options.model,
    ...(options.scenario ? { scenario: options.scenario } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    startMs: Math.floor(Date.now() / 1000) * 1000,
  });
  // The scenario's own cars stay parked: the module's simulated chargers drive the EV load.
  for (const name of simulation.evNames()) simulation.setEvOffered(name, 0);
  const pair: VirtualSerialPair = await openVirtualSerialPair();
  const fd = openSync(pair.meterEnd, constants.O_WRONLY | constants.O_NOCTTY);
  let writing = false;
  let stopped = false;
  const meter: EmbeddedMeter = {
    device: pair.readerEnd,
    simulation,
    lastWriteDoneAt: 0,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      closeSync(fd);
      await pair.close();
    },
  };
  const everyMs = (simulation.model.intervalS * 1000) / Math.max(0.01, options.speed);
  const timer = setInterval(() => {
    if (writing) return; // the reader is slower than the clock: skip rather than queue
    options.beforeTelegram?.(simulation);
    const out = simulation.next();
    if (!out.bytes) return;
    writing = true;
    write(fd, out.bytes, (err) => {
      writing = false;
      if (!err) meter.lastWriteDoneAt = Date.now();
    });
  }, everyMs);
  return meter;
}
