#!/usr/bin/env node
/**
 * `pnpm test`: every suite of the repository, then one line `N passed, N failed` for all of them.
 *   1. the system programs the tests drive for real (socat, mosquitto, chromium): installed with
 *      apt-get when missing and we are root, otherwise named in one sentence;
 *   2. typecheck, lint and the docs check (scripts/check-docs.mjs);
 *   3. every package's vitest suite (turbo), each writing .reports/vitest.json;
 *   4. the Gherkin suites (sim profile) and the hardware-in-the-loop rehearsal.
 * Options: --only unit|features|checks runs one part.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const want = (part) => only === null || only === part;

const SYSTEM = [
  { program: 'socat', pkg: 'socat', paths: ['/usr/bin/socat'] },
  { program: 'mosquitto', pkg: 'mosquitto', paths: ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'] },
  { program: 'chromium', pkg: 'chromium', paths: ['/usr/bin/chromium'] },
];

function ensureSystemPrograms() {
  const missing = SYSTEM.filter((s) => !s.paths.some((p) => existsSync(p)));
  if (missing.length === 0) return true;
  const names = missing.map((m) => m.pkg).join(' ');
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log(`test: installing ${names} with apt-get (the tests drive them for real)`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing.map((m) => m.pkg)], { stdio: 'inherit', env });
    if (r.status === 0) return true;
  }
  console.error(
    `test: the tests need ${names}; install them (Debian/Ubuntu: sudo apt-get install -y ${names}) and run again.`,
  );
  return false;
}

const counts = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, cmd, args) {
  console.log(`\n── ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env: process.env });
  if (r.error) console.error(`test: ${cmd} could not run (${r.error.message}); npm run setup installs the workspace.`);
  return r.status === 0;
}

/** A step that is one check (typecheck, lint): one passed or one failed. */
function check(label, cmd, args) {
  if (run(label, cmd, args)) counts.passed++;
  else {
    counts.failed++;
    failures.push(label);
  }
}

function workspaceDirs() {
  return ['packages', 'apps'].flatMap((d) =>
    readdirSync(join(root, d), { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(root, d, e.name, 'package.json')))
      .map((e) => join(d, e.name)),
  );
}

function unit() {
  for (const dir of workspaceDirs()) rmSync(join(root, dir, '.reports'), { recursive: true, force: true });
  const ok = run('unit and integration tests', 'pnpm', [
    'exec',
    'turbo',
    'run',
    'test',
    '--concurrency=1',
    '--continue',
  ]);
  let reported = 0;
  for (const dir of workspaceDirs()) {
    const file = join(root, dir, '.reports', 'vitest.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    reported++;
    counts.passed += r.numPassedTests;
    counts.failed += r.numFailedTests;
    counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    if (r.numFailedTests > 0 || r.success === false) failures.push(`${dir} (vitest)`);
    // A suite that failed to load counts as a failure even when no test inside it ran.
    for (const suite of r.testResults ?? []) {
      if (suite.status === 'failed' && (suite.assertionResults ?? []).every((a) => a.status !== 'failed')) {
        counts.failed++;
        failures.push(`${suite.name} (did not run)`);
      }
    }
  }
  if (!ok && failures.length === 0) {
    counts.failed++;
    failures.push('turbo run test (a package failed without a report)');
  }
  if (reported === 0) {
    counts.failed++;
    failures.push('no vitest report was written');
  }
}

/** Counts scenarios of a cucumber JSON report: a scenario passes when all its steps pass. */
function countCucumber(label, file, ok) {
  if (!existsSync(file)) {
    counts.failed++;
    failures.push(`${label} (no report)`);
    return;
  }
  let failedHere = 0;
  for (const feature of JSON.parse(readFileSync(file, 'utf8'))) {
    for (const el of feature.elements ?? []) {
      if (el.type === 'background') continue;
      const statuses = (el.steps ?? []).map((s) => s.result?.status);
      if (statuses.every((s) => s === 'passed')) counts.passed++;
      // A scenario skipped on purpose (a rig without a switchable load) is neither passed nor failed.
      else if (statuses.every((s) => s === 'passed' || s === 'skipped')) counts.skipped++;
      else {
        counts.failed++;
        failedHere++;
        failures.push(`${label}: ${feature.name} / ${el.name}`);
      }
    }
  }
  if (!ok && failedHere === 0) {
    counts.failed++;
    failures.push(`${label} (exited non-zero)`);
  }
}

function features() {
  const reports = join(root, 'reports');
  mkdirSync(reports, { recursive: true });
  for (const f of ['cucumber-sim.json', 'cucumber-hil.json']) rmSync(join(reports, f), { force: true });
  const sim = run('Gherkin suites (sim profile)', 'pnpm', ['exec', 'cucumber-js', '--profile', 'sim']);
  countCucumber('features', join(reports, 'cucumber-sim.json'), sim);
  const hil = run('hardware-in-the-loop rehearsal', 'node', ['hil/rehearse.mjs']);
  countCucumber('hil rehearsal', join(reports, 'cucumber-hil.json'), hil);
}

const started = Date.now();
if (!ensureSystemPrograms()) process.exit(2);
if (want('checks')) {
  check('typecheck', 'pnpm', ['exec', 'turbo', 'run', 'typecheck']);
  check('lint', 'pnpm', ['exec', 'biome', 'check', '.']);
  check('docs', 'node', ['scripts/check-docs.mjs']);
}
if (want('unit')) unit();
if (want('features')) features();

const minutes = ((Date.now() - started) / 60000).toFixed(1);
if (failures.length > 0) console.log(`\nfailed:\n  ${failures.join('\n  ')}`);
const summary = `${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`;
mkdirSync(join(root, 'reports'), { recursive: true });
writeFileSync(join(root, 'reports', 'summary.txt'), `${summary}\n`);
console.log(`\n(${minutes} min)\n${summary}`);
process.exit(counts.failed > 0 ? 1 : 0);
