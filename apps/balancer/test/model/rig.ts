/**
 * The real module on a virtual clock, wired the way a house wires it: a simulated meter behind raw TCP
 * (the `tcp` meter source), the module's own OCPP central system, and simulated OCPP 1.6J charge points on
 * real websockets whose cars' current flows back into the meter's next telegram. What the test checks
 * comes from this physics (the meter simulation's line currents, the charge point's pilot), not from the
 * module's own view of it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { SolarMode } from '@p1/balancer';
import type { Line, Scenario } from '@p1/scenario';
import { type CarModel, type CarSpec, createCar, type FaultRequest, SimulatedMeter } from '@p1/sim';
import { SimulatedChargePoint } from '@p1/sim/charge-point';
import pino from 'pino';
import { type AppConfig, validateConfig } from '../../src/config';
import type { RuntimeSettings } from '../../src/http/settings';
import type { MonthPeak, Session } from '../../src/store/store';
import { type RunningModule, startModule } from '../../src/wiring/module';
import { VirtualClock } from './virtual-clock';

export const RIG_TOKEN = 'model-test-token-0123456789';

export interface ChargerSetup {
  id: string;
  /** Grid lines the charge point is wired to: [1, 2, 3], or one line for a single-phase charger. */
  lines: Line[];
  maxA: number;
  safeA: number;
  car: CarSpec;
}

export interface RigOptions {
  /** Directory of the module's SQLite store (kept across restarts). */
  dir: string;
  /** True time at the start (UTC ms); the meter's clock and the module's clock both start here. */
  startMs: number;
  fuseA: number;
  capacityTargetKw: number | null;
  solar: SolarMode;
  /** OCPP limit lease (s). */
  leaseS: number;
  baseLoadKw: number;
  chargers: ChargerSetup[];
  /** A log level to see the module's log while debugging a sequence; default silent. */
  logLevel?: string;
}

/** One charge point and the car behind it. */
export interface RigCharger {
  readonly setup: ChargerSetup;
  readonly car: CarModel;
  cp: SimulatedChargePoint;
  /** The car is plugged in (physically; the transaction follows when the charge point is connected). */
  plugged: boolean;
  /** Virtual time until which its network is down. */
  downUntilMs: number;
}

/** What the store holds that a restart must not lose. */
export interface StoreFacts {
  monthPeaks: MonthPeak[];
  sessions: Session[];
  seconds: number;
}

/** The part of `GET /api/v1/state` the tests read. */
export interface DashboardState {
  meter: { control: { data: string | null; clock: string | null; failsafe: boolean } };
  chargers: { id: string; measurement: string; limitA: number | null; appliedLimitA: number | null }[];
}

function houseOf(o: RigOptions): Scenario {
  return {
    name: 'model',
    start: new Date(o.startMs).toISOString(),
    durationS: 7 * 86_400,
    seed: 7,
    site: { connection: '3N400', fuseA: o.fuseA, capacityTargetKw: o.capacityTargetKw, monthPeakKw: 0 },
    baseLoadKw: o.baseLoadKw,
    loads: [],
    pv: null,
    chargers: [],
    evs: [],
    faults: [],
  };
}

export class ModuleRig {
  readonly meter: SimulatedMeter;
  readonly chargers: RigCharger[];
  module: RunningModule | null = null;
  /** Amperes the cars put on each line at the last telegram (the meter's line current includes them). */
  readonly carLineA: [number, number, number] = [0, 0, 0];
  /** What the cars draw together at the last telegram (kW). */
  carKw = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private config: AppConfig | null = null;

  private constructor(
    readonly o: RigOptions,
    readonly clock: VirtualClock,
  ) {
    this.meter = new SimulatedMeter({
      model: 'fluvius-3ph',
      connection: '3N400',
      scenario: houseOf(o),
      startMs: o.startMs,
      speed: 1,
      beforeTelegram: (simulation) => this.feedCars(simulation),
    });
    this.chargers = o.chargers.map((setup) => {
      const car = createCar(setup.car, setup.lines);
      return { setup, car, cp: null as unknown as SimulatedChargePoint, plugged: true, downUntilMs: 0 };
    });
    this.server = createServer((socket) => this.serveMeter(socket));
  }

