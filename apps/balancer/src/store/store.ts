import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { QUARTER_MS } from '@p1/balancer';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA } from './schema.sql';

const HOUR_MS = 3_600_000;
export const SECONDS_KEPT_MS = 48 * HOUR_MS;
const MINUTES_KEPT_MS = 366 * 24 * HOUR_MS;
const DECISIONS_KEPT_MS = 31 * 24 * HOUR_MS;

/** What the module keeps of one telegram. */
export interface SecondSample {
  ts: number;
  importW: number;
  exportW: number;
  currentsA: [number | null, number | null, number | null];
  voltagesV: [number | null, number | null, number | null];
  importKwh: number | null;
  exportKwh: number | null;
  quarterAvgKw: number | null;
}

export interface MinuteRow {
  ts: number;
  avgImportW: number;
  avgExportW: number;
  maxCurrentsA: [number | null, number | null, number | null];
  importKwh: number | null;
  exportKwh: number | null;
}

export interface MonthPeak {
  month: string;
  peakKw: number;
  peakAt: string | null;
}

export interface Decision {
  ts: number;
  chargerId: string;
  limitA: number;
  phases: number | null;
  reason: string;
}

export interface Session {
  id: number;
  chargerId: string;
  startedAt: number;
  endedAt: number | null;
  energyKwh: number;
  /** The highest quarter-hour average (kW) closed during the session; null before its first quarter closes. */
  peakKw: number | null;
  /** Whether a quarter during the session raised the month's peak; null for sessions stored before this was kept. */
  raisedMonthPeak: boolean | null;
}

/** A session still open in the store, with the last second its charger's chart saw the car. */
export interface OpenSession {
  id: number;
  chargerId: string;
  energyKwh: number;
  lastSeenTs: number;
}

/** A charger's measured current (highest line) and the balancer's limit at one second. */
export interface ChargerSample {
  ts: number;
  chargerId: string;
  currentA: number | null;
  limitA: number | null;
}

/** Column-wise series (one array per field) keep the chart payloads small and allocate no row objects. */
export interface ChargerSeries {
  stepMs: number;
  ts: number[];
  currentA: (number | null)[];
  limitA: (number | null)[];
}

export interface PowerSeries {
  stepMs: number;
  ts: number[];
  importW: number[];
  exportW: number[];
}

export interface LineSeries {
  ts: number[];
  l1: (number | null)[];
  l2: (number | null)[];
  l3: (number | null)[];
}

const SESSION_COLUMNS = `id, charger_id AS chargerId, started_at AS startedAt, ended_at AS endedAt,
  energy_kwh AS energyKwh, peak_kw AS peakKw, raised_peak AS raisedPeak`;
type SessionRow = Omit<Session, 'raisedMonthPeak'> & { raisedPeak: number | null };
const sessionOf = ({ raisedPeak, ...r }: SessionRow): Session => ({
  ...r,
  raisedMonthPeak: raisedPeak === null ? null : raisedPeak === 1,
});

/**
 * The module's state in SQLite (WAL). Each write is its own transaction, committed before the
 * call returns, so a `kill -9` loses at most the sample being written; synchronous=NORMAL in
 * WAL mode survives a process crash (a power cut may lose the last commits, never corrupts).
 */
