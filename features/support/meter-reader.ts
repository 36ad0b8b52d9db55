import { createWriteStream, type WriteStream } from 'node:fs';
import { createMeterSource, type FramingOptions, type MeterDiagnosis, type MeterSource } from '@p1/drivers';
import type { Reading } from '@p1/dsmr';

/** One frame as the house received it: the parsed reading, its raw bytes and when it arrived. */
export interface Received {
  reading: Reading;
  raw: Uint8Array;
  atMs: number;
}

/**
 * The house's side of the P1 cable: the product's own serial meter source on a device path, keeping every
 * frame it delivers and (optionally) a raw capture of the bytes for the nightly archive.
 */
export class MeterReader {
  readonly frames: Received[] = [];
  readonly diagnoses: MeterDiagnosis[] = [];
  private source: MeterSource | undefined;
  private capture: WriteStream | undefined;
  private listeners = new Set<() => void>();

  constructor(
    readonly device: string,
    readonly baud: number,
    private readonly capturePath?: string,
    private readonly framing: FramingOptions = {},
  ) {}

  async start(): Promise<void> {
    if (this.capturePath) this.capture = createWriteStream(this.capturePath, { flags: 'a' });
    const source = await createMeterSource({
      source: 'serial',
      device: this.device,
      baud: this.baud,
      ...this.framing,
    });
    source.on('reading', (reading, raw) => {
      this.frames.push({ reading, raw, atMs: Date.now() });
      this.notify();
    });
    source.on('data', (chunk) => this.capture?.write(chunk));
    source.on('diagnosis', (d) => {
      this.diagnoses.push(d);
      this.notify();
    });
    // Errors are part of what a scenario observes (diagnosis); they must not crash the run.
    source.on('error', () => {});
    this.source = source;
    await source.start();
  }

  get diagnosis(): MeterDiagnosis {
    return this.source?.diagnosis ?? 'connecting';
  }

  get counters() {
    return this.source?.counters;
  }

  valid(): Received[] {
    return this.frames.filter((f) => f.reading.ok);
  }

  rejected(): Received[] {
    return this.frames.filter((f) => !f.reading.ok);
  }

  latest(): Reading | undefined {
    return this.valid().at(-1)?.reading;
  }

  /** Waits until `predicate` holds over what has arrived so far; rejects with `describe()` after `timeoutMs`. */
  until(predicate: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(describe()));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves once `count` more valid telegrams have arrived. */
  nextValid(count: number, timeoutMs: number): Promise<Received[]> {
    const from = this.valid().length;
    return this.until(
      () => this.valid().length >= from + count,
      timeoutMs,
      () => `the house received ${this.valid().length - from} of ${count} telegrams within ${timeoutMs / 1000} s`,
    ).then(() => this.valid().slice(from, from + count));
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  async stop(): Promise<void> {
    await this.source?.stop().catch(() => {});
    this.source = undefined;
    await new Promise<void>((r) => (this.capture ? this.capture.end(r) : r()));
  }
}
