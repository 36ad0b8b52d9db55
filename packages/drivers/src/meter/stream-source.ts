/**
 * Any byte stream as a meter: `open()` hands over a Readable (the in-process simulated meter of
 * @p1/sim, a pipe, a socket dialled elsewhere) whose bytes go through the same framer and diagnosis
 * as a serial port's. When the stream ends or fails it is opened again with backoff, as a replugged
 * cable is; an `open()` that throws or rejects is retried the same way.
 */
import type { Readable } from 'node:stream';
import { Backoff, FramedMeterSource, type FramingOptions } from './framed-source';

export interface StreamMeterConfig extends FramingOptions {
  source: 'stream';
  /** Opens the byte stream (bytes, not object or string mode). */
  open: () => Readable | Promise<Readable>;
  /** Names the stream in error messages (default "stream"). */
  name?: string;
  /** Reconnect backoff (ms). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export class StreamMeterSource extends FramedMeterSource {
  readonly kind = 'stream';
  private stream: Readable | null = null;
  private running = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;
  private everOpened = false;

  constructor(readonly config: StreamMeterConfig) {
    super(config);
    this.backoff = new Backoff(config.reconnectMinMs ?? 200, config.reconnectMaxMs ?? 2_000);
  }

  /** Resolves once the first open attempt finished; later failures retry in the background. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.open();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.stopWatch();
    const stream = this.stream;
    this.stream = null;
    if (stream) {
      stream.removeAllListeners();
      stream.on('error', () => {});
      stream.destroy();
    }
  }

  private problem(err: unknown): Error {
    return new Error(`${this.config.name ?? 'stream'}: ${(err as Error).message}`);
  }

  private async open(): Promise<void> {
    let stream: Readable;
    try {
      stream = await this.config.open();
    } catch (err) {
      if (!this.running) return;
      if (this.diagnosis !== 'disconnected') this.disconnected();
      this.fail(this.problem(err));
      this.scheduleReconnect();
      return;
    }
    if (!this.running) {
      stream.destroy();
      return;
    }
    if (this.everOpened) this.counters.reconnects++;
    this.everOpened = true;
    this.backoff.reset();
    this.stream = stream;
    const ended = () => {
      if (this.stream !== stream) return;
      this.stream = null;
      stream.removeAllListeners();
      stream.on('error', () => {});
      if (!this.running) return;
      this.disconnected();
      this.scheduleReconnect();
    };
    stream.on('data', (chunk: Uint8Array) => this.ingest(chunk));
    stream.on('error', (err) => this.fail(this.problem(err)));
    stream.once('end', ended);
    stream.once('close', ended);
    this.connected();
  }

  private scheduleReconnect(): void {
    if (!this.running || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.running) void this.open();
    }, this.backoff.delay());
  }
}
