/**
 * A HomeWizard-style P1 meter on the network: polls `GET <url>/api/v1/telegram` (the raw telegram as
 * text) and frames it like any byte stream. A telegram identical to the previous one is the same
 * meter reading polled twice and is skipped.
 */
import { Backoff, FramedMeterSource, type FramingOptions } from './framed-source';

export interface HttpMeterConfig extends FramingOptions {
  source: 'http';
  /** Base URL, e.g. http://192.168.1.50 or http://127.0.0.1:8080. */
  url: string;
  /** Poll interval (default 1000 ms). */
  intervalMs?: number;
  /** Per-request timeout (default 3000 ms). */
  timeoutMs?: number;
}

export class HttpMeterSource extends FramedMeterSource {
  readonly kind = 'http';
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  private previous: Buffer | null = null;
  private up = false;
  private everUp = false;
  private readonly backoff = new Backoff(500, 10_000);

  constructor(readonly config: HttpMeterConfig) {
    super(config);
  }

  get endpoint(): string {
    return `${this.config.url.replace(/\/+$/, '')}/api/v1/telegram`;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.poll();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopWatch();
  }

  private async poll(): Promise<void> {
    let wait = this.config.intervalMs ?? 1000;
    try {
      const res = await fetch(this.endpoint, { signal: AbortSignal.timeout(this.config.timeoutMs ?? 3000) });
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${this.endpoint}`);
      const body = Buffer.from(await res.arrayBuffer());
      if (!this.up) {
        if (this.everUp) this.counters.reconnects++;
        this.up = true;
        this.everUp = true;
        this.backoff.reset();
        this.connected();
      }
      if (body.length > 0 && !(this.previous && body.equals(this.previous))) {
        this.previous = body;
        // One polled telegram is one complete frame: end it so the framer does not wait for the next '/'.
        this.ingest(body.at(-1) === 0x0a ? body : Buffer.concat([body, Buffer.from('\r\n')]));
      }
    } catch (err) {
      if (this.up || this.diagnosis === 'connecting') this.disconnected();
      this.up = false;
      this.fail(err as Error);
      wait = this.backoff.delay();
    }
    if (this.running) this.timer = setTimeout(() => void this.poll(), wait);
  }
}
