import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type IWorldOptions, setDefaultTimeout, setWorldConstructor, World } from '@cucumber/cucumber';
import type { Metrics, Scenario } from '@p1/scenario';
import type { ModuleRig } from '../../apps/balancer/test/model/rig';
import type { AssistantRun } from './assistant';
import { type Inventory, loadInventory } from './inventory';
import { MeterReader } from './meter-reader';
import { hilMeter, type MeterTarget } from './meter-target';
import type { Module } from './module';
import type { Portal, PortalAnswer } from './portal';
import { type Child, type Finished, removeOnExit } from './processes';
import type { SimulatedMeter } from './sim-meter';

export type Target = 'sim' | 'hil';

export interface WorldParameters {
  target: Target;
}

// Accelerated clocks keep sim steps short; a real meter needs minutes for the 5-minute scenarios.
setDefaultTimeout(process.env.P1_STEP_TIMEOUT_MS ? Number(process.env.P1_STEP_TIMEOUT_MS) : 120_000);

/**
 * What every scenario shares: a temp dir, the children it started (ended by the After hook), the meter
 * behind the @sim/@hil abstraction, and the house's reader on the meter's cable.
 */
export class P1World extends World<WorldParameters> {
  readonly target: Target;
  tmp = '';
  scenarioName = '';
  private readonly children: Child[] = [];
  private readonly cleanups: (() => Promise<void> | void)[] = [];
  meter: MeterTarget | undefined;
  /** Set on @sim scenarios: the same meter as `meter`, with the simulator's controls. */
  simulator: SimulatedMeter | undefined;
  house: MeterReader | undefined;

  // What the steps remember between Given, When and Then: one field per thing.
  /** The last session of the terminal assistant (`p1 activate`). */
  assistant: AssistantRun | undefined;
  /** The last `p1 ean CODE`. */
  eanCheck: Finished | undefined;
  /** The EAN of the meter whose port is being opened. */
  ean: string | undefined;
  /** The simulated grid-operator portal, and its last answer. */
  portal: Portal | undefined;
  portalAnswer: PortalAnswer | undefined;
  /** The module (`p1 run`) of a @live scenario. */
  module: Module | undefined;
  /** The house the owner describes, as a scenario for `p1 simulate`. */
  plan: Scenario | undefined;
  /** `p1 simulate`'s metrics of the plan, by strategy. */
  readonly metrics = new Map<string, Metrics>();
  /** `p1 simulate` refusing a broken house description. */
  refusal: Finished | undefined;
  /** The simulated charge point of a @live scenario, its process, and the faults it starts with. */
  chargerId: string | undefined;
  chargePoint: Child | undefined;
  chargerFaults: string[] = [];
  /** The car's limit once it settled, before the oven came on (A). */
  limitBeforeOvenA: number | undefined;
  /** The meter's running quarter-hour averages seen while watching the fuse (kW). */
  quarterAverages: number[] = [];
  /** When the meter went silent (epoch ms). */
  silentAt: number | undefined;
  /** Telegrams the house had rejected before a damaged one was sent. */
  rejectedBefore = 0;
  /** The simulator's log position when the cable was pulled. */
  unplugLogMark: number | undefined;
  /** The rig's load line power before switching the load (kW). */
  baselineKw: number | undefined;
  /** HTTP status per "METHOD path" a client without the token got from the module. */
  readonly answers = new Map<string, number>();
  /** The module on a virtual clock (@virtual-clock), and the main fuse of its house (A). */
  virtualHouse: ModuleRig | undefined;
  virtualFuseA: number | undefined;
  /** What a charger offered before a fault began (A), by charger. */
  readonly offeredBeforeA = new Map<string, number>();

  private inventoryCache: Inventory | undefined;

  constructor(options: IWorldOptions<WorldParameters>) {
    super(options);
    this.target = options.parameters.target ?? 'sim';
  }

  get inventory(): Inventory {
    this.inventoryCache ??= loadInventory();
    return this.inventoryCache;
  }

  makeTempDir(): void {
    this.tmp = mkdtempSync(path.join(os.tmpdir(), 'p1-features-'));
    const forget = removeOnExit(this.tmp);
    this.defer(() => {
      rmSync(this.tmp, { recursive: true, force: true });
      forget();
    });
  }

  track(child: Child): Child {
    this.children.push(child);
    return child;
  }

  /** Runs at the end of the scenario, last registered first. */
  defer(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  /** The rig's meter on @hil; on @sim the steps start the simulator (see sim-meter.ts). */
  useHilMeter(): MeterTarget {
    this.meter = hilMeter(this.inventory);
    return this.meter;
  }

  requireMeter(): MeterTarget {
    if (!this.meter) throw new Error('No meter in this scenario: a Given step must set the meter up first.');
    return this.meter;
  }

  /** Connects the house to the meter's cable with the product's serial meter source. */
  async connectHouse(): Promise<MeterReader> {
    const meter = this.requireMeter();
    const capture = process.env.P1_CAPTURE_DIR
      ? path.join(process.env.P1_CAPTURE_DIR, `${slug(this.scenarioName)}.p1`)
      : undefined;
    // A simulated meter's silence is judged in seconds, not the quarter-minute a slow real meter needs.
    const framing = {
      ...(meter.kind === 'sim' ? { silenceMs: 3_000, invalidMs: 4_000 } : {}),
      ...(this.simulator?.smartyKey ? { smartyKey: this.simulator.smartyKey } : {}),
      ...(meter.kind === 'hil' && this.inventory.meter.smartyKey ? { smartyKey: this.inventory.meter.smartyKey } : {}),
    };
    const reader = new MeterReader(meter.device, meter.baud, capture, framing);
    this.house = reader;
    this.defer(() => reader.stop());
    await reader.start();
    return reader;
  }

  requireSimulator(): SimulatedMeter {
    if (!this.simulator) throw new Error('This step needs the simulated meter (a @sim scenario).');
    return this.simulator;
  }

  requireHouse(): MeterReader {
    if (!this.house) throw new Error('The house is not connected to the meter yet.');
    return this.house;
  }

  /** Wall milliseconds for `meterSeconds` of meter time on this target, with slack for a loaded machine. */
  wallMs(meterSeconds: number, slack = 3): number {
    const speed = this.meter?.speed ?? 1;
    return Math.ceil((meterSeconds / speed) * 1000 * slack) + 10_000;
  }

  childOutputs(): string {
    return this.children.map((c) => `--- ${c.name} ---\n${c.output().slice(-4000)}`).join('\n');
  }

  async teardown(): Promise<void> {
    const errors: unknown[] = [];
    for (const cleanup of this.cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        errors.push(err);
      }
    }
    this.cleanups.length = 0;
    await Promise.all(this.children.map((c) => c.stop()));
    if (errors.length > 0) throw errors[0];
  }
}

/** A value an earlier step remembers; when it is missing, says which step is. */
export function remembered<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`No ${what}: an earlier step of the scenario has to set it.`);
  return value;
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 80) || 'scenario'
  );
}

setWorldConstructor(P1World);