  /** Installs the virtual clock, starts the meter, the module and the charge points with their cars plugged in. */
  static async start(o: RigOptions): Promise<ModuleRig> {
    const clock = new VirtualClock(o.startMs);
    const rig = new ModuleRig(o, clock);
    try {
      await new Promise<void>((resolve) => rig.server.listen(0, '127.0.0.1', resolve));
      rig.meter.start();
      await rig.startModule();
      for (const c of rig.chargers) {
        c.cp = rig.chargePoint(c);
        await c.cp.start();
      }
      await clock.until(() => rig.chargersConnected(), 'the charge points connecting');
    } catch (err) {
      await rig.stop();
      throw err;
    }
    return rig;
  }

  /**
   * Lets `seconds` of virtual time pass; `onSecond` runs once per telegram second, after the module has
   * acted on it, with the physics of that second.
   */
  async run(seconds: number, onSecond?: () => void): Promise<void> {
    let seen = this.meter.simulation.nowMs;
    await this.clock.advance(seconds * 1000, () => {
      if (this.meter.simulation.nowMs === seen) return;
      seen = this.meter.simulation.nowMs;
      onSecond?.();
    });
  }

  /** A line's current at the last telegram (A), as the physics has it. */
  lineA(line: Line): number {
    return this.meter.simulation.electrical.phases[line - 1]?.currentA ?? 0;
  }

  /** What the module decided for a charger (A); null before its first decision or while it is down. */
  decidedA(id: string): number | null {
    return this.module?.live.chargers.find((c) => c.id === id)?.limitA ?? null;
  }

  get http(): string {
    return this.running().http.url;
  }

  running(): RunningModule {
    if (!this.module) throw new Error('the module is not running');
    return this.module;
  }

  /** Whether every charge point whose network is up is connected, as the module sees it too. */
  chargersConnected(): boolean {
    const live = this.module?.live.chargers ?? [];
    return this.chargers.every(
      (c) =>
        this.clock.nowMs < c.downUntilMs ||
        (c.cp.connected && live.find((v) => v.id === c.setup.id)?.connected === true),
    );
  }

  private configOf(ocppPort: number): AppConfig {
    const meterPort = (this.server.address() as { port: number }).port;
    const result = validateConfig({
      version: 1,
      meter: { source: 'tcp', host: '127.0.0.1', port: meterPort },
      site: {
        connection: '3N400',
        fuseA: this.o.fuseA,
        capacityTargetKw: this.o.capacityTargetKw,
        solar: this.o.solar,
      },
      chargers: this.o.chargers.map((c) => ({
        id: c.id,
        driver: 'ocpp',
        phases: c.lines,
        minA: 6,
        maxA: c.maxA,
        safeA: c.safeA,
        password: `${c.id}-password`,
      })),
      http: { host: '127.0.0.1', port: 0, token: RIG_TOKEN },
      ocpp: { host: '127.0.0.1', port: ocppPort, failsafeLeaseS: this.o.leaseS },
      rawP1: null,
      store: { path: join(this.o.dir, 'state.db') },
      log: { level: 'silent' },
    });
    if (!result.ok) throw new Error(result.problems.join('; '));
    return result.config;
  }

