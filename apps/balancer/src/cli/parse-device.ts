/**
 * `p1 parse --device PATH [--baud N]`: live telegrams from a serial port through the meter driver,
 * one JSON line per frame (packages/dsmr/README.md#reading-json) until SIGINT/SIGTERM. The driver reopens
 * the port after an unplug; only a port that cannot be opened at all is an I/O error.
 */
import { createMeterSource } from '@p1/drivers';
import type { Reading } from '@p1/dsmr';

export interface ParseDeviceOptions {
  device: string;
  baud: number;
  smartyKey?: string;
  out: NodeJS.WritableStream;
  /** Stops reading (besides SIGINT/SIGTERM); for tests and embedding. */
  signal?: AbortSignal;
}

/** 0 every frame ok, 1 at least one frame rejected, 2 I/O error. */
export async function parseDevice(opts: ParseDeviceOptions): Promise<number> {
  const source = await createMeterSource({
    source: 'serial',
    device: opts.device,
    baud: opts.baud,
    ...(opts.smartyKey ? { smartyKey: opts.smartyKey } : {}),
  });
  let rejected = 0;
  let lastError: string | null = null;
  source.on('error', (err) => {
    lastError = err.message;
  });
  source.on('reading', (reading: Reading) => {
    if (!reading.ok) rejected++;
    opts.out.write(`${JSON.stringify(reading)}\n`);
  });
  let reported: string | null = null;
  source.on('diagnosis', (d) => {
    // Tell the user what to check, once per change, on stderr (stdout stays JSON Lines).
    if (d === 'valid-telegrams') reported = null;
    if (d === reported || d === 'valid-telegrams' || d === 'connecting') return;
    reported = d;
    const hint =
      d === 'no-bytes'
        ? 'no bytes at all: is the P1 port open at the grid operator and the cable plugged in?'
        : d === 'bytes-no-telegram'
          ? `bytes but no valid telegram: wrong baud rate (${opts.baud}) or a signal that is not inverted?`
          : `${opts.device} disconnected; reopening…`;
    process.stderr.write(`p1 parse: ${hint}\n`);
  });

  await source.start();
  if (source.diagnosis === 'disconnected') {
    await source.stop();
    process.stderr.write(`p1 parse: ${lastError ?? `cannot open ${opts.device}`}.\n`);
    return 2;
  }

  await new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      opts.signal?.removeEventListener('abort', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    if (opts.signal?.aborted) done();
    else opts.signal?.addEventListener('abort', done);
  });
  await source.stop();
  return rejected > 0 ? 1 : 0;
}
