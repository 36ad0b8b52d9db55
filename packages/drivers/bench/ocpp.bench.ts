/**
 * OCPP bench (`pnpm --filter @p1/drivers bench`):
 *  1. limit change → the simulated charge point holds the new profile, p99 on loopback, beside a
 *     bare websocket round trip of the same size (the floor any OCPP stack sits on);
 *  2. 100 charge points on one central system, all steered every second: event-loop lag p99 of the
 *     central system, beside the same fleet connected and metering but not steered, and beside the
 *     lag of the same process doing nothing (on a shared machine that floor can be most of it).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createCar } from '@p1/sim';
import { SimulatedChargePoint } from '@p1/sim/charge-point';
import WebSocket, { WebSocketServer } from 'ws';
import { OcppCentralSystem } from '../src/charger/ocpp/central-system';

const LATENCY_SAMPLES = Number(process.env.OCPP_BENCH_SAMPLES ?? 400);
const FLEET = Number(process.env.OCPP_BENCH_FLEET ?? 100);
const FLEET_SECONDS = Number(process.env.OCPP_BENCH_SECONDS ?? 15);

const caps = (id: string) => ({
  id,
  phases: [1, 2, 3] as (1 | 2 | 3)[],
  minA: 6,
  maxA: 32,
  switchPhases: false,
  safeA: 6,
});

const LAG_RESOLUTION_MS = 2;

/** The histogram records the whole interval between its timer's firings, resolution included: subtract it. */
function lagP99Ms(h: ReturnType<typeof monitorEventLoopDelay>): number {
  return Math.max(0, h.percentile(99) / 1e6 - LAG_RESOLUTION_MS);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function profileLatency(): Promise<number[]> {
  const system = await OcppCentralSystem.start({ port: 0, chargers: [{ capabilities: caps('cp1'), password: 'pw' }] });
  const cp = new SimulatedChargePoint({
    url: system.url,
    identity: 'cp1',
    password: 'pw',
    car: createCar({}, [1, 2, 3]),
  });
  await cp.start();
  const charger = system.charger('cp1');
  await charger.setLimit(6);
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const target = 7 + (i % 250) / 10; // a new value every time: 7.0 … 31.9 A
    const held = new Promise<number>((resolve) => {
      const on = (e: { offeredA: number }) => {
        if (e.offeredA !== target) return;
        cp.off('profile', on);
        resolve(performance.now());
      };
      cp.on('profile', on);
    });
    const t0 = performance.now();
    await charger.setLimit(target);
    samples.push((await held) - t0);
  }
  await cp.stop();
  await system.close();
  return samples;
}

/** The same-sized frame and answer over a bare ws pair: no RPC, no schema validation. */
async function bareWebsocketLatency(frame: string): Promise<number[]> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (ws) =>
    ws.on('message', (m) => ws.send(`[3,"${JSON.parse(m.toString())[1]}",{"status":"Accepted"}]`)),
  );
  const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  await once(ws, 'open');
  const samples: number[] = [];
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const t0 = performance.now();
    const answered = once(ws, 'message');
    ws.send(frame.replace('"id"', `"${i}"`));
    await answered;
    samples.push(performance.now() - t0);
  }
  ws.close();
  await new Promise((r) => wss.close(r));
  return samples;
}

