#!/usr/bin/env node
// `pnpm hil:rehearse`: the nightly HIL run, unchanged (lock, alive check, `--profile hil`, archive), against the
// meter simulator writing to a real tty pair made with socat. P1_DEVICE points at the reader end, exactly where a
// USB P1 cable would be, so the HIL path is tested in CI without hardware.
//
//   node hil/rehearse.mjs [--model NAME] [--speed N] [-- extra cucumber args]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CADENCE = { 'fluvius-1ph': 1, 'fluvius-3ph': 1, dsmr5: 1, dsmr4: 10, dsmr22: 10, smarty: 10 };
const BAUD = { dsmr22: 9600 };
const PHASES = { 'fluvius-1ph': 1, 'fluvius-3ph': 3, dsmr5: 3, dsmr4: 3, dsmr22: 0, smarty: 3 };

function parseArgs(argv) {
  const options = { model: 'fluvius-3ph', speed: 10, extra: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--model') options.model = argv[++i];
    else if (arg === '--speed') options.speed = Number(argv[++i]);
    else if (arg === '--') {
      options.extra = argv.slice(i + 1);
      break;
    } else throw new Error(`unknown option '${arg}' (use --model NAME, --speed N, -- cucumber args).`);
  }
  if (!(options.model in CADENCE)) throw new Error(`unknown model '${options.model}'.`);
  if (!(options.speed >= 1)) throw new Error('--speed must be a number of at least 1.');
  return options;
}

/** A child in its own process group, so that ending it also ends what it started. */
function start(name, command, args, env = {}) {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, detached: true });
  let output = '';
  const waiters = [];
  const onData = (chunk) => {
    output += chunk.toString('utf8');
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let ended = false;
  const end = () => {
    ended = true;
    for (const w of waiters.splice(0)) w();
  };
  child.on('exit', end);
  // A program that cannot start (not installed, not on PATH) ends here with a sentence, not a crash.
  child.on('error', (err) => {
    output += `\n${name} could not start (${err.message}); run npm run setup, or install ${command}\n`;
    end();
  });
  return {
    name,
    output: () => output,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = output.match(pattern);
        if (m) return m;
        if (ended) throw new Error(`${name} ended before printing ${pattern}:\n${output.slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`${name} did not print ${pattern}:\n${output.slice(-2000)}`);
        await new Promise((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    kill() {
      if (ended) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    },
    stop() {
      if (ended) return Promise.resolve();
      const done = new Promise((r) => child.on('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 5000);
      return done.finally(() => clearTimeout(timer));
    },
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'p1-rehearse-'));
  const meterEnd = path.join(tmp, 'meter');
  const cable = path.join(tmp, 'usb-p1-cable');
  const children = [];
  // socat and the simulator run in their own process groups: an interrupted rehearsal ends them too.
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      for (const child of children) child.kill();
      rmSync(tmp, { recursive: true, force: true });
      process.kill(process.pid, signal);
    });
  }
  try {
    const socat = start('socat', 'socat', [
      '-d',
      '-d',
      `pty,raw,echo=0,link=${meterEnd}`,
      `pty,raw,echo=0,link=${cable}`,
    ]);
    children.push(socat);
    await socat.waitFor(/starting data transfer loop/, 10_000);
    for (let i = 0; i < 100 && !(existsSync(meterEnd) && existsSync(cable)); i++)
      await new Promise((r) => setTimeout(r, 20));

    const token = randomBytes(12).toString('hex');
    const sim = start('p1-sim', process.execPath, [
      '--import',
      'tsx',
      'apps/meter-simulator/src/cli/p1-sim.ts',
      'run',
      '--model',
      options.model,
      '--output',
      'serial',
      '--device',
      meterEnd,
      '--speed',
      String(options.speed),
      '--api-port',
      '0',
      '--token',
      token,
    ]);
    children.push(sim);
    const [readyLine] = await sim.waitFor(/\{"ready":true[^\n]*\}/, 30_000);
    const ready = JSON.parse(readyLine);
    const controlUrl = ready.api;

    // The rig as the nightly runner sees it; the "relay" of the switchable load is the simulator's control API.
    const inventory = {
      rig: 'rehearsal',
      meter: {
        model: options.model,
        description: `p1-sim ${options.model} ×${options.speed} on a socat pair`,
        device: cable,
        baud: BAUD[options.model] ?? 115200,
        cadenceS: CADENCE[options.model],
        phases: PHASES[options.model],
        // The simulated Smarty's key, as the grid operator would hand it to the owner.
        ...(ready.smartyKey ? { smartyKey: ready.smartyKey } : {}),
      },
      load: {
        name: 'heater',
        phase: 1,
        kw: 2,
        on: {
          method: 'PUT',
          url: `${controlUrl}/api/loads/heater`,
          body: { phases: [1], kw: 2 },
          headers: { authorization: `Bearer ${token}` },
        },
        off: {
          method: 'PUT',
          url: `${controlUrl}/api/loads/heater`,
          body: { phases: [1], kw: 0 },
          headers: { authorization: `Bearer ${token}` },
        },
      },
      charger: null,
    };
    const inventoryFile = path.join(tmp, 'inventory.json');
    writeFileSync(inventoryFile, JSON.stringify(inventory, null, 2));

    console.log(`rehearse: p1-sim ${options.model} ×${options.speed} → ${cable}`);
    const code = await new Promise((resolve) => {
      const nightly = spawn(
        process.execPath,
        [
          'hil/nightly.mjs',
          '--archive',
          path.join(root, 'reports', 'hil-rehearsal'),
          '--lock',
          path.join(tmp, 'rig.lock'),
          ...(options.extra.length ? ['--', ...options.extra] : []),
        ],
        { cwd: root, stdio: 'inherit', env: { ...process.env, P1_DEVICE: cable, P1_INVENTORY: inventoryFile } },
      );
      nightly.on('exit', (c) => resolve(c ?? 1));
      nightly.on('error', (err) => {
        console.error(`rehearse: the nightly run could not start (${err.message}).`);
        resolve(1);
      });
    });
    if (code !== 0)
      console.error(`rehearse: the nightly run failed (exit ${code}).\n--- p1-sim ---\n${sim.output().slice(-3000)}`);
    return code;
  } finally {
    for (const child of children.reverse()) await child.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`rehearse: ${err.message}`);
    process.exitCode = 2;
  },
);
