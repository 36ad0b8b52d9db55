/**
 * Any byte stream as a meter: `open()` hands over a Readable (the in-process simulated meter of
 * @p1/sim, a pipe, a socket dialled elsewhere) whose bytes go through the same framer and diagnosis
 * as a serial port's. When the stream ends or fails it is opened again with backoff, as a replugged
 * cable is; an `open()` that throws or rejects is retried the same way.
 */
import type { Readable } from 'node:stream';
import { ReconnectingSource, type ReconnectOptions } from './reconnecting-source';

export interface StreamMeterConfig extends ReconnectOptions {
  source: 'stream';
  /** Opens the byte stream (bytes, not object or string mode). */
  open: () => Readable | Promise<Readable>;
  /** Names the stream in error messages (default "stream"). */
  name?: string;
}

export class StreamMeterSource extends ReconnectingSource {
  readonly kind = 'stream';
  private stream: Readable | null = null;

  constructor(readonly config: StreamMeterConfig) {
    super(config);
  }

  private problem(err: unknown): Error {
    return new Error(`${this.config.name ?? 'stream'}: ${(err as Error).message}`);
  }

  protected closeLink(): void {
    const stream = this.stream;
    this.stream = null;
    if (!stream) return;
    stream.removeAllListeners();
    stream.on('error', () => {});
    stream.destroy();
  }

  protected async openLink(): Promise<void> {
    let stream: Readable;
    try {
      stream = await this.config.open();
    } catch (err) {
      if (!this.running) return;
      this.linkDown();
      this.fail(this.problem(err));
      return;
    }
    if (!this.running) {
      stream.destroy();
      return;
    }
    this.stream = stream;
    const ended = () => {
      if (this.stream !== stream) return;
      this.stream = null;
      stream.removeAllListeners();
      stream.on('error', () => {});
      this.linkDown();
    };
    stream.on('data', (chunk: Uint8Array) => this.ingest(chunk));
    stream.on('error', (err) => this.fail(this.problem(err)));
    stream.once('end', ended);
    stream.once('close', ended);
    this.linkUp();
  }
}
