import { EventEmitter } from 'node:events';
import {
  type Charger,
  type ChargerCapabilities,
  type ChargerEvents,
  type ChargerMeasurement,
  isPlausibleCurrent,
} from '@p1/balancer/charger-state';
import type {
  BootNotificationReq,
  ChangeConfigurationConf,
  ChargePointStatus,
  ChargingProfileStatus,
  ConfigurationStatus,
  GetConfigurationConf,
  KeyValue,
  MeterValuesReq,
  SetChargingProfileConf,
  StartTransactionReq,
  StatusNotificationReq,
  StopTransactionReq,
  TriggerMessageConf,
  TriggerMessageReq,
} from '@p1/ocpp16';
import { Episodes } from '../log-limit';
import type { Logger } from '../logger';
import {
  DEFAULT_SUPPORT,
  FAILSAFE_PROFILE_ID,
  LIMIT_PROFILE_ID,
  parseSmartChargingSupport,
  SMART_CHARGING_KEYS,
  type SmartChargingSupport,
  toTenths,
  txDefaultProfile,
} from './charging-profile';
import {
  intervalCandidates,
  METER_VALUE_KEYS,
  ownIntervalSuffices,
  sampledDataCandidates,
  samplesCurrents,
} from './meter-value-config';
import { lineCurrents, readMeterValues } from './meter-values';
import { type OverdrawPolicy, OverdrawWatch } from './overdraw';
import type { RpcPeer } from './rpc';
import type { TurnBudget } from './turn-budget';

export interface OcppChargerSettings {
  logger: Logger;
  now: () => number;
  heartbeatIntervalS: number;
  /** Lifetime of the limit profile; renewed by setLimit once half spent. 0 = never expires. */
  failsafeLeaseS: number;
  /** After a rejected profile, wait this long before sending it again. */
  profileRetryS: number;
  /** Configure a charge point that connects without a BootNotification after this long. */
  bootWaitMs: number;
  /** MeterValueSampleInterval (s) set at connect, with per-phase currents; null leaves the charger's own. */
  meterValueSampleIntervalS: number | null;
  overdraw: OverdrawPolicy;
  nextTransactionId: () => number;
  /** Shared by all chargers of one central system. */
  sendBudget: TurnBudget;
}

/** How long a reconnected charger may take to answer TriggerMessage before its limit is configured anyway. */
const STATUS_ASK_TIMEOUT_MS = 2_000;

/** A sample this much older than its arrival is reported as late (queued, or the charger's clock is behind). */
const LATE_SAMPLE_MS = 60_000;

const PLUGGED: ReadonlySet<ChargePointStatus> = new Set([
  'Preparing',
  'Charging',
  'SuspendedEV',
  'SuspendedEVSE',
  'Finishing',
]);

interface Limit {
  amps: number;
  phases: 1 | 3;
}

interface SentLimit extends Limit {
  ackAt: number;
  validTo: number | null;
}

/** One configured charge point seen from the central system: the `Charger` the balancer steers. */
export class OcppCharger extends EventEmitter<ChargerEvents> implements Charger {
  measurement: ChargerMeasurement;
  /** Number of SetChargingProfile calls carrying the limit profile (for tests and metrics). */
  limitProfilesSent = 0;
  private peer: RpcPeer | null = null;
  private stopped = false;
  private support: SmartChargingSupport = DEFAULT_SUPPORT;
  private desired: Limit | null = null;
  private sent: SentLimit | null = null;
  private retryAfter = 0;
  private pumping: Promise<void> | null = null;
  private configuring: Promise<void> | null = null;
  private transactionId: number | null = null;
  private meterStartWh = 0;
  private forcedZero = false;
  private readonly watch: OverdrawWatch;
  /** Set between attach and the end of configuration: no profile is sent before we know if it rebooted. */
  private linkReady = false;
  /** The acknowledged limit must be confirmed on the current link (sent again even if unchanged). */
  private resend = false;
  /** While the link is down and the limit's lease still runs: when the lease ends. */
  private holdingUntil: number | null = null;
  private holdTimer: NodeJS.Timeout | null = null;
  private failsafeInstalled = false;
  /** Epoch ms of the latest MeterValues sample used; an older one arriving later is not. */
  private lastSampleAt = Number.NEGATIVE_INFINITY;
  private readonly episodes = new Episodes();

