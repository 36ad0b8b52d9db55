/** End to end: `pnpm --silent p1 simulate` as a user runs it, from the repository root. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { METRIC_KEYS } from '../src/index';

const root = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'p1-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function p1(...args: string[]) {
  return spawnSync('pnpm', ['--silent', 'p1', 'simulate', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}

describe('p1 simulate', () => {
  it('prints the metrics (packages/scenario/README.md#metrics) as one JSON object and writes a plot', () => {
    const plot = join(dir, 'run.svg');
    const r = p1('--scenario', 'packages/scenario/scenarios/be-3n400-target-4kw.json', '--json', '--plot', plot);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const metrics = JSON.parse(r.stdout);
    expect(Object.keys(metrics)).toEqual(METRIC_KEYS);
    expect(metrics.quartersOverTarget).toBe(0);
    expect(metrics.over145Seconds).toBe(0);
    expect(metrics.evEnergyKwh).toBeGreaterThan(10);
    expect(metrics.evEnergyRatio).toBeGreaterThan(0.9);
    const svg = readFileSync(plot, 'utf8');
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain('Quarter-hour average import');
    expect((svg.match(/<polyline/g) ?? []).length).toBe(5);
  }, 60_000);

  it('runs a reference strategy and prints a table', () => {
    const r = p1('--scenario', 'packages/scenario/scenarios/be-3n400-two-cars.json', '--strategy', 'none');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('strategy none');
    expect(r.stdout).toMatch(/over145Seconds\s+[1-9]/);
  }, 60_000);

  it('exits 2 with one sentence naming the field of a bad scenario', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        site: { connection: '3N400', fuseA: 25 },
        chargers: [{ id: 'cp1' }],
        evs: [{ charger: 'cp1', arrive: '25:00', depart: '07:00' }],
      }),
    );
    const r = p1('--scenario', bad);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    // pnpm itself may add an ELIFECYCLE line after ours.
    expect(r.stderr.split('\n')[0]).toBe(`p1: ${bad}: evs[0].arrive must be "HH:MM", got "25:00"`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('exits 2 for an unknown strategy', () => {
    const r = p1('--scenario', 'packages/scenario/scenarios/be-3n400-two-cars.json', '--strategy', 'magic');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown --strategy "magic"');
  }, 60_000);
});
