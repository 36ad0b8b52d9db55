/**
 * What every byte-stream meter source shares: the framer, counters, events, and the diagnosis a
 * user can act on — "no bytes at all" (port closed? cable?) vs "bytes but no valid telegram"
 * (wrong baud, uninverted signal) vs "valid telegrams".
 */
import { EventEmitter } from 'node:events';
import type { Reading } from '@p1/dsmr';
import { TelegramFramer } from '@p1/dsmr';
import type { MeterCounters, MeterDiagnosis, MeterSource, MeterSourceEvents } from './meter-source';

export interface DiagnosisOptions {
  /** Connected but no byte for this long → 'no-bytes' (default 15 s: DSMR 4 sends every 10 s). */
  silenceMs?: number;
  /** Bytes arrive but no valid telegram for this long → 'bytes-no-telegram' (default 25 s). */
  invalidMs?: number;
}

export interface FramingOptions extends DiagnosisOptions {
  /** Luxembourg Smarty key (32 hex digits). */
  smartyKey?: string;
  maxFrameBytes?: number;
}

/** Garbage of this many bytes with no valid telegram is diagnosed at once, without waiting. */
const GARBAGE_BYTES = 16_384;

export abstract class FramedMeterSource extends EventEmitter<MeterSourceEvents> implements MeterSource {
  abstract readonly kind: string;
  readonly counters: MeterCounters = { bytes: 0, goodFrames: 0, badFrames: 0, badByCode: {}, reconnects: 0 };
  /** The latest valid reading, for whoever joins late. */
  latest: Reading | null = null;
  private state: MeterDiagnosis = 'connecting';
  private framer: TelegramFramer;
  private connectedAt = 0;
  private lastByteAt = 0;
  private lastValidAt = 0;
  private bytesSinceValid = 0;
  private watch: NodeJS.Timeout | null = null;
  protected readonly silenceMs: number;
  protected readonly invalidMs: number;

  constructor(protected readonly framing: FramingOptions = {}) {
    super();
    this.silenceMs = framing.silenceMs ?? 15_000;
    this.invalidMs = framing.invalidMs ?? 25_000;
    this.framer = this.newFramer();
  }

  get diagnosis(): MeterDiagnosis {
    return this.state;
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  private newFramer(): TelegramFramer {
    return new TelegramFramer({
      ...(this.framing.smartyKey ? { smartyKey: this.framing.smartyKey } : {}),
      ...(this.framing.maxFrameBytes ? { maxFrameBytes: this.framing.maxFrameBytes } : {}),
    });
  }

  protected setDiagnosis(next: MeterDiagnosis): void {
    if (next === this.state) return;
    this.state = next;
    this.emit('diagnosis', next);
  }

  /** Reports an error to listeners without crashing a process that has none. */
  protected fail(error: Error): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }

  /** The link is up: a fresh framer, so the first telegram after a reconnect is not lost to old bytes. */
  protected connected(): void {
    this.framer = this.newFramer();
    this.connectedAt = Date.now();
    this.bytesSinceValid = 0;
    this.setDiagnosis(this.lastValidAt > 0 && this.state === 'valid-telegrams' ? 'valid-telegrams' : 'connecting');
    this.startWatch();
  }

  /** The link is down (unplugged, refused, closed); a partial frame is reported as truncated. */
  protected disconnected(): void {
    for (const frame of this.framer.end()) this.onFrame(frame.reading, frame.raw);
    this.framer = this.newFramer();
    this.setDiagnosis('disconnected');
  }

  /** The input ended (a capture played out): a telegram still waiting for its line ending is reported. */
  protected inputEnded(): void {
    for (const frame of this.framer.end()) this.onFrame(frame.reading, frame.raw);
  }

  protected stopWatch(): void {
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
  }

  private startWatch(): void {
    if (this.watch) return;
    const every = Math.max(50, Math.min(this.silenceMs, this.invalidMs) / 5);
    this.watch = setInterval(() => this.review(), every);
    this.watch.unref();
  }

  /** Re-evaluates the diagnosis from the clock (silence and garbage are noticed by time passing). */
  protected review(now = Date.now()): void {
    if (this.state === 'disconnected') return;
    const since = Math.max(this.lastByteAt, this.connectedAt);
    if (now - since >= this.silenceMs) {
      this.setDiagnosis('no-bytes');
      return;
    }
    if (this.lastByteAt <= this.connectedAt) return; // nothing yet, still within the grace period
    const validSince = Math.max(this.lastValidAt, this.connectedAt);
    if (this.bytesSinceValid > 0 && now - validSince >= this.invalidMs) this.setDiagnosis('bytes-no-telegram');
  }

  /** Feeds received bytes: counters, the `data` event, frames → `reading` events. */
  protected ingest(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.counters.bytes += chunk.length;
    this.lastByteAt = Date.now();
    this.bytesSinceValid += chunk.length;
    this.emit('data', chunk);
    for (const frame of this.framer.push(chunk)) this.onFrame(frame.reading, frame.raw);
    if (this.state === 'valid-telegrams' || this.state === 'bytes-no-telegram') {
      if (this.bytesSinceValid >= GARBAGE_BYTES) this.setDiagnosis('bytes-no-telegram');
    } else if (this.state === 'no-bytes' || this.bytesSinceValid >= GARBAGE_BYTES) {
      // Bytes again after silence, and none of them a valid telegram (yet).
      this.setDiagnosis('bytes-no-telegram');
    }
  }

  private onFrame(reading: Reading, raw: Uint8Array): void {
    if (reading.ok) {
      this.counters.goodFrames++;
      this.lastValidAt = Date.now();
      this.bytesSinceValid = 0;
      this.latest = reading;
      this.setDiagnosis('valid-telegrams');
    } else {
      this.counters.badFrames++;
      const code = reading.error?.code ?? 'malformed';
      this.counters.badByCode[code] = (this.counters.badByCode[code] ?? 0) + 1;
    }
    this.emit('reading', reading, raw);
  }
}

/** Exponential backoff for reconnects: min, ×2, capped; reset after a good connection. */
export class Backoff {
  private next: number;
  constructor(
    private readonly minMs = 200,
    private readonly maxMs = 2_000,
  ) {
    this.next = minMs;
  }
  delay(): number {
    const d = this.next;
    this.next = Math.min(this.maxMs, this.next * 2);
    return d;
  }
  reset(): void {
    this.next = this.minMs;
  }
}
