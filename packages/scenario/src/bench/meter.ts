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
  return new BenchMeter(scenario);
}

/** A class so that its method stays one function for the thousands of meters a fleet creates. */
class BenchMeter implements Meter {
  private readonly startMs: number;
  private readonly connection: Scenario['site']['connection'];
  private readonly twoElement: boolean;
  private readonly dropRate: number;
  /** One flag per second: is the P1 port silent, or the meter frozen? (An outage wins over a freeze.) */
  private readonly flags: Uint8Array;
  private readonly rng: () => number;
  private quarter = Number.NaN;
  private quarterKws = 0;
  private monthPeakKw: number;
  private last: MeterSnapshot | null = null;
  sent = false;
  repeated = false;

  constructor(scenario: Scenario) {
    this.startMs = parseStart(scenario.start);
    this.connection = scenario.site.connection;
    this.twoElement = this.connection === '3x230';
    this.dropRate = scenario.faults.reduce((r, f) => (f.kind === 'dropTelegrams' ? Math.max(r, f.rate) : r), 0);
    const flags = new Uint8Array(scenario.durationS + 1);
    for (const [a, b] of faultWindows(scenario, 'frozenMeter'))
      flags.fill(FROZEN, Math.max(0, a), Math.min(flags.length, b));
    for (const [a, b] of outageWindows(scenario)) flags.fill(SILENT, Math.max(0, a), Math.min(flags.length, b));
    this.flags = flags;
    this.rng = createRng(scenario.seed ^ 0xd809);
    this.monthPeakKw = scenario.site.monthPeakKw;
  }

  tick(tS: number, lineKw: ArrayLike<number>, lineA: ArrayLike<number>): MeterSnapshot | null {
    const endMs = this.startMs + (tS + 1) * 1000;
    const q = Math.floor((endMs - 1) / QUARTER_MS);
    if (q !== this.quarter) {
      if (!Number.isNaN(this.quarter)) this.monthPeakKw = Math.max(this.monthPeakKw, this.quarterKws / 900);
      this.quarter = q;
      this.quarterKws = 0;
    }
    const net = lineKw[0]! + lineKw[1]! + lineKw[2]!;
    this.quarterKws += Math.max(0, net);
    const elapsedS = (endMs - q * QUARTER_MS) / 1000;
    // Draw every second, sent or not, so the drop pattern does not depend on outages.
    const dropped = this.dropRate > 0 && this.rng() < this.dropRate;
    const flag = this.flags[tS];
    const last = this.last;
    this.repeated = flag === FROZEN && last !== null;
    this.sent = !dropped && flag !== SILENT && (flag !== FROZEN || last !== null);
    if (!this.sent) return null;
    if (this.repeated) return copyOf(last!);
    const two = this.twoElement;
    const phases =
      this.connection === '1x230'
        ? [phaseOf(0, false, lineKw, lineA)]
        : [phaseOf(0, two, lineKw, lineA), phaseOf(1, two, lineKw, lineA), phaseOf(2, two, lineKw, lineA)];
    const snapshot: MeterSnapshot = {
      ok: true,
      timestamp: meterIso(endMs),
      power: { importKw: round3(Math.max(0, net)), exportKw: round3(Math.max(0, -net)) },
      phases,
      capacity: { quarterAverageKw: round3(this.quarterKws / elapsedS), monthPeakKw: round3(this.monthPeakKw) },
    };
    this.last = snapshot;
    return snapshot;
  }
}
