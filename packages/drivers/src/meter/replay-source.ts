/**
 * Replays a capture file (raw P1 bytes, e.g. from `p1-sim generate` or a serial dump). Fast: the whole
 * file as quickly as the reader takes it. Real time: telegram by telegram, spaced by their meter
 * timestamps (or `intervalMs` when a telegram has none), divided by `speed`.
 */
import { readFile } from 'node:fs/promises';
import { TelegramFramer } from '@p1/dsmr';
import { FramedMeterSource, type FramingOptions } from './framed-source';

export interface ReplayMeterConfig extends FramingOptions {
  source: 'replay';
  file: string;
  /** Pace telegrams like the meter did (default true); false = as fast as possible. */
  realtime?: boolean;
  /** Real-time replay accelerated ×speed (default 1). */
  speed?: number;
  /** Gap for telegrams without a usable timestamp (default 1000 ms). */
  intervalMs?: number;
  /** Start over at the end of the file. */
  loop?: boolean;
}

const CHUNK = 65_536;

export class ReplayMeterSource extends FramedMeterSource {
  readonly kind = 'replay';
  private running = false;
  private timer: NodeJS.Timeout | null = null;
  /** Resolves when a non-looping replay has sent everything. */
  readonly done: Promise<void>;
  private finish!: () => void;

  constructor(readonly config: ReplayMeterConfig) {
    super(config);
    this.done = new Promise((resolve) => {
      this.finish = resolve;
    });
  }

  async start(): Promise<void> {
    if (this.running) return;
    const bytes = await readFile(this.config.file);
    this.running = true;
    this.connected();
    if (this.config.realtime === false) this.fast(bytes, 0);
    else this.paced(this.split(bytes), 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopWatch();
    this.finish();
  }

  private fast(bytes: Uint8Array, at: number): void {
    if (!this.running) return;
    this.ingest(bytes.subarray(at, at + CHUNK));
    const next = at + CHUNK;
    if (next < bytes.length) {
      setImmediate(() => this.fast(bytes, next));
    } else if (this.config.loop) {
      setImmediate(() => this.fast(bytes, 0));
    } else {
      this.end();
    }
  }

  /** Frames with the time to wait before each (from the telegram timestamps). */
  private split(bytes: Uint8Array): Array<{ raw: Uint8Array; waitMs: number }> {
    const framer = new TelegramFramer(this.config.smartyKey ? { smartyKey: this.config.smartyKey } : {});
    const frames = [...framer.push(bytes), ...framer.end()];
    const interval = this.config.intervalMs ?? 1000;
    let previous: number | null = null;
    return frames.map((f) => {
      const at = f.reading.timestamp ? Date.parse(f.reading.timestamp) : Number.NaN;
      let waitMs = previous === null ? 0 : interval;
      if (Number.isFinite(at) && previous !== null && at > previous && at - previous < 3_600_000)
        waitMs = at - previous;
      if (Number.isFinite(at)) previous = at;
      else if (previous !== null) previous += interval;
      return { raw: f.raw, waitMs };
    });
  }

  private paced(frames: Array<{ raw: Uint8Array; waitMs: number }>, index: number): void {
    if (!this.running) return;
    const frame = frames[index];
    if (!frame) {
      if (this.config.loop && frames.length > 0) this.paced(frames, 0);
      else this.end();
      return;
    }
    const speed = this.config.speed ?? 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.running) return;
      this.ingest(frame.raw);
      this.paced(frames, index + 1);
    }, frame.waitMs / speed);
  }

  private end(): void {
    this.inputEnded();
    this.running = false;
    this.stopWatch();
    this.finish();
  }
}
