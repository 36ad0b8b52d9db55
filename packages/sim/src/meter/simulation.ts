/**
 * One simulated meter: household physics (from @p1/scenario) + extra loads set from outside + the
 * scenario's cars following an offered current → per-line power → meter registers → telegram bytes.
 * Pure and deterministic for a seed: time advances only when the caller steps it.
 */
import type { Connection } from '@p1/balancer';
import {
  encodeTelegram,
  encryptSmarty,
  formatDsmrTimestamp,
  formatMeterIso,
  meterLocalTime,
  UNSET_CLOCK_TIMESTAMP,
} from '@p1/dsmr';
import { createEv, createHouse, type Ev, type House, type Line, type Scenario } from '@p1/scenario';
import { monthStartUtc } from './clock';
import { defaultScenario } from './default-scenario';
import { type Electrical, measure, VoltageModel } from './electrical';
import { type HistoryEntry, MeterRegisters, type RegisterInit } from './meter-state';
import { findModel, type Identity, type MeterModel } from './models';
import { type Random, seededRandom } from './random';
import { UtilityUse } from './utilities';

export interface SimulationOptions {
  /** A model name of METER_MODELS or a model. */
  model: string | MeterModel;
  /** Supply type; default the model's. Must be one the model supports. */
  connection?: Connection;
  /** Household physics; default a built-in family home with an EV (see default-scenario.ts). */
  scenario?: Scenario;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Meter clock at the start (UTC ms); default the scenario's start (or now, rounded to the second). */
  startMs?: number;
  /** P1 port open at start (default true). Closed: the meter sends nothing. */
  portOpen?: boolean;
  /** Registers to start from; default plausible values derived from the seed. */
  registers?: RegisterInit;
  /** Luxembourg Smarty key (32 hex digits) for the encrypted model. */
  smartyKey?: string;
  /** Smarty system title (16 hex digits); default "SAG" + serial. */
  systemTitle?: string;
}

export interface ExtraLoad {
  phases: Line[];
  kw: number;
}

interface SimEv {
  name: string;
  charger: string;
  ev: Ev;
  offeredA: number;
}

export type Silence = 'port-closed' | 'power-failure' | null;

export interface TelegramOut {
  /** The meter clock instant of this telegram (UTC ms). */
  atMs: number;
  /** The bytes on the wire; null when the meter stays silent. */
  bytes: Uint8Array | null;
  silence: Silence;
}

/** The Smarty key used when none is configured (a test key; real meters have their own). */
export const DEMO_SMARTY_KEY = '000102030405060708090A0B0C0D0E0F';

function identityFor(random: Random): Identity {
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join('');
  return {
    equipmentId: `1SAG${digits(10)}`,
    gasId: `7FLO${digits(10)}`,
    waterId: `8SAG${digits(10)}`,
    serial: `2537${digits(5)}`,
  };
}

/** Three earlier months in the 13-month register, so it looks lived in (oldest first, as meters send). */
function initialHistory(startMs: number, random: Random): HistoryEntry[] {
  const periods = [monthStartUtc(startMs)];
  for (let i = 0; i < 2; i++) periods.unshift(monthStartUtc((periods[0] as number) - 86_400_000));
  return periods.map((periodAtMs) => {
    const peakAt = periodAtMs - Math.floor(3 + random() * 24) * 86_400_000 - Math.floor(random() * 48) * 900_000;
    return { periodAtMs, peakAtMs: peakAt, peakKw: 2.5 + random() * 3 };
  });
}

export class MeterSimulation {
  readonly model: MeterModel;
  readonly connection: Connection;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly identity: Identity;
  readonly startMs: number;
  readonly registers: MeterRegisters;
  private readonly house: House;
  private readonly evs: SimEv[];
  private readonly extraLoads = new Map<string, ExtraLoad>();
  private readonly voltages: VoltageModel;
  private readonly utilities: UtilityUse;
  private readonly header: string;
  private readonly smartyKey: string;
  private readonly systemTitle: string;
  private frameCounter = 1;
  private electricalNow: Electrical;
  private gasAtMs: number;
  private gasAtM3: number;
  private waterAtMs: number;
  private waterAtM3: number;
  private clock: number;
  portOpen: boolean;
  clockSet = true;
  /** What the meter's clock shows ahead of the true time (ms): a clock that jumped, or was set wrong. */
  clockOffsetMs = 0;
  /** Message shown on the meter's display / in 0-0:96.13.0. */
  message = '';
  private powerFailure: { startedMs: number; untilMs: number } | null = null;
  telegrams = 0;

