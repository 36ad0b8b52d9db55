import type { HintKind } from './texts';

/**
 * The part of a meter source the watcher needs, declared structurally so this package does not
 * depend on the drivers: @p1/drivers' MeterSource fits it.
 */
export interface TelegramEvents {
  on(event: 'reading', listener: (reading: { ok: boolean }, raw: Uint8Array) => void): unknown;
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'diagnosis', listener: (diagnosis: string) => void): unknown;
  off(event: 'reading', listener: (reading: { ok: boolean }, raw: Uint8Array) => void): unknown;
  off(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  off(event: 'diagnosis', listener: (diagnosis: string) => void): unknown;
}

export interface Timers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface PortWatchOptions {
  /** No byte at all for this long → ask about the arrow above GP. */
  silenceMs?: number;
  /** Bytes but no valid telegram for this long → cable or settings hint. */
  garbleMs?: number;
  /** How often the watcher looks at the clock. */
  checkEveryMs?: number;
  now?: () => number;
  timers?: Timers;
  onHint?: (hint: HintKind) => void;
}

export interface PortOpened {
  /** Epoch ms of the first valid telegram. */
  at: number;
  raw: Uint8Array;
}

export interface PortWatch {
  /** Resolves on the first valid telegram; never rejects (stop() leaves it pending). */
  readonly opened: Promise<PortOpened>;
  stop(): void;
}

const defaultTimers: Timers = {
  setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
  clearInterval: (handle) => globalThis.clearInterval(handle as ReturnType<typeof globalThis.setInterval>),
};

/**
 * Waits for the first valid telegram, giving the owner a hint when the stream says something is
 * wrong. A hint is given once per kind until the situation changes (bytes start, telegrams fail).
 */
export function watchPortOpen(source: TelegramEvents, options: PortWatchOptions = {}): PortWatch {
  const silenceMs = options.silenceMs ?? 20_000;
  const garbleMs = options.garbleMs ?? 20_000;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? defaultTimers;
  const startedAt = now();
  let firstByteAt: number | null = null;
  let lastHint: HintKind | null = null;
  let stopped = false;
  let resolveOpened!: (opened: PortOpened) => void;
  const opened = new Promise<PortOpened>((resolve) => {
    resolveOpened = resolve;
  });

  const hint = (kind: HintKind) => {
    if (stopped || lastHint === kind) return;
    lastHint = kind;
    options.onHint?.(kind);
  };
  const onData = (chunk: Uint8Array) => {
    if (chunk.length > 0 && firstByteAt === null) firstByteAt = now();
  };
  const onReading = (reading: { ok: boolean }, raw: Uint8Array) => {
    if (firstByteAt === null) firstByteAt = now();
    if (!reading.ok || stopped) return;
    const at = now();
    stop();
    resolveOpened({ at, raw });
  };
  // The drivers' own diagnosis is trusted when it comes before our timers fire.
  const onDiagnosis = (diagnosis: string) => {
    if (diagnosis === 'no-bytes') hint('no-bytes');
    else if (diagnosis === 'bytes-no-telegram') hint('bytes-no-telegram');
  };
  const check = () => {
    const t = now();
    if (firstByteAt === null) {
      if (t - startedAt >= silenceMs) hint('no-bytes');
    } else if (t - firstByteAt >= garbleMs) {
      hint('bytes-no-telegram');
    }
  };
  const interval = timers.setInterval(check, options.checkEveryMs ?? Math.min(1000, silenceMs, garbleMs));

  function stop() {
    if (stopped) return;
    stopped = true;
    timers.clearInterval(interval);
    source.off('reading', onReading);
    source.off('data', onData);
    source.off('diagnosis', onDiagnosis);
  }

  source.on('reading', onReading);
  source.on('data', onData);
  source.on('diagnosis', onDiagnosis);
  return { opened, stop };
}
