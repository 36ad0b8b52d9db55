/**
 * One run of the bench, bundled and started by latency.bench.ts with plain node and the production
 * flags, in a fresh process per mode. Prints one JSON line.
 * `latency` — telegrams written to a socat pair, read by the serial driver and handed to the module
 *   core; per telegram the time to the parsed reading (peer) and to the charger's new limit (module);
 * `module` — an accelerated day through the module core (balancer, SQLite store, live state) with the
 *   HTTP server and a dashboard SSE client (a separate process) attached, and every simulated hour the
 *   chart and session requests of the dashboard (another process), RSS per hour;
 * `peer` — the same day's telegrams framed and parsed, nothing else.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TelegramFramer } from '@p1/dsmr';
import { belgianTelegram } from '../test/helpers/telegram';

const [mode = 'module', countArg = '86400'] = process.argv.slice(2);
const SECONDS = Number(countArg);
const START = Date.UTC(2025, 0, 15, 0, 0, 0);
const MB = 1024 * 1024;

/** Household load on L1 (A): evening peak, night low, a few appliances; deterministic. */
function house(s: number): number {
  const hour = (s / 3600) % 24;
  const base = hour >= 17 && hour < 22 ? 9 : hour >= 7 && hour < 9 ? 6 : 2;
  return base + ((s * 7919) % 13) / 10 + (s % 600 < 120 ? 8 : 0);
}

const samples: { hour: number; rssMb: number; heapMb: number }[] = [];
/** With --expose-gc the samples follow a full GC: what is retained, not garbage the accelerated run has yet to collect. */
const gc = (globalThis as { gc?: () => void }).gc;
const sample = (s: number) => {
  gc?.();
  const m = process.memoryUsage();
  samples.push({ hour: (s + 1) / 3600, rssMb: m.rss / MB, heapMb: m.heapUsed / MB });
};
const yieldToIo = () => new Promise((r) => setImmediate(r));
const CHART_PATHS = [
  '/api/v1/history/lines',
  '/api/v1/history/power',
  '/api/v1/history/quarters',
  '/api/v1/sessions',
  '/api/v1/sessions.csv',
  '/api/v1/sessions/1/series',
];

async function peer(): Promise<number> {
  const framer = new TelegramFramer();
  let ok = 0;
  for (let s = 0; s < SECONDS; s++) {
    const l1 = house(s);
    const bytes = belgianTelegram({ at: START + s * 1000, importKw: ((l1 + 4) * 230) / 1000, currentsA: [l1, 2, 2] });
    for (const f of framer.push(bytes)) if (f.reading.ok) ok++;
    if (s % 200 === 0) await yieldToIo();
    if (s % 3600 === 3599) sample(s);
  }
  return ok;
}