  constructor(options: SimulationOptions) {
    const model = typeof options.model === 'string' ? findModel(options.model) : options.model;
    if (!model) throw new RangeError(`unknown meter model "${String(options.model)}"`);
    this.model = model;
    const connection = options.connection ?? options.scenario?.site.connection ?? model.defaultConnection;
    if (!model.connections.includes(connection)) {
      throw new RangeError(
        `model ${model.name} does not support connection ${connection} (${model.connections.join(', ')})`,
      );
    }
    this.connection = connection;
    const seed = options.seed ?? options.scenario?.seed ?? 1;
    this.seed = seed;
    const start =
      options.startMs ?? (options.scenario ? Date.parse(options.scenario.start) : Math.floor(Date.now() / 1000) * 1000);
    if (!Number.isFinite(start)) throw new RangeError('the start of the simulation is not a valid date');
    this.startMs = start;
    this.clock = start;
    const scenario = options.scenario
      ? { ...options.scenario, seed, site: { ...options.scenario.site, connection } }
      : defaultScenario(connection, formatMeterIso(start), seed);
    this.scenario = scenario;
    const random = seededRandom(seed ^ 0x51a7e);
    this.identity = identityFor(random);
    this.header = model.header(this.identity, connection === '1x230' ? 1 : 3);
    this.voltages = new VoltageModel(random);
    this.utilities = new UtilityUse(seededRandom(seed ^ 0xa7e4));
    const init: RegisterInit = options.registers ?? {
      importKwh: [1500 + random() * 3000, 1200 + random() * 2500],
      exportKwh: [200 + random() * 1500, 100 + random() * 800],
      gasM3: 800 + random() * 4000,
      waterM3: 50 + random() * 400,
      history: initialHistory(start, random),
      shortFailures: Math.floor(random() * 8),
    };
    const monthStart = monthStartUtc(start);
    const peakAt = (): number =>
      Math.max(monthStart, Math.floor((monthStart + random() * (start - monthStart)) / 900_000) * 900_000 - 900_000);
    if (init.monthPeakKw === undefined && scenario.site.monthPeakKw > 0) {
      init.monthPeakKw = scenario.site.monthPeakKw;
      init.monthPeakAtMs = peakAt();
    } else if (!options.registers && !options.scenario && start - monthStart > 86_400_000) {
      // The default household has lived this month already: a peak from an earlier day.
      init.monthPeakKw = 2.5 + random() * 2;
      init.monthPeakAtMs = peakAt();
    }
    this.registers = new MeterRegisters(start, init);
    this.gasAtMs = Math.floor(start / 1000 / model.gasEveryS) * model.gasEveryS * 1000;
    this.gasAtM3 = this.registers.gasM3;
    this.waterAtMs = Math.floor(start / 300_000) * 300_000;
    this.waterAtM3 = this.registers.waterM3;
    this.portOpen = options.portOpen ?? true;
    this.smartyKey = options.smartyKey ?? DEMO_SMARTY_KEY;
    this.systemTitle =
      options.systemTitle ?? Buffer.from(`SAG${this.identity.serial.slice(0, 5)}`, 'latin1').toString('hex');
    this.house = createHouse(scenario);
    this.evs = scenario.evs.map((spec) => {
      const charger = scenario.chargers.find((c) => c.id === spec.charger);
      const ev = createEv(spec, {
        start: scenario.start,
        connection,
        ...(charger ? { chargerPhases: charger.phases } : {}),
      });
      // Without a balancer the charger offers its maximum, as a plain wallbox does.
      return { name: spec.name, charger: spec.charger, ev, offeredA: charger?.maxA ?? spec.maxA };
    });
    this.electricalNow = measure(connection, [0, 0, 0], this.voltages);
  }

  /** The meter clock (UTC ms). */
  get nowMs(): number {
    return this.clock;
  }

  get electrical(): Electrical {
    return this.electricalNow;
  }

  get poweredOff(): boolean {
    return this.powerFailure !== null;
  }

  /** Sets (kw > 0) or removes (kw = 0) a named extra load, e.g. `ev-cp1` fed by a simulated charger. */
  setLoad(name: string, phases: Line[], kw: number): void {
    if (kw === 0) this.extraLoads.delete(name);
    else this.extraLoads.set(name, { phases, kw });
  }

  loads(): Array<{ name: string } & ExtraLoad> {
    return [...this.extraLoads].map(([name, l]) => ({ name, ...l }));
  }

  evNames(): string[] {
    return this.evs.map((e) => e.name);
  }

  /** The charger's offered current for the scenario car `name`; false when there is no such car. */
  setEvOffered(name: string, offeredA: number): boolean {
    const ev = this.evs.find((e) => e.name === name || e.charger === name);
    if (!ev) return false;
    ev.offeredA = offeredA;
    return true;
  }

  evStates(): Array<Record<string, unknown>> {
    const tS = (this.clock - this.startMs) / 1000;
    return this.evs.map((e) => ({
      name: e.name,
      charger: e.charger,
      plugged: e.ev.plugged(tS),
      offeredA: e.offeredA,
      currentA: e.ev.currentA,
      lines: [...e.ev.lines],
      powerKw: e.ev.powerKw,
      sessionKwh: e.ev.sessionKwh,
      full: e.ev.full,
    }));
  }

  /** The meter loses power for `durationS` seconds: silent, registers frozen; logged when it returns. */
  startPowerFailure(durationS: number): void {
    this.powerFailure = { startedMs: this.clock, untilMs: this.clock + Math.max(1, durationS) * 1000 };
  }

