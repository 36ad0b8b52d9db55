import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA, SCHEMA_VERSION } from '../src/store/schema.sql';
import { type SecondSample, Store } from '../src/store/store';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'p1-store-'));
  dirs.push(dir);
  return join(dir, 'state.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function sample(ts: number, importW: number, l1: number): SecondSample {
  return {
    ts,
    importW,
    exportW: 0,
    currentsA: [l1, 2, null],
    voltagesV: [230, 231, null],
    importKwh: 100 + ts / 3.6e9,
    exportKwh: 5,
    quarterAvgKw: importW / 1000,
  };
}

describe('Store', () => {
  it('keeps per-second rows and aggregates them per minute', () => {
    const store = new Store(tempDb());
    const t0 = Date.UTC(2025, 0, 15, 10, 0, 0);
    for (let i = 0; i < 120; i++) store.recordSecond(sample(t0 + i * 1000, i < 60 ? 1000 : 3000, i % 60));
    expect(store.secondsSince(t0)).toHaveLength(120);
    const minutes = store.minutes(t0, t0 + 120_000);
    expect(minutes.map((m) => m.avgImportW)).toEqual([1000, 3000]);
    expect(minutes[0]?.maxCurrentsA).toEqual([59, 2, null]);
    store.close();
  });

  it('prunes seconds after 48 h and minutes after a year', () => {
    const store = new Store(tempDb());
    const now = Date.UTC(2025, 5, 1);
    store.recordSecond(sample(now - 49 * 3_600_000, 500, 1));
    store.recordSecond(sample(now - 47 * 3_600_000, 500, 1));
    store.recordSecond(sample(now - 367 * 86_400_000, 500, 1));
    store.prune(now);
    expect(store.secondsSince(0).map((s) => s.ts)).toEqual([now - 47 * 3_600_000]);
    expect(store.minutes(0, now)).toHaveLength(2);
    store.close();
  });

  it('only ever raises the month peak, and keeps 13 months', () => {
    const store = new Store(tempDb());
    store.raiseMonthPeak('2025-01', 4.2, '2025-01-03T18:00:00+01:00');
    expect(store.raiseMonthPeak('2025-01', 3.1, 'later').peakKw).toBe(4.2);
    expect(store.raiseMonthPeak('2025-01', 5.0, '2025-01-09T08:15:00+01:00')).toEqual({
      month: '2025-01',
      peakKw: 5,
      peakAt: '2025-01-09T08:15:00+01:00',
    });
    for (let m = 1; m <= 15; m++)
      store.raiseMonthPeak(`2024-${String(m).padStart(2, '0')}`.replace('2024-13', '2025-13'), m, null);
    expect(store.monthPeaks()).toHaveLength(13);
    store.close();
  });

  it('tracks charger sessions and decisions', () => {
    const store = new Store(tempDb());
    const id = store.startSession('cp1', 1000);
    expect(store.startSession('cp1', 2000)).toBe(id);
    store.updateSessionEnergy('cp1', 1.5);
    store.endSession('cp1', 5000, 2.25);
    store.startSession('cp1', 6000);
    const [latest, first] = store.sessions();
    expect(first).toMatchObject({ chargerId: 'cp1', startedAt: 1000, endedAt: 5000, energyKwh: 2.25 });
    expect(latest).toMatchObject({ endedAt: null, energyKwh: 0 });
    store.recordDecision({ ts: 7000, chargerId: 'cp1', limitA: 10, phases: 3, reason: 'fuse L2' });
    expect(store.recentDecisions()).toEqual([{ ts: 7000, chargerId: 'cp1', limitA: 10, phases: 3, reason: 'fuse L2' }]);
    store.close();
  });

  it('keeps the month peak, settings and activation progress across a reopen', () => {
    const path = tempDb();
    const a = new Store(path);
    a.raiseMonthPeak('2025-02', 3.9, null);
    a.putSetting('capacityTargetKw', 4.5);
    a.saveActivation({ state: 'approved' });
    a.close();
    const b = new Store(path);
    expect(b.monthPeak('2025-02')?.peakKw).toBe(3.9);
    expect(b.getSetting('capacityTargetKw')).toBe(4.5);
    expect(b.loadActivation()).toEqual({ state: 'approved' });
    b.close();
  });

  it('loses at most the last second and corrupts nothing when killed with SIGKILL', async () => {
    const path = tempDb();
    const writer = join(import.meta.dirname, 'fixtures', 'store-writer.ts');
    // node itself with tsx's loader: the tsx wrapper would take the SIGKILL and leave the writer running
    const child = spawn(process.execPath, ['--import', 'tsx', writer, path], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let acknowledged = 0;
    let count = 0;
    let buffer = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          acknowledged = Number(line);
          count++;
        }
        // kill in the middle of a burst of writes, after a good amount of data
        if (count >= 3000) {
          child.removeAllListeners('exit');
          child.kill('SIGKILL');
          child.on('exit', () => resolve());
        }
      });
    });
    const store = new Store(path);
    expect(store.integrityCheck()).toBe('ok');
    const last = store.lastSecondTs();
    expect(last).not.toBeNull();
    // every second the writer reported as committed is there
    expect(last as number).toBeGreaterThanOrEqual(acknowledged);
    const rows = store.secondsSince(0);
    expect(rows.length).toBeGreaterThanOrEqual(count);
    // no gaps: the rows are consecutive seconds
    expect(rows.every((r, i) => i === 0 || r.ts - (rows[i - 1] as SecondSample).ts === 1000)).toBe(true);
    expect(store.loadActivation()).toEqual({ state: 'requested', ean: '541448820000000000' });
    expect(store.monthPeak('2024-01')?.peakKw).toBeGreaterThanOrEqual(3.5);
    store.close();
  }, 60_000);
});

