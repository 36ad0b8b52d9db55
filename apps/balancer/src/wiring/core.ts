import {
  type Balancer,
  type BalancerConfig,
  type ChargerInput,
  type ChargerMeasurement,
  type Decision,
  parseMeterTime,
  reasonText,
} from '@p1/balancer';
import type { Charger } from '@p1/drivers';
import { decryptSmarty, formatMeterIso, type Reading } from '@p1/dsmr';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/schema';
import type { RuntimeSettings } from '../http/settings';
import type { ChargerView, LiveState } from '../live/live-state';
import type { MonthPeak, OpenSession, Store } from '../store/store';

const PRUNE_EVERY_MS = 3_600_000;
const SESSION_ENERGY_EVERY_MS = 60_000;
/** How long a connected charger reports no car before a session an earlier run left open is closed. */
const PLUG_SETTLE_MS = 30_000;
/** The learned loads change slowly: the state shows them refreshed this often. */
const LOADS_EVERY_MS = 10_000;

export interface CoreOptions {
  config: AppConfig;
  store: Store;
  live: LiveState;
  createBalancer: (config: BalancerConfig) => Balancer;
  chargers: Charger[];
  logger: Logger;
  now?: () => number;
}

/** The balancer's configuration from the module's configuration and the run-time settings. */
export function balancerConfigOf(config: AppConfig, settings: RuntimeSettings, monthPeakKw: number): BalancerConfig {
  return {
    site: {
      connection: config.site.connection,
      fuseA: config.site.fuseA,
      capacityTargetKw: settings.capacityTargetKw,
      monthPeakKw,
      neverRaiseMonthPeak: config.site.neverRaiseMonthPeak,
    },
    margins: config.margins,
    minPauseS: config.timing.minPauseS,
    minChargeS: config.timing.minChargeS,
    phaseSwitch: config.timing.phaseSwitch,
    solar: { mode: settings.solar },
    chargers: config.chargers.map((c) => ({
      id: c.id,
      priority: c.priority,
      safeA: c.safeA,
      carMinA: c.carMinA,
      carMaxA: c.carMaxA,
      minPauseS: c.minPauseS,
    })),
  };
}

function monthOf(iso: string | null, ts: number): string {
  return (iso ?? formatMeterIso(ts)).slice(0, 7);
}