  constructor(
    readonly capabilities: ChargerCapabilities,
    private readonly settings: OcppChargerSettings,
  ) {
    super();
    this.watch = new OverdrawWatch(settings.overdraw);
    this.measurement = {
      connected: false,
      vehiclePlugged: false,
      currentA: capabilities.phases.map(() => null),
      sessionKwh: 0,
      appliedLimitA: null,
      appliedPhases: null,
      at: settings.now(),
    };
  }

  get id(): string {
    return this.capabilities.id;
  }

  /** The websocket is up (a charger holding its limit through a short outage reports connected but is not). */
  get connected(): boolean {
    return this.peer !== null;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** The limit the module would like the charger to hold, after escalation overrides. */
  get targetLimit(): Limit | null {
    if (this.forcedZero) return { amps: 0, phases: this.desired?.phases ?? this.defaultPhases() };
    return this.desired;
  }

  async setLimit(amps: number, phases?: 1 | 3): Promise<void> {
    if (!Number.isFinite(amps) || amps < 0) {
      throw new RangeError(`charger ${this.id}: limit must be a finite number of amperes >= 0, got ${amps}`);
    }
    if (phases !== undefined && phases !== 1 && phases !== 3) {
      throw new RangeError(`charger ${this.id}: phases must be 1 or 3, got ${String(phases)}`);
    }
    this.desired = { amps: toTenths(Math.min(amps, this.capabilities.maxA)), phases: phases ?? this.defaultPhases() };
    // checked here too, so that a clock the caller drives ends the hold without waiting for the timer
    if (this.holdingUntil !== null && this.settings.now() >= this.holdingUntil) this.leaseLapsed();
    if (this.peer && !this.configuring) await this.pump();
  }

  /**
   * Removes the module's limit profile so the charger falls back to its fail-safe default (safeA) at
   * once instead of when the lease runs out. Resolves false when the charger did not confirm.
   */
  async releaseLimit(): Promise<boolean> {
    const peer = this.peer;
    if (!peer) return false;
    try {
      const res = await peer.call<{ status: 'Accepted' | 'Unknown' }>(
        'ClearChargingProfile',
        { id: LIMIT_PROFILE_ID },
        { callTimeoutMs: 3_000 },
      );
      this.sent = null;
      if (res.status === 'Accepted') this.update({ appliedLimitA: this.capabilities.safeA });
      return res.status === 'Accepted';
    } catch (err) {
      this.settings.logger.warn({ chargerId: this.id, err: (err as Error).message }, 'ClearChargingProfile failed');
      return false;
    }
  }

  /** On shutdown: hand the charger back to its fail-safe, then close its connection. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.desired = null;
    this.endHold();
    const peer = this.peer;
    if (peer && this.support.maxStackLevel >= 1) await this.releaseLimit();
    this.detach(peer);
    await peer?.close({ code: 1001, reason: 'Central system stopping' });
  }

  /** A charge point with this identity has passed the handshake. A newer connection wins. */
  attach(peer: RpcPeer): void {
    const previous = this.peer;
    if (previous) {
      this.detach(previous);
      void previous.close({ force: true });
    }
    this.peer = peer;
    this.linkReady = false;
    this.registerHandlers(peer);
    peer.once('close', () => this.detach(peer));
    const held = this.holdingUntil !== null;
    this.endHold();
    this.settings.logger.info(
      { chargerId: this.id, ...(held ? { limitA: this.sent?.amps ?? null } : {}) },
      held ? 'charge point back within its lease: it resumes its limit' : 'charge point connected',
    );
    this.update({ connected: true });
    this.emit('status', { connected: true });
    // A charge point that rebooted opens with a BootNotification (and has lost its profiles): configure
    // after it. One that only lost its network opens with anything else: configure at once.
    let decided = false;
    const decide = (first: string | null) => {
      if (decided || this.peer !== peer) return;
      decided = true;
      peer.off('call', onCall);
      if (first !== 'BootNotification') void this.configure(peer, false);
    };
    const onCall = (e: { outbound: boolean; payload: unknown[] }) => {
      if (!e.outbound) decide(String(e.payload[2]));
    };
    peer.on('call', onCall);
    setTimeout(() => decide(null), this.settings.bootWaitMs).unref();
  }

  /**
   * The link is down. A charger whose limit lease still runs keeps charging at that limit without us:
   * it stays "connected" to the balancer (currents unknown) until the lease ends, so that a short
   * network drop neither pauses the car nor hands its share to others. After the lease it is offline.
   */
  private detach(peer: RpcPeer | null): void {
    if (!peer || this.peer !== peer) return;
    this.peer = null;
    this.linkReady = false;
    const now = this.settings.now();
    const sent = this.sent;
    if (!this.stopped && sent && sent.validTo !== null && sent.validTo > now) {
      this.holdingUntil = sent.validTo;
      const until = new Date(sent.validTo).toISOString();
      this.settings.logger.warn(
        { chargerId: this.id, limitA: sent.amps, heldUntil: until },
        'charge point connection lost; it holds its limit until the lease ends',
      );
      this.holdTimer = setTimeout(() => this.leaseLapsed(), sent.validTo - now).unref();
      this.update({ currentA: this.capabilities.phases.map(() => null) });
      this.problem(`connection lost: holds ${sent.amps} A until ${until}`);
      return;
    }
    this.goOffline();
  }

  private goOffline(): void {
    this.settings.logger.warn({ chargerId: this.id }, 'charge point disconnected');
    this.update({ connected: false, currentA: this.capabilities.phases.map(() => null) });
    this.emit('status', { connected: false });
  }

  /** The lease ran out while the link was down: the charger is on its own fail-safe now. */
  private leaseLapsed(): void {
    if (this.holdingUntil === null || this.peer) return;
    this.endHold();
    this.sent = null;
    this.update({ appliedLimitA: this.failsafeInstalled ? this.capabilities.safeA : null });
    this.goOffline();
  }

  private endHold(): void {
    this.holdingUntil = null;
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
  }

  private defaultPhases(): 1 | 3 {
    return this.capabilities.phases.length === 3 ? 3 : 1;
  }

  /**
   * `at` is when `currentA` was true: a sample's own time during a session. Outside one the currents
   * are known to be 0 (or unknown) as of now.
   */
  private update(patch: Partial<ChargerMeasurement>): void {
    if (patch.vehiclePlugged !== undefined && patch.vehiclePlugged !== this.measurement.vehiclePlugged)
      this.dropPending();
    const inSession = this.transactionId !== null || this.measurement.vehiclePlugged;
    const at = patch.at ?? (inSession && patch.currentA === undefined ? this.measurement.at : this.settings.now());
    this.measurement = { ...this.measurement, ...patch, at };
    this.emit('measurement', this.measurement);
  }

  /**
   * A limit not sent yet was decided on what is no longer so (the plug state, or currents unknown then): after
   * the module's restart, a 0 A meant for a charger whose car it did not know of yet would pause a car that
   * charges. The charger keeps what it holds until the next decision, made on what is now known (a step later).
   */
  private dropPending(): void {
    const sent = this.sent;
    const want = this.desired;
    if (!want || (sent && sent.amps === want.amps && sent.phases === want.phases)) return;
    this.desired = sent ? { amps: sent.amps, phases: sent.phases } : null;
  }

  private problem(problem: string): void {
    this.emit('status', { connected: this.measurement.connected, problem });
  }

  /**
   * After (re)connecting: read smart-charging support, set the meter values up, install the fail-safe,
   * re-apply the limit. After a boot the charger lost its profiles; after a mere reconnect it still
   * holds them (within the lease), so the same limit is confirmed, never replaced by 0 A.
   */
  private configure(peer: RpcPeer, booted: boolean): Promise<void> {
    const run = async () => {
      if (this.peer !== peer) return;
      if (!booted) await this.askStatus(peer);
      let keys: KeyValue[] = [];
      try {
        const conf = await peer.call<GetConfigurationConf>('GetConfiguration', {
          key: [...SMART_CHARGING_KEYS, ...METER_VALUE_KEYS],
        });
        keys = conf.configurationKey ?? [];
        this.support = parseSmartChargingSupport(keys);
      } catch (err) {
        this.support = DEFAULT_SUPPORT;
        this.settings.logger.warn(
          { chargerId: this.id, err: (err as Error).message },
          'GetConfiguration failed; assuming one stack level in amperes',
        );
      }
      await this.configureMeterValues(peer, keys);
      if (this.support.maxStackLevel >= 1) await this.installFailsafe(peer);
      else {
        this.settings.logger.warn(
          { chargerId: this.id },
          'charger supports a single profile stack level: no fail-safe default profile',
        );
      }
      if (booted) this.sent = null; // its profiles are gone
      this.resend = true;
      this.retryAfter = 0;
      if (this.peer === peer) this.linkReady = true;
    };
    const chained = (this.configuring ?? Promise.resolve()).then(run).catch((err: Error) => {
      this.settings.logger.warn({ chargerId: this.id, err: err.message }, 'configuring charge point failed');
    });
    this.configuring = chained;
    return chained.then(() => {
      if (this.configuring === chained) this.configuring = null;
      return this.pump();
    });
  }

  /**
   * A charge point that only lost its link reports its connector again only when something changes: after
   * our own restart we would not know its car is plugged. TriggerMessage (optional in OCPP 1.6) asks for it;
   * a charger without it still tells us through its next status change or transaction sample.
   */
  private async askStatus(peer: RpcPeer): Promise<void> {
    let answer: string;
    try {
      // briefly: the limit waits for this call, and a charger may ignore an action it does not implement
      const res = await peer.call<TriggerMessageConf>(
        'TriggerMessage',
        { requestedMessage: 'StatusNotification' } satisfies TriggerMessageReq,
        { callTimeoutMs: STATUS_ASK_TIMEOUT_MS },
      );
      answer = res.status;
    } catch (err) {
      // A CALLERROR's code says why (NotImplemented: the action is optional); its text is often empty.
      const e = err as Error & { rpcErrorCode?: string };
      answer = e.rpcErrorCode ?? e.message;
    }
    if (answer !== 'Accepted')
      this.settings.logger.info({ chargerId: this.id, answer }, 'charger did not resend its status');
  }

  /** The interval and per-phase currents the fuse loop needs; changed only where the charger differs. */
  private async configureMeterValues(peer: RpcPeer, keys: KeyValue[]): Promise<void> {
    const intervalS = this.settings.meterValueSampleIntervalS;
    if (intervalS === null) return;
    const value = (key: string) => keys.find((k) => k.key === key)?.value;
    const change = async (key: string, v: string): Promise<ConfigurationStatus | 'failed'> => {
      try {
        const res = await peer.call<ChangeConfigurationConf>('ChangeConfiguration', { key, value: v });
        return res.status;
      } catch {
        return 'failed';
      }
    };
    const log = this.settings.logger;
    const own = value('MeterValueSampleInterval');
    let set = false;
    let status: ConfigurationStatus | 'failed' = 'Rejected';
    for (const s of intervalCandidates(intervalS)) {
      if (ownIntervalSuffices(own, intervalS, s)) {
        set = true;
        break;
      }
      status = await change('MeterValueSampleInterval', String(s));
      if (status === 'Accepted' || status === 'RebootRequired') {
        log.info({ chargerId: this.id, intervalS: s, status }, 'MeterValueSampleInterval set');
        set = true;
        break;
      }
      // only Rejected is about the value; an unknown key or a silent charger will not take another one
      if (status !== 'Rejected') break;
    }
    if (set) this.episodes.end('interval refused');
    else if (this.episodes.begin('interval refused')) {
      log.warn(
        { chargerId: this.id, intervalS, status },
        'charger refused MeterValueSampleInterval: its currents may be old when they arrive',
      );
    }
    const lines = this.capabilities.phases.length;
    if (samplesCurrents(value('MeterValuesSampledData'), lines)) return;
    for (const csl of sampledDataCandidates(value('MeterValuesSampledData'), lines)) {
      const status = await change('MeterValuesSampledData', csl);
      if (status === 'Accepted' || status === 'RebootRequired') {
        this.episodes.end('sampled data refused');
        log.info({ chargerId: this.id, sampledData: csl, status }, 'MeterValuesSampledData set');
        return;
      }
    }
    if (this.episodes.begin('sampled data refused')) {
      log.warn(
        { chargerId: this.id },
        'charger refused to sample Current.Import: the balancer assumes it draws its whole limit',
      );
    }
  }

  private async installFailsafe(peer: RpcPeer): Promise<void> {
    const profile = txDefaultProfile({
      id: FAILSAFE_PROFILE_ID,
      stackLevel: 0,
      amps: this.capabilities.safeA,
      phases: this.defaultPhases(),
      support: this.support,
    });
    const res = await peer.call<SetChargingProfileConf>('SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: profile,
    });
    this.failsafeInstalled = res.status === 'Accepted';
    if (res.status === 'Accepted') {
      this.settings.logger.info(
        { chargerId: this.id, safeA: this.capabilities.safeA },
        'fail-safe default profile installed',
      );
    } else {
      this.settings.logger.warn({ chargerId: this.id, status: res.status }, 'fail-safe default profile refused');
      this.problem(`fail-safe profile ${res.status}`);
    }
  }

