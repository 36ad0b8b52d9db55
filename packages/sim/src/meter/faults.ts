/**
 * Fault injection on the telegram stream, shared by the simulator app and the in-process meter:
 * what goes on the wire for one telegram given the active faults. Durations are meter-clock seconds
 * (so an accelerated clock shortens them in real time). Pure but for the injected random source.
 */

import { type FaultSpec, secondsUntilTimeOfDay } from '@p1/scenario';
import type { Random } from './random';
import type { MeterSimulation, TelegramOut } from './simulation';

export const FAULT_KINDS = [
  'crc',
  'truncate',
  'noise',
  'drop',
  'jitter',
  'outage',
  'unplug',
  'clockUnset',
  'clockJump',
  'freeze',
  'powerFailure',
  'invert',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Kinds that last for `durationS`; the others affect `count` telegrams (or a `rate` of them). */
const TIMED_KINDS: readonly FaultKind[] = [
  'outage',
  'unplug',
  'powerFailure',
  'jitter',
  'clockUnset',
  'clockJump',
  'freeze',
  'invert',
];

export interface FaultRequest {
  kind: FaultKind;
  /** Telegrams affected (crc, truncate, noise, drop); default 1. */
  count?: number;
  /** Instead of a count: the share of telegrams affected (0–1) for `durationS` (drop, crc, noise). */
  rate?: number;
  /** outage, unplug, powerFailure, jitter, clockUnset, invert, and rate-based faults; default 60 s. */
  durationS?: number;
  /** noise: bytes inserted before each affected telegram (default 64). */
  bytes?: number;
  /** jitter: largest extra delay in ms (default 400) — telegrams also arrive in several pieces. */
  maxMs?: number;
  /** clockJump: how far the meter's clock jumps (s, may be negative; default +900: a quarter ahead). */
  offsetS?: number;
}

export interface ActiveFault {
  id: number;
  kind: FaultKind;
  /** Telegrams still to affect, when counted. */
  remaining: number | null;
  /** Meter-clock instant the fault starts (scheduled faults; null = at once). */
  fromMs: number | null;
  /** Meter-clock instant the fault ends, when timed. */
  untilMs: number | null;
  rate: number | null;
  bytes: number;
  maxMs: number;
  offsetS: number;
}

export interface WireOutput {
  /** Byte chunks to write in order; empty when nothing goes out. */
  chunks: Uint8Array[];
  /** Delay before the first chunk and between chunks (ms, real time), for jitter. */
  delayMs: number;
  gapMs: number;
}

const SLASH = 0x2f;
const SMARTY_TAG = 0xdb;

/** Checks a request from the control API; returns one sentence naming the field at fault, or null. */
export function checkFaultRequest(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return 'the body must be a JSON object with a "kind"';
  const b = body as Record<string, unknown>;
  if (typeof b.kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(b.kind)) {
    return `"kind" must be one of ${FAULT_KINDS.join(', ')}`;
  }
  if (b.offsetS !== undefined && (typeof b.offsetS !== 'number' || !Number.isFinite(b.offsetS))) {
    return '"offsetS" must be a number of seconds';
  }
  for (const field of ['count', 'durationS', 'bytes', 'maxMs'] as const) {
    const v = b[field];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0)) {
      return `"${field}" must be a non-negative number`;
    }
  }
  if (b.rate !== undefined && (typeof b.rate !== 'number' || !(b.rate >= 0 && b.rate <= 1))) {
    return '"rate" must be a number from 0 to 1';
  }
  return null;
}

export class FaultInjector {
  private readonly faults: ActiveFault[] = [];
  private nextId = 1;
  /** Telegrams the faults changed or swallowed, by kind (for the state API and tests). */
  readonly applied: Record<string, number> = {};
  /** The last telegram that went out, and what a frozen dongle keeps repeating. */
  private lastSent: Uint8Array | null = null;
  private frozen: Uint8Array | null = null;

