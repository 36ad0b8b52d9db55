/**
 * The meter as the balancer sees it: one telegram a second (or every `site.telegramEveryS`), some dropped, none
 * during an outage of the P1 port, the same telegram over and over while the meter is frozen, and the running
 * quarter average the meter itself computes (it keeps measuring during an outage or a freeze; sent every second).
 */
import { type MeterSnapshot, QUARTER_MS } from '@p1/balancer';
import { meterIso, parseStart, secondsUntilTimeOfDay } from '../clock';
import { createRng } from '../prng';
import type { Scenario } from '../scenario';

export interface Meter {
  /**
   * Measures second tS with these line values; returns the telegram sent at its end, or null. The telegram is
   * one object the meter overwrites at its next fresh telegram (a fleet would otherwise allocate hundreds of
   * millions of them): read it before the next tick, copy what you keep.
   */
  tick(tS: number, lineKw: ArrayLike<number>, lineA: ArrayLike<number>): MeterSnapshot | null;
  /** Whether a telegram was sent for second tS (after tick). */
  readonly sent: boolean;
  /** Whether that telegram repeats an earlier one (a frozen meter) rather than measuring second tS. */
  readonly repeated: boolean;
}

/** Where the import register starts (kWh): any value will do; a nonzero one rounds as a real register does. */
const REGISTER_START_KWH = 12_345.6789;
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

type PhaseReading = MeterSnapshot['phases'][number];

/** The meter's one telegram, its lines in place. On 3x230 it measures two elements (L1, L3) and shows L2 at 0 V. */
function emptyTelegram(connection: Scenario['site']['connection'], capacity: boolean): MeterSnapshot {
  const line = (l: 0 | 1 | 2): PhaseReading => ({
    phase: (l + 1) as 1 | 2 | 3,
    voltageV: connection === '3x230' && l === 1 ? 0 : 230,
    currentA: 0,
    importKw: null,
    exportKw: null,
  });
  return {
    ok: true,
    timestamp: null,
    power: { importKw: 0, exportKw: 0 },
    phases: connection === '1x230' ? [line(0)] : [line(0), line(1), line(2)],
    capacity: capacity ? { quarterAverageKw: 0, monthPeakKw: 0 } : null,
    energy: { importKwh: 0 },
  };
}

/** One line as the meter reports it: on 3x230 the middle line's power is shared out to the two elements. */
function measureLine(
  p: PhaseReading,
  l: number,
  twoElement: boolean,
  wholeAmps: boolean,
  lineKw: ArrayLike<number>,
  lineA: ArrayLike<number>,
): void {
  p.currentA = wholeAmps ? Math.floor(Math.abs(lineA[l]!)) : round2(Math.abs(lineA[l]!));
  if (twoElement && l === 1) return; // no power of its own: stays null
  const kw = twoElement ? lineKw[l]! + lineKw[1]! / 2 : lineKw[l]!;
  p.importKw = round3(Math.max(0, kw));
  p.exportKw = round3(Math.max(0, -kw));
}

export function createMeter(scenario: Scenario): Meter {
  return new BenchMeter(scenario);
}

/** A class so that its method stays one function for the thousands of meters a fleet creates. */
class BenchMeter implements Meter {
  private readonly startMs: number;
  private readonly twoElement: boolean;
  /** Currents sent in whole amperes, cut down (`site.currentDecimals` 0: Dutch meters). */
  private readonly wholeAmps: boolean;
  private readonly dropRate: number;
  /** Seconds between telegrams (`site.telegramEveryS`). */
  private readonly everyS: number;
  /** One flag per second: is the P1 port silent, or the meter frozen? (An outage wins over a freeze.) */
  private readonly flags: Uint8Array;
  private readonly rng: () => number;
  private quarter = Number.NaN;
  private quarterKws = 0;
  /** The import register (kWh), as a meter in service for some years shows it. */
  private importKwh = REGISTER_START_KWH;
  private monthPeakKw: number;
  /** The month peak as the telegram shows it, rounded when it changes (at quarter ends). */
  private monthPeakShown: number;
  private readonly telegram: MeterSnapshot;
  /** The line values the telegram's lines and power were measured from: the same again need no new rounding. */
  private readonly measuredKw = [Number.NaN, Number.NaN, Number.NaN];
  private readonly measuredA = [Number.NaN, Number.NaN, Number.NaN];
  /** Whether a fresh telegram was ever sent: a frozen meter repeats it, or stays silent before it. */
  private hasSent = false;
  sent = false;
  repeated = false;

