/**
 * A meter on a serial port (a P1 cable, a socat pty, the HIL rig). 115200 8N1 by default; 9600
 * implies 7E1 (DSMR 2.2/3). Reopens with backoff after an unplug or a failed open, without a restart.
 */
import { existsSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { ReconnectingSource, type ReconnectOptions } from './reconnecting-source';
import { serialSettings } from './serial-settings';

/** The slice of a serialport stream this driver uses (SerialPort and SerialPortMock both fit). */
export interface SerialPortLike {
  readonly isOpen: boolean;
  open(callback: (err: Error | null) => void): void;
  close(callback?: (err: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (err?: Error & { disconnected?: boolean }) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  removeAllListeners(): this;
}

export interface SerialOpenOptions {
  path: string;
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even';
  stopBits: 1;
}

export interface SerialMeterConfig extends ReconnectOptions {
  source: 'serial';
  device: string;
  /** 115200 (8N1, default) or 9600 (7E1 unless dataBits/parity say otherwise). */
  baud?: number;
  dataBits?: 7 | 8;
  parity?: 'none' | 'even';
  /** Opens a port; default a real `SerialPort`. Tests pass `SerialPortMock`. */
  openPort?: (options: SerialOpenOptions) => SerialPortLike;
}

/**
 * How often an open port's device path is looked for (ms). The binding learns of a hang-up only through a
 * read that fails; one it misses (a USB cable pulled, a pty whose peer ended) would leave the source on a
 * dead descriptor, silent, and never reopening the device when it comes back.
 */
const DEVICE_CHECK_MS = 1_000;

export class SerialMeterSource extends ReconnectingSource {
  readonly kind = 'serial';
  private port: SerialPortLike | null = null;
  private deviceCheck: NodeJS.Timeout | null = null;

  constructor(readonly config: SerialMeterConfig) {
    super(config);
  }

  get options(): SerialOpenOptions {
    const baudRate = this.config.baud ?? 115200;
    const defaults = serialSettings(baudRate);
    return {
      path: this.config.device,
      baudRate,
      dataBits: this.config.dataBits ?? defaults.dataBits,
      parity: this.config.parity ?? defaults.parity,
      stopBits: 1,
    };
  }

  protected async closeLink(): Promise<void> {
    this.stopDeviceCheck();
    const port = this.port;
    this.port = null;
    if (port) {
      port.removeAllListeners();
      port.on('error', () => {});
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    }
  }

  protected openLink(): Promise<void> {
    return new Promise((resolve) => {
      const open = this.config.openPort ?? ((o: SerialOpenOptions) => new SerialPort({ ...o, autoOpen: false }));
      let port: SerialPortLike;
      try {
        port = open(this.options);
      } catch (err) {
        this.fail(err as Error);
        this.retryLater();
        resolve();
        return;
      }
      this.port = port;
      port.on('error', (err) => this.fail(err));
      port.open((err) => {
        if (!this.running || this.port !== port) {
          if (!err) port.close();
          resolve();
          return;
        }
        if (err) {
          this.port = null;
          port.removeAllListeners();
          this.linkDown();
          this.fail(new Error(`cannot open ${this.config.device}: ${err.message}`));
          resolve();
          return;
        }
        port.on('data', (chunk) => this.ingest(chunk));
        port.on('close', () => this.lost(port));
        // Only a path that is there now can be missed later (a test's mock port has none).
        if (existsSync(this.config.device)) {
          this.stopDeviceCheck();
          this.deviceCheck = setInterval(() => {
            if (existsSync(this.config.device)) return;
            this.lost(port);
            if (port.isOpen) port.close(() => {});
          }, DEVICE_CHECK_MS).unref();
        }
        this.linkUp();
        resolve();
      });
    });
  }

  /** The open port is gone (its close event, or its device path vanished): disconnected, and reopened later. */
  private lost(port: SerialPortLike): void {
    if (this.port !== port) return;
    this.stopDeviceCheck();
    this.port = null;
    port.removeAllListeners();
    port.on('error', () => {});
    this.linkDown();
  }

  private stopDeviceCheck(): void {
    if (this.deviceCheck) clearInterval(this.deviceCheck);
    this.deviceCheck = null;
  }
}
