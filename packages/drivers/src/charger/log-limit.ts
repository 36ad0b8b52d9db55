/**
 * Logging that a peer cannot turn into a flood: a problem repeated every message is logged when it
 * starts (an episode), and events a stranger can repeat at will are counted per window.
 */

/** Problems that are logged when they start and again only after they ended once. */
export class Episodes {
  private readonly open = new Set<string>();

  /** True the first time `key` is seen since it last ended: the caller logs then. */
  begin(key: string): boolean {
    if (this.open.has(key)) return false;
    this.open.add(key);
    return true;
  }

  end(key: string): void {
    this.open.delete(key);
  }
}

interface Window {
  first: Record<string, unknown>;
  more: number;
  timer: NodeJS.Timeout;
}

export interface CountedLogOptions {
  windowMs: number;
  /** Distinct keys logged per window; the rest are summed into one line at the window's end. */
  maxKeys: number;
  log: (obj: Record<string, unknown>, msg: string) => void;
}

/**
 * One line per key per window: the first occurrence at once, the count of repeats when the window
 * ends. Beyond `maxKeys` distinct keys in a window (an identity per request), one summary line.
 */
export class CountedLog {
  private readonly windows = new Map<string, Window>();
  private overflow = 0;
  private overflowTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly msg: string,
    private readonly o: CountedLogOptions,
  ) {}

  add(key: string, obj: Record<string, unknown>): void {
    const open = this.windows.get(key);
    if (open) {
      open.more++;
      return;
    }
    if (this.windows.size >= this.o.maxKeys) {
      this.overflow++;
      this.overflowTimer ??= setTimeout(() => this.flushOverflow(), this.o.windowMs).unref();
      return;
    }
    this.o.log(obj, this.msg);
    const timer = setTimeout(() => this.flush(key), this.o.windowMs).unref();
    this.windows.set(key, { first: obj, more: 0, timer });
  }

  private flush(key: string): void {
    const w = this.windows.get(key);
    this.windows.delete(key);
    if (w && w.more > 0) {
      this.o.log({ ...w.first, repeats: w.more, windowS: this.o.windowMs / 1000 }, `${this.msg} (repeated)`);
    }
  }

  private flushOverflow(): void {
    this.overflowTimer = null;
    if (this.overflow > 0) {
      this.o.log(
        { count: this.overflow, windowS: this.o.windowMs / 1000 },
        `${this.msg}: more from other identities or addresses`,
      );
    }
    this.overflow = 0;
  }

  /** Logs what is pending now (on shutdown) and stops the timers. */
  close(): void {
    for (const [key, w] of this.windows) {
      clearTimeout(w.timer);
      this.flush(key);
    }
    if (this.overflowTimer) clearTimeout(this.overflowTimer);
    this.flushOverflow();
  }
}
