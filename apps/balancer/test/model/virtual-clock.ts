/**
 * Faster-than-real time for the whole module. The module takes its time from `Date.now` and its 1 s
 * control tick from `setInterval` (the meter's clock only places the quarter), so the meter cannot be sped
 * up on its own: a faster meter is a meter whose clock jumps. Instead every clock of the process is
 * virtual — `Date`, `setTimeout`, `setInterval` — and advances in small steps; between steps the real
 * I/O (TCP, websocket, SQLite) runs to rest on `setImmediate` turns, which stay real.
 *
 * What stays on real time: libraries that took their timer functions before the clock was installed
 * (ocpp-rpc's reconnect back-off and call time-outs, undici's internals). Nothing in the module's control
 * path does.
 */
import { install } from '@sinonjs/fake-timers';

/** Virtual milliseconds per step: a tenth of the meter's 1 s cadence. */
export const STEP_MS = 100;
/**
 * Event-loop turns per step. A limit travels module → charge point → acknowledgement in three socket hops,
 * each read in the poll phase of one turn; the rest is slack for a busy machine.
 */
const TURNS_PER_STEP = 8;

const realSetTimeout = globalThis.setTimeout;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class VirtualClock {
  private readonly clock: ReturnType<typeof install>;

  constructor(startMs: number) {
    this.clock = install({
      now: startMs,
      toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
      loopLimit: 100_000,
      // ocpp-rpc clears its keep-alive timer (made with the real setTimeout it took at load) through the global
      shouldClearNativeTimers: true,
    });
  }

  get nowMs(): number {
    return this.clock.now;
  }

  /** Lets the real I/O run to rest with the virtual clock standing still. */
  async settle(turns = TURNS_PER_STEP): Promise<void> {
    for (let i = 0; i < turns; i++) await turn();
  }

  /** Advances virtual time by `ms` in steps, the I/O settling after each; `each` runs after every step. */
  async advance(ms: number, each?: () => void): Promise<void> {
    const end = this.clock.now + ms;
    while (this.clock.now < end) {
      this.clock.tick(Math.min(STEP_MS, end - this.clock.now));
      await this.settle();
      each?.();
    }
  }

  /**
   * Waits in real time, with the virtual clock standing still, until `done()` (for what happens at once
   * in the field but takes real milliseconds here: a restart, a charge point's reconnect back-off).
   */
  async until(done: () => boolean, what: string, realTimeoutMs = 20_000): Promise<void> {
    const deadline = performance.now() + realTimeoutMs;
    while (!done()) {
      if (performance.now() > deadline) throw new Error(`${what}: not within ${realTimeoutMs} ms of real time`);
      await new Promise((resolve) => realSetTimeout(resolve, 5));
      await this.settle(2);
    }
  }

  uninstall(): void {
    this.clock.uninstall();
  }
}