  private needsSending(now: number): boolean {
    const target = this.targetLimit;
    if (!target || !this.linkReady) return false;
    const sent = this.sent;
    if (!sent || sent.amps !== target.amps || sent.phases !== target.phases) return now >= this.retryAfter;
    if (this.resend) return true;
    return sent.validTo !== null && sent.validTo - now < (this.settings.failsafeLeaseS * 1000) / 2;
  }

  /** Sends the target limit until the charger holds it; one call in flight, later wishes coalesce. */
  private pump(): Promise<void> {
    // A loop already running may have made its last check before this wish: look again after it.
    if (this.pumping) return this.pumping.then(() => this.pump());
    if (!this.peer || !this.needsSending(this.settings.now())) return Promise.resolve();
    const loop = async () => {
      do {
        await this.settings.sendBudget.take(); // always yields first: `pumping` is set before the loop can end
        const peer = this.peer;
        const target = this.targetLimit;
        if (!peer || !target || !this.needsSending(this.settings.now())) return;
        if (!(await this.sendLimit(peer, target))) return;
      } while (this.peer && this.needsSending(this.settings.now()));
    };
    const running: Promise<void> = loop().finally(() => {
      if (this.pumping === running) this.pumping = null;
    });
    this.pumping = running;
    return running;
  }

