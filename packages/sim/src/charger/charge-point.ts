import { EventEmitter } from 'node:events';
import type { Phase } from '@p1/balancer/charger-state';
import type {
  AuthorizeConf,
  BootNotificationConf,
  ChargePointStatus,
  ClearChargingProfileReq,
  KeyValue,
  SampledValue,
  SetChargingProfileReq,
  StartTransactionConf,
  TriggerMessageReq,
} from '@p1/ocpp16';
import { type Logger, silentLogger } from '../logger';
import type { CarModel } from './car';
import { clearProfiles, type InstalledProfile, installProfile, offeredCurrentA } from './profile-stack';
import { type CentralSystemLink, connectCentralSystem, LINK_OPEN } from './rpc';

/** The connector states this charge point goes through (it never reserves, faults or stops for the car). */
type ConnectorStatus = Extract<
  ChargePointStatus,
  'Available' | 'Preparing' | 'Charging' | 'SuspendedEVSE' | 'Finishing'
>;

/** Ways a field charger misbehaves; each one can be switched on for a simulated charge point. */
export type ChargePointFault =
  | { kind: 'disconnect'; everyS: number; downS: number }
  | { kind: 'reject-profile' }
  | { kind: 'ignore-profile' }
  | { kind: 'slow-ack'; delayMs: number }
  /** Reports this Current.Import on the car's lines whatever the car draws (an mA/A mix-up, a sign error). */
  | { kind: 'misreport-current'; currentA: number };

export interface SimulatedChargePointOptions {
  /** Central system endpoint without the identity, e.g. ws://127.0.0.1:9000 */
  url: string;
  identity: string;
  password?: string;
  /** Hardware rating: what it offers when no profile applies. */
  maxA?: number;
  phases?: 1 | 3;
  car?: CarModel | null;
  /** MeterValues and car steps happen every tick. */
  tickMs?: number;
  faults?: ChargePointFault[];
  now?: () => number;
  logger?: Logger;
  /** GetConfiguration answers. */
  maxStackLevel?: number;
  rateUnit?: 'Current' | 'Power' | 'Current,Power';
  vendor?: string;
  model?: string;
  reconnectBackoffMs?: { initial: number; max: number };
  /** Keys a central system may change (default MeterValueSampleInterval and MeterValuesSampledData). */
  changeableKeys?: string[];
  /** MeterValuesSampledData before any change (default: currents, offered current and energy). */
  sampledData?: string[];
  /** The shortest MeterValueSampleInterval it takes (s); shorter is Rejected. Default 0. */
  minSampleIntervalS?: number;
  /**
   * Whether it sends its connector status after a reconnect (default true). OCPP 1.6 asks for a status only
   * on a change: false is a charger that stays silent until asked (TriggerMessage) or until something changes.
   */
  statusOnReconnect?: boolean;
  /**
   * How long after a reconnect it starts sending the transaction messages it queued while away (ms, default
   * 0): chargers that send their backlog after their status, or slowly.
   */
  backlogDelayMs?: number;
}

export interface ChargePointEvents {
  /** A SetChargingProfile was accepted; `offeredA` is what the charger now offers. */
  profile: [e: { offeredA: number; at: number }];
  tick: [e: { offeredA: number; drawnA: number; energyWh: number }];
  connection: [connected: boolean];
  transaction: [e: { started: boolean; transactionId: number | null; reason?: string }];
}

const CONNECTOR = 1;
const MIN_PILOT_A = 6;

/** On the global clock (not node:timers/promises), so a test's fake clock drives the down time and slow acks too. */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An OCPP 1.6J charge point over a real websocket, with a car behind its connector. */
export class SimulatedChargePoint extends EventEmitter<ChargePointEvents> {
  profiles: InstalledProfile[] = [];
  energyWh = 0;
  drawnA = 0;
  /** The central system's id of the running transaction; null also while its StartTransaction waits in the outbox. */
  transactionId: number | null = null;
  /** The running transaction (the car may charge in it): its id once the central system has given one. */
  private tx: { id: number | null } | null = null;
  private txStart: number | null = null;
  /**
   * Transaction messages not delivered yet (OCPP 1.6 §4.8: a charge point queues StartTransaction and
   * StopTransaction while offline and sends them, in order, once back): each sends itself when called.
   */
  private readonly outbox: { send: () => Promise<void>; waiters: (() => void)[] }[] = [];
  private flushing = false;
  private status: ConnectorStatus = 'Available';
  private peer: CentralSystemLink;
  private car: CarModel | null;
  private ticker: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private faultTimer: NodeJS.Timeout | null = null;
  private lastTick: number;
  private stopped = false;
  private booted = false;
  /** MeterValueSampleInterval in ms: every tick until a central system sets it (0 = no samples). */
  private sampleIntervalMs: number;
  private lastSampleAt = Number.NEGATIVE_INFINITY;
  private sampledData: string[];
  private readonly o: Required<Omit<SimulatedChargePointOptions, 'password' | 'car'>> & { password?: string };