export class Store {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 2000');
    // a 1 MB page cache is plenty for per-second inserts and small reads; keeps resident memory low
    this.db.pragma('cache_size = -1024');
    this.migrate();
    const db = this.db;
    this.stmts = {
      second: db.prepare(`INSERT OR REPLACE INTO readings_s VALUES
        (@ts, @importW, @exportW, @l1a, @l2a, @l3a, @l1v, @l2v, @l3v, @importKwh, @exportKwh, @quarterAvgKw)`),
      minute:
        db.prepare(`INSERT INTO readings_m VALUES (@minute, 1, @importW, @exportW, @l1a, @l2a, @l3a, @importKwh, @exportKwh)
        ON CONFLICT (ts) DO UPDATE SET n = n + 1, sum_import_w = sum_import_w + excluded.sum_import_w,
          sum_export_w = sum_export_w + excluded.sum_export_w,
          max_l1_a = max(coalesce(max_l1_a, excluded.max_l1_a), coalesce(excluded.max_l1_a, max_l1_a)),
          max_l2_a = max(coalesce(max_l2_a, excluded.max_l2_a), coalesce(excluded.max_l2_a, max_l2_a)),
          max_l3_a = max(coalesce(max_l3_a, excluded.max_l3_a), coalesce(excluded.max_l3_a, max_l3_a)),
          import_kwh = coalesce(excluded.import_kwh, import_kwh), export_kwh = coalesce(excluded.export_kwh, export_kwh)`),
      quarter: db.prepare('INSERT OR REPLACE INTO quarters VALUES (?, ?, ?)'),
      peakGet: db.prepare('SELECT month, peak_kw AS peakKw, peak_at AS peakAt FROM month_peaks WHERE month = ?'),
      peakPut: db.prepare(`INSERT INTO month_peaks VALUES (?, ?, ?) ON CONFLICT (month) DO UPDATE
        SET peak_kw = excluded.peak_kw, peak_at = excluded.peak_at WHERE excluded.peak_kw > peak_kw`),
      peaks: db.prepare(
        'SELECT month, peak_kw AS peakKw, peak_at AS peakAt FROM month_peaks ORDER BY month DESC LIMIT ?',
      ),
      decision: db.prepare('INSERT INTO decisions (ts, charger_id, limit_a, phases, reason) VALUES (?, ?, ?, ?, ?)'),
      decisions: db.prepare(`SELECT ts, charger_id AS chargerId, limit_a AS limitA, phases, reason FROM decisions
        ORDER BY id DESC LIMIT ?`),
      sessionOpen: db.prepare(
        'SELECT id FROM sessions WHERE charger_id = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1',
      ),
      sessionStart: db.prepare('INSERT INTO sessions (charger_id, started_at, energy_kwh) VALUES (?, ?, ?)'),
      sessionEnergy: db.prepare('UPDATE sessions SET energy_kwh = ? WHERE id = ?'),
      sessionEnd: db.prepare('UPDATE sessions SET ended_at = ?, energy_kwh = ? WHERE id = ?'),
      // the last second a charger's chart saw the car (a minute's row covers up to its last second)
      sessionsOpen: db.prepare(`SELECT s.id, s.charger_id AS chargerId, s.energy_kwh AS energyKwh,
          max(s.started_at, coalesce(
            (SELECT max(ts) FROM charger_s c WHERE c.charger_id = s.charger_id AND c.ts >= s.started_at),
            (SELECT max(ts) + 59000 FROM charger_m m WHERE m.charger_id = s.charger_id AND m.ts >= s.started_at),
            s.started_at)) AS lastSeenTs
        FROM sessions s WHERE s.ended_at IS NULL ORDER BY s.id`),
      sessionClose: db.prepare('UPDATE sessions SET ended_at = ?, energy_kwh = ? WHERE id = ? AND ended_at IS NULL'),
      sessions: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions ORDER BY id DESC LIMIT ?`),
      sessionsAfter: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id > ? ORDER BY id LIMIT ?`),
      session: db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`),
      sessionPeak: db.prepare(`UPDATE sessions SET peak_kw = max(coalesce(peak_kw, @kw), @kw),
        raised_peak = CASE WHEN @raised THEN 1 ELSE raised_peak END
        WHERE started_at < @end AND (ended_at IS NULL OR ended_at > @start)`),
      chargerSecond: db.prepare('INSERT OR REPLACE INTO charger_s VALUES (@chargerId, @ts, @currentA, @limitA)'),
      chargerMinute:
        db.prepare(`INSERT INTO charger_m VALUES (@chargerId, @minute, @nCurrent, @sumCurrent, @nLimit, @sumLimit)
        ON CONFLICT (charger_id, ts) DO UPDATE SET n_current = n_current + excluded.n_current,
          sum_current_a = sum_current_a + excluded.sum_current_a, n_limit = n_limit + excluded.n_limit,
          sum_limit_a = sum_limit_a + excluded.sum_limit_a`),
      // SQLite's % works on integers whatever the binding, so ts - ts % step is a bucket start
      chargerSeriesS: db.prepare(`SELECT ts - ts % @step AS t, round(avg(current_a), 2), round(avg(limit_a), 2)
        FROM charger_s WHERE charger_id = @id AND ts >= @from AND ts < @to GROUP BY t ORDER BY t`),
      chargerSeriesM: db.prepare(`SELECT ts - ts % @step AS t,
        round(sum(sum_current_a) / nullif(sum(n_current), 0), 2), round(sum(sum_limit_a) / nullif(sum(n_limit), 0), 2)
        FROM charger_m WHERE charger_id = @id AND ts >= @from AND ts < @to GROUP BY t ORDER BY t`),
      power: db.prepare(`SELECT ts - ts % @step AS t, round(sum(sum_import_w) / sum(n)),
        round(sum(sum_export_w) / sum(n)) FROM readings_m WHERE ts >= @from AND ts < @to GROUP BY t ORDER BY t`),
      lines: db.prepare('SELECT ts, l1_a, l2_a, l3_a FROM readings_s WHERE ts >= ? ORDER BY ts'),
      settingGet: db.prepare('SELECT value FROM settings WHERE key = ?'),
      settingPut: db.prepare('INSERT OR REPLACE INTO settings VALUES (?, ?)'),
      activationGet: db.prepare('SELECT progress FROM activation WHERE id = 1'),
      activationPut: db.prepare('INSERT OR REPLACE INTO activation VALUES (1, ?, ?)'),
      seconds: db.prepare('SELECT * FROM readings_s WHERE ts >= ? ORDER BY ts'),
      lastSecond: db.prepare('SELECT max(ts) AS ts FROM readings_s'),
      minutes: db.prepare('SELECT * FROM readings_m WHERE ts >= ? AND ts < ? ORDER BY ts'),
      quarters: db.prepare(
        'SELECT start_ts AS startTs, avg_kw AS avgKw, target_kw AS targetKw FROM quarters WHERE start_ts >= ? ORDER BY start_ts',
      ),
      pruneSeconds: db.prepare('DELETE FROM readings_s WHERE ts < ?'),
      pruneMinutes: db.prepare('DELETE FROM readings_m WHERE ts < ?'),
      pruneDecisions: db.prepare('DELETE FROM decisions WHERE ts < ?'),
      pruneChargerSeconds: db.prepare('DELETE FROM charger_s WHERE ts < ?'),
      pruneChargerMinutes: db.prepare('DELETE FROM charger_m WHERE ts < ?'),
    };
  }

  /** Creates the first schema on a new database, then applies every migration the database has not had. */
  private migrate(): void {
    this.db.exec(SCHEMA);
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
      | { value: string }
      | undefined;
    const setVersion = this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)");
    let version = row ? Number(row.value) : 1;
    if (!row) setVersion.run('1');
    for (const m of MIGRATIONS) {
      if (m.to <= version) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        setVersion.run(String(m.to));
      })();
      version = m.to;
    }
  }

  schemaVersion(): number {
    return Number(
      (this.db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string }).value,
    );
  }

  /** One telegram second, and its share of the minute aggregate, in one transaction. */
  recordSecond(s: SecondSample): void {
    const row = {
      ts: s.ts,
      minute: s.ts - (s.ts % 60_000),
      importW: s.importW,
      exportW: s.exportW,
      l1a: s.currentsA[0],
      l2a: s.currentsA[1],
      l3a: s.currentsA[2],
      l1v: s.voltagesV[0],
      l2v: s.voltagesV[1],
      l3v: s.voltagesV[2],
      importKwh: s.importKwh,
      exportKwh: s.exportKwh,
      quarterAvgKw: s.quarterAvgKw,
    };
    this.db.transaction(() => {
      this.stmts.second.run(row);
      this.stmts.minute.run(row);
    })();
  }

  lastSecondTs(): number | null {
    return (this.stmts.lastSecond.get() as { ts: number | null }).ts;
  }

  secondsSince(ts: number): SecondSample[] {
    return (this.stmts.seconds.all(ts) as Record<string, number | null>[]).map((r) => ({
      ts: r.ts as number,
      importW: r.import_w ?? 0,
      exportW: r.export_w ?? 0,
      currentsA: [r.l1_a ?? null, r.l2_a ?? null, r.l3_a ?? null],
      voltagesV: [r.l1_v ?? null, r.l2_v ?? null, r.l3_v ?? null],
      importKwh: r.import_kwh ?? null,
      exportKwh: r.export_kwh ?? null,
      quarterAvgKw: r.quarter_avg_kw ?? null,
    }));
  }

  /** Line currents per second from `fromTs` on. */
  lineCurrents(fromTs: number): LineSeries {
    const out: LineSeries = { ts: [], l1: [], l2: [], l3: [] };
    for (const [ts, l1, l2, l3] of this.stmts.lines.raw().iterate(fromTs) as Iterable<
      [number, number | null, number | null, number | null]
    >) {
      out.ts.push(ts);
      out.l1.push(l1);
      out.l2.push(l2);
      out.l3.push(l3);
    }
    return out;
  }

  /** Average import and export (W) per `stepMs` (a multiple of a minute), from the minute aggregates. */
  powerSeries(fromTs: number, toTs: number, stepMs: number): PowerSeries {
    const out: PowerSeries = { stepMs, ts: [], importW: [], exportW: [] };
    for (const [t, imp, exp] of this.stmts.power.raw().iterate({ step: stepMs, from: fromTs, to: toTs }) as Iterable<
      [number, number, number]
    >) {
      out.ts.push(t);
      out.importW.push(imp);
      out.exportW.push(exp);
    }
    return out;
  }

  minutes(fromTs: number, toTs: number): MinuteRow[] {
    return (this.stmts.minutes.all(fromTs, toTs) as Record<string, number | null>[]).map((r) => ({
      ts: r.ts as number,
      avgImportW: (r.sum_import_w as number) / (r.n as number),
      avgExportW: (r.sum_export_w as number) / (r.n as number),
      maxCurrentsA: [r.max_l1_a ?? null, r.max_l2_a ?? null, r.max_l3_a ?? null],
      importKwh: r.import_kwh ?? null,
      exportKwh: r.export_kwh ?? null,
    }));
  }

  recordQuarter(startTs: number, avgKw: number, targetKw: number | null): void {
    this.stmts.quarter.run(startTs, avgKw, targetKw);
  }

  quartersSince(ts: number): { startTs: number; avgKw: number; targetKw: number | null }[] {
    return this.stmts.quarters.all(ts) as { startTs: number; avgKw: number; targetKw: number | null }[];
  }

  /** Raises the month's peak when `kw` is higher; returns the peak now stored. */
  raiseMonthPeak(month: string, kw: number, at: string | null): MonthPeak {
    this.stmts.peakPut.run(month, kw, at);
    return this.monthPeak(month) as MonthPeak;
  }

  monthPeak(month: string): MonthPeak | null {
    return (this.stmts.peakGet.get(month) as MonthPeak | undefined) ?? null;
  }

  /** The latest months first (13 = the capacity tariff's rolling year). */
  monthPeaks(limit = 13): MonthPeak[] {
    return this.stmts.peaks.all(limit) as MonthPeak[];
  }

  recordDecision(d: Decision): void {
    this.stmts.decision.run(d.ts, d.chargerId, d.limitA, d.phases, d.reason);
  }

  recentDecisions(limit = 50): Decision[] {
    return this.stmts.decisions.all(limit) as Decision[];
  }

  /** Opens a session for a charger unless one is open; returns its id. */
  startSession(chargerId: string, ts: number, energyKwh = 0): number {
    const open = this.stmts.sessionOpen.get(chargerId) as { id: number } | undefined;
    if (open) return open.id;
    return Number(this.stmts.sessionStart.run(chargerId, ts, energyKwh).lastInsertRowid);
  }

  updateSessionEnergy(chargerId: string, energyKwh: number): void {
    const open = this.stmts.sessionOpen.get(chargerId) as { id: number } | undefined;
    if (open) this.stmts.sessionEnergy.run(energyKwh, open.id);
  }

  endSession(chargerId: string, ts: number, energyKwh: number): void {
    const open = this.stmts.sessionOpen.get(chargerId) as { id: number } | undefined;
    if (open) this.stmts.sessionEnd.run(ts, energyKwh, open.id);
  }

  /** Sessions no run has closed, with the last second their car was seen (a run that ended without closing them). */
  openSessions(): OpenSession[] {
    return this.stmts.sessionsOpen.all() as OpenSession[];
  }

  /**
   * Closes a session an earlier run left open at `ts` with the energy that run stored (what this run may have
   * added since belongs to the car plugged now).
   */
  closeSession(id: number, ts: number, energyKwh: number): void {
    this.stmts.sessionClose.run(ts, energyKwh, id);
  }

  /** The latest sessions first. */
  sessions(limit = 20): Session[] {
    return (this.stmts.sessions.all(limit) as SessionRow[]).map(sessionOf);
  }

  /** Oldest first, the sessions after id `afterId`: an export of any length reads page by page. */
  sessionsAfter(afterId: number, limit: number): Session[] {
    return (this.stmts.sessionsAfter.all(afterId, limit) as SessionRow[]).map(sessionOf);
  }

  session(id: number): Session | null {
    const row = this.stmts.session.get(id) as SessionRow | undefined;
    return row ? sessionOf(row) : null;
  }

  /** A quarter closed: every session it overlaps keeps its highest quarter, and learns whether it raised the month's peak. */
  recordSessionPeak(quarterStartTs: number, avgKw: number, raisedMonthPeak: boolean): void {
    this.stmts.sessionPeak.run({
      kw: avgKw,
      raised: raisedMonthPeak ? 1 : 0,
      start: quarterStartTs,
      end: quarterStartTs + QUARTER_MS,
    });
  }

  /** One second of a charger, and its share of the minute aggregate, in one transaction. */
  recordChargerSecond(s: ChargerSample): void {
    const row = {
      chargerId: s.chargerId,
      ts: s.ts,
      minute: s.ts - (s.ts % 60_000),
      currentA: s.currentA,
      limitA: s.limitA,
      nCurrent: s.currentA === null ? 0 : 1,
      sumCurrent: s.currentA ?? 0,
      nLimit: s.limitA === null ? 0 : 1,
      sumLimit: s.limitA ?? 0,
    };
    this.db.transaction(() => {
      this.stmts.chargerSecond.run(row);
      this.stmts.chargerMinute.run(row);
    })();
  }

  /**
   * A charger's current and limit from `fromTs` to `toTs`, averaged per `stepMs`: from the seconds
   * while they are kept (48 h before `nowTs`), else from the minutes (then `stepMs` is at least a minute).
   */
  chargerSeries(chargerId: string, fromTs: number, toTs: number, stepMs: number, nowTs: number): ChargerSeries {
    const fromSeconds = fromTs >= nowTs - SECONDS_KEPT_MS;
    const step = fromSeconds ? stepMs : Math.max(60_000, stepMs);
    const stmt = fromSeconds ? this.stmts.chargerSeriesS : this.stmts.chargerSeriesM;
    const out: ChargerSeries = { stepMs: step, ts: [], currentA: [], limitA: [] };
    for (const [t, current, limit] of stmt.raw().iterate({ id: chargerId, from: fromTs, to: toTs, step }) as Iterable<
      [number, number | null, number | null]
    >) {
      out.ts.push(t);
      out.currentA.push(current);
      out.limitA.push(limit);
    }
    return out;
  }

  getSetting<T>(key: string): T | null {
    const row = this.stmts.settingGet.get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : null;
  }

  putSetting(key: string, value: unknown): void {
    this.stmts.settingPut.run(key, JSON.stringify(value));
  }

  loadActivation<T>(): T | null {
    const row = this.stmts.activationGet.get() as { progress: string } | undefined;
    return row ? (JSON.parse(row.progress) as T) : null;
  }

  saveActivation(progress: unknown, ts = Date.now()): void {
    this.stmts.activationPut.run(JSON.stringify(progress), ts);
  }

  /** Drops seconds older than 48 h, minutes older than a year, decisions older than a month. */
  prune(nowTs: number): void {
    this.db.transaction(() => {
      this.stmts.pruneSeconds.run(nowTs - SECONDS_KEPT_MS);
      this.stmts.pruneMinutes.run(nowTs - MINUTES_KEPT_MS);
      this.stmts.pruneChargerSeconds.run(nowTs - SECONDS_KEPT_MS);
      this.stmts.pruneChargerMinutes.run(nowTs - MINUTES_KEPT_MS);
      this.stmts.pruneDecisions.run(nowTs - DECISIONS_KEPT_MS);
    })();
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export function openStore(path: string): Store {
  return new Store(path);
}
