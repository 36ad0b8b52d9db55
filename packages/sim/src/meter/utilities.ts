/**
 * Gas and water use of the household: heating in the cold months and hot water at meal and shower
 * times; water in short draws. Deterministic for a seed and independent of the sampling rate.
 */
import { meterLocalTime } from '@p1/dsmr';
import type { Random } from './random';

export class UtilityUse {
  private waterDrawUntilMs = 0;
  private waterLPerMin = 0;

  constructor(private readonly random: Random) {}

  /** m³ of gas used in the second ending at nowMs. */
  gasM3(nowMs: number): number {
    const t = meterLocalTime(nowMs);
    const cold = t.month <= 3 || t.month >= 11 ? 1 : t.month === 4 || t.month === 10 ? 0.5 : 0.1;
    const morning = t.hour >= 6 && t.hour < 9;
    const evening = t.hour >= 17 && t.hour < 23;
    const m3PerH = 0.03 + cold * (morning || evening ? 1.1 : 0.35);
    return m3PerH / 3600;
  }

  /** m³ of water used in the second ending at nowMs (showers, taps, the washing machine). */
  waterM3(nowMs: number): number {
    if (nowMs >= this.waterDrawUntilMs) {
      const t = meterLocalTime(nowMs);
      const busy = (t.hour >= 6 && t.hour < 9) || (t.hour >= 18 && t.hour < 22);
      // A new draw starts with a small chance each second; busier at home hours.
      if (this.random() < (busy ? 1 / 600 : 1 / 3600)) {
        this.waterDrawUntilMs = nowMs + (20 + this.random() * 500) * 1000;
        this.waterLPerMin = 4 + this.random() * 6;
      } else {
        this.waterLPerMin = 0;
      }
    }
    return this.waterLPerMin / 60 / 1000;
  }
}
