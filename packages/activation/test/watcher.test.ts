import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type Timers, watchPortOpen } from '../src/watcher';

/** Timers driven by hand, with the clock they share. */
function manualTimers() {
  let now = 0;
  const intervals = new Map<number, { fn: () => void; every: number; next: number }>();
  let id = 0;
  const timers: Timers = {
    setInterval: (fn, every) => {
      intervals.set(++id, { fn, every, next: now + every });
      return id;
    },
    clearInterval: (h) => {
      intervals.delete(h as number);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = [...intervals.values()].filter((i) => i.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      now = due.next;
      due.next += due.every;
      due.fn();
    }
    now = end;
  };
  return { timers, advance, now: () => now, active: () => intervals.size };
}

const bytes = (s: string) => new TextEncoder().encode(s);

describe('watchPortOpen', () => {
  it('resolves on the first valid telegram, ignoring rejected frames, and lets go of the source', async () => {
    const source = new EventEmitter();
    const t = manualTimers();
    const watch = watchPortOpen(source, { timers: t.timers, now: t.now });
    source.emit('data', bytes('/FLU5'));
    source.emit('reading', { ok: false }, bytes('/bad!0000'));
    t.advance(1500);
    source.emit('reading', { ok: true }, bytes('/good!1234'));
    const opened = await watch.opened;
    expect(opened).toEqual({ at: 1500, raw: bytes('/good!1234') });
    expect(source.listenerCount('reading') + source.listenerCount('data') + source.listenerCount('diagnosis')).toBe(0);
    expect(t.active()).toBe(0);
  });

  it('asks about the GP arrow when nothing arrives, once', () => {
    const source = new EventEmitter();
    const t = manualTimers();
    const hints: string[] = [];
    watchPortOpen(source, { timers: t.timers, now: t.now, silenceMs: 10_000, onHint: (h) => hints.push(h) });
    t.advance(9_000);
    expect(hints).toEqual([]);
    t.advance(30_000);
    expect(hints).toEqual(['no-bytes']);
  });

  it('gives the cable hint when bytes arrive but no valid telegram', () => {
    const source = new EventEmitter();
    const t = manualTimers();
    const hints: string[] = [];
    watchPortOpen(source, {
      timers: t.timers,
      now: t.now,
      silenceMs: 5_000,
      garbleMs: 8_000,
      onHint: (h) => hints.push(h),
    });
    t.advance(6_000);
    source.emit('data', bytes('\x00\xff\x13garbage'));
    t.advance(7_000);
    expect(hints).toEqual(['no-bytes']);
    t.advance(2_000);
    expect(hints).toEqual(['no-bytes', 'bytes-no-telegram']);
  });

  it("takes the driver's own diagnosis as a hint", () => {
    const source = new EventEmitter();
    const t = manualTimers();
    const hints: string[] = [];
    watchPortOpen(source, { timers: t.timers, now: t.now, onHint: (h) => hints.push(h) });
    source.emit('diagnosis', 'connecting');
    source.emit('diagnosis', 'bytes-no-telegram');
    source.emit('diagnosis', 'bytes-no-telegram');
    expect(hints).toEqual(['bytes-no-telegram']);
  });

  it('stop() ends watching: later telegrams do not resolve it', async () => {
    const source = new EventEmitter();
    const t = manualTimers();
    const watch = watchPortOpen(source, { timers: t.timers, now: t.now });
    watch.stop();
    source.emit('reading', { ok: true }, bytes('x'));
    const result = await Promise.race([
      watch.opened.then(() => 'opened'),
      new Promise((r) => setTimeout(() => r('pending'), 20)),
    ]);
    expect(result).toBe('pending');
  });
});
