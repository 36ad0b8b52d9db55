/**
 * Chargers in the field sometimes accept a profile and keep drawing more. The watch escalates one
 * step each time the overdraw has lasted `graceS` past the latest acknowledged limit: first cut the
 * limit to 0, then stop the transaction remotely, then report the charger as unresponsive.
 */
export type OverdrawAction = 'none' | 'cut' | 'remoteStop' | 'unresponsive';

export interface OverdrawPolicy {
  /** Time a car may take to follow a limit (cars follow a cut in ~5–6 s). */
  graceS: number;
  /** Absolute slack in amperes (meter noise, cars rounding up). */
  toleranceA: number;
  /** Relative slack on top of the limit. */
  toleranceRatio: number;
}

export const DEFAULT_OVERDRAW_POLICY: OverdrawPolicy = { graceS: 15, toleranceA: 1, toleranceRatio: 0.1 };

export function overdrawThresholdA(limitA: number, policy: OverdrawPolicy): number {
  return limitA + Math.max(policy.toleranceA, limitA * policy.toleranceRatio);
}

export class OverdrawWatch {
  /** 0 normal, 1 cut to 0 A, 2 remote stop sent, 3 reported unresponsive. */
  stage: 0 | 1 | 2 | 3 = 0;
  private overSince: number | null = null;

  constructor(private readonly policy: OverdrawPolicy = DEFAULT_OVERDRAW_POLICY) {}

  /** `limitAckAt`: when the charger acknowledged `limitA` (epoch ms). */
  observe(drawnA: number, limitA: number | null, limitAckAt: number | null, now: number): OverdrawAction {
    if (limitA === null || drawnA <= overdrawThresholdA(limitA, this.policy)) {
      this.overSince = null;
      return 'none';
    }
    this.overSince ??= now;
    const since = Math.max(this.overSince, limitAckAt ?? this.overSince);
    if (now - since < this.policy.graceS * 1000 || this.stage === 3) return 'none';
    this.overSince = now; // the next step gets its own grace period
    this.stage = (this.stage + 1) as 1 | 2 | 3;
    return this.stage === 1 ? 'cut' : this.stage === 2 ? 'remoteStop' : 'unresponsive';
  }

  /** A new session starts with a clean slate. */
  reset(): void {
    this.stage = 0;
    this.overSince = null;
  }
}