  constructor(private readonly random: Random) {}

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults.length = 0;
  }

  /**
   * Adds a fault at meter time `nowMs`. Faults on the meter itself (clock, power) are applied to
   * `meter` here; `unplug` is only recorded (the output that owns the link acts on it).
   */
  add(request: FaultRequest, nowMs: number, meter: MeterSimulation): ActiveFault {
    const durationMs = (request.durationS ?? 60) * 1000;
    const timed = TIMED_KINDS.includes(request.kind) || request.rate !== undefined;
    const fault: ActiveFault = {
      id: this.nextId++,
      kind: request.kind,
      remaining: timed ? null : Math.max(1, Math.round(request.count ?? 1)),
      fromMs: null,
      untilMs: timed ? nowMs + durationMs : null,
      rate: request.rate ?? null,
      bytes: Math.round(request.bytes ?? 64),
      maxMs: request.maxMs ?? 400,
      offsetS: request.offsetS ?? 900,
    };
    if (request.kind === 'powerFailure') meter.startPowerFailure(durationMs / 1000);
    if (request.kind === 'clockUnset') meter.clockSet = false;
    if (request.kind === 'clockJump') meter.clockOffsetMs = fault.offsetS * 1000;
    this.faults.push(fault);
    return { ...fault };
  }

  /**
   * The scenario's own faults (CONTRACTS §3): a meter outage or a frozen meter at a meter-clock time of
   * day (the first one after the start), and a share of dropped telegrams for the whole run.
   */
  addScenarioFaults(faults: readonly FaultSpec[], startMs: number): void {
    for (const f of faults) {
      if (f.kind === 'meterOutage') {
        const fromMs = startMs + secondsUntilTimeOfDay(startMs, f.at) * 1000;
        this.faults.push({ ...this.base('outage'), fromMs, untilMs: fromMs + f.durationS * 1000 });
      } else if (f.kind === 'dropTelegrams') {
        this.faults.push({ ...this.base('drop'), rate: f.rate });
      } else if (f.kind === 'frozenMeter') {
        const fromMs = startMs + secondsUntilTimeOfDay(startMs, f.at) * 1000;
        this.faults.push({ ...this.base('freeze'), fromMs, untilMs: fromMs + f.durationS * 1000 });
      }
    }
  }

  private base(kind: FaultKind): ActiveFault {
    return {
      id: this.nextId++,
      kind,
      remaining: null,
      fromMs: null,
      untilMs: null,
      rate: null,
      bytes: 64,
      maxMs: 400,
      offsetS: 0,
    };
  }

  /** Faults of `kind` active at `nowMs`. */
  active(kind: FaultKind, nowMs: number): ActiveFault | undefined {
    return this.faults.find(
      (f) => f.kind === kind && (f.fromMs === null || nowMs >= f.fromMs) && (f.untilMs === null || nowMs < f.untilMs),
    );
  }

  /** Drops faults that ran out; restores the meter clock when its fault ends. */
  expire(nowMs: number, meter: MeterSimulation): void {
    for (let i = this.faults.length - 1; i >= 0; i--) {
      const f = this.faults[i] as ActiveFault;
      const done = (f.untilMs !== null && nowMs >= f.untilMs) || (f.remaining !== null && f.remaining <= 0);
      if (!done) continue;
      this.faults.splice(i, 1);
      if (f.kind === 'clockUnset' && !this.active('clockUnset', nowMs)) meter.clockSet = true;
      if (f.kind === 'clockJump' && !this.active('clockJump', nowMs)) meter.clockOffsetMs = 0;
      if (f.kind === 'freeze' && !this.active('freeze', nowMs)) this.frozen = null;
    }
  }

  /** Whether this fault hits the current telegram; consumes one from a counted fault. */
  private hits(f: ActiveFault): boolean {
    if (f.remaining !== null) {
      f.remaining--;
      return true;
    }
    return f.rate === null || this.random() < f.rate;
  }

  private count(kind: FaultKind): void {
    this.applied[kind] = (this.applied[kind] ?? 0) + 1;
  }

  /** What goes on the wire for one telegram (or one silent interval). */
  apply(out: TelegramOut, meter: MeterSimulation): WireOutput {
    const now = out.atMs;
    this.expire(now, meter);
    const none: WireOutput = { chunks: [], delayMs: 0, gapMs: 0 };
    if (!out.bytes) return none;
    if (this.active('outage', now) || this.active('unplug', now)) {
      this.count('outage');
      return none;
    }
    const drop = this.active('drop', now);
    if (drop && this.hits(drop)) {
      this.count('drop');
      return none;
    }
    let bytes = out.bytes;
    if (this.active('freeze', now)) {
      // A stuck dongle or a bridge replaying its buffer: the same telegram again, byte for byte.
      this.frozen ??= this.lastSent ?? bytes;
      bytes = this.frozen;
      this.count('freeze');
    }
    this.lastSent = bytes;
    const chunks: Uint8Array[] = [];
    const noise = this.active('noise', now);
    if (noise && this.hits(noise)) {
      chunks.push(this.noiseBytes(noise.bytes));
      this.count('noise');
    }
    const crc = this.active('crc', now);
    if (crc && this.hits(crc)) {
      bytes = corrupt(bytes, meter.model.encrypted, meter.model.crc);
      this.count('crc');
    }
    const truncate = this.active('truncate', now);
    if (truncate && this.hits(truncate)) {
      bytes = bytes.subarray(0, Math.floor(bytes.length * (0.3 + 0.5 * this.random())));
      this.count('truncate');
    }
    if (this.active('invert', now)) {
      // A cable that does not invert the P1 signal: every bit flipped, bytes but never a telegram.
      this.count('invert');
      bytes = bytes.map((b) => b ^ 0xff);
    }
    const jitter = this.active('jitter', now);
    if (jitter) {
      this.count('jitter');
      const pieces = 2 + Math.floor(this.random() * 3);
      let at = 0;
      for (let i = 1; i <= pieces; i++) {
        const end = i === pieces ? bytes.length : Math.floor((bytes.length * i) / pieces);
        chunks.push(bytes.subarray(at, end));
        at = end;
      }
      const delayMs = Math.floor(this.random() * jitter.maxMs);
      return { chunks, delayMs, gapMs: Math.max(1, Math.floor(jitter.maxMs / 20)) };
    }
    chunks.push(bytes);
    return { chunks, delayMs: 0, gapMs: 0 };
  }

  private noiseBytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      let b = Math.floor(this.random() * 256);
      // Noise that looked like a telegram start would be a different fault (a truncated frame).
      if (b === SLASH || b === SMARTY_TAG) b = 0x20;
      out[i] = b;
    }
    return out;
  }
}

/**
 * Corrupts a telegram so a reader can tell: a wrong CRC digit; for encrypted frames a flipped
 * ciphertext byte (the tag fails); without CRC (DSMR 2.2) a flipped digit no reader can notice.
 */
function corrupt(bytes: Uint8Array, encrypted: boolean, hasCrc: boolean): Uint8Array {
  const copy = Uint8Array.from(bytes);
  if (encrypted) {
    const at = copy.length - 20;
    copy[at] = (copy[at] as number) ^ 0x01;
    return copy;
  }
  const bang = copy.lastIndexOf(0x21);
  if (hasCrc && bang >= 0 && bang + 1 < copy.length) {
    const d = copy[bang + 1] as number;
    copy[bang + 1] = d === 0x30 ? 0x31 : 0x30;
    return copy;
  }
  // A digit somewhere in the middle.
  for (let i = Math.floor(copy.length / 2); i < copy.length; i++) {
    const c = copy[i] as number;
    if (c >= 0x30 && c <= 0x38) {
      copy[i] = c + 1;
      break;
    }
  }
  return copy;
}
