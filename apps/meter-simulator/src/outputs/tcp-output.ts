/**
 * Raw P1 over TCP, as ser2net and network dongles serve it: every connected client gets the same
 * bytes. A client that stops reading is skipped (its telegrams dropped) instead of buffering forever.
 */

import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import type { Output } from './output';
import { PluggableOutput } from './pluggable';

const CLIENT_BUFFER_LIMIT = 256 * 1024;

export class TcpOutput extends PluggableOutput implements Output {
  readonly kind = 'tcp';
  private server: Server | null = null;
  private readonly clients = new Set<Socket>();
  private boundPort: number;
  private bytes = 0;
  private skipped = 0;
  private connections = 0;

  constructor(
    private readonly host: string,
    port: number,
  ) {
    super();
    this.boundPort = port;
  }

  get address(): string {
    return `${this.host}:${this.boundPort}`;
  }

  get port(): number {
    return this.boundPort;
  }

  async start(): Promise<void> {
    const server = createServer((socket) => {
      this.connections++;
      socket.setNoDelay(true);
      this.clients.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => this.clients.delete(socket));
      // A reader never talks to a meter; whatever it sends is ignored.
      socket.resume();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  write(chunk: Uint8Array): void {
    for (const c of this.clients) {
      if (c.writableLength > CLIENT_BUFFER_LIMIT) {
        this.skipped++;
        continue;
      }
      this.bytes += chunk.length;
      c.write(chunk);
    }
  }

  backpressure(): Promise<void> | null {
    return null;
  }

  /** Drops every client and stops listening, like a dongle that lost power. */
  protected async pull(): Promise<void> {
    for (const c of this.clients) c.destroy();
    this.clients.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  protected async insert(): Promise<void> {
    if (!this.server) await this.start();
  }

  async stop(): Promise<void> {
    await this.unplug();
  }

  stats(): Record<string, unknown> {
    return {
      kind: this.kind,
      address: this.address,
      listening: this.server !== null,
      clients: this.clients.size,
      connections: this.connections,
      bytes: this.bytes,
      skippedSlowClient: this.skipped,
    };
  }
}
