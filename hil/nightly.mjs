#!/usr/bin/env node
// The nightly hardware-in-the-loop run: take the rig's lock, check the meter is alive, run the @hil and
// @any-target scenarios against it, archive the reports and a raw capture of the session, and exit non-zero on
// any failure. Used by the systemd timer, the self-hosted CI job, and (against the simulator) by rehearse.mjs.
//
//   node hil/nightly.mjs [--archive DIR] [--lock FILE] [--alive-timeout SECONDS] [-- extra cucumber args]
//   env: P1_INVENTORY (default hil/inventory.json), P1_DEVICE, P1_BAUD override the inventory's meter.
import { spawn } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const EXIT = { ok: 0, scenariosFailed: 1, usage: 2, meterDead: 3, locked: 75 };

function parseArgs(argv) {
  const options = {
    archive: path.join(root, 'hil', 'archive'),
    lock: path.join(os.tmpdir(), 'p1-hil.lock'),
    aliveTimeoutS: undefined,
    cucumberArgs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value.`);
      return v;
    };
    if (arg === '--archive') options.archive = path.resolve(value());
    else if (arg === '--lock') options.lock = path.resolve(value());
    else if (arg === '--alive-timeout') options.aliveTimeoutS = Number(value());
    else if (arg === '--') options.cucumberArgs = argv.slice(i + 1);
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node hil/nightly.mjs [--archive DIR] [--lock FILE] [--alive-timeout S] [-- cucumber args]');
      process.exit(0);
    } else throw new Error(`unknown option '${arg}'.`);
    if (arg === '--') break;
  }
  return options;
}

function readInventory() {
  const file = path.resolve(root, process.env.P1_INVENTORY ?? 'hil/inventory.json');
  const inventory = JSON.parse(readFileSync(file, 'utf8'));
  const meter = inventory.meter ?? {};
  return {
    file,
    rig: inventory.rig ?? 'rig',
    device: process.env.P1_DEVICE ?? meter.device,
    baud: Number(process.env.P1_BAUD ?? meter.baud ?? 115200),
    cadenceS: Number(meter.cadenceS ?? 1),
    smartyKey: meter.smartyKey ?? null,
  };
}

/** One run at a time per rig: a lock file holding the owner's pid; a lock left by a dead process is taken over. */
function takeLock(file) {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && isAlive(pid)) return null;
      rmSync(file, { force: true });
    }
  }
  return null;
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * The meter is alive when `p1 parse --device` prints a valid telegram within the timeout. Says what it saw
 * otherwise: nothing at all (port closed? cable?) or only rejected frames (baud, inverted signal).
 */
async function checkAlive(inventory, timeoutS) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'apps/balancer/src/cli/p1.ts',
      'parse',
      '--device',
      inventory.device,
      '--baud',
      String(inventory.baud),
      ...(inventory.smartyKey ? ['--smarty-key', inventory.smartyKey] : []),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let rejected = 0;
  let stderr = '';
  let buffered = '';
  const verdict = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ alive: false }), timeoutS * 1000);
    child.stdout.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const reading = JSON.parse(line);
          if (reading.ok) {
            clearTimeout(timer);
            resolve({ alive: true, header: reading.header, timestamp: reading.timestamp });
            return;
          }
          rejected++;
        } catch {
          // not a reading line
        }
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString('utf8');
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve({ alive: false });
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      stderr += `p1 parse could not start (${err.message}); run npm run setup first.`;
      resolve({ alive: false });
    });
  });
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  } catch {}
  if (verdict.alive) return { ok: true, message: `meter alive: ${verdict.header} at ${verdict.timestamp}` };
  const why =
    rejected > 0
      ? `${rejected} frames arrived but none was valid (baud rate? cable inversion?)`
      : 'no telegram arrived (P1 port closed? data-request line? cable?)';
  return { ok: false, message: `the meter at ${inventory.device} is not alive: ${why}. ${stderr.trim()}`.trim() };
}

function runCucumber(env, extraArgs) {
  const bin = path.join(root, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--profile', 'hil', ...extraArgs], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    child.on('exit', (code) => resolve(code ?? 1));
    child.on('error', (err) => {
      console.error(`nightly: cucumber could not start (${err.message}); run npm run setup first.`);
      resolve(1);
    });
  });
}

function stamp() {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`nightly: ${err.message}`);
    return EXIT.usage;
  }
  let inventory;
  try {
    inventory = readInventory();
  } catch (err) {
    console.error(`nightly: the rig inventory could not be read: ${err.message}`);
    return EXIT.usage;
  }
  if (!inventory.device) {
    console.error(`nightly: no meter device: set P1_DEVICE or meter.device in ${inventory.file}.`);
    return EXIT.usage;
  }
  const release = takeLock(options.lock);
  if (!release) {
    console.error(`nightly: another run holds the rig lock ${options.lock}; not starting.`);
    return EXIT.locked;
  }
  const runDir = path.join(options.archive, `${inventory.rig}-${stamp()}`);
  mkdirSync(path.join(runDir, 'captures'), { recursive: true });
  try {
    const alive = await checkAlive(inventory, options.aliveTimeoutS ?? Math.max(15, inventory.cadenceS * 3 + 5));
    writeFileSync(path.join(runDir, 'alive.txt'), `${alive.message}\n`);
    console.log(`nightly: ${alive.message}`);
    if (!alive.ok) return EXIT.meterDead;

    const code = await runCucumber({ P1_CAPTURE_DIR: path.join(runDir, 'captures') }, options.cucumberArgs);
    for (const ext of ['html', 'xml', 'json']) {
      const report = path.join(root, 'reports', `cucumber-hil.${ext}`);
      if (existsSync(report)) cpSync(report, path.join(runDir, `cucumber-hil.${ext}`));
    }
    writeFileSync(path.join(runDir, 'result.txt'), code === 0 ? 'passed\n' : `failed (cucumber exit ${code})\n`);
    console.log(`nightly: ${code === 0 ? 'passed' : 'FAILED'}; archived in ${runDir}`);
    return code === 0 ? EXIT.ok : EXIT.scenariosFailed;
  } finally {
    release();
  }
}

main().then((code) => {
  process.exitCode = code;
});
