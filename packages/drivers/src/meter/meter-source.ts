import type { EventEmitter } from 'node:events';
import type { Reading } from '@p1/dsmr';

/**
 * What the user can act on: no bytes at all (port closed at the grid operator? cable?),
 * bytes but no valid telegram (wrong baud, uninverted signal), or valid telegrams.
 */
export type MeterDiagnosis = 'connecting' | 'no-bytes' | 'bytes-no-telegram' | 'valid-telegrams' | 'disconnected';

export interface MeterCounters {
  bytes: number;
  goodFrames: number;
  badFrames: number;
  /** Bad frames by error code (crc_mismatch, truncated, …). */
  badByCode: Record<string, number>;
  reconnects: number;
}

export interface MeterSourceEvents {
  /** Every frame, valid or not; `raw` is the frame's bytes (for the raw re-serve and /api/v1/telegram). */
  reading: [reading: Reading, raw: Uint8Array];
  /** Raw bytes as received (for the TCP re-serve and captures). */
  data: [chunk: Uint8Array];
  diagnosis: [diagnosis: MeterDiagnosis];
  error: [error: Error];
}

/** A meter measures: one interface for serial, TCP, replay, HTTP polling and any byte stream. */
export interface MeterSource extends EventEmitter<MeterSourceEvents> {
  readonly kind: string;
  readonly diagnosis: MeterDiagnosis;
  readonly counters: MeterCounters;
  start(): Promise<void>;
  stop(): Promise<void>;
}