/** Epoch ms of a meter timestamp (ISO with offset); null when absent or unparsable. */
function meterTimeMs(iso: string | null): number | null {
  if (!iso) return null;
  const ms = parseMeterTime(iso);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * One telegram in, new limits out: the control path runs first (balancer step, charger limits),
 * then bookkeeping (store, live state, listeners), so persistence never delays a cut.
 */
export class ModuleCore {
  private readonly balancer: Balancer;
  private readonly chargers: Map<string, Charger>;
  private readonly now: () => number;
  private readonly lastRecorded = new Map<string, string>();
  private readonly plugged = new Map<string, boolean>();
  /**
   * Per charger, a session an earlier run left open (a crash), until the charger tells whether its car stayed.
   * `continuedAt`: when this run took it on for a plugged car whose charger had not yet said when its session began.
   */
  private readonly inherited = new Map<
    string,
    OpenSession & { unpluggedSince: number | null; continuedAt: number | null }
  >();
  /** Per charger, the energy its session had before this run: drivers count a session's energy from their start. */
  private readonly carriedKwh = new Map<string, number>();
  private readonly lastRefusal = new Map<string, string>();
  /** Latest measurement per charger, from its events (the event is the driver's source of truth). */
  private readonly measurements = new Map<string, ChargerMeasurement>();
  private newReading: Reading | null = null;
  private lastPrune = 0;
  private lastSessionWrite = 0;
  private lastChargerSecond = -1;
  private lastDecision: Decision | null = null;
  private lastBookkeepingError = 0;
  private lastLoadsAt = Number.NEGATIVE_INFINITY;
  /** Each charger's measurement status as last logged (an implausible value is logged once, not each second). */
  private readonly measurementLogged = new Map<string, string>();
  settings: RuntimeSettings;

  constructor(private readonly o: CoreOptions) {
    this.now = o.now ?? Date.now;
    this.chargers = new Map(o.chargers.map((c) => [c.capabilities.id, c]));
    const stored = o.store.getSetting<Partial<RuntimeSettings>>('runtime') ?? {};
    this.settings = {
      capacityTargetKw: o.config.site.capacityTargetKw,
      solar: o.config.site.solar,
      ...stored,
    };
    o.live.site = { ...o.config.site, ...this.settings };
    this.balancer = o.createBalancer(balancerConfigOf(o.config, this.settings, this.currentMonthPeak()));
    o.live.chargers = o.config.chargers.map((c) => {
      const m = this.chargers.get(c.id)?.measurement;
      return {
        id: c.id,
        driver: c.driver,
        phases: c.phases,
        minA: c.minA,
        maxA: c.maxA,
        connected: m?.connected ?? false,
        vehiclePlugged: m?.vehiclePlugged ?? false,
        limitA: null,
        limitPhases: null,
        appliedLimitA: m?.appliedLimitA ?? null,
        currentA: m?.currentA ?? [],
        sessionKwh: m?.sessionKwh ?? 0,
        reason: 'no meter data',
        reasonText: reasonText('no meter data'),
        measurement: 'ok',
        problem: null,
      };
    });
    for (const charger of o.chargers) {
      this.measurements.set(charger.capabilities.id, charger.measurement);
      charger.on('measurement', (m) => this.measurements.set(charger.capabilities.id, m));
      charger.on('status', (s) => {
        const view = this.view(charger.capabilities.id);
        if (!view) return;
        view.connected = s.connected;
        view.problem = s.problem ?? null;
        o.logger.info({ charger: charger.capabilities.id, ...s }, 'charger status');
      });
    }
    this.refreshMonth(null);
    for (const open of o.store.openSessions()) {
      const previous = this.inherited.get(open.chargerId);
      if (previous) this.closeInherited(previous, 'a later session of the same charger is open');
      if (this.chargers.has(open.chargerId))
        this.inherited.set(open.chargerId, { ...open, unpluggedSince: null, continuedAt: null });
      else this.closeInherited(open, 'its charger is no longer configured');
    }
  }

  /**
   * A session an earlier run left open goes on if the car is still plugged, unless the charger says its session
   * began after the last second the module saw a car (another car's, which gets a session of its own). The
   * charger may say so only later: a charger back online answers the status question before it sends the
   * StartTransaction it queued while away. A session start between that last second and the moment this run
   * took the session on splits it then. It is closed at that last second once its charger, connected, has
   * reported no car for PLUG_SETTLE_MS (a charger reports "no car" for a moment after connecting, before its
   * status arrives).
   */
  private settleInherited(id: string, m: ChargerMeasurement, now: number): void {
    const open = this.inherited.get(id);
    if (!open) return;
    if (open.continuedAt !== null && !m.vehiclePlugged) {
      this.inherited.delete(id); // the car left after this run took its session on: closed as any unplug
      return;
    }
    if (m.vehiclePlugged) {
      const startMs = m.sessionStartMs;
      if (startMs !== undefined && startMs > open.lastSeenTs && startMs <= (open.continuedAt ?? now)) {
        this.closeInherited(open, 'another car plugged in while the module was down');
        if (open.continuedAt !== null) {
          // this run had taken the old session on: the car plugged now opens a session of its own
          this.carriedKwh.delete(id);
          this.plugged.set(id, false);
        }
        return;
      }
      if (open.continuedAt === null) {
        open.continuedAt = now;
        this.carriedKwh.set(id, open.energyKwh);
      }
      if (startMs !== undefined) this.inherited.delete(id);
      return;
    }
    if (!m.connected) {
      open.unpluggedSince = null;
      return;
    }
    open.unpluggedSince ??= now;
    if (now - open.unpluggedSince >= PLUG_SETTLE_MS)
      this.closeInherited(open, 'the car left while the module was down');
  }

  private closeInherited(open: OpenSession, why: string): void {
    this.inherited.delete(open.chargerId);
    this.o.store.closeSession(open.id, open.lastSeenTs, open.energyKwh);
    this.o.logger.info(
      { charger: open.chargerId, session: open.id, endedAt: new Date(open.lastSeenTs).toISOString() },
      `closed a session left open by an earlier run: ${why}`,
    );
  }

  /** The session's energy: what the charger counted in this run, on top of what an earlier run stored. */
  private sessionKwhOf(id: string, m: ChargerMeasurement): number {
    return (this.carriedKwh.get(id) ?? 0) + m.sessionKwh;
  }

  private view(id: string): ChargerView | undefined {
    return this.o.live.chargers.find((c) => c.id === id);
  }

  private currentMonthPeak(): number {
    return this.o.store.monthPeak(monthOf(null, this.now()))?.peakKw ?? 0;
  }

  /** Every frame the meter source reports, valid or not. */
  onReading(reading: Reading, raw: Uint8Array): void {
    if (!reading.ok) {
      this.o.live.publish();
      return;
    }
    const now = this.now();
    // Control first.
    const decision = this.step(now, reading);
    // Bookkeeping: a failing disk must not stop the control loop.
    try {
      this.bookkeeping(now, reading, raw, decision);
    } catch (err) {
      this.bookkeepingFailed(now, err);
    }
    this.o.live.publish();
  }

  private bookkeeping(now: number, reading: Reading, raw: Uint8Array, decision: Decision): void {
    const { live, store } = this.o;
    live.reading = reading;
    live.rawTelegram = this.telegramText(reading, raw);
    live.meter.lastTelegramAt = now;
    const ts = meterTimeMs(reading.timestamp) ?? now;
    const importKw = reading.power.importKw ?? 0;
    const exportKw = reading.power.exportKw ?? 0;
    // The meter's own month peak belongs to the month of the peak's time stamp, and only while its clock is
    // believed: a clock jumped a day ahead at year end would file December's peak under January.
    const peak = reading.capacity;
    if (peak?.monthPeakKw != null && decision.meter.clock === 'ok') {
      store.raiseMonthPeak(monthOf(peak.monthPeakAt ?? reading.timestamp, ts), peak.monthPeakKw, peak.monthPeakAt);
    }
    const phase = (n: number) => reading.phases.find((p) => p.phase === n);
    store.recordSecond({
      ts,
      importW: importKw * 1000,
      exportW: exportKw * 1000,
      currentsA: [phase(1)?.currentA ?? null, phase(2)?.currentA ?? null, phase(3)?.currentA ?? null],
      voltagesV: [phase(1)?.voltageV ?? null, phase(2)?.voltageV ?? null, phase(3)?.voltageV ?? null],
      importKwh: reading.energy.importKwh,
      exportKwh: reading.energy.exportKwh,
      quarterAvgKw: reading.capacity?.quarterAverageKw ?? decision.quarter.usedKwh * 4,
    });
    this.updateQuarter(decision, reading);
    this.refreshMonth(reading);
    this.housekeeping(now);
  }

  /** The 1 s timer: fail-safe on missing telegrams, charger measurements to the views. */
  tick(): void {
    const now = this.now();
    if (!this.newReading) this.step(now, null);
    this.newReading = null;
    try {
      this.housekeeping(now);
    } catch (err) {
      this.o.logger.error({ err: (err as Error).message }, 'housekeeping failed; control goes on');
    }
    this.o.live.publish();
  }

  /** What /api/v1/telegram shows: the telegram's text; a Smarty frame decrypted with the configured key. */
  private telegramText(reading: Reading, raw: Uint8Array): Uint8Array {
    const key = this.o.config.meter.smartyKey;
    if (reading.protocol !== 'smarty' || !key || raw[0] === 0x2f) return raw;
    try {
      return decryptSmarty(raw, { key });
    } catch {
      return raw;
    }
  }

  private step(now: number, reading: Reading | null): Decision {
    if (reading) this.newReading = reading;
    const inputs: ChargerInput[] = [];
    for (const charger of this.chargers.values()) {
      inputs.push({ capabilities: charger.capabilities, measurement: this.measurementOf(charger) });
    }
    const decision = this.balancer.step({ nowMs: now, reading, chargers: inputs });
    this.apply(decision, now);
    this.lastDecision = decision;
    this.observe(decision, now);
    return decision;
  }

  /**
   * After the limits are on their way: the quarter the balancer closed goes to the store (with or without
   * a telegram this second: a silent meter's quarter still ends), and what the balancer acts on goes to
   * the live view, so the dashboard shows the truth it controls by.
   */
  private observe(decision: Decision, now: number): void {
    const closed = decision.quarter.closed;
    if (closed) {
      try {
        const startLocal = formatMeterIso(closed.startMs);
        const month = startLocal.slice(0, 7);
        const kw = round3(closed.averageKw);
        const peakBefore = this.o.store.monthPeak(month)?.peakKw ?? 0;
        this.o.store.recordQuarter(closed.startMs, closed.averageKw, decision.quarter.targetKw);
        // A quarter the meter barely covered, or whose clock was set anew, is kept but is no month peak.
        if (closed.peakWorthy) this.o.store.raiseMonthPeak(month, kw, startLocal);
        this.o.store.recordSessionPeak(closed.startMs, kw, closed.peakWorthy && kw > peakBefore);
      } catch (err) {
        this.bookkeepingFailed(now, err);
      }
    }
    const control = this.o.live.meter.control;
    control.data = decision.meter.data;
    control.clock = decision.meter.clock;
    control.failsafe = decision.failsafe;
    control.dataAgeMs = decision.dataAgeMs;
    if (now - this.lastLoadsAt >= LOADS_EVERY_MS) {
      this.lastLoadsAt = now;
      this.o.live.loads = this.balancer.learnedLoads(now);
    }
  }

  private bookkeepingFailed(now: number, err: unknown): void {
    if (now - this.lastBookkeepingError > 60_000) {
      this.lastBookkeepingError = now;
      this.o.logger.error({ err: (err as Error).message }, 'storing the reading failed; control goes on');
    }
  }

  private apply(decision: Decision, now: number): void {
    for (const d of decision.chargers) {
      const charger = this.chargers.get(d.id);
      if (!charger) continue;
      if (d.changed) {
        this.o.live.decisionChanges++;
        this.o.logger.debug({ charger: d.id, limitA: d.limitA, phases: d.phases, reason: d.reason }, 'new limit');
      }
      // Every step, not only on a change: the driver compares with what the charger acknowledged, so a
      // limit lost to a reconnect, a refusal or a lapsed lease is sent again.
      charger.setLimit(d.limitA, d.phases).then(
        () => this.lastRefusal.delete(d.id),
        (err: Error) => this.refused(d.id, err),
      );
      const key = `${d.limitA}|${d.phases}|${d.reason}`;
      if (this.lastRecorded.get(d.id) !== key) {
        this.lastRecorded.set(d.id, key);
        try {
          this.o.store.recordDecision({
            ts: now,
            chargerId: d.id,
            limitA: d.limitA,
            phases: d.phases,
            reason: d.reason,
          });
        } catch {
          // reported by the bookkeeping that follows; the limits above are already on their way
        }
      }
      if ((this.measurementLogged.get(d.id) ?? 'ok') !== d.measurement) {
        this.measurementLogged.set(d.id, d.measurement);
        const m = this.measurements.get(d.id);
        if (d.measurement === 'ok') this.o.logger.info({ charger: d.id }, 'charger measurement usable again');
        else {
          this.o.logger.warn(
            { charger: d.id, measurement: d.measurement, currentA: m?.currentA, at: m?.at },
            'charger measurement not used: counted as its full offer, nobody raised on it',
          );
        }
      }
      const view = this.view(d.id);
      if (view) {
        view.limitA = d.limitA;
        view.limitPhases = d.phases;
        view.reason = d.reason;
        view.reasonText = reasonText(d.reason);
        view.measurement = d.measurement;
      }
    }
  }

  /** A refusal is logged when it starts or changes, not every second it repeats. */
  private refused(id: string, err: Error): void {
    if (this.lastRefusal.get(id) === err.message) return;
    this.lastRefusal.set(id, err.message);
    this.o.logger.warn({ charger: id, err: err.message }, 'charger refused the new limit');
  }

  private updateQuarter(decision: Decision, reading: Reading): void {
    const q = decision.quarter;
    if (q.startMs === null || q.quarterStart === null) return;
    const leftH = Math.max(0, 900 - q.elapsedS) / 3600;
    this.o.live.quarter = {
      startTs: q.startMs,
      startLocal: q.quarterStart,
      elapsedS: q.elapsedS,
      energyKwh: q.usedKwh,
      averageKw: q.usedKwh * 4,
      projectedKw: q.projectedKw,
      targetKw: q.targetKw ?? this.settings.capacityTargetKw,
      allowedKw: q.allowedKw,
      houseRestKw: leftH > 0 ? q.houseRestKwh / leftH : null,
      meterAverageKw: reading.capacity?.quarterAverageKw ?? null,
    };
  }

  private refreshMonth(reading: Reading | null): void {
    const ts = meterTimeMs(reading?.timestamp ?? null) ?? this.now();
    const month = monthOf(reading?.timestamp ?? null, ts);
    const peak = this.o.store.monthPeak(month);
    const meterHistory: MonthPeak[] = (reading?.capacity?.history ?? [])
      .filter((h) => h.peakKw !== null && (h.peakAt ?? h.periodAt))
      .map((h) => ({
        month: (h.peakAt ?? h.periodAt ?? '').slice(0, 7),
        peakKw: h.peakKw as number,
        peakAt: h.peakAt,
      }));
    const history = meterHistory.length > 0 ? mergeHistory(meterHistory, peak) : this.o.store.monthPeaks(13);
    this.o.live.month = { month, peakKw: peak?.peakKw ?? null, peakAt: peak?.peakAt ?? null, history };
  }

  private housekeeping(now: number): void {
    // housekeeping runs on telegrams and on the 1 s tick: one charger sample per second for the session charts
    const second = Math.floor(now / 1000);
    const sampleDue = second !== this.lastChargerSecond;
    this.lastChargerSecond = second;
    for (const charger of this.chargers.values()) {
      const id = charger.capabilities.id;
      const m = this.measurementOf(charger);
      const view = this.view(id);
      if (view) {
        view.connected = m.connected;
        view.vehiclePlugged = m.vehiclePlugged;
        view.currentA = m.currentA;
        view.sessionKwh = this.sessionKwhOf(id, m);
        view.appliedLimitA = m.appliedLimitA;
      }
      this.settleInherited(id, m, now);
      const was = this.plugged.get(id) ?? false;
      if (m.vehiclePlugged && !was) this.o.store.startSession(id, now, this.sessionKwhOf(id, m));
      if (!m.vehiclePlugged && was) {
        this.o.store.endSession(id, now, this.sessionKwhOf(id, m));
        this.carriedKwh.delete(id);
      }
      this.plugged.set(id, m.vehiclePlugged);
      if (sampleDue && m.vehiclePlugged) {
        const measured = m.currentA.filter((a): a is number => a !== null);
        this.o.store.recordChargerSecond({
          ts: second * 1000,
          chargerId: id,
          currentA: measured.length > 0 ? Math.max(...measured) : null,
          limitA: view?.limitA ?? null,
        });
      }
    }
    if (now - this.lastSessionWrite >= SESSION_ENERGY_EVERY_MS) {
      this.lastSessionWrite = now;
      for (const charger of this.chargers.values()) {
        const m = this.measurementOf(charger);
        const id = charger.capabilities.id;
        if (m.vehiclePlugged) this.o.store.updateSessionEnergy(id, this.sessionKwhOf(id, m));
      }
    }
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      this.o.store.prune(now);
    }
  }

  /**
   * Applies a settings change from the API: persisted, and given to the running balancer, which keeps
   * what each charger was told and the quarter so far (a rebuilt one would start from 0 A and swallow
   * the next cut).
   */
  updateSettings(patch: Partial<RuntimeSettings>): RuntimeSettings {
    this.settings = { ...this.settings, ...patch };
    this.o.store.putSetting('runtime', this.settings);
    this.o.live.site = { ...this.o.config.site, ...this.settings };
    this.balancer.reconfigure(balancerConfigOf(this.o.config, this.settings, this.currentMonthPeak()));
    this.o.live.publish();
    return this.settings;
  }

  measurementOf(charger: Charger): ChargerMeasurement {
    return this.measurements.get(charger.capabilities.id) ?? charger.measurement;
  }

  get decision(): Decision | null {
    return this.lastDecision;
  }

  /** Shutdown: every charger to its safe current before the process exits. */
  async toSafeCurrent(): Promise<void> {
    await Promise.allSettled(
      [...this.chargers.values()].map(async (c) => {
        const safeA = this.o.config.chargers.find((x) => x.id === c.capabilities.id)?.safeA ?? c.capabilities.safeA;
        await c.setLimit(safeA);
        this.o.store.endSession(
          c.capabilities.id,
          this.now(),
          this.sessionKwhOf(c.capabilities.id, this.measurementOf(c)),
        );
      }),
    );
  }
}

function mergeHistory(meter: MonthPeak[], current: MonthPeak | null): MonthPeak[] {
  const byMonth = new Map(meter.map((m) => [m.month, m]));
  if (current && !byMonth.has(current.month)) byMonth.set(current.month, current);
  return [...byMonth.values()].sort((a, b) => (a.month < b.month ? 1 : -1)).slice(0, 13);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
