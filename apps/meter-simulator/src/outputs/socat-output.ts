/**
 * A virtual serial pair made by socat: the simulator writes one end, a reader opens the other
 * (`address`). Unplugging ends socat, which removes both links and gives the reader a disconnect;
 * replugging starts it again on the same paths.
 */

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type SocatPair, startSocatPair } from '@p1/sim';
import type { Output } from './output';
import { PluggableOutput } from './pluggable';
import { type LineSettings, openSerial, SerialWriter } from './serial-output';

export interface SocatOptions {
  /** The path readers open; default `<new temp dir>/ttyP1`. */
  link?: string;
  line: LineSettings;
  /** How long to wait for socat's links (default 5 s). */
  timeoutMs?: number;
}

export class SocatOutput extends PluggableOutput implements Output {
  readonly kind = 'socat';
  private socat: SocatPair | null = null;
  private readonly writer = new SerialWriter();
  private link: string;
  private meterSide: string;
  private tempDir: string | null = null;
  private plugs = 0;

  constructor(private readonly options: SocatOptions) {
    super();
    this.link = options.link ?? '';
    this.meterSide = options.link ? `${options.link}.meter` : '';
  }

  get address(): string {
    return this.link;
  }

  async start(): Promise<void> {
    if (!this.link) {
      this.tempDir = await mkdtemp(join(tmpdir(), 'p1-sim-'));
      this.link = join(this.tempDir, 'ttyP1');
      this.meterSide = join(this.tempDir, 'meter');
    } else if (!existsSync(dirname(this.link))) {
      throw new Error(`the directory of --link ${this.link} does not exist`);
    }
    await this.plug();
  }

  private async plug(): Promise<void> {
    this.socat = await startSocatPair(this.meterSide, this.link, this.options.timeoutMs);
    this.writer.port = await openSerial(this.meterSide, this.options.line);
    this.writer.port.on('error', () => {});
    this.plugs++;
  }

  write(chunk: Uint8Array): void {
    this.writer.write(chunk);
  }

  backpressure(): Promise<void> | null {
    return null;
  }

  protected async pull(): Promise<void> {
    await this.writer.close();
    const pair = this.socat;
    this.socat = null;
    await pair?.close();
  }

  protected async insert(): Promise<void> {
    if (!this.socat?.running) await this.plug();
  }

  async stop(): Promise<void> {
    await this.unplug().catch(() => {});
    if (this.tempDir) await rm(this.tempDir, { recursive: true, force: true });
  }

  stats(): Record<string, unknown> {
    return {
      kind: this.kind,
      address: this.link,
      plugged: this.socat?.running ?? false,
      plugs: this.plugs,
      bytes: this.writer.bytes,
      dropped: this.writer.dropped,
    };
  }
}
