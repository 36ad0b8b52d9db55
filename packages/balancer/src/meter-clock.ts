/**
 * Whether a telegram is news, and what time it is on the meter's clock for the quarter.
 *
 * A stuck dongle or a bridge replaying its buffer repeats old telegrams: their meter clock stands still
 * or runs backwards, so they are not fresh (the fail-safe keeps counting). A meter clock that jumps
 * (a +15 min step for a few seconds, or a +1 h correction) must not close quarters or raise the month's
 * peak: quarters follow the balancer's own clock plus the meter's usual offset, and a new offset is only
 * adopted once it has held for a minute. Meters without a clock are judged by their content.
 */

export type ClockState = 'ok' | 'jump' | 'unset' | 'stopped' | 'repeating';

/** A meter clock this far from where it should be has jumped (arrival jitter is ~1 s, cadence ≤ 10 s). */
const JUMP_TOLERANCE_MS = 5_000;
/** A new offset must hold this long before the quarter follows it. */
const ADOPT_AFTER_MS = 60_000;
/** Without a clock: identical content this long (and at least this many times) is a frozen meter. */
const FROZEN_CONTENT_MS = 20_000;
const FROZEN_CONTENT_COUNT = 3;

export interface ClockVerdict {
  /** New data the balancer may act on. */
  fresh: boolean;
  /** The meter's clock was set anew and is followed from this telegram: the quarter starts over on it. */
  rebased: boolean;
  /** Epoch ms to account the quarter at (meter time, corrected for jumps). */
  quarterMs: number;
  state: ClockState;
}

export class MeterClock {
  state: ClockState = 'ok';
  /** Meter clock minus balancer clock (ms), NaN before the first telegram with a clock. */
  private offsetMs = Number.NaN;
  /** The latest meter time that was where it should be. */
  private lastPlausibleMs = Number.NaN;
  /** The latest meter time seen ahead of where it should be (during a jump). */
  private lastAheadMs = Number.NaN;
  private candidateOffsetMs = Number.NaN;
  private candidateSinceMs = Number.NaN;
  private lastContent = '';
  private sameContentSinceMs = Number.NaN;
  private sameContentCount = 0;
  /** Reused for every verdict: the hot path does not allocate. */
  private readonly verdict: ClockVerdict = { fresh: false, rebased: false, quarterMs: 0, state: 'ok' };

  /**
   * `meterMs`: the telegram's clock (NaN when it has none or a placeholder); `content`: a short text that
   * changes whenever the meter measures something new (powers, currents), read only for clockless meters.
   */
  judge(meterMs: number, nowMs: number, content: string): ClockVerdict {
    if (Number.isNaN(meterMs)) {
      const contentNew = this.contentIsNew(content, nowMs);
      this.state = contentNew ? 'unset' : 'repeating';
      return this.answer(contentNew, nowMs + (Number.isNaN(this.offsetMs) ? 0 : this.offsetMs));
    }
    if (Number.isNaN(this.offsetMs)) {
      this.offsetMs = meterMs - nowMs;
      this.lastPlausibleMs = meterMs;
      this.state = 'ok';
      return this.answer(true, meterMs);
    }
    const offset = meterMs - nowMs;
    const deviation = offset - this.offsetMs;
    if (Math.abs(deviation) <= JUMP_TOLERANCE_MS) {
      this.candidateOffsetMs = Number.NaN;
      if (meterMs <= this.lastPlausibleMs) {
        // The clock stands still: the same telegram again (a stuck dongle).
        this.state = 'stopped';
        return this.answer(false, nowMs + this.offsetMs);
      }
      this.lastPlausibleMs = meterMs;
      this.offsetMs += deviation * 0.05; // follow slow drift, smooth out arrival jitter
      this.state = 'ok';
      return this.answer(true, meterMs);
    }
    if (this.adopt(offset, nowMs)) {
      // The meter's clock was set anew and kept: the quarter follows it from here.
      this.offsetMs = offset;
      this.lastPlausibleMs = meterMs;
      this.lastAheadMs = Number.NaN;
      this.state = 'ok';
      this.answer(true, meterMs);
      this.verdict.rebased = true;
      return this.verdict;
    }
    if (deviation < 0) {
      // Behind where it should be: a frozen clock, or a bridge replaying its buffer.
      this.state = 'stopped';
      return this.answer(false, nowMs + this.offsetMs);
    }
    // Ahead: a jump. The currents are still measured now (fresh for the fuse), unless repeated.
    const repeated = meterMs <= this.lastAheadMs;
    this.lastAheadMs = meterMs;
    this.state = 'jump';
    return this.answer(!repeated, nowMs + this.offsetMs);
  }

  /** The meter's time at `nowMs` by its usual offset (for accounting the quarter between telegrams). */
  quarterMsAt(nowMs: number): number {
    return nowMs + (Number.isNaN(this.offsetMs) ? 0 : this.offsetMs);
  }

  /** Whether an unexpected offset has held long enough to be the meter's new clock. */
  private adopt(offset: number, nowMs: number): boolean {
    if (Number.isNaN(this.candidateOffsetMs) || Math.abs(offset - this.candidateOffsetMs) > JUMP_TOLERANCE_MS) {
      this.candidateOffsetMs = offset;
      this.candidateSinceMs = nowMs;
    }
    return nowMs - this.candidateSinceMs >= ADOPT_AFTER_MS;
  }

  private answer(fresh: boolean, quarterMs: number): ClockVerdict {
    const v = this.verdict;
    v.fresh = fresh;
    v.rebased = false;
    v.quarterMs = quarterMs;
    v.state = this.state;
    return v;
  }

  private contentIsNew(content: string, nowMs: number): boolean {
    if (content !== this.lastContent) {
      this.lastContent = content;
      this.sameContentSinceMs = nowMs;
      this.sameContentCount = 1;
      return true;
    }
    this.sameContentCount++;
    return !(this.sameContentCount >= FROZEN_CONTENT_COUNT && nowMs - this.sameContentSinceMs >= FROZEN_CONTENT_MS);
  }
}
