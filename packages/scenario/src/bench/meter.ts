/**
 * The meter as the balancer sees it: one telegram a second, some dropped, none during an outage of the P1
 * port, the same telegram over and over while the meter is frozen, and the running quarter average the meter
 * itself computes (it keeps measuring during an outage or a freeze).
 */
import { type MeterSnapshot, QUARTER_MS } from '@p1/balancer';
import { meterIso, parseStart, secondsUntilTimeOfDay } from '../clock';
import { createRng } from '../prng';
import type { Scenario } from '../scenario';

export interface Meter {
  /** Measures second tS with these line values; returns the telegram sent at its end, or null. */
  tick(tS: number, lineKw: ArrayLike<number>, lineA: ArrayLike<number>): MeterSnapshot | null;
  /** Whether a telegram was sent for second tS (after tick). */
  readonly sent: boolean;
  /** Whether that telegram repeats an earlier one (a frozen meter) rather than measuring second tS. */
  readonly repeated: boolean;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Windows [from, to) in seconds since start of the daily faults of one kind, every day of the run. */
export function faultWindows(scenario: Scenario, kind: 'meterOutage' | 'frozenMeter'): Array<[number, number]> {
  const startMs = parseStart(scenario.start);
  const out: Array<[number, number]> = [];
  for (const f of scenario.faults) {
    if (f.kind !== kind) continue;
    for (let from = secondsUntilTimeOfDay(startMs, f.at); from < scenario.durationS; ) {
      out.push([from, from + f.durationS]);
      from = secondsUntilTimeOfDay(startMs, f.at, from + 1);
    }
  }
  return out;
}

/** Outage windows [from, to) in seconds since start, every day of the run. */
export function outageWindows(scenario: Scenario): Array<[number, number]> {
  return faultWindows(scenario, 'meterOutage');
}

const SILENT = 1;
const FROZEN = 2;

/** A telegram with the same content as `s`, as a parser would return it again: a new object. */
function copyOf(s: MeterSnapshot): MeterSnapshot {
  return {
    ok: s.ok,
    timestamp: s.timestamp,
    power: { importKw: s.power.importKw, exportKw: s.power.exportKw },
    phases: s.phases.map((p) => ({ ...p })),
    capacity: s.capacity ? { ...s.capacity } : null,
  };
}

/** One line as the meter reports it. On 3x230 it measures two elements (L1, L3) and shows L2 at 0 V, no power. */
function phaseOf(
  l: 0 | 1 | 2,
  twoElement: boolean,
  lineKw: ArrayLike<number>,
  lineA: ArrayLike<number>,
): MeterSnapshot['phases'][number] {
  const kw = twoElement ? (l === 1 ? null : lineKw[l]! + lineKw[1]! / 2) : lineKw[l]!;
  return {
    phase: (l + 1) as 1 | 2 | 3,
    voltageV: twoElement && l === 1 ? 0 : 230,
    currentA: round2(Math.abs(lineA[l]!)),
    importKw: kw === null ? null : round3(Math.max(0, kw)),
    exportKw: kw === null ? null : round3(Math.max(0, -kw)),
  };
}

export function createMeter(scenario: Scenario): Meter {
  const startMs = parseStart(scenario.start);
  const { connection } = scenario.site;
  const twoElement = connection === '3x230';
  const dropRate = scenario.faults.reduce((r, f) => (f.kind === 'dropTelegrams' ? Math.max(r, f.rate) : r), 0);
  // One flag per second: is the P1 port silent, or the meter frozen? (An outage wins over a freeze.)
  const flags = new Uint8Array(scenario.durationS + 1);
  for (const [a, b] of faultWindows(scenario, 'frozenMeter'))
    flags.fill(FROZEN, Math.max(0, a), Math.min(flags.length, b));
  for (const [a, b] of outageWindows(scenario)) flags.fill(SILENT, Math.max(0, a), Math.min(flags.length, b));
  const rng = createRng(scenario.seed ^ 0xd809);
  let quarter = Number.NaN;
  let quarterKws = 0;
  let monthPeakKw = scenario.site.monthPeakKw;
  let sent = false;
  let repeated = false;
  let last: MeterSnapshot | null = null;

  return {
    get sent() {
      return sent;
    },
    get repeated() {
      return repeated;
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
      const flag = flags[tS];
      repeated = flag === FROZEN && last !== null;
      sent = !dropped && flag !== SILENT && (flag !== FROZEN || last !== null);
      if (!sent) return null;
      if (repeated) return copyOf(last!);
      const phases =
        connection === '1x230'
          ? [phaseOf(0, false, lineKw, lineA)]
          : [
              phaseOf(0, twoElement, lineKw, lineA),
              phaseOf(1, twoElement, lineKw, lineA),
              phaseOf(2, twoElement, lineKw, lineA),
            ];
      last = {
        ok: true,
        timestamp: meterIso(endMs),
        power: { importKw: round3(Math.max(0, net)), exportKw: round3(Math.max(0, -net)) },
        phases,
        capacity: { quarterAverageKw: round3(quarterKws / elapsedS), monthPeakKw: round3(monthPeakKw) },
      };
      return last;
    },
  };
}
