/** A meter behind raw TCP (ser2net, a network P1 dongle, `p1-sim run --output tcp`). Reconnects with backoff. */
import { createConnection, type Socket } from 'node:net';
import { ReconnectingSource, type ReconnectOptions } from './reconnecting-source';

export interface TcpMeterConfig extends ReconnectOptions {
  source: 'tcp';
  host?: string;
  port: number;
}

export class TcpMeterSource extends ReconnectingSource {
  readonly kind = 'tcp';
  private socket: Socket | null = null;

  constructor(readonly config: TcpMeterConfig) {
    super(config);
  }

  protected closeLink(): void {
    this.socket?.destroy();
    this.socket = null;
  }

  protected openLink(): Promise<void> {
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
        this.linkUp();
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
        this.linkDown();
      });
    });
  }
}