async function module(): Promise<number> {
  // loaded here so that the peer process never loads the module's code
  const { createBalancer } = await import('@p1/balancer');
  const { createSimulatedCharger } = await import('@p1/sim');
  const { default: pino } = await import('pino');
  const { validateConfig } = await import('../src/config');
  const { startHttp } = await import('../src/http/server');
  const { LiveState } = await import('../src/live/live-state');
  const { Store } = await import('../src/store/store');
  const { ModuleCore } = await import('../src/wiring/core');
  const dir = mkdtempSync(join(tmpdir(), 'p1-bench-mem-'));
  const r = validateConfig({
    version: 1,
    meter: { source: 'serial', device: '/dev/null' },
    site: { connection: '3N400', fuseA: 25, capacityTargetKw: 5 },
    chargers: [{ id: 'cp1', driver: 'simulated', phases: [1, 2, 3], minA: 6, maxA: 16 }],
    http: { port: 0, token: 'bench-token-123' },
    store: { path: join(dir, 'bench.db') },
  });
  if (!r.ok) throw new Error(r.problems.join('; '));
  const config = r.config;
  let simNow = START;
  const store = new Store(config.store.path);
  const live = new LiveState(config.site);
  let carA = 0;
  const charger = createSimulatedCharger(
    { id: 'cp1', phases: [1, 2, 3], minA: 6, maxA: 16, switchPhases: false, safeA: 6 },
    { now: () => simNow, tickMs: false },
  );
  charger.on('measurement', (m) => {
    carA = Math.max(0, ...m.currentA.map((a) => a ?? 0));
  });
  const core = new ModuleCore({
    config,
    store,
    live,
    createBalancer,
    chargers: [charger],
    logger: pino({ level: 'silent' }),
    now: () => simNow,
  });
  const http = await startHttp(
    {
      live,
      token: 'bench-token-123',
      store,
      settings: { get: () => core.settings, update: (p) => core.updateSettings(p) },
    },
    '127.0.0.1',
    0,
  );
  // what the dashboard's charts and session list ask the store for, once every simulated hour, from a
  // separate process like the SSE client (an in-process fetch would count its HTTP client against us)
  const chartClient = `for (const p of ${JSON.stringify(CHART_PATHS)}) {
    const r = await fetch(${JSON.stringify(http.url)} + p);
    await r.arrayBuffer();
    if (!r.ok) process.exit(1);
  }`;
  const charts = async () => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', chartClient], { stdio: 'ignore' });
    // `once` rejects when the client cannot start ('error'), with the reason
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`the chart client exited with ${code}`);
  };
  // the dashboard: a separate node process reading the SSE stream as fast as it comes
  const client = `fetch(${JSON.stringify(`${http.url}/api/v1/events`)}).then((r) => r.body.pipeTo(new WritableStream()))`;
  const sse: ChildProcess = spawn(process.execPath, ['-e', client], { stdio: 'ignore' });
  sse.on('error', (err) => {
    throw new Error(`the dashboard client (node) could not start: ${err.message}`);
  });
  while (live.sseClients === 0) await new Promise((res) => setTimeout(res, 20));

  const framer = new TelegramFramer();
  let n = 0;
  for (let s = 0; s < SECONDS; s++) {
    simNow = START + s * 1000;
    charger.step();
    const l1 = house(s) + carA;
    const bytes = belgianTelegram({
      at: simNow,
      importKw: ((l1 + 4 + 2 * carA) * 230) / 1000,
      currentsA: [l1, 2 + carA, 2 + carA],
      importKwh: 4000 + s / 1000,
    });
    for (const f of framer.push(bytes)) {
      core.onReading(f.reading, f.raw);
      n++;
    }
    if (s % 60 === 0) core.tick();
    if (s % 200 === 0) await yieldToIo(); // the SSE stream drains to the dashboard client
    if (s % 3600 === 3599) {
      await charts();
      sample(s);
    }
  }
  // "after the run, with the dashboard connected": a second of idle, then the final sample
  await new Promise((res) => setTimeout(res, 1000));
  sample(SECONDS - 1);
  sse.kill('SIGTERM');
  await http.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return n;
}

/** House load on L1 for the latency run: a 40 s sawtooth from 2 A to 18 A (every telegram a cut), then 40 s low. */
function sawtooth(t: number): number {
  const phase = t % 80;
  return phase < 40 ? 2 + phase * 0.4 : 2;
}

