#!/usr/bin/env node
// One-step install for a fresh machine that has Node and npm only: installs pnpm (the version
// pinned in package.json) when missing, then the workspace. Native addons (better-sqlite3,
// serialport) are compiled by node-gyp, which would otherwise try to download Node's headers:
// point it at the headers installed with Node, so the install needs only the npm registry.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const wanted = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

function pnpmVersion() {
  try {
    return execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

let pnpm = 'pnpm';
if (pnpmVersion() !== wanted) {
  console.error(`setup: installing pnpm ${wanted} with npm`);
  const r = spawnSync('npm', ['install', '-g', `pnpm@${wanted}`], { stdio: 'inherit' });
  if (r.status !== 0) {
    // No write access to Node's global folder (not root): install for this user instead.
    const prefix = join(homedir(), '.local');
    const user = spawnSync('npm', ['install', '-g', '--prefix', prefix, `pnpm@${wanted}`], { stdio: 'inherit' });
    if (user.error) console.error(`setup: npm could not run (${user.error.message}); install Node.js with npm.`);
    if (user.status !== 0) process.exit(user.status ?? 1);
    pnpm = join(prefix, 'bin', 'pnpm');
    if (!(process.env.PATH ?? '').split(delimiter).includes(join(prefix, 'bin'))) {
      console.error(
        `setup: pnpm is in ${join(prefix, 'bin')}; add that folder to your PATH to use 'pnpm start' and 'pnpm test'.`,
      );
    }
  }
}

const env = { ...process.env };
if (!env.npm_config_nodedir) {
  const prefix = resolve(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node_version.h'))) env.npm_config_nodedir = prefix;
}
const args = ['install', ...(env.CI ? ['--frozen-lockfile'] : [])];
const r = spawnSync(pnpm, args, { stdio: 'inherit', cwd: root, env });
if (r.error) console.error(`setup: ${pnpm} could not run (${r.error.message}); is it on your PATH?`);
process.exit(r.status ?? 1);
