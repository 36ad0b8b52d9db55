/**
 * What serial, TCP and stream sources share: a link that can drop (a pulled cable, a lost socket, an
 * ended stream) and is opened again with backoff, without a restart, for as long as the source runs.
 */
import { Backoff, FramedMeterSource, type FramingOptions } from './framed-source';

export interface ReconnectOptions extends FramingOptions {
  /** Reconnect backoff: first wait, doubling up to the last (default 200 ms … 2 s). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export abstract class ReconnectingSource extends FramedMeterSource {
  protected running = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;
  private everOpened = false;

  constructor(options: ReconnectOptions) {
    super(options);
    this.backoff = new Backoff(options.reconnectMinMs ?? 200, options.reconnectMaxMs ?? 2_000);
  }

  /** One attempt: resolves once the link is up (`linkUp`) or the attempt failed (`linkDown`). */
  protected abstract openLink(): Promise<void>;
  /** Closes the link for good. */
  protected abstract closeLink(): Promise<void> | void;

  /** Resolves once the first attempt finished; later failures retry in the background. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.openLink();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.stopWatch();
    await this.closeLink();
  }

  /** The link is up: a reopen counts as a reconnect, the backoff starts over, the framer is fresh. */
  protected linkUp(): void {
    if (this.everOpened) this.counters.reconnects++;
    this.everOpened = true;
    this.backoff.reset();
    this.connected();
  }

  /** The link dropped or would not open: disconnected, and another attempt once the backoff has passed. */
  protected linkDown(): void {
    if (!this.running) return;
    if (this.diagnosis !== 'disconnected') this.disconnected();
    this.retryLater();
  }

  protected retryLater(): void {
    if (!this.running || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.running) void this.openLink();
    }, this.backoff.delay());
  }
}