  private async sendLimit(peer: RpcPeer, target: Limit): Promise<boolean> {
    const stacked = this.support.maxStackLevel >= 1;
    const leaseMs = this.settings.failsafeLeaseS * 1000;
    const validTo = stacked && leaseMs > 0 ? this.settings.now() + leaseMs : null;
    const profile = txDefaultProfile({
      id: LIMIT_PROFILE_ID,
      stackLevel: stacked ? 1 : 0,
      amps: target.amps,
      phases: target.phases,
      support: this.support,
      ...(validTo !== null ? { validTo: new Date(validTo) } : {}),
    });
    this.limitProfilesSent++;
    let status: ChargingProfileStatus;
    try {
      ({ status } = await peer.call<SetChargingProfileConf>('SetChargingProfile', {
        connectorId: 0,
        csChargingProfiles: profile,
      }));
    } catch (err) {
      this.settings.logger.warn(
        { chargerId: this.id, limitA: target.amps, err: (err as Error).message },
        'SetChargingProfile failed',
      );
      return false;
    }
    if (status !== 'Accepted') {
      this.retryAfter = this.settings.now() + this.settings.profileRetryS * 1000;
      this.settings.logger.warn(
        { chargerId: this.id, limitA: target.amps, status },
        'charger refused the limit profile',
      );
      this.problem(`limit profile ${status}`);
      return false;
    }
    // A renewal of the same limit keeps its acknowledgement time: the overdraw watch's grace runs from
    // when the charger first took this limit, not from the latest lease.
    const prev = this.sent;
    const renewal = prev !== null && prev.amps === target.amps && prev.phases === target.phases;
    this.sent = { ...target, ackAt: renewal ? prev.ackAt : this.settings.now(), validTo };
    if (this.peer === peer) this.resend = false;
    this.update({ appliedLimitA: target.amps, appliedPhases: target.phases });
    return true;
  }

