/**
 * Performance goals of the meter simulator, each measured next to a peer in the same run:
 *  1. `p1-sim generate --days 31` (2.68 M one-second telegrams) in under 60 s — peer: encoding the
 *     same number of fixed telegrams without any physics (the floor set by the encoder).
 *  2. 1,000 meters at 1 Hz over TCP from one process under 50 % of one core — peer: 100 meters,
 *     to show the cost per meter.
 * Run: pnpm --filter @p1/meter-simulator bench  (BENCH_QUICK=1 for a shorter run)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { openSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeTelegram, TelegramFramer } from '@p1/dsmr';
import { MeterSimulation } from '@p1/sim';

const APP = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(APP, 'src/cli/p1-sim.ts');
const QUICK = process.env.BENCH_QUICK === '1';
const DAYS = QUICK ? 3 : 31;
const CPU_WINDOW_S = QUICK ? 8 : 20;

function sim(args: string[], stdout: 'pipe' | number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: APP,
    stdio: ['ignore', stdout, 'pipe'],
  });
  child.on('error', (err) => {
    console.error(`bench: p1-sim could not start (${err.message}); run npm run setup first.`);
    process.exit(1);
  });
  return child;
}

async function benchGenerate(): Promise<void> {
  const devNull = openSync('/dev/null', 'w');
  const t0 = performance.now();
  const child = sim(
    [
      'generate',
      '--model',
      'fluvius-3ph',
      '--days',
      String(DAYS),
      '--no-progress',
      '--start',
      '2025-01-01T00:00:00+01:00',
    ],
    devNull,
  );
  const [code] = (await once(child, 'exit')) as [number];
  const generateS = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`generate exited with ${code}`);
  const telegrams = DAYS * 86_400;

  // Peer: the encoder alone on a fixed telegram of the same model (measured on 10 % and scaled).
  const model = new MeterSimulation({ model: 'fluvius-3ph', startMs: Date.parse('2025-01-01T00:00:00+01:00') });
  const fixed = Buffer.from(model.next().bytes as Uint8Array)
    .toString('latin1')
    .split('\r\n');
  const header = (fixed[0] as string).slice(1);
  const lines = fixed
    .slice(2, fixed.indexOf('') > 2 ? fixed.lastIndexOf('!') : -2)
    .filter((l) => l && !l.startsWith('!'));
  const sample = Math.floor(telegrams / 10);
  const t1 = performance.now();
  let bytes = 0;
  for (let i = 0; i < sample; i++) bytes += encodeTelegram({ header, lines }).length;
  const encodeS = ((performance.now() - t1) / 1000) * (telegrams / sample);

  console.log(
    `\n## p1-sim generate --model fluvius-3ph --days ${DAYS} (${telegrams.toLocaleString('en')} telegrams, stdout → /dev/null)`,
  );
  console.log(`| run | seconds | µs/telegram |`);
  console.log(`|---|---|---|`);
  console.log(
    `| p1-sim generate (physics + registers + encode + write) | ${generateS.toFixed(1)} | ${((generateS * 1e6) / telegrams).toFixed(1)} |`,
  );
  console.log(
    `| peer: encodeTelegram of a fixed telegram, no physics (in-process) | ${encodeS.toFixed(1)} | ${((encodeS * 1e6) / telegrams).toFixed(1)} |`,
  );
  console.log(
    `ratio generate/encoder-only: ${(generateS / encodeS).toFixed(2)}×; goal < 60 s for 31 days: ${DAYS === 31 ? (generateS < 60 ? 'MET' : 'MISSED') : `(quick run: ${((generateS * 31) / DAYS).toFixed(1)} s extrapolated)`}`,
  );
  void bytes;
}

/** utime + stime of a process in seconds (Linux /proc). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function benchTcp(meters: number): Promise<{ cpuPercent: number; telegramsPerS: number; bad: number }> {
  // Below the ephemeral range (32768+), where our own 1,000 client sockets take their ports.
  const base = 21_000 + Math.floor(Math.random() * 9_000);
  const child = sim(
    ['run', '--output', 'tcp', '--meters', String(meters), '--tcp-port', String(base), '--no-api'],
    'pipe',
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`p1-sim run exited with ${code}: ${stderr}`)));
  });
  const sockets: Socket[] = [];
  let good = 0;
  let bad = 0;
  for (let i = 0; i < meters; i++) {
    const s = connect({ host: '127.0.0.1', port: base + i });
    const framer = new TelegramFramer();
    s.on('data', (chunk) => {
      for (const f of framer.push(chunk)) {
        if (f.reading.ok) good++;
        else bad++;
      }
    });
    s.on('error', () => {});
    sockets.push(s);
  }
  await new Promise((r) => setTimeout(r, 3_000)); // connections settle, JIT warms up
  const pid = child.pid as number;
  const cpu0 = cpuSeconds(pid);
  const good0 = good;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, CPU_WINDOW_S * 1000));
  const wallS = (performance.now() - t0) / 1000;
  const cpuPercent = ((cpuSeconds(pid) - cpu0) / wallS) * 100;
  const telegramsPerS = (good - good0) / wallS;
  for (const s of sockets) s.destroy();
  child.kill('SIGTERM');
  await once(child, 'exit');
  return { cpuPercent, telegramsPerS, bad };
}

async function main(): Promise<void> {
  await benchGenerate();
  const peer = await benchTcp(100);
  const full = await benchTcp(1000);
  console.log(
    `\n## p1-sim run --output tcp --meters N (1 Hz, one process), CPU of the simulator over ${CPU_WINDOW_S} s`,
  );
  console.log('| meters | CPU % of one core | telegrams/s received | bad frames | CPU ms per meter-second |');
  console.log('|---|---|---|---|---|');
  for (const [n, r] of [
    [100, peer],
    [1000, full],
  ] as const) {
    console.log(
      `| ${n} | ${r.cpuPercent.toFixed(1)} | ${r.telegramsPerS.toFixed(0)} | ${r.bad} | ${((r.cpuPercent * 10) / n).toFixed(3)} |`,
    );
  }
  console.log(
    `ratio 1000/100 meters CPU: ${(full.cpuPercent / Math.max(0.1, peer.cpuPercent)).toFixed(1)}×; goal < 50 % of one core: ${full.cpuPercent < 50 ? 'MET' : 'MISSED'}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