  private async startModule(): Promise<void> {
    if (!this.config) {
      // the OCPP port stays the same across restarts: the charge points reconnect to the address they know
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as { port: number }).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      this.config = this.configOf(port);
    }
    this.module = await startModule(this.config, pino({ level: this.o.logLevel ?? 'silent' }));
  }

  private chargePoint(c: RigCharger): SimulatedChargePoint {
    const ocpp = this.running().config.ocpp;
    return new SimulatedChargePoint({
      url: `ws://127.0.0.1:${ocpp.port}`,
      identity: c.setup.id,
      password: `${c.setup.id}-password`,
      phases: c.setup.lines.length === 3 ? 3 : 1,
      maxA: c.setup.maxA,
      car: c.plugged ? c.car : null,
      tickMs: 1000,
      // back in milliseconds of real time: the virtual clock stands still while a charge point reconnects
      reconnectBackoffMs: { initial: 20, max: 200 },
    });
  }

  /** The meter's P1 port on TCP: one reader at a time, as a ser2net bridge serves it. */
  private serveMeter(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    try {
      this.meter.open().pipe(socket);
    } catch {
      socket.destroy();
    }
  }

  /** Before every telegram: what the cars draw is on the meter's lines. */
  private feedCars(simulation: SimulatedMeter['simulation']): void {
    this.carLineA.fill(0);
    this.carKw = 0;
    for (const c of this.chargers) {
      const drawing = c.cp && c.cp.drawnA > 0;
      const lines = [...c.car.lines] as Line[];
      simulation.setLoad(`ev-${c.setup.id}`, lines, drawing ? c.car.powerKw : 0);
      if (!drawing) continue;
      this.carKw += c.car.powerKw;
      for (const l of lines) this.carLineA[l - 1] = (this.carLineA[l - 1] ?? 0) + c.cp.drawnA;
    }
  }

  /** `PATCH /api/v1/settings` as the dashboard sends it. */
  async patchSettings(patch: Partial<RuntimeSettings>): Promise<RuntimeSettings> {
    const res = await fetch(`${this.http}/api/v1/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${RIG_TOKEN}` },
      body: JSON.stringify(patch),
    });
    const body = (await res.json()) as RuntimeSettings & { error?: string };
    if (!res.ok) throw new Error(`PATCH /api/v1/settings ${JSON.stringify(patch)}: ${res.status} ${body.error}`);
    return body;
  }

  /** `GET /api/v1/state`, as the dashboard reads it (the fields the tests look at). */
  async state(): Promise<DashboardState> {
    const res = await fetch(`${this.http}/api/v1/state`);
    return (await res.json()) as DashboardState;
  }

  setLoad(name: string, lines: Line[], kw: number): void {
    this.meter.simulation.setLoad(name, lines, kw);
  }

  meterFault(request: FaultRequest): void {
    this.meter.injectFault(request);
  }

  /** The meter's wire brings no news now: silent, unplugged, or repeating a frozen telegram. */
  meterSilent(): boolean {
    const now = this.meter.simulation.nowMs;
    const f = this.meter.faults;
    return (
      f.active('outage', now) !== undefined ||
      f.active('unplug', now) !== undefined ||
      f.active('freeze', now) !== undefined
    );
  }

  /** The meter's clock is off (jumped or unset). */
  meterClockOff(): boolean {
    const now = this.meter.simulation.nowMs;
    return (
      this.meter.faults.active('clockJump', now) !== undefined ||
      this.meter.faults.active('clockUnset', now) !== undefined
    );
  }

  charger(id: string): RigCharger {
    const c = this.chargers.find((x) => x.setup.id === id);
    if (!c) throw new Error(`no charger ${id}`);
    return c;
  }

  /** The charge point's network drops for `downS` virtual seconds (no reboot: profiles and transaction stay). */
  dropCharger(id: string, downS: number): void {
    const c = this.charger(id);
    if (!c.cp.connected) return;
    c.downUntilMs = this.clock.nowMs + downS * 1000;
    void c.cp.dropConnection(downS * 1000);
  }

  async unplug(id: string): Promise<void> {
    const c = this.charger(id);
    if (!c.plugged) return;
    c.plugged = false;
    if (c.cp.connected) await c.cp.unplug();
  }

  async plugIn(id: string): Promise<void> {
    const c = this.charger(id);
    if (c.plugged || !c.cp.connected) return;
    c.plugged = true;
    await c.cp.plugIn(c.car);
  }

  storeFacts(): StoreFacts {
    const store = this.running().store;
    return {
      monthPeaks: store.monthPeaks(100),
      sessions: store.sessions(1000),
      seconds: store.secondsSince(this.o.startMs - 86_400_000).length,
    };
  }

  /** The first half of a restart: chargers to their safe current, everything closed (the charge points stay). */
  async stopModule(): Promise<void> {
    await this.running().stop();
    this.module = null;
  }

  /** The second half: the module again on the same configuration and SQLite file; resolves once the charge points are back. */
  async startAgain(): Promise<void> {
    await this.startModule();
    await this.clock.until(() => this.chargersConnected(), 'the charge points reconnecting after the restart');
  }

  async stop(): Promise<void> {
    try {
      await this.module?.stop();
      this.module = null;
      for (const c of this.chargers) await c.cp?.stop();
      this.meter.stop();
      for (const s of this.sockets) s.destroy();
      await new Promise<void>((resolve) => this.server.close(() => resolve()));
    } finally {
      this.clock.uninstall();
    }
  }
}
