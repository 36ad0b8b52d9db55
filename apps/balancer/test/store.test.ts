import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
    const tsx = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
    const child = spawn(tsx, [writer, path], { stdio: ['ignore', 'pipe', 'inherit'] });
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
