/** A real serial device (the HIL rig's USB-serial adapter wired to a P1 input), at the model's line settings. */
import { SerialPort } from 'serialport';
import type { Output } from './output';

export interface LineSettings {
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even';
}

/** Bytes nobody takes are dropped past this, as a P1 line drops them. */
const WRITE_BUFFER_LIMIT = 64 * 1024;

/** Opens a serial port for writing; resolves once open. */
export function openSerial(path: string, line: LineSettings): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const port = new SerialPort({ path, ...line, stopBits: 1, autoOpen: false });
    port.open((err) => (err ? reject(new Error(`cannot open ${path}: ${err.message}`)) : resolve(port)));
  });
}

export class SerialWriter {
  port: SerialPort | null = null;
  bytes = 0;
  dropped = 0;

  write(chunk: Uint8Array): void {
    const port = this.port;
    if (!port?.isOpen || port.writableLength > WRITE_BUFFER_LIMIT) {
      this.dropped += chunk.length;
      return;
    }
    this.bytes += chunk.length;
    port.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (!port) return;
    port.removeAllListeners('close');
    port.on('error', () => {});
    if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }
}

export class SerialOutput implements Output {
  readonly kind = 'serial';
  private readonly writer = new SerialWriter();
  private unplugged = false;

  constructor(
    readonly address: string,
    private readonly line: LineSettings,
  ) {}

  async start(): Promise<void> {
    this.writer.port = await openSerial(this.address, this.line);
    this.writer.port.on('error', () => {});
  }

  write(chunk: Uint8Array): void {
    if (!this.unplugged) this.writer.write(chunk);
  }

  backpressure(): Promise<void> | null {
    return null;
  }

  /** A real device cannot be unplugged from software: the line just goes quiet. */
  async unplug(): Promise<void> {
    this.unplugged = true;
  }

  async replug(): Promise<void> {
    this.unplugged = false;
  }

  async stop(): Promise<void> {
    await this.writer.close();
  }

  stats(): Record<string, unknown> {
    return {
      kind: this.kind,
      address: this.address,
      bytes: this.writer.bytes,
      dropped: this.writer.dropped,
      ...this.line,
    };
  }
}
