import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { MeterTarget } from './meter-target';
import { P1_SIM_CLI, startChild, tsxArgs } from './processes';
import type { P1World } from './world';

/** Cadence and wire settings of the simulator's models, as the simulator documents them (`p1-sim models`). */
const MODELS: Record<string, { cadenceS: number; baud: number; headerPrefix: string }> = {
  'fluvius-1ph': { cadenceS: 1, baud: 115200, headerPrefix: 'FLU5\\' },
  'fluvius-3ph': { cadenceS: 1, baud: 115200, headerPrefix: 'FLU5\\' },
  dsmr5: { cadenceS: 1, baud: 115200, headerPrefix: 'ISK5\\' },
  dsmr4: { cadenceS: 10, baud: 115200, headerPrefix: 'KFM5' },
  dsmr22: { cadenceS: 10, baud: 9600, headerPrefix: 'KMP5' },
  smarty: { cadenceS: 10, baud: 115200, headerPrefix: 'Lux5\\' },
};

/** Meter seconds per wall second on @sim: a 1 s meter sends twenty telegrams a second. */
export const DEFAULT_SPEED = Number(process.env.P1_SIM_SPEED ?? 20);

export interface Fault {
  kind: string;
  count?: number;
  rate?: number;
  durationS?: number;
}

/** The simulated meter: a MeterTarget plus the controls a real meter does not have. */
export interface SimulatedMeter extends MeterTarget {
  readonly controlUrl: string;
  readonly token: string;
  /** The key the simulated Smarty meter encrypts with. */
  readonly smartyKey: string | undefined;
  openPort(): Promise<void>;
  closePort(): Promise<void>;
  setLoad(name: string, phases: number[], kw: number): Promise<void>;
  offerEv(name: string, offeredA: number): Promise<void>;
  injectFault(fault: Fault): Promise<void>;
  state(): Promise<Record<string, unknown>>;
  /** A position in the simulator's log, for `waitForLog`. */
  logMark(): number;
  /** Resolves when the simulator logs a line matching `pattern` after `since` (a `logMark()`). */
  waitForLog(pattern: RegExp, timeoutMs: number, since: number): Promise<void>;
}

export interface SimOptions {
  model: string;
  portOpen: boolean;
  speed?: number;
  scenarioFile?: string;
  connection?: string;
  /** Start the meter at this meter-clock instant (ISO 8601), e.g. just before a quarter starts. */
  start?: string;
  seed?: number;
}

/**
 * Starts `p1-sim run` with its own socat pair (so its unplug fault really ends the cable) and its control API
 * on a free 127.0.0.1 port; the house reads the pair's link. Registered with the World, so the After hook ends it.
 */
export async function startSimulatedMeter(world: P1World, options: SimOptions): Promise<SimulatedMeter> {
  const model = MODELS[options.model];
  if (!model) throw new Error(`The simulator has no meter model "${options.model}".`);
  const speed = options.speed ?? DEFAULT_SPEED;
  const link = path.join(world.tmp, 'ttyP1');
  const token = randomBytes(12).toString('hex');
  const args = [
    'run',
    '--model',
    options.model,
    '--output',
    'socat',
    '--link',
    link,
    '--speed',
    String(speed),
    '--port',
    options.portOpen ? 'open' : 'closed',
    '--api-port',
    '0',
    '--token',
    token,
    ...(options.scenarioFile ? ['--scenario', options.scenarioFile] : []),
    ...(options.connection ? ['--connection', options.connection] : []),
    ...(options.start ? ['--start', options.start] : []),
    ...(options.seed !== undefined ? ['--seed', String(options.seed)] : []),
  ];
  const child = world.track(startChild('p1-sim', process.execPath, tsxArgs(P1_SIM_CLI, args)));
  const [readyLine] = await child.waitFor(/\{"ready":true[^\n]*\}/, 30_000);
  const ready = JSON.parse(readyLine) as { link: string; api: string; smartyKey?: string };
  const controlUrl = ready.api;
  const api = async (method: string, route: string, body?: unknown): Promise<Record<string, unknown>> => {
    const res = await fetch(`${controlUrl}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`The simulated meter refused ${method} ${route}: ${res.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  const meter: SimulatedMeter = {
    kind: 'sim',
    model: options.model,
    device: ready.link,
    baud: model.baud,
    cadenceS: model.cadenceS,
    speed,
    headerPrefix: model.headerPrefix,
    controlUrl,
    smartyKey: ready.smartyKey,
    token,
    openPort: async () => void (await api('PUT', '/api/port', { open: true })),
    closePort: async () => void (await api('PUT', '/api/port', { open: false })),
    setLoad: async (name, phases, kw) =>
      void (await api('PUT', `/api/loads/${encodeURIComponent(name)}`, { phases, kw })),
    offerEv: async (name, offeredA) => void (await api('PUT', `/api/ev/${encodeURIComponent(name)}`, { offeredA })),
    injectFault: async (fault) => void (await api('POST', '/api/faults', fault)),
    state: () => api('GET', '/api/state'),
    logMark: () => child.mark(),
    waitForLog: async (pattern, timeoutMs, since) => {
      await child.waitFor(pattern, timeoutMs, since);
    },
    stop: () => child.stop(),
  };
  world.meter = meter;
  world.simulator = meter;
  return meter;
}