  constructor(options: SimulatedChargePointOptions) {
    super();
    this.o = {
      maxA: 32,
      phases: 3,
      tickMs: 1000,
      now: Date.now,
      logger: silentLogger,
      maxStackLevel: 3,
      rateUnit: 'Current',
      vendor: 'p1-balancer',
      model: 'simulated',
      reconnectBackoffMs: { initial: 500, max: 10_000 },
      changeableKeys: ['MeterValueSampleInterval', 'MeterValuesSampledData'],
      sampledData: ['Current.Import', 'Current.Offered', 'Energy.Active.Import.Register'],
      minSampleIntervalS: 0,
      statusOnReconnect: true,
      backlogDelayMs: 0,
      ...options,
      faults: [...(options.faults ?? [])],
    };
    this.sampleIntervalMs = this.o.tickMs;
    this.sampledData = this.o.sampledData;
    this.car = options.car ?? null;
    this.lastTick = this.o.now();
    this.peer = this.createPeer();
  }

  get connected(): boolean {
    return this.peer.state === LINK_OPEN;
  }

  /** What the pilot offers now (0 outside a transaction). */
  get offeredA(): number {
    if (this.tx === null) return 0;
    if (this.fault('ignore-profile')) return this.o.maxA;
    return offeredCurrentA(this.profiles, CONNECTOR, this.o.now(), this.txStart, this.o.maxA);
  }

  /**
   * Switches a fault on while running (replacing one of its kind), e.g. a charger that starts misreporting.
   * `disconnect` is set up by `start()` only.
   */
  injectFault(fault: ChargePointFault): void {
    this.clearFault(fault.kind);
    this.o.faults.push(fault);
  }

  clearFault(kind: ChargePointFault['kind']): void {
    const i = this.o.faults.findIndex((f) => f.kind === kind);
    if (i >= 0) this.o.faults.splice(i, 1);
  }

  private fault<K extends ChargePointFault['kind']>(kind: K): Extract<ChargePointFault, { kind: K }> | undefined {
    return this.o.faults.find((f) => f.kind === kind) as Extract<ChargePointFault, { kind: K }> | undefined;
  }

  private createPeer(): CentralSystemLink {
    const peer = connectCentralSystem({
      endpoint: this.o.url,
      identity: this.o.identity,
      ...(this.o.password !== undefined ? { password: this.o.password } : {}),
      backoff: {
        initialDelay: this.o.reconnectBackoffMs.initial,
        maxDelay: this.o.reconnectBackoffMs.max,
        factor: 2,
        randomisationFactor: 0.2,
      },
    });
    peer.on('open', () => {
      this.emit('connection', true);
      if (this.booted) void this.reconnected();
    });
    peer.on('disconnect', () => this.emit('connection', false));
    this.registerHandlers(peer);
    return peer;
  }

  /** Connects, boots and, when a car is plugged, starts a transaction. Rejects when refused. */
  async start(): Promise<void> {
    await this.peer.connect();
    await this.boot();
    this.ticker = setInterval(() => this.tick(), this.o.tickMs);
    const disconnect = this.fault('disconnect');
    if (disconnect) {
      this.faultTimer = setInterval(() => void this.dropConnection(disconnect.downS * 1000), disconnect.everyS * 1000);
    }
    if (this.car) await this.plugIn(this.car);
  }