  private registerHandlers(peer: RpcPeer): void {
    const log = this.settings.logger;
    const now = () => new Date(this.settings.now()).toISOString();
    peer.handle('BootNotification', ({ params }) => {
      const p = params as BootNotificationReq;
      log.info(
        { chargerId: this.id, vendor: p.chargePointVendor, model: p.chargePointModel, firmware: p.firmwareVersion },
        'BootNotification',
      );
      setImmediate(() => void this.configure(peer, true)); // after the reply has gone out
      return { status: 'Accepted', currentTime: now(), interval: this.settings.heartbeatIntervalS };
    });
    peer.handle('Heartbeat', () => ({ currentTime: now() }));
    peer.handle('StatusNotification', ({ params }) => {
      const p = params as StatusNotificationReq;
      if (p.connectorId === 0) return {};
      if (p.status === 'Available') this.endSession();
      if (p.status === 'Faulted')
        log.warn({ chargerId: this.id, errorCode: p.errorCode, info: p.info }, 'charger faulted');
      this.update({ vehiclePlugged: PLUGGED.has(p.status) || this.transactionId !== null });
      return {};
    });
    peer.handle('Authorize', () => ({ idTagInfo: { status: 'Accepted' } }));
    peer.handle('StartTransaction', ({ params }) => {
      const p = params as StartTransactionReq;
      this.transactionId = this.settings.nextTransactionId();
      this.meterStartWh = p.meterStart;
      this.watch.reset();
      this.forcedZero = false;
      log.info({ chargerId: this.id, transactionId: this.transactionId }, 'transaction started');
      // its own time (a queued start arrives late), never later than now
      const startedMs = Math.min(Date.parse(p.timestamp), this.settings.now());
      const sessionStartMs = Number.isFinite(startedMs) ? startedMs : this.settings.now();
      this.update({ vehiclePlugged: true, sessionKwh: 0, sessionStartMs });
      return { transactionId: this.transactionId, idTagInfo: { status: 'Accepted' } };
    });
    peer.handle('StopTransaction', ({ params }) => {
      const p = params as StopTransactionReq;
      log.info({ chargerId: this.id, transactionId: p.transactionId, reason: p.reason }, 'transaction stopped');
      // A stop the charger queued while we were down may end a transaction this run never saw: its meterStop
      // counts from a start we do not know, and it must not end the transaction running now.
      const ours = p.transactionId === this.transactionId;
      if (!ours && this.transactionId !== null) return { idTagInfo: { status: 'Accepted' } };
      if (ours) this.update({ sessionKwh: Math.max(0, (p.meterStop - this.meterStartWh) / 1000) });
      this.endSession();
      return { idTagInfo: { status: 'Accepted' } };
    });
    peer.handle('MeterValues', ({ params }) => {
      this.onMeterValues(params as MeterValuesReq);
      return {};
    });
    peer.handle('DataTransfer', () => ({ status: 'UnknownVendorId' }));
    peer.handle('DiagnosticsStatusNotification', () => ({}));
    peer.handle('FirmwareStatusNotification', () => ({}));
  }

