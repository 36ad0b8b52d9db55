/** `p1 simulate --generate` and `p1 bench houses` as a user runs them, from the repository root. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadScenario, METRIC_KEYS, PROMISES } from '@p1/scenario';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const tmp = mkdtempSync(join(tmpdir(), 'p1-houses-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function p1(...args: string[]) {
  const r = spawnSync('pnpm', ['--silent', 'p1', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
  // pnpm itself may add an ELIFECYCLE line after ours.
  return { code: r.status, stdout: r.stdout, stderr: r.stderr.replace(/^\[ELIFECYCLE\].*\n?/m, '') };
}

const files = (dir: string) => readdirSync(dir).sort();

describe('p1 simulate --generate', () => {
  it('writes N valid scenario files, the same bytes for the same seed', () => {
    const a = join(tmp, 'a');
    const b = join(tmp, 'b');
    expect(p1('simulate', '--generate', '3', '--seed', '7', '--out', a).code).toBe(0);
    expect(p1('simulate', '--generate', '3', '--seed', '7', '--out', b).code).toBe(0);
    expect(files(a)).toHaveLength(3);
    expect(files(a)).toEqual(files(b));
    for (const f of files(a)) {
      expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
      expect(loadScenario(join(a, f)).durationS).toBe(86_400);
    }
  }, 120_000);

  it('generates Dutch houses without a capacity target with --profile nl', () => {
    const dir = join(tmp, 'nl');
    expect(p1('simulate', '--generate', '4', '--seed', '1', '--out', dir, '--profile', 'nl').code).toBe(0);
    for (const f of files(dir)) expect(loadScenario(join(dir, f)).site.capacityTargetKw).toBeNull();
  }, 120_000);

  it.each([
    [
      ['--generate', 'ten', '--seed', '1', '--out', 'x'],
      'p1: --generate must be a whole number from 1 to 100000, got "ten".',
    ],
    [
      ['--generate', '2', '--out', 'x'],
      'p1: simulate --generate: --seed S is required (the same seed, the same houses).',
    ],
    [
      ['--generate', '2', '--seed', '1'],
      'p1: simulate --generate: --out DIR is required (where the scenario files go).',
    ],
    [
      ['--generate', '2', '--seed', '1', '--out', 'x', '--profile', 'fr'],
      'p1: simulate --generate: unknown --profile "fr"; choose one of be, nl.',
    ],
    [
      ['--generate', '2', '--seed=-3', '--out', 'x'],
      'p1: --seed must be a whole number from 0 to 2147483647, got "-3".',
    ],
  ])(
    'bad arguments %j: one sentence, exit 2',
    (args, message) => {
      const r = p1('simulate', ...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(message);
    },
    60_000,
  );
});

describe('p1 bench houses', () => {
  it('runs a small fleet and prints one JSON object with the §4 metrics per strategy and the promises', () => {
    const out = join(tmp, 'fleet');
    const r = p1(
      'bench',
      'houses',
      '--n',
      '2',
      '--seed',
      '3',
      '--workers',
      '1',
      '--json',
      '--out',
      out,
      '--strategy',
      'none',
      '--strategy',
      'default',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.houses).toBe(2);
    expect(report.strategies).toEqual(['default', 'none']);
    for (const s of report.strategies) {
      expect(Object.keys(report.metrics[s])).toEqual(METRIC_KEYS);
      expect(report.metrics[s].evEnergyRatio).toMatchObject({ count: 2 });
    }
    expect(report.promises.map((p: { id: string }) => p.id)).toEqual(PROMISES.map((p) => p.id));
    // The reference without balancing breaks the fuse somewhere; its houses are counted, ours written out.
    for (const f of report.files as string[]) expect(existsSync(f)).toBe(true);
    expect(report.files.filter((f: string) => f.endsWith('.json'))).toHaveLength(report.failing.length);
  }, 300_000);

  it('--telegram-every 10 gives each house a DSMR 4 meter, and a house that fails is written out with it', () => {
    // Dutch house 0 of seed 1 keeps every safety promise with a telegram a second; every 10 s, the cars run
    // blind between telegrams and the fail-safe waits for 2.5 intervals (see the scenario README).
    const run = (every: string) => {
      const out = join(tmp, `every-${every}`);
      const args = ['--n', '1', '--seed', '1', '--profile', 'nl', '--strategy', 'default', '--workers', '0'];
      const r = p1('bench', 'houses', ...args, '--json', '--out', out, '--telegram-every', every);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout);
    };
    const second = run('1');
    expect(second.telegramEveryS).toBe(1);
    expect(second.failing).toEqual([]);
    const slow = run('10');
    expect(slow.telegramEveryS).toBe(10);
    expect(slow.failing.map((f: { broken: string[] }) => f.broken)).toEqual([['failsafe']]);
    const file = (slow.files as string[]).find((f) => f.endsWith('.json'))!;
    expect(loadScenario(file).site.telegramEveryS).toBe(10);
  }, 300_000);

  it('--margin sets a margin of our balancer for the run, and the report says which', () => {
    // Seed 13's first house: 3N400 16 A, its car held for hours by the room kept for an appliance not seen yet.
    const run = (...margin: string[]) => {
      const args = ['--n', '1', '--seed', '13', '--strategy', 'default', '--workers', '0', '--json'];
      const r = p1('bench', 'houses', ...args, '--out', join(tmp, `margin-${margin.length}`), ...margin);
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout);
    };
    const asDrawn = run();
    const without = run('--margin', 'unseenStepKw=0', '--margin', 'fuseA=0.5');
    expect(asDrawn.margins).toEqual({});
    expect(without.margins).toEqual({ unseenStepKw: 0, fuseA: 0.5 });
    expect(without.metrics.default.evEnergyKwh.median).toBeGreaterThan(asDrawn.metrics.default.evEnergyKwh.median + 1);
  }, 300_000);

  it('--car-lag and --sample-every set every car and charger alike; a house written out keeps them', () => {
    // Seed 13's first house breaks the energy floor, so it is written out as a scenario.
    const out = join(tmp, 'variant');
    const args = ['--n', '1', '--seed', '13', '--strategy', 'default', '--workers', '0', '--json', '--out', out];
    const r = p1('bench', 'houses', ...args, '--car-lag', '3', '--sample-every', '60');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ carLagS: 3, sampleEveryS: 60 });
    const file = (report.files as string[]).find((f) => f.endsWith('.json'))!;
    const house = loadScenario(file);
    expect(house.evs.map((e) => e.lagS)).toEqual([3, 3]);
    expect(house.chargers.map((c) => c.sampleEveryS)).toEqual([60, 60]);
  }, 300_000);

  it.each([
    [['bench'], "p1: bench: say what to run: 'p1 bench houses' (got nothing)."],
    [
      ['bench', 'houses', '--strategy', 'magic'],
      'p1: bench houses: unknown --strategy "magic"; choose from default, none, highest-phase-30s, quarter-gap-2s.',
    ],
    [['bench', 'houses', '--n', '0'], 'p1: --n must be a whole number from 1 to 100000, got "0".'],
    [['bench', 'houses', '--workers', 'many'], 'p1: --workers must be a whole number from 0 to 256, got "many".'],
    [
      ['bench', 'houses', '--telegram-every', '0'],
      'p1: --telegram-every must be a whole number from 1 to 60, got "0".',
    ],
    [['bench', 'houses', '--car-lag', '0'], 'p1: --car-lag must be a whole number from 1 to 30, got "0".'],
    [
      ['bench', 'houses', '--sample-every', '120'],
      'p1: --sample-every must be a whole number from 1 to 60, got "120".',
    ],
    [
      ['bench', 'houses', '--margin', 'unseenStepKw=20'],
      'p1: bench houses: --margin unseenStepKw=20: must be a number between 0 and 15.',
    ],
    [
      ['bench', 'houses', '--margin', 'fuse=1'],
      'p1: bench houses: --margin fuse=1: unknown key (expected one of fuseA, capacityKw, unseenStepKw).',
    ],
    [
      ['bench', 'houses', '--margin', '__proto__=1'],
      'p1: bench houses: --margin __proto__=1: unknown key (expected one of fuseA, capacityKw, unseenStepKw).',
    ],
    [
      ['bench', 'houses', '--margin', 'fuseA'],
      'p1: bench houses: --margin takes NAME=VALUE (as unseenStepKw=2), got "fuseA".',
    ],
  ])(
    'bad arguments %j: one sentence, exit 2',
    (args, message) => {
      const r = p1(...args);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
    60_000,
  );
});
