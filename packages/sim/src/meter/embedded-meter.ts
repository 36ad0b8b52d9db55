import { closeSync, constants, openSync, write } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Connection } from '@p1/balancer';
import type { Scenario } from '@p1/scenario';
import { openVirtualSerialPair, SocatMissingError, type SocatPair } from '../virtual-serial';
import { demoScenario } from './demo-scenario';
import { findModel } from './models';
import { SimulatedMeter } from './simulated-meter';
import type { MeterSimulation } from './simulation';

export interface EmbeddedMeterOptions {
  model: string;
  /** Supply type; default the model's. */
  connection?: Connection;
  /** 1 = real time; N = N telegram intervals per interval. */
  speed: number;
  scenario?: Scenario;
  seed?: number;
  /** Called before every telegram: lets the simulated chargers' cars show up in the meter. */
  beforeTelegram?: (simulation: MeterSimulation) => void;
}

/** How a reader gets the embedded meter's bytes: @p1/drivers' `serial` or `stream` source settings. */
export type EmbeddedMeterLink =
  | { source: 'serial'; device: string; baud: number }
  | { source: 'stream'; name: string; open: () => Readable };

export interface EmbeddedMeter {
  /** How the module reads it: the serial driver on the socat pair, or the stream source in-process. */
  readonly source: EmbeddedMeterLink;
  /** The serial device the module reads; null when there is no socat and the bytes stay in-process. */
  readonly device: string | null;
  readonly simulation: MeterSimulation;
  stop(): Promise<void>;
}

/**
 * The module's embedded simulated meter: real telegram bytes written into one end of a socat pty
 * pair, so the module reads the other end through the same serial driver as a P1 cable. Without
 * socat the same bytes reach the module in-process, through the same framer and parser.
 */
export async function startEmbeddedMeter(options: EmbeddedMeterOptions): Promise<EmbeddedMeter> {
  const startMs = Math.floor(Date.now() / 1000) * 1000;
  const connection = options.connection ?? findModel(options.model)?.connections[0] ?? '3N400';
  const meter = new SimulatedMeter({
    model: options.model,
    connection,
    // without a scenario file: the demo household, whose appliances start in the first minutes
    scenario: options.scenario ?? demoScenario(connection, startMs, options.seed ?? 1),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    startMs,
    speed: options.speed,
    ...(options.beforeTelegram ? { beforeTelegram: options.beforeTelegram } : {}),
  });
  // The scenario's own cars stay parked: the module's simulated chargers drive the EV load.
  for (const name of meter.simulation.evNames()) meter.simulation.setEvOffered(name, 0);
  let pair: SocatPair | null = null;
  try {
    pair = await openVirtualSerialPair();
  } catch (err) {
    if (!(err instanceof SocatMissingError)) throw err;
  }
  let closeFd = () => {};
  if (pair) {
    const fd = openSync(pair.meterEnd, constants.O_WRONLY | constants.O_NOCTTY);
    closeFd = () => closeSync(fd);
    let writing = false;
    meter.open().on('data', (chunk: Buffer) => {
      if (writing) return; // the reader is slower than the clock: skip rather than queue
      writing = true;
      write(fd, chunk, () => {
        writing = false;
      });
    });
  }
  meter.start();
  let stopped = false;
  return {
    source: pair
      ? { source: 'serial', device: pair.readerEnd, baud: 115200 }
      : { source: 'stream', name: 'simulated meter', open: () => meter.open() },
    device: pair?.readerEnd ?? null,
    simulation: meter.simulation,
    async stop() {
      if (stopped) return;
      stopped = true;
      meter.stop();
      closeFd();
      await pair?.close();
    },
  };
}
