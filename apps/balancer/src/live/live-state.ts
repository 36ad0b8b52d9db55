import { EventEmitter } from 'node:events';
import type { ChargerDecision, ClockState, Decision, LoadSummary } from '@p1/balancer';
import type { Reading } from '@p1/dsmr';
import type { SiteConfig } from '../config/schema';
import type { MonthPeak } from '../store/store';

export interface ChargerView {
  id: string;
  driver: string;
  phases: number[];
  minA: number;
  maxA: number;
  connected: boolean;
  vehiclePlugged: boolean;
  /** The limit the balancer decided (A; 0 = paused); null before the first decision. */
  limitA: number | null;
  limitPhases: 1 | 3 | null;
  /** What the charger acknowledged. */
  appliedLimitA: number | null;
  /** Measured current per wired line. */
  currentA: (number | null)[];
  sessionKwh: number;
  /** Why the limit is what it is (a short label), and the sentence an owner reads for it. */
  reason: string;
  reasonText: string;
  /** Whether the balancer could use the charger's own measurement, and why not. */
  measurement: ChargerDecision['measurement'];
  problem: string | null;
}

export interface LineView {
  phase: 1 | 2 | 3;
  currentA: number | null;
  voltageV: number | null;
  importKw: number | null;
  exportKw: number | null;
  fuseA: number;
}

/** The running quarter-hour on the meter clock (:00/:15/:30/:45), as the balancer counts it. */
export interface BudgetView {
  /** Epoch ms of the quarter's start, and the same on the meter clock. */
  startTs: number;
  startLocal: string | null;
  elapsedS: number;
  energyKwh: number;
  /** Energy so far spread over the whole quarter (what the meter's 1.4.0 shows). */
  averageKw: number;
  /** Average at the end of the quarter if the present import holds. */
  projectedKw: number;
  targetKw: number | null;
  /** The import rate allowed for the rest of the quarter, house and cars together (kW). */
  allowedKw: number | null;
  /** The house's expected import for the rest of the quarter, as an average (kW), learned loads included. */
  houseRestKw: number | null;
  /** The meter's own 1.4.0 when it sends one (Belgian meters). */
  meterAverageKw: number | null;
}

export interface MeterView {
  source: string;
  diagnosis: string;
  counters: {
    bytes: number;
    goodFrames: number;
    badFrames: number;
    reconnects: number;
    badByCode: Record<string, number>;
  };
  lastTelegramAt: number | null;
  /**
   * The meter as the balancer acts on it: fresh data, a repeated telegram or a stopped clock (`stale`),
   * nothing (`silent`); its clock (`jump`, `unset`); whether the chargers are on their fail-safe, and the
   * age of the data the limits rest on.
   */
  control: {
    data: Decision['meter']['data'] | null;
    clock: ClockState | null;
    failsafe: boolean;
    dataAgeMs: number | null;
  };
}

export interface StateSnapshot {
  at: string;
  site: SiteConfig;
  meter: MeterView;
  reading: Reading | null;
  grid: { importKw: number; exportKw: number; netKw: number } | null;
  lines: LineView[];
  chargers: ChargerView[];
  quarter: BudgetView | null;
  month: { month: string | null; peakKw: number | null; peakAt: string | null; history: MonthPeak[] };
  /** What the balancer has learned of the house's loads. */
  loads: LoadSummary[];
  activation: unknown;
  /** Until when the dashboard flashes (HomeWizard `PUT /api/v1/identify`); null when it does not. */
  identifyUntil: string | null;
}

export interface LiveStateEvents {
  change: [snapshot: StateSnapshot];
  telegram: [raw: Uint8Array];
}

/** The module's present state, as the APIs, dashboard, MQTT and metrics show it. */
export class LiveState extends EventEmitter<LiveStateEvents> {
  reading: Reading | null = null;
  /** The latest valid telegram's bytes (for /api/v1/telegram). */
  rawTelegram: Uint8Array | null = null;
  meter: MeterView = {
    source: 'none',
    diagnosis: 'connecting',
    counters: { bytes: 0, goodFrames: 0, badFrames: 0, reconnects: 0, badByCode: {} },
    lastTelegramAt: null,
    control: { data: null, clock: null, failsafe: false, dataAgeMs: null },
  };
  loads: LoadSummary[] = [];
  chargers: ChargerView[] = [];
  quarter: BudgetView | null = null;
  month: StateSnapshot['month'] = { month: null, peakKw: null, peakAt: null, history: [] };
  activation: unknown = null;
  decisionChanges = 0;
  sseClients = 0;
  /** Epoch ms until which the dashboard flashes to show which module this is. */
  identifyUntil = 0;

  constructor(public site: SiteConfig) {
    super();
    this.setMaxListeners(0);
  }

  snapshot(): StateSnapshot {
    const r = this.reading;
    const grid =
      r?.ok && r.power.importKw !== null
        ? {
            importKw: r.power.importKw,
            exportKw: r.power.exportKw ?? 0,
            netKw: round3(r.power.importKw - (r.power.exportKw ?? 0)),
          }
        : null;
    const lines: LineView[] = (r?.ok ? r.phases : []).map((p) => ({
      phase: p.phase,
      currentA: p.currentA,
      voltageV: p.voltageV,
      importKw: p.importKw,
      exportKw: p.exportKw,
      fuseA: this.site.fuseA,
    }));
    return {
      at: new Date().toISOString(),
      site: this.site,
      meter: this.meter,
      reading: r,
      grid,
      lines,
      chargers: this.chargers,
      quarter: this.quarter,
      month: this.month,
      loads: this.loads,
      activation: this.activation,
      identifyUntil: this.identifying(Date.now()) ? new Date(this.identifyUntil).toISOString() : null,
    };
  }

  identifying(now: number): boolean {
    return this.identifyUntil > now;
  }

  /** Tells every listener (SSE, MQTT) that something changed. */
  publish(): void {
    if (this.listenerCount('change') > 0) this.emit('change', this.snapshot());
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
