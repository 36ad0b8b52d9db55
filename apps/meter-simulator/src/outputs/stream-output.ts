/** stdout or a file: every byte, in order, with backpressure (a pipe that stops reading slows the meter). */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { Output } from './output';

export class StreamOutput implements Output {
  readonly kind: 'stdout' | 'file';
  private stream: Writable | null = null;
  private bytes = 0;
  private closed = false;

  constructor(private readonly target: { stdout: NodeJS.WritableStream } | { file: string }) {
    this.kind = 'stdout' in target ? 'stdout' : 'file';
  }

  get address(): string {
    return 'file' in this.target ? this.target.file : '-';
  }

  async start(): Promise<void> {
    if ('file' in this.target) {
      const stream = createWriteStream(this.target.file, { flags: 'a' });
      await once(stream, 'open');
      this.stream = stream;
    } else {
      this.stream = this.target.stdout as Writable;
    }
    this.stream.on('error', () => {
      // EPIPE: the reader went away (e.g. `| head`); stop writing instead of crashing.
      this.closed = true;
    });
  }

  write(chunk: Uint8Array): void {
    if (!this.stream || this.closed) return;
    this.bytes += chunk.length;
    this.stream.write(chunk);
  }

  backpressure(): Promise<void> | null {
    const s = this.stream;
    if (!s || this.closed || !s.writableNeedDrain) return null;
    return once(s, 'drain').then(() => undefined);
  }

  get broken(): boolean {
    return this.closed;
  }

  async unplug(): Promise<void> {}
  async replug(): Promise<void> {}

  async stop(): Promise<void> {
    const s = this.stream;
    this.stream = null;
    if (s && 'file' in this.target) await new Promise<void>((resolve) => s.end(resolve));
  }

  stats(): Record<string, unknown> {
    return { kind: this.kind, address: this.address, bytes: this.bytes };
  }
}
