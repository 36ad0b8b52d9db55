/** p1-sim models / generate as a user runs them: exit codes, messages, and output a parser accepts. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelegramFramer } from '@p1/dsmr';
import { afterAll, describe, expect, it } from 'vitest';
import { p1sim } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'p1-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('p1-sim models', () => {
  it('prints one model name per line', async () => {
    const r = await p1sim(['models']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString().trim().split('\n')).toEqual([
      'fluvius-1ph',
      'fluvius-3ph',
      'dsmr5',
      'dsmr4',
      'dsmr22',
      'smarty',
    ]);
  });
});

describe('p1-sim generate', () => {
  it('writes telegrams at the model cadence that all parse, with progress on stderr', async () => {
    const r = await p1sim([
      'generate',
      '--model',
      'dsmr4',
      '--days',
      '0.5',
      '--start',
      '2025-01-15T00:00:00+01:00',
      '--seed',
      '3',
    ]);
    expect(r.code).toBe(0);
    const framer = new TelegramFramer();
    const frames = [...framer.push(r.stdout), ...framer.end()];
    expect(frames).toHaveLength(4320);
    expect(frames.every((f) => f.reading.ok)).toBe(true);
    expect(frames[0]?.reading.timestamp).toBe('2025-01-15T00:00:10+01:00');
    expect(frames.at(-1)?.reading.timestamp).toBe('2025-01-15T12:00:00+01:00');
    expect(r.stderr).toMatch(/100% 4,320\/4,320 telegrams/);
  }, 60_000);

  it('is deterministic for a seed and uses the scenario file', async () => {
    const scenario = {
      name: 'flat',
      start: '2025-02-03T10:00:00+01:00',
      durationS: 3600,
      seed: 1,
      site: { connection: '3N400', fuseA: 25, capacityTargetKw: null, monthPeakKw: 0 },
      baseLoadKw: 0.5,
      loads: [{ name: 'oven', phases: [2], kw: 3, at: '10:00', durationS: 3600, onS: 0, offS: 0 }],
      pv: null,
      chargers: [],
      evs: [],
      faults: [],
    };
    const file = join(dir, 'flat.json');
    writeFileSync(file, JSON.stringify(scenario));
    const args = [
      'generate',
      '--model',
      'fluvius-3ph',
      '--days',
      '0.01',
      '--scenario',
      file,
      '--seed',
      '5',
      '--no-progress',
    ];
    const a = await p1sim(args);
    const b = await p1sim(args);
    expect(a.code).toBe(0);
    expect(a.stdout.equals(b.stdout)).toBe(true);
    const frames = new TelegramFramer().push(a.stdout);
    const r = frames[10]?.reading;
    expect(r?.timestamp).toBe('2025-02-03T10:00:11+01:00');
    // The oven on L2 plus a share of the base load.
    expect(r?.phases[1]?.importKw).toBeGreaterThan(3);
    expect(r?.phases[0]?.importKw).toBeLessThan(0.3);
  }, 60_000);

  it('rejects bad arguments with one sentence and exit code 2', async () => {
    writeFileSync(
      join(dir, 'dsmr4.json'),
      JSON.stringify({ site: { connection: '3N400', fuseA: 25, telegramEveryS: 10 }, loads: [], evs: [] }),
    );
    const cases: Array<[string[], RegExp]> = [
      [['generate', '--model', 'nope', '--days', '1'], /--model "nope" is not a meter model/],
      [['generate', '--days', '0'], /--days must be a number of days above 0/],
      [
        ['generate', '--model', 'fluvius-1ph', '--connection', '3N400', '--days', '1'],
        /--connection 3N400 does not fit fluvius-1ph/,
      ],
      [
        ['generate', '--days', '1', '--scenario', join(dir, 'missing.json')],
        /cannot read scenario .*missing.json: no such file/,
      ],
      [
        ['generate', '--days', '1', '--scenario', join(dir, 'dsmr4.json')],
        /site\.telegramEveryS 10 does not fit fluvius-3ph, which sends every 1 s; choose --model [a-z0-9-]+(, [a-z0-9-]+)*\./,
      ],
      [['generate', '--days', '1', '--bogus'], /Unknown option '--bogus'/],
      [['generate'], /--days is required/],
    ];
    for (const [args, message] of cases) {
      const r = await p1sim(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('without socat, run says in one sentence how to get it or what else to use, and leaves no temp dir', async () => {
    const bin = join(dir, 'bin');
    const tmp = join(dir, 'tmp');
    mkdirSync(bin);
    mkdirSync(tmp);
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = await p1sim(['run', '--no-api'], undefined, { PATH: bin, TMPDIR: tmp });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'p1-sim: socat is not installed; install it (Debian/Ubuntu: apt-get install socat), ' +
        'or choose another --output (tcp, stdout, file)',
    );
    expect(readdirSync(tmp).filter((name) => !name.startsWith('tsx-'))).toEqual([]);
  }, 30_000);
});