  private endSession(): void {
    const pumpAgain = this.forcedZero;
    this.transactionId = null;
    this.watch.reset();
    this.forcedZero = false;
    this.lastSampleAt = Number.NEGATIVE_INFINITY;
    this.update({ currentA: this.capabilities.phases.map(() => 0), at: this.settings.now() });
    if (pumpAgain && this.peer) void this.pump();
  }

  private onMeterValues(req: MeterValuesReq): void {
    const now = this.settings.now();
    const sample = readMeterValues(req.meterValue, now);
    if (!sample) return;
    this.checkSample(sample, now);
    // The sample's own time, so the balancer can judge its age; never later than its arrival.
    const at = Math.min(sample.at, now);
    if (at < this.lastSampleAt) return; // a queued sample arriving after a newer one
    this.lastSampleAt = at;
    this.adoptTransaction(req.transactionId, sample.energyWh);
    const currentA = lineCurrents(sample, this.capabilities.phases);
    const sessionKwh =
      sample.energyWh !== null && this.transactionId !== null
        ? Math.max(0, (sample.energyWh - this.meterStartWh) / 1000)
        : this.measurement.sessionKwh;
    // Nothing steered yet in this run and the first currents: a limit waiting was decided without them.
    if (this.sent === null && this.measurement.currentA.every((a) => a === null) && currentA.some((a) => a !== null))
      this.dropPending();
    this.measurement = { ...this.measurement, currentA, sessionKwh, at };
    this.emit('measurement', this.measurement);
    // The overdraw watch judges the car on what it can physically draw: an mA/A mix-up is no overdraw.
    if (currentA.some((a) => a !== null && !isPlausibleCurrent(a, this.capabilities))) return;
    const drawn = Math.max(0, ...currentA.map((a) => a ?? 0));
    this.escalate(this.watch.observe(drawn, this.sent?.amps ?? null, this.sent?.ackAt ?? null, now), drawn);
  }