async function latency(
  count: number,
): Promise<{ read: number[]; limit: number[]; readOfLimited: number[]; lost: number }> {
  const { createBalancer } = await import('@p1/balancer');
  const { createMeterSource } = await import('@p1/drivers');
  const { createSimulatedCharger, openVirtualSerialPair } = await import('@p1/sim');
  const { default: pino } = await import('pino');
  const { validateConfig } = await import('../src/config');
  const { LiveState } = await import('../src/live/live-state');
  const { Store } = await import('../src/store/store');
  const { ModuleCore } = await import('../src/wiring/core');
  const dir = mkdtempSync(join(tmpdir(), 'p1-bench-lat-'));
  const r = validateConfig({
    version: 1,
    meter: { source: 'serial', device: '/dev/null' },
    // fuse protection only: every step of the sawtooth moves the limit
    site: { connection: '3N400', fuseA: 25 },
    chargers: [{ id: 'cp1', driver: 'simulated', phases: [1, 2, 3], minA: 6, maxA: 16 }],
    store: { path: join(dir, 'bench.db') },
  });
  if (!r.ok) throw new Error(r.problems.join('; '));
  const pair = await openVirtualSerialPair();
  const fd = openSync(pair.meterEnd, constants.O_WRONLY | constants.O_NOCTTY);
  let simNow = START;
  const store = new Store(r.config.store.path);
  const live = new LiveState(r.config.site);
  let carA = 0;
  const charger = createSimulatedCharger(
    { id: 'cp1', phases: [1, 2, 3], minA: 6, maxA: 16, switchPhases: false, safeA: 6 },
    { now: () => simNow, tickMs: false },
  );
  charger.on('measurement', (m) => {
    carA = Math.max(0, ...m.currentA.map((a) => a ?? 0));
  });
  let limitAt: number | null = null;
  const setLimit = charger.setLimit.bind(charger);
  charger.setLimit = (amps, phases) => {
    limitAt ??= performance.now();
    return setLimit(amps, phases);
  };
  const core = new ModuleCore({
    config: r.config,
    store,
    live,
    createBalancer,
    chargers: [charger],
    logger: pino({ level: 'silent' }),
    now: () => simNow,
  });
  const meter = await createMeterSource({ source: 'serial', device: pair.readerEnd, baud: 115200 });
  let readAt: number | null = null;
  let handled: (() => void) | null = null;
  meter.on('reading', (reading, raw) => {
    readAt ??= performance.now();
    core.onReading(reading, raw);
    handled?.();
  });
  await meter.start();

  const send = async (t: number): Promise<{ wroteAt: number; readAt: number; limitAt: number | null } | null> => {
    simNow = START + t * 1000;
    charger.step();
    const l1 = sawtooth(t) + carA;
    const bytes = belgianTelegram({
      at: simNow,
      importKw: ((l1 + 4 + 2 * carA) * 230) / 1000,
      currentsA: [l1, 2 + carA, 2 + carA],
    });
    readAt = null;
    limitAt = null;
    const done = new Promise<boolean>((resolve) => {
      handled = () => resolve(true);
      setTimeout(() => resolve(false), 1000);
    });
    writeSync(fd, bytes);
    const wroteAt = performance.now();
    const ok = await done;
    handled = null;
    if (!ok || readAt === null) return null;
    return { wroteAt, readAt, limitAt };
  };

  // The reader opens asynchronously; bytes sent before that are lost: warm up until telegrams arrive.
  let t = 0;
  for (let tries = 0; tries < 100 && !(await send(t++)); tries++);
  const out = { read: [] as number[], limit: [] as number[], readOfLimited: [] as number[], lost: 0 };
  for (let i = 0; i < count; i++, t++) {
    const x = await send(t);
    if (!x) {
      out.lost++;
      continue;
    }
    out.read.push(x.readAt - x.wroteAt);
    if (x.limitAt !== null) {
      out.limit.push(x.limitAt - x.wroteAt);
      out.readOfLimited.push(x.readAt - x.wroteAt);
    }
    await new Promise((res) => setTimeout(res, 5));
  }
  await meter.stop();
  closeSync(fd);
  await pair.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return out;
}

const t0 = performance.now();
if (mode === 'latency') {
  console.log(JSON.stringify({ mode, ...(await latency(SECONDS)) }));
} else {
  const telegrams = mode === 'peer' ? await peer() : await module();
  console.log(JSON.stringify({ mode, telegrams, wallS: (performance.now() - t0) / 1000, samples }));
}