async function fleetLag(): Promise<{
  idleP99: number;
  steeredP99: number;
  idleCpu: number;
  steeredCpu: number;
  roundP99: number;
  rounds: number;
  connected: number;
}> {
  const chargers = Array.from({ length: FLEET }, (_, i) => ({ capabilities: caps(`cp${i}`), password: 'pw' }));
  const system = await OcppCentralSystem.start({
    port: 0,
    chargers,
    bootWaitMs: 1000,
    ...(process.env.OCPP_BENCH_PER_TURN ? { sendsPerTurn: Number(process.env.OCPP_BENCH_PER_TURN) } : {}),
  });
  const worker = fork(
    fileURLToPath(new URL('./fleet-worker.ts', import.meta.url)),
    [JSON.stringify({ url: system.url, count: FLEET, password: 'pw', tickMs: 1000 })],
    { execArgv: ['--import', 'tsx'], stdio: 'inherit' },
  );
  await once(worker, 'message');
  const all = system.chargers();
  while (!all.every((c) => c.measurement.connected && c.measurement.appliedLimitA === null && c.connected)) {
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 2000)); // let the boot and fail-safe traffic settle

  const measure = async (steer: boolean) => {
    const h = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
    const rounds: number[] = [];
    const cpu0 = process.cpuUsage();
    h.enable();
    for (let s = 0; s < FLEET_SECONDS; s++) {
      const next = new Promise((r) => setTimeout(r, 1000));
      if (steer) {
        const t0 = performance.now();
        const limit = 6 + ((s * 7) % 20); // a different limit every second
        await Promise.all(all.map((c, i) => c.setLimit(limit + (i % 3) / 10)));
        rounds.push(performance.now() - t0);
      }
      await next;
    }
    h.disable();
    const cpu = process.cpuUsage(cpu0);
    // CPU the central system used per wall second: what steering costs, whatever else the machine does.
    return { p99: lagP99Ms(h), rounds, cpuMsPerS: (cpu.user + cpu.system) / 1000 / FLEET_SECONDS };
  };
  const idle = await measure(false);
  const steered = await measure(true);
  const connected = all.filter((c) => c.measurement.connected).length;
  worker.send({ stop: true });
  await once(worker, 'exit');
  await system.close();
  return {
    idleP99: idle.p99,
    steeredP99: steered.p99,
    idleCpu: idle.cpuMsPerS,
    steeredCpu: steered.cpuMsPerS,
    roundP99: percentile(steered.rounds, 99),
    rounds: steered.rounds.length,
    connected,
  };
}

const sampleFrame = JSON.stringify([
  2,
  'id',
  'SetChargingProfile',
  {
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: 9002,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative',
      validTo: new Date().toISOString(),
      chargingSchedule: {
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 3 }],
      },
    },
  },
]);

/** The same measurement with nothing running: how much lag the machine itself adds right now. */
async function machineFloorLag(): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  h.enable();
  await new Promise((r) => setTimeout(r, FLEET_SECONDS * 1000));
  h.disable();
  return lagP99Ms(h);
}

const floor = await machineFloorLag();
const ours = await profileLatency();
const bare = await bareWebsocketLatency(sampleFrame);
const fleet = await fleetLag();

const oursP99 = percentile(ours, 99);
const bareP99 = percentile(bare, 99);
const rows = [
  ['measure', 'ours', 'peer', 'ratio', 'goal', 'ok'],
  [
    `limit → profile held, p50 (${LATENCY_SAMPLES} changes)`,
    fmt(percentile(ours, 50)),
    `${fmt(percentile(bare, 50))} bare ws`,
    (percentile(ours, 50) / percentile(bare, 50)).toFixed(1),
    '',
    '',
  ],
  [
    'limit → profile held, p99',
    fmt(oursP99),
    `${fmt(bareP99)} bare ws`,
    (oursP99 / bareP99).toFixed(1),
    '< 20 ms',
    oursP99 < 20 ? 'yes' : 'NO',
  ],
  [
    `event-loop lag p99, ${FLEET} CPs steered every 1 s`,
    fmt(fleet.steeredP99),
    `${fmt(fleet.idleP99)} idle fleet`,
    (fleet.steeredP99 / fleet.idleP99).toFixed(1),
    '< 10 ms',
    fleet.steeredP99 < 10 ? 'yes' : 'NO',
  ],
  ['event-loop lag p99, nothing running (machine floor)', fmt(floor), '', '', '', ''],
  [
    `central-system CPU per second, ${FLEET} CPs steered`,
    fmt(fleet.steeredCpu),
    `${fmt(fleet.idleCpu)} idle fleet`,
    (fleet.steeredCpu / fleet.idleCpu).toFixed(1),
    '',
    '',
  ],
  [
    `all ${FLEET} profiles acknowledged, p99 of ${fleet.rounds} rounds`,
    fmt(fleet.roundP99),
    '',
    '',
    '< 1000 ms',
    fleet.roundP99 < 1000 ? 'yes' : 'NO',
  ],
  [
    'charge points connected at the end',
    String(fleet.connected),
    '',
    '',
    String(FLEET),
    fleet.connected === FLEET ? 'yes' : 'NO',
  ],
];
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const [i, r] of rows.entries()) {
  console.log(`| ${r.map((c, j) => c.padEnd(widths[j]!)).join(' | ')} |`);
  if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
}
if (floor >= 10) {
  console.log(
    `note: this machine adds ${fmt(floor)} of event-loop lag p99 with nothing running (CPU shared with other work); ` +
      `steering ${FLEET} charge points adds ${fmt(Math.max(0, fleet.steeredP99 - fleet.idleP99))} over the idle fleet ` +
      `and ${fmt(Math.max(0, fleet.steeredP99 - floor))} over the floor.`,
  );
}