  /**
   * A sample of a transaction we never saw start: it began before our restart. A car is plugged, and the
   * session's energy counts from this sample on (the core adds what it stored before the restart).
   */
  private adoptTransaction(transactionId: number | undefined, energyWh: number | null): void {
    if (transactionId === undefined || this.transactionId !== null || energyWh === null) return;
    this.transactionId = transactionId;
    this.meterStartWh = energyWh;
    this.settings.logger.info({ chargerId: this.id, transactionId }, 'transaction in progress taken over');
    this.update({ vehiclePlugged: true, sessionKwh: 0, sessionStartMs: undefined });
  }

  /** What a sample shows that no single message should flood the log with: once per episode each. */
  private checkSample(sample: ReturnType<typeof readMeterValues> & object, now: number): void {
    const log = this.settings.logger;
    const episode = (key: string, bad: boolean, report: () => void) => {
      if (!bad) this.episodes.end(key);
      else if (this.episodes.begin(key)) report();
    };
    episode('unusable current', sample.unusable.length > 0, () =>
      log.warn(
        { chargerId: this.id, values: sample.unusable.slice(0, 3) },
        'charger reports Current.Import the module cannot use (not a number, or not in A): taken as unknown',
      ),
    );
    const readings = Object.entries(sample.currentA);
    const wild = readings.filter(([, a]) => a !== undefined && !isPlausibleCurrent(a, this.capabilities));
    episode('implausible current', wild.length > 0, () =>
      log.warn(
        { chargerId: this.id, currentA: Object.fromEntries(wild), maxA: this.capabilities.maxA },
        'charger reports an implausible current (beyond its rating: an mA/A mix-up?)',
      ),
    );
    episode('late sample', now - sample.at > LATE_SAMPLE_MS, () =>
      log.warn(
        { chargerId: this.id, ageS: Math.round((now - sample.at) / 1000) },
        'charger sample arrived late (queued, or the charger clock is behind): its currents count as old',
      ),
    );
    episode('future sample', sample.at - now > LATE_SAMPLE_MS, () =>
      log.warn(
        { chargerId: this.id, aheadS: Math.round((sample.at - now) / 1000) },
        'charger clock is ahead: its samples are taken as of their arrival',
      ),
    );
  }

  private escalate(action: ReturnType<OverdrawWatch['observe']>, drawnA: number): void {
    const log = this.settings.logger;
    const ctx = { chargerId: this.id, limitA: this.sent?.amps ?? null, drawnA };
    if (action === 'cut') {
      log.warn(ctx, 'charger draws more than its acknowledged limit; cutting it to 0 A');
      this.problem('draws more than its limit: cut to 0 A');
      this.forcedZero = true;
      void this.pump();
    } else if (action === 'remoteStop') {
      log.error(
        { ...ctx, transactionId: this.transactionId },
        'charger keeps drawing despite a 0 A limit; stopping its transaction remotely',
      );
      this.problem('ignores its limit: transaction stopped remotely');
      const peer = this.peer;
      if (peer && this.transactionId !== null) {
        peer.call('RemoteStopTransaction', { transactionId: this.transactionId }).then(
          (res) => log.info({ chargerId: this.id, res }, 'RemoteStopTransaction answered'),
          (err: Error) => log.error({ chargerId: this.id, err: err.message }, 'RemoteStopTransaction failed'),
        );
      }
    } else if (action === 'unresponsive') {
      log.error(ctx, 'charger ignores both its limit and the remote stop; check it on site');
      this.problem('ignores its limit and remote stop');
    }
  }
}
