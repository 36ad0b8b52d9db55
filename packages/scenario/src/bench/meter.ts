/**
 * The meter as the balancer sees it: one telegram a second, some dropped, none during an outage of the P1
 * port, and the running quarter average the meter itself computes (it keeps measuring during an outage).
 */
import type { MeterSnapshot } from '@p1/balancer';
import { meterIso, parseStart, secondsUntilTimeOfDay } from '../clock';
import { createRng } from '../prng';
import type { Scenario } from '../scenario';

export interface Meter {
  /** Measures second tS with these line values; returns the telegram sent at its end, or null. */
  tick(tS: number, lineKw: readonly number[], lineA: readonly number[]): MeterSnapshot | null;
  /** Whether a telegram was sent for second tS (after tick). */
  readonly sent: boolean;
}

const QUARTER_MS = 900_000;
const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Outage windows [from, to) in seconds since start, every day of the run. */
export function outageWindows(scenario: Scenario): Array<[number, number]> {
  const startMs = parseStart(scenario.start);
  const out: Array<[number, number]> = [];
  for (const f of scenario.faults) {
    if (f.kind !== 'meterOutage') continue;
    for (let from = secondsUntilTimeOfDay(startMs, f.at); from < scenario.durationS; ) {
      out.push([from, from + f.durationS]);
      from = secondsUntilTimeOfDay(startMs, f.at, from + 1);
    }
  }
  return out;
}

export function createMeter(scenario: Scenario): Meter {
  const startMs = parseStart(scenario.start);
  const { connection } = scenario.site;
  const dropRate = scenario.faults.reduce((r, f) => (f.kind === 'dropTelegrams' ? Math.max(r, f.rate) : r), 0);
  // One flag per second: is the P1 port silent?
  const silent = new Uint8Array(scenario.durationS + 1);
  for (const [a, b] of outageWindows(scenario)) silent.fill(1, Math.max(0, a), Math.min(silent.length, b));
  const rng = createRng(scenario.seed ^ 0xd809);
  let quarter = Number.NaN;
  let quarterKws = 0;
  let monthPeakKw = scenario.site.monthPeakKw;
  let sent = false;

  return {
    get sent() {
      return sent;
    },
    tick(tS, lineKw, lineA) {
      const endMs = startMs + (tS + 1) * 1000;
      const q = Math.floor((endMs - 1) / QUARTER_MS);
      if (q !== quarter) {
        if (!Number.isNaN(quarter)) monthPeakKw = Math.max(monthPeakKw, quarterKws / 900);
        quarter = q;
        quarterKws = 0;
      }
      const net = lineKw[0]! + lineKw[1]! + lineKw[2]!;
      quarterKws += Math.max(0, net);
      const elapsedS = (endMs - q * QUARTER_MS) / 1000;
      // Draw every second, sent or not, so the drop pattern does not depend on outages.
      const dropped = dropRate > 0 && rng() < dropRate;
      sent = !dropped && silent[tS] !== 1;
      if (!sent) return null;
      const lines = connection === '1x230' ? 1 : 3;
      const phases: MeterSnapshot['phases'] = [];
      for (let l = 0; l < lines; l++) {
        const twoElement = connection === '3x230';
        // On 3x230 the meter measures two elements (L1, L3) and reports L2 at 0 V without power.
        const kw = twoElement ? (l === 1 ? null : lineKw[l]! + lineKw[1]! / 2) : lineKw[l]!;
        phases.push({
          phase: (l + 1) as 1 | 2 | 3,
          voltageV: twoElement && l === 1 ? 0 : 230,
          currentA: round2(Math.abs(lineA[l]!)),
          importKw: kw === null ? null : round3(Math.max(0, kw)),
          exportKw: kw === null ? null : round3(Math.max(0, -kw)),
        });
      }
      return {
        ok: true,
        timestamp: meterIso(endMs),
        power: { importKw: round3(Math.max(0, net)), exportKw: round3(Math.max(0, -net)) },
        phases,
        capacity: { quarterAverageKw: round3(quarterKws / elapsedS), monthPeakKw: round3(monthPeakKw) },
      };
    },
  };
}