  private async boot(): Promise<void> {
    const res = await this.peer.call<BootNotificationConf>('BootNotification', {
      chargePointVendor: this.o.vendor,
      chargePointModel: this.o.model,
    });
    if (res.status !== 'Accepted') throw new Error(`BootNotification ${res.status}`);
    this.booted = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => void this.safeCall('Heartbeat', {}), Math.max(1, res.interval) * 1000);
    this.heartbeat.unref();
    await this.notifyStatus(false);
  }

  /**
   * After a drop (not a reboot) there is no new BootNotification: tell the central system where we are (when
   * configured to), then send what waited in the outbox. The status goes first, as on chargers that report
   * their connector at once: the central system learns of a car before it learns the transaction it is in.
   */
  private async reconnected(): Promise<void> {
    if (this.o.statusOnReconnect) await this.notifyStatus(true);
    if (this.o.backlogDelayMs > 0) await sleep(this.o.backlogDelayMs);
    await this.flush();
  }

  /**
   * Sends a transaction message now (resolving once it is answered), or keeps it for the reconnect when
   * offline (resolving at once).
   */
  private deliver(send: () => Promise<void>): Promise<void> {
    const item = { send, waiters: [] as (() => void)[] };
    this.outbox.push(item);
    if (!this.connected) return Promise.resolve();
    const sent = new Promise<void>((resolve) => item.waiters.push(resolve));
    void this.flush();
    return sent;
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.outbox.length > 0 && this.connected) {
        const item = this.outbox[0]!;
        try {
          await item.send();
        } catch (err) {
          // dropped mid-call: it stays first in the outbox for the next reconnect
          if (!this.connected) break;
          this.o.logger.warn({ chargerId: this.o.identity, err: (err as Error).message }, 'transaction message failed');
        }
        this.outbox.shift();
        for (const done of item.waiters.splice(0)) done();
      }
    } finally {
      this.flushing = false;
      // whoever waits on a message the drop kept queued goes on; it is sent after the reconnect
      for (const item of this.outbox) for (const done of item.waiters.splice(0)) done();
    }
  }

  private async notifyStatus(all: boolean): Promise<void> {
    if (all) await this.safeCall('StatusNotification', { connectorId: 0, errorCode: 'NoError', status: 'Available' });
    await this.safeCall('StatusNotification', { connectorId: CONNECTOR, errorCode: 'NoError', status: this.status });
  }

  private async setStatus(status: ConnectorStatus): Promise<void> {
    if (status === this.status) return;
    this.status = status;
    await this.safeCall('StatusNotification', { connectorId: CONNECTOR, errorCode: 'NoError', status });
  }

  /** Messages a charge point may lose while offline (status, heartbeat, samples); transaction messages use the outbox. */
  private async safeCall<T>(method: string, params: unknown): Promise<T | null> {
    if (!this.connected) return null;
    try {
      return await this.peer.call<T>(method, params);
    } catch (err) {
      this.o.logger.warn({ chargerId: this.o.identity, method, err: (err as Error).message }, 'call failed');
      return null;
    }
  }

  async plugIn(car: CarModel): Promise<void> {
    this.car = car;
    await this.setStatus('Preparing');
    await this.startTransaction();
  }

  /** Offline, the idTag counts as locally authorized (its Authorize is not queued) and the start waits in the outbox. */
  async startTransaction(): Promise<void> {
    const idTag = `sim-${this.o.identity}`.slice(0, 20);
    const auth = await this.safeCall<AuthorizeConf>('Authorize', { idTag });
    if (auth && auth.idTagInfo.status !== 'Accepted') return;
    const tx: { id: number | null } = { id: null };
    const req = {
      connectorId: CONNECTOR,
      idTag,
      meterStart: Math.round(this.energyWh),
      timestamp: new Date(this.o.now()).toISOString(),
    };
    this.tx = tx;
    this.txStart = this.o.now();
    await this.deliver(async () => {
      const res = await this.peer.call<StartTransactionConf>('StartTransaction', req);
      tx.id = res.transactionId;
      if (this.tx === tx) this.transactionId = res.transactionId;
      this.emit('transaction', { started: true, transactionId: res.transactionId });
    });
    await this.setStatus(this.offeredA >= MIN_PILOT_A ? 'Charging' : 'SuspendedEVSE');
  }

  async stopTransaction(reason: string): Promise<void> {
    const tx = this.tx;
    if (tx === null) return;
    this.tx = null;
    this.transactionId = null;
    this.txStart = null;
    this.drawnA = 0;
    const req = { meterStop: Math.round(this.energyWh), timestamp: new Date(this.o.now()).toISOString(), reason };
    // queued behind its own start, whose answer gives the id
    await this.deliver(async () => {
      if (tx.id === null) return; // its start was refused: there is nothing to stop
      await this.peer.call('StopTransaction', { transactionId: tx.id, ...req });
      this.emit('transaction', { started: false, transactionId: tx.id, reason });
    });
    await this.setStatus('Finishing');
  }

  async unplug(): Promise<void> {
    await this.stopTransaction('EVDisconnected');
    this.car = null;
    await this.setStatus('Available');
  }

  /** Drops the websocket as a flaky network would, and comes back after `downMs` (no reboot). */
  async dropConnection(downMs: number): Promise<void> {
    if (!this.connected) return;
    await this.peer.close({ force: true });
    this.emit('connection', false);
    await sleep(downMs);
    if (!this.stopped) await this.peer.connect().catch(() => this.o.logger.warn({}, 'reconnect failed'));
  }

  /** Power cycle: profiles and the transaction are lost, then a fresh boot. */
  async reboot(): Promise<void> {
    await this.peer.close({ force: true });
    this.booted = false;
    this.profiles = [];
    this.tx = null;
    this.transactionId = null;
    this.txStart = null;
    this.outbox.length = 0;
    this.status = 'Available';
    await this.peer.connect();
    await this.boot();
    if (this.car) await this.plugIn(this.car);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of [this.ticker, this.heartbeat, this.faultTimer]) if (t) clearInterval(t);
    await this.peer.close({ force: true });
  }

  /** Grid lines behind the charger's L1..L3. */
  get wired(): Phase[] {
    return this.o.phases === 3 ? [1, 2, 3] : [1];
  }

  private tick(): void {
    const now = this.o.now();
    const dtS = Math.max(0, (now - this.lastTick) / 1000);
    this.lastTick = now;
    const offeredA = this.offeredA;
    const car = this.tx !== null ? this.car : null;
    this.drawnA = car ? car.step(dtS, offeredA, now / 1000, this.o.phases) : 0;
    this.energyWh += ((car?.powerKw ?? 0) * 1000 * dtS) / 3600;
    this.emit('tick', { offeredA, drawnA: this.drawnA, energyWh: this.energyWh });
    if (this.tx === null) return;
    void this.setStatus(offeredA >= MIN_PILOT_A ? 'Charging' : 'SuspendedEVSE');
    // samples taken while offline, or before the start's answer names the transaction, are not kept
    if (this.transactionId === null) return;
    if (this.sampleIntervalMs === 0 || now - this.lastSampleAt < this.sampleIntervalMs) return;
    this.lastSampleAt = now;
    void this.safeCall('MeterValues', {
      connectorId: CONNECTOR,
      transactionId: this.transactionId,
      meterValue: [{ timestamp: new Date(now).toISOString(), sampledValue: this.samples(offeredA) }],
    });
  }

  private samples(offeredA: number): SampledValue[] {
    const lines = this.car?.lines ?? [];
    const round = (n: number) => (Math.round(n * 100) / 100).toString();
    const wants = (measurand: string) => this.sampledData.some((d) => d === measurand || d.startsWith(`${measurand}.`));
    const drawnA = this.fault('misreport-current')?.currentA ?? this.drawnA;
    const all: SampledValue[] = [
      ...this.wired.map(
        (line, i): SampledValue => ({
          measurand: 'Current.Import',
          // the charger's own line names, by position: L1..L3
          phase: `L${i + 1}` as SampledValue['phase'],
          unit: 'A',
          context: 'Sample.Periodic',
          value: round(lines.includes(line) ? drawnA : 0),
        }),
      ),
      { measurand: 'Current.Offered', unit: 'A', context: 'Sample.Periodic', value: round(offeredA) },
      {
        measurand: 'Energy.Active.Import.Register',
        unit: 'Wh',
        context: 'Sample.Periodic',
        value: Math.round(this.energyWh).toString(),
      },
    ];
    return all.filter((sv) => wants(sv.measurand ?? 'Energy.Active.Import.Register'));
  }

  private async ack<T>(value: T): Promise<T> {
    const slow = this.fault('slow-ack');
    if (slow) await sleep(slow.delayMs);
    return value;
  }

  private registerHandlers(peer: CentralSystemLink): void {
    peer.handle('GetConfiguration', ({ params }) => {
      const { key } = params as { key?: string[] };
      const all: KeyValue[] = [
        { key: 'ChargeProfileMaxStackLevel', readonly: true, value: String(this.o.maxStackLevel) },
        { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: this.o.rateUnit },
        { key: 'ChargingScheduleMaxPeriods', readonly: true, value: '24' },
        {
          key: 'MeterValueSampleInterval',
          readonly: false,
          value: String(Math.round(this.sampleIntervalMs / 1000)),
        },
        { key: 'MeterValuesSampledData', readonly: false, value: this.sampledData.join(',') },
      ];
      const wanted = key && key.length > 0 ? key : all.map((k) => k.key);
      return this.ack({
        configurationKey: all.filter((k) => wanted.includes(k.key)),
        unknownKey: wanted.filter((k) => !all.some((a) => a.key === k)),
      });
    });
    peer.handle('SetChargingProfile', async ({ params }) => {
      const req = params as SetChargingProfileReq;
      if (this.fault('reject-profile')) return this.ack({ status: 'Rejected' });
      const stack = req.csChargingProfiles.stackLevel;
      if (stack > this.o.maxStackLevel) return this.ack({ status: 'Rejected' });
      const answer = await this.ack({ status: 'Accepted' });
      this.profiles = installProfile(this.profiles, { connectorId: req.connectorId, profile: req.csChargingProfiles });
      this.emit('profile', {
        offeredA: offeredCurrentA(this.profiles, CONNECTOR, this.o.now(), this.txStart, this.o.maxA),
        at: this.o.now(),
      });
      return answer;
    });
    peer.handle('ClearChargingProfile', ({ params }) => {
      const before = this.profiles.length;
      this.profiles = clearProfiles(this.profiles, params as ClearChargingProfileReq);
      return this.ack({ status: this.profiles.length < before ? 'Accepted' : 'Unknown' });
    });
    peer.handle('RemoteStopTransaction', ({ params }) => {
      const { transactionId } = params as { transactionId: number };
      if (transactionId === null || transactionId !== this.transactionId) return this.ack({ status: 'Rejected' });
      setImmediate(() => void this.stopTransaction('Remote'));
      return this.ack({ status: 'Accepted' });
    });
    peer.handle('RemoteStartTransaction', () => {
      if (!this.car || this.tx !== null) return this.ack({ status: 'Rejected' });
      setImmediate(() => void this.startTransaction().catch(() => {}));
      return this.ack({ status: 'Accepted' });
    });
    peer.handle('ChangeConfiguration', ({ params }) => {
      const { key, value } = params as { key: string; value: string };
      const known = ['MeterValueSampleInterval', 'MeterValuesSampledData'];
      if (!known.includes(key)) return this.ack({ status: 'NotSupported' });
      if (!this.o.changeableKeys.includes(key)) return this.ack({ status: 'Rejected' });
      if (key === 'MeterValueSampleInterval') {
        const s = Number(value);
        if (!Number.isInteger(s) || s < 0 || (s > 0 && s < this.o.minSampleIntervalS)) {
          return this.ack({ status: 'Rejected' });
        }
        this.sampleIntervalMs = s * 1000;
      } else {
        const list = value.split(',').map((v) => v.trim());
        const measurable = /^(Current\.Import(\.L[123])?|Current\.Offered|Energy\.Active\.Import\.Register)$/;
        if (!list.every((v) => measurable.test(v))) return this.ack({ status: 'Rejected' });
        this.sampledData = list;
      }
      return this.ack({ status: 'Accepted' });
    });
    peer.handle('TriggerMessage', ({ params }) => {
      const { requestedMessage } = params as TriggerMessageReq;
      if (requestedMessage === 'StatusNotification') setImmediate(() => void this.notifyStatus(true));
      else if (requestedMessage === 'Heartbeat') setImmediate(() => void this.safeCall('Heartbeat', {}));
      else return this.ack({ status: 'NotImplemented' });
      return this.ack({ status: 'Accepted' });
    });
  }
}