  constructor(scenario: Scenario) {
    this.startMs = parseStart(scenario.start);
    this.twoElement = scenario.site.connection === '3x230';
    this.wholeAmps = scenario.site.currentDecimals === 0;
    this.everyS = scenario.site.telegramEveryS ?? 1;
    this.dropRate = scenario.faults.reduce((r, f) => (f.kind === 'dropTelegrams' ? Math.max(r, f.rate) : r), 0);
    const flags = new Uint8Array(scenario.durationS + 1);
    for (const [a, b] of faultWindows(scenario, 'frozenMeter'))
      flags.fill(FROZEN, Math.max(0, a), Math.min(flags.length, b));
    for (const [a, b] of outageWindows(scenario)) flags.fill(SILENT, Math.max(0, a), Math.min(flags.length, b));
    this.flags = flags;
    this.rng = createRng(scenario.seed ^ 0xd809);
    this.monthPeakKw = scenario.site.monthPeakKw;
    this.monthPeakShown = round3(this.monthPeakKw);
    // The quarter average and month peak (1-0:1.4.0, 1-0:1.6.0) are Belgian e-MUCS registers, sent every second;
    // the meters that send every 10 s (Dutch DSMR 4, Luxembourg's Smarty) have none.
    this.telegram = emptyTelegram(scenario.site.connection, this.everyS === 1);
  }

  tick(tS: number, lineKw: ArrayLike<number>, lineA: ArrayLike<number>): MeterSnapshot | null {
    const endMs = this.startMs + (tS + 1) * 1000;
    const q = Math.floor((endMs - 1) / QUARTER_MS);
    if (q !== this.quarter) {
      if (!Number.isNaN(this.quarter)) {
        this.monthPeakKw = Math.max(this.monthPeakKw, this.quarterKws / 900);
        this.monthPeakShown = round3(this.monthPeakKw);
      }
      this.quarter = q;
      this.quarterKws = 0;
    }
    const net = lineKw[0]! + lineKw[1]! + lineKw[2]!;
    this.quarterKws += Math.max(0, net);
    this.importKwh += Math.max(0, net) / 3600;
    const elapsedS = (endMs - q * QUARTER_MS) / 1000;
    // Draw every second, sent or not, so the drop pattern does not depend on outages.
    const dropped = this.dropRate > 0 && this.rng() < this.dropRate;
    const flag = this.flags[tS];
    this.repeated = flag === FROZEN && this.hasSent;
    const due = (tS + 1) % this.everyS === 0;
    this.sent = due && !dropped && flag !== SILENT && (flag !== FROZEN || this.hasSent);
    if (!this.sent) return null;
    // A frozen meter repeats its last telegram: the object still holds it.
    if (this.repeated) return this.telegram;
    const telegram = this.telegram;
    if (!this.measuredFrom(lineKw, lineA)) {
      const phases = telegram.phases;
      for (let l = 0; l < phases.length; l++)
        measureLine(phases[l]!, l, this.twoElement, this.wholeAmps, lineKw, lineA);
      telegram.power.importKw = round3(Math.max(0, net));
      telegram.power.exportKw = round3(Math.max(0, -net));
    }
    telegram.timestamp = meterIso(endMs);
    // DSMR and e-MUCS registers show whole watt-hours (1-0:1.8.1(012345.678*kWh)).
    telegram.energy!.importKwh = round3(this.importKwh);
    if (telegram.capacity) {
      telegram.capacity.quarterAverageKw = round3(this.quarterKws / elapsedS);
      telegram.capacity.monthPeakKw = this.monthPeakShown;
    }
    this.hasSent = true;
    return telegram;
  }

  /**
   * Whether the telegram's lines and power were measured from these very values (often so: between the base
   * load's 10-s wanderings a house without sun or changing car holds its lines), else remembers them.
   */
  private measuredFrom(lineKw: ArrayLike<number>, lineA: ArrayLike<number>): boolean {
    const { measuredKw, measuredA } = this;
    let same = true;
    for (let l = 0; l < 3; l++) {
      if (measuredKw[l] !== lineKw[l] || measuredA[l] !== lineA[l]) same = false;
      measuredKw[l] = lineKw[l]!;
      measuredA[l] = lineA[l]!;
    }
    return same;
  }
}
