import type { Clock } from '@p1/activation';

/**
 * The portal's clock: simulated time runs ×speed from the moment it starts, and QA may jump it
 * forward (to reach the 72 h deadline in a test without waiting).
 */
export class AcceleratedClock implements Clock {
  private readonly realStart: number;
  private readonly simStart: number;
  private jumped = 0;

  constructor(
    readonly speed = 1,
    private readonly realNow: () => number = Date.now,
    simStart?: number,
  ) {
    if (!(speed > 0)) throw new RangeError(`speed must be a positive number, not ${speed}`);
    this.realStart = realNow();
    this.simStart = simStart ?? this.realStart;
  }

  now(): number {
    return Math.floor(this.simStart + (this.realNow() - this.realStart) * this.speed + this.jumped);
  }

  advance(ms: number): void {
    this.jumped += ms;
  }
}

/** Parses "72h", "90m", "30s", "1500ms" or a number of milliseconds; "never" is Infinity. */
export function parseDuration(text: string): number {
  if (text === 'never') return Number.POSITIVE_INFINITY;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) throw new RangeError(`'${text}' is not a duration such as 6h, 90m, 30s, 1500ms or never`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'] ?? 1;
  return Number(match[1]) * unit;
}
