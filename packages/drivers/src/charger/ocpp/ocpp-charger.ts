import { EventEmitter } from 'node:events';
import type { Charger, ChargerCapabilities, ChargerEvents, ChargerMeasurement } from '@p1/balancer/charger-state';
import type { Logger } from '../logger';
import {
  DEFAULT_SUPPORT,
  FAILSAFE_PROFILE_ID,
  LIMIT_PROFILE_ID,
  parseSmartChargingSupport,
  type SmartChargingSupport,
  toTenths,
  txDefaultProfile,
} from './charging-profile';
import { lineCurrents, readMeterValues } from './meter-values';
import {
  type ChargePointStatus,
  type ConfigurationKey,
  type MeterValuesReq,
  type ProfileStatus,
  SMART_CHARGING_KEYS,
  type StartTransactionReq,
  type StatusNotificationReq,
  type StopTransactionReq,
} from './ocpp16';
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
  overdraw: OverdrawPolicy;
  nextTransactionId: () => number;
  /** Shared by all chargers of one central system. */
  sendBudget: TurnBudget;
}

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
    this.registerHandlers(peer);
    peer.once('close', () => this.detach(peer));
    this.settings.logger.info({ chargerId: this.id }, 'charge point connected');
    this.update({ connected: true });
    this.emit('status', { connected: true });
    // A charge point that rebooted opens with a BootNotification (and has lost its profiles): configure
    // after it. One that only lost its network opens with anything else: configure at once.
    let decided = false;
    const decide = (first: string | null) => {
      if (decided || this.peer !== peer) return;
      decided = true;
      peer.off('call', onCall);
      if (first !== 'BootNotification') void this.configure(peer);
    };
    const onCall = (e: { outbound: boolean; payload: unknown[] }) => {
      if (!e.outbound) decide(String(e.payload[2]));
    };
    peer.on('call', onCall);
    setTimeout(() => decide(null), this.settings.bootWaitMs).unref();
  }

  private detach(peer: RpcPeer | null): void {
    if (!peer || this.peer !== peer) return;
    this.peer = null;
    this.settings.logger.warn({ chargerId: this.id }, 'charge point disconnected');
    this.update({ connected: false, currentA: this.capabilities.phases.map(() => null) });
    this.emit('status', { connected: false });
  }

  private defaultPhases(): 1 | 3 {
    return this.capabilities.phases.length === 3 ? 3 : 1;
  }

  private update(patch: Partial<ChargerMeasurement>): void {
    this.measurement = { ...this.measurement, ...patch, at: this.settings.now() };
    this.emit('measurement', this.measurement);
  }

  private problem(problem: string): void {
    this.emit('status', { connected: this.connected, problem });
  }

  /** After (re)connecting: read smart-charging support, install the fail-safe, re-apply the limit. */
  private configure(peer: RpcPeer): Promise<void> {
    const run = async () => {
      if (this.peer !== peer) return;
      try {
        const conf = await peer.call<{ configurationKey?: ConfigurationKey[] }>('GetConfiguration', {
          key: [...SMART_CHARGING_KEYS],
        });
        this.support = parseSmartChargingSupport(conf.configurationKey ?? []);
      } catch (err) {
        this.support = DEFAULT_SUPPORT;
        this.settings.logger.warn(
          { chargerId: this.id, err: (err as Error).message },
          'GetConfiguration failed; assuming one stack level in amperes',
        );
      }
      if (this.support.maxStackLevel >= 1) await this.installFailsafe(peer);
      else {
        this.settings.logger.warn(
          { chargerId: this.id },
          'charger supports a single profile stack level: no fail-safe default profile',
        );
      }
      this.sent = null; // the charger may have rebooted: send the limit again
      this.retryAfter = 0;
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

  private async installFailsafe(peer: RpcPeer): Promise<void> {
    const profile = txDefaultProfile({
      id: FAILSAFE_PROFILE_ID,
      stackLevel: 0,
      amps: this.capabilities.safeA,
      phases: this.defaultPhases(),
      support: this.support,
    });
    const res = await peer.call<{ status: ProfileStatus }>('SetChargingProfile', {
      connectorId: 0,
      csChargingProfiles: profile,
    });
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
    if (!target) return false;
    const sent = this.sent;
    if (!sent || sent.amps !== target.amps || sent.phases !== target.phases) return now >= this.retryAfter;
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
    let status: ProfileStatus;
    try {
      ({ status } = await peer.call<{ status: ProfileStatus }>('SetChargingProfile', {
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
    this.update({ appliedLimitA: target.amps, appliedPhases: target.phases });
    return true;
  }

  private registerHandlers(peer: RpcPeer): void {
    const log = this.settings.logger;
    const now = () => new Date(this.settings.now()).toISOString();
    peer.handle('BootNotification', ({ params }) => {
      const p = params as { chargePointVendor: string; chargePointModel: string; firmwareVersion?: string };
      log.info(
        { chargerId: this.id, vendor: p.chargePointVendor, model: p.chargePointModel, firmware: p.firmwareVersion },
        'BootNotification',
      );
      setImmediate(() => void this.configure(peer)); // after the reply has gone out
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
      this.update({ vehiclePlugged: true, sessionKwh: 0 });
      return { transactionId: this.transactionId, idTagInfo: { status: 'Accepted' } };
    });
    peer.handle('StopTransaction', ({ params }) => {
      const p = params as StopTransactionReq;
      log.info({ chargerId: this.id, transactionId: p.transactionId, reason: p.reason }, 'transaction stopped');
      this.update({ sessionKwh: Math.max(0, (p.meterStop - this.meterStartWh) / 1000) });
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
    this.update({ currentA: this.capabilities.phases.map(() => 0) });
    if (pumpAgain && this.peer) void this.pump();
  }

  private onMeterValues(req: MeterValuesReq): void {
    const now = this.settings.now();
    const sample = readMeterValues(req.meterValue, now);
    if (!sample) return;
    const currentA = lineCurrents(sample, this.capabilities.phases);
    const sessionKwh =
      sample.energyWh !== null && this.transactionId !== null
        ? Math.max(0, (sample.energyWh - this.meterStartWh) / 1000)
        : this.measurement.sessionKwh;
    this.measurement = { ...this.measurement, currentA, sessionKwh, at: now };
    this.emit('measurement', this.measurement);
    const drawn = Math.max(0, ...currentA.map((a) => a ?? 0));
    this.escalate(this.watch.observe(drawn, this.sent?.amps ?? null, this.sent?.ackAt ?? null, now), drawn);
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
