/** A meter behind raw TCP (ser2net, a network P1 dongle, `p1-sim run --output tcp`). Reconnects with backoff. */
import { createConnection, type Socket } from 'node:net';
import { Backoff, FramedMeterSource, type FramingOptions } from './framed-source';

export interface TcpMeterConfig extends FramingOptions {
  source: 'tcp';
  host?: string;
  port: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export class TcpMeterSource extends FramedMeterSource {
  readonly kind = 'tcp';
  private socket: Socket | null = null;
  private running = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly backoff: Backoff;
  private everConnected = false;

  constructor(readonly config: TcpMeterConfig) {
    super(config);
    this.backoff = new Backoff(config.reconnectMinMs ?? 200, config.reconnectMaxMs ?? 2_000);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.stopWatch();
    this.socket?.destroy();
    this.socket = null;
  }

  private connect(): Promise<void> {
    return new Promise((resolve) => {
      const socket = createConnection({ host: this.config.host ?? '127.0.0.1', port: this.config.port });
      this.socket = socket;
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 10_000);
      let settled = false;
      const settle = () => {
        if (!settled) {
          settled = true;
          resolve();
        }
      };
      socket.once('connect', () => {
        if (this.everConnected) this.counters.reconnects++;
        this.everConnected = true;
        this.backoff.reset();
        this.connected();
        settle();
      });
      socket.on('data', (chunk) => this.ingest(chunk));
      socket.on('error', (err) =>
        this.fail(new Error(`${this.config.host ?? '127.0.0.1'}:${this.config.port}: ${err.message}`)),
      );
      socket.on('close', () => {
        settle();
        if (this.socket !== socket) return;
        this.socket = null;
        if (!this.running) return;
        this.disconnected();
        this.retry = setTimeout(() => {
          this.retry = null;
          if (this.running) void this.connect();
        }, this.backoff.delay());
      });
    });
  }
}