  /** Advances the world by one second. */
  step(): void {
    const now = this.clock + 1000;
    this.clock = now;
    if (this.powerFailure) {
      if (now < this.powerFailure.untilMs) {
        this.registers.skip(now);
        return;
      }
      this.registers.recordPowerFailure(now, (now - this.powerFailure.startedMs) / 1000);
      this.powerFailure = null;
    }
    const tS = (now - this.startMs) / 1000;
    const lineKw = this.house.step(tS).lineKw.slice();
    for (const load of this.extraLoads.values()) addKw(this.connection, load.phases, load.kw, lineKw);
    for (const e of this.evs) {
      e.ev.step(1, e.offeredA, tS);
      if (e.ev.powerKw > 0) addKw(this.connection, e.ev.lines as Line[], e.ev.powerKw, lineKw);
    }
    this.voltages.step();
    const electrical = measure(this.connection, lineKw, this.voltages);
    this.electricalNow = electrical;
    const tariff = this.model.tariffAt(meterLocalTime(now));
    this.registers.integrate(now, 1, electrical.importKw, electrical.exportKw, tariff);
    this.registers.addGas(this.utilities.gasM3(now));
    this.registers.addWater(this.utilities.waterM3(now));
    if ((now / 1000) % this.model.gasEveryS === 0) {
      this.gasAtMs = now;
      this.gasAtM3 = this.registers.gasM3;
    }
    if ((now / 1000) % 300 === 0) {
      this.waterAtMs = now;
      this.waterAtM3 = this.registers.waterM3;
    }
  }

  /** Advances to the next instant the model sends a telegram and returns what goes on the wire. */
  next(): TelegramOut {
    const everyMs = this.model.intervalS * 1000;
    do this.step();
    while (this.clock % everyMs !== 0);
    if (this.powerFailure) return { atMs: this.clock, bytes: null, silence: 'power-failure' };
    if (!this.portOpen) return { atMs: this.clock, bytes: null, silence: 'port-closed' };
    return { atMs: this.clock, bytes: this.telegram(), silence: null };
  }

  /** The telegram for the current instant (encrypted for Smarty). */
  telegram(): Uint8Array {
    const lines = this.model.lines({
      nowMs: this.clock,
      timestamp: this.clockSet ? formatDsmrTimestamp(this.clock + this.clockOffsetMs) : UNSET_CLOCK_TIMESTAMP,
      registers: this.registers,
      electrical: this.electricalNow,
      tariff: this.model.tariffAt(meterLocalTime(this.clock)),
      identity: this.identity,
      gasAtMs: this.gasAtMs,
      gasM3: this.gasAtM3,
      waterAtMs: this.waterAtMs,
      waterM3: this.waterAtM3,
      message: this.message,
    });
    const plain = encodeTelegram({ header: this.header, lines, crc: this.model.crc });
    this.telegrams++;
    if (!this.model.encrypted) return plain;
    return encryptSmarty(plain, {
      key: this.smartyKey,
      systemTitle: this.systemTitle,
      frameCounter: this.frameCounter++,
    });
  }

  /** The Smarty key a reader needs (encrypted model only). */
  get key(): string | undefined {
    return this.model.encrypted ? this.smartyKey : undefined;
  }

  state(): Record<string, unknown> {
    const r = this.registers;
    const iso = (ms: number | null) => (ms === null ? null : formatMeterIso(ms));
    return {
      model: this.model.name,
      connection: this.connection,
      header: this.header,
      intervalS: this.model.intervalS,
      port: { open: this.portOpen, gpArrow: this.portOpen },
      clock: {
        utc: new Date(this.clock).toISOString(),
        meter: formatMeterIso(this.clock),
        set: this.clockSet,
        startedAt: formatMeterIso(this.startMs),
      },
      powered: this.powerFailure === null,
      registers: {
        importKwh: { t1: r.importKwh[0], t2: r.importKwh[1] },
        exportKwh: { t1: r.exportKwh[0], t2: r.exportKwh[1] },
        tariff: this.model.tariffAt(meterLocalTime(this.clock)),
        quarterAverageKw: r.quarterAverageKw,
        monthPeakKw: r.monthPeakKw,
        monthPeakAt: iso(r.monthPeakAtMs),
        history: r.history.map((h) => ({ periodAt: iso(h.periodAtMs), peakAt: iso(h.peakAtMs), peakKw: h.peakKw })),
        gasM3: r.gasM3,
        waterM3: r.waterM3,
        powerFailures: {
          count: r.shortFailures,
          longCount: r.longFailures,
          log: r.powerFailureLog.map((f) => ({ endedAt: iso(f.endedAtMs), durationS: f.durationS })),
        },
      },
      power: this.electricalNow,
      loads: this.loads(),
      evs: this.evStates(),
      telegrams: this.telegrams,
    };
  }
}

/** Spreads a device's kW over its grid lines (1×230: all on line 1). */
function addKw(connection: Connection, phases: readonly Line[], kw: number, lineKw: number[]): void {
  const lines = connection === '1x230' || phases.length === 0 ? [1] : phases;
  for (const l of lines) lineKw[l - 1] = (lineKw[l - 1] ?? 0) + kw / lines.length;
}
