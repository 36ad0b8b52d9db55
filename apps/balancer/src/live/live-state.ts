import { EventEmitter } from 'node:events';
import type { Reading } from '@p1/dsmr';
import type { SiteConfig } from '../config/schema';
import type { MonthPeak } from '../store/store';
import type { QuarterStatus } from './quarter';

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
  reason: string;
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

export interface BudgetView extends QuarterStatus {
  targetKw: number | null;
  /** What the balancer allows for the rest of the quarter (kW), when it reports it. */
  allowedKw: number | null;
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
  };
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