describe('Store: schema migrations', () => {
  it('brings a version 1 database up to date and keeps its data', () => {
    const path = tempDb();
    // a database as the first release wrote it
    const old = new Database(path);
    old.exec(SCHEMA);
    old.prepare("INSERT INTO meta VALUES ('schema_version', '1')").run();
    const q0 = Date.UTC(2025, 0, 15, 17, 0, 0);
    const insertQuarter = old.prepare('INSERT INTO quarters VALUES (?, ?, ?)');
    for (const [i, kw] of [2.1, 4.8, 3.0, 1.2].entries()) insertQuarter.run(q0 + i * 900_000, kw, 4);
    old
      .prepare('INSERT INTO sessions (charger_id, started_at, ended_at, energy_kwh) VALUES (?, ?, ?, ?)')
      .run('cp1', q0 + 600_000, q0 + 1_900_000, 7.5);
    old.prepare("INSERT INTO month_peaks VALUES ('2025-01', 4.8, '2025-01-15T18:15:00+01:00')").run();
    old.close();

    const store = new Store(path);
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThan(1);
    // the session overlapped the quarters of 2.1, 4.8 and 3.0 kW; whether it raised the peak is not known
    expect(store.sessions()).toEqual([
      {
        id: 1,
        chargerId: 'cp1',
        startedAt: q0 + 600_000,
        endedAt: q0 + 1_900_000,
        energyKwh: 7.5,
        peakKw: 4.8,
        raisedMonthPeak: null,
      },
    ]);
    expect(store.monthPeak('2025-01')?.peakKw).toBe(4.8);
    expect(store.quartersSince(0)).toHaveLength(4);
    // new sessions know: nothing raised yet
    store.startSession('cp2', q0 + 4_000_000);
    expect(store.sessions(1)[0]).toMatchObject({ chargerId: 'cp2', peakKw: null, raisedMonthPeak: false });
    store.close();
    // opening again migrates nothing twice
    const again = new Store(path);
    expect(again.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(again.sessions()).toHaveLength(2);
    again.close();
  });
});

describe('Store: what the charts and the session list read', () => {
  it('gives each session the highest quarter it overlapped and whether one raised the month peak', () => {
    const store = new Store(tempDb());
    const q = Date.UTC(2025, 2, 3, 18, 0, 0);
    const early = store.startSession('early', q - 1_000_000);
    store.endSession('early', q + 100_000, 2); // overlaps the first quarter only
    const long = store.startSession('long', q + 300_000);
    const later = store.startSession('later', q + 2_000_000); // starts in the third quarter
    store.recordSessionPeak(q, 3.2, false);
    store.recordSessionPeak(q + 900_000, 5.1, true);
    store.recordSessionPeak(q + 1_800_000, 2.4, false);
    const byId = new Map(store.sessions().map((s) => [s.id, s]));
    expect(byId.get(early)).toMatchObject({ peakKw: 3.2, raisedMonthPeak: false });
    expect(byId.get(long)).toMatchObject({ peakKw: 5.1, raisedMonthPeak: true });
    expect(byId.get(later)).toMatchObject({ peakKw: 2.4, raisedMonthPeak: false });
    store.close();
  });

  it('pages through every session in id order', () => {
    const store = new Store(tempDb());
    for (let i = 0; i < 7; i++) {
      store.startSession(`cp${i % 2}`, i * 1000);
      store.endSession(`cp${i % 2}`, i * 1000 + 500, i);
    }
    const pages: number[][] = [];
    for (let after = 0; ; ) {
      const page = store.sessionsAfter(after, 3);
      if (page.length === 0) break;
      pages.push(page.map((s) => s.id));
      after = page.at(-1)?.id as number;
    }
    expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    store.close();
  });

  it('averages charger seconds per step exactly as the minute aggregates do', () => {
    const t0 = Date.UTC(2025, 3, 1, 8, 0, 0);
    const sample = fc.record({
      second: fc.integer({ min: 0, max: 599 }),
      currentA: fc.option(fc.double({ min: 0, max: 32, noNaN: true }), { nil: null }),
      limitA: fc.option(fc.integer({ min: 0, max: 32 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(sample, { selector: (s) => s.second, maxLength: 120 }), (samples) => {
        const store = new Store(':memory:');
        for (const s of samples) store.recordChargerSecond({ ts: t0 + s.second * 1000, chargerId: 'cp1', ...s });
        store.recordChargerSecond({ ts: t0 + 5000, chargerId: 'other', currentA: 99, limitA: 99 });
        const now = t0 + 3_600_000;
        const fromSeconds = store.chargerSeries('cp1', t0, t0 + 600_000, 60_000, now);
        // a session older than the 48 h of seconds is read from the minutes
        const fromMinutes = store.chargerSeries('cp1', t0, t0 + 600_000, 60_000, t0 + 72 * 3_600_000);
        store.close();
        // the reference: plain averages of what was recorded, per minute
        const minutes = [...new Set(samples.map((s) => Math.floor(s.second / 60)))].sort((a, b) => a - b);
        const mean = (xs: (number | null)[]) => {
          const v = xs.filter((x): x is number => x !== null);
          return v.length ? Math.round((v.reduce((a, b) => a + b, 0) / v.length) * 100) / 100 : null;
        };
        const expected = {
          stepMs: 60_000,
          ts: minutes.map((m) => t0 + m * 60_000),
          currentA: minutes.map((m) =>
            mean(samples.filter((s) => Math.floor(s.second / 60) === m).map((s) => s.currentA)),
          ),
          limitA: minutes.map((m) => mean(samples.filter((s) => Math.floor(s.second / 60) === m).map((s) => s.limitA))),
        };
        const close = (a: (number | null)[], b: (number | null)[]) =>
          a.length === b.length &&
          a.every((x, i) => (x === null ? b[i] === null : Math.abs(x - (b[i] as number)) <= 0.01));
        for (const got of [fromSeconds, fromMinutes]) {
          expect(got.ts).toEqual(expected.ts);
          expect(close(got.currentA, expected.currentA)).toBe(true);
          expect(close(got.limitA, expected.limitA)).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps charger seconds 48 h and charger minutes a year', () => {
    const store = new Store(tempDb());
    const now = Date.UTC(2025, 5, 1);
    for (const ageH of [49, 47]) {
      store.recordChargerSecond({ ts: now - ageH * 3_600_000, chargerId: 'cp1', currentA: 10, limitA: 16 });
    }
    store.prune(now);
    expect(store.chargerSeries('cp1', now - 50 * 3_600_000, now, 1000, now - 3 * 3_600_000).ts).toEqual([
      now - 47 * 3_600_000,
    ]);
    expect(store.chargerSeries('cp1', now - 50 * 3_600_000, now, 60_000, now).ts).toHaveLength(2);
    store.close();
  });

  it('gives line currents per second and power averaged per step from the minutes', () => {
    const store = new Store(tempDb());
    const t0 = Date.UTC(2025, 0, 15, 10, 0, 0);
    for (let i = 0; i < 600; i++) store.recordSecond(sample(t0 + i * 1000, i < 300 ? 1000 : 2500, i % 20));
    const lines = store.lineCurrents(t0 + 595_000);
    expect(lines).toEqual({
      ts: [0, 1, 2, 3, 4].map((i) => t0 + (595 + i) * 1000),
      l1: [15, 16, 17, 18, 19],
      l2: [2, 2, 2, 2, 2],
      l3: [null, null, null, null, null],
    });
    // five-minute steps over ten minutes of 1 kW then 2.5 kW
    expect(store.powerSeries(t0, t0 + 600_000, 300_000)).toEqual({
      stepMs: 300_000,
      ts: [t0, t0 + 300_000],
      importW: [1000, 2500],
      exportW: [0, 0],
    });
    // steps start at whole multiples of the step; one that straddles the change averages it by time
    expect(store.powerSeries(t0, t0 + 600_000, 360_000)).toMatchObject({
      ts: [t0, t0 + 360_000],
      importW: [(5 * 1000 + 2500) / 6, 2500],
    });
    store.close();
  });
});
