/** Tables of the state database. Times are epoch milliseconds unless the column says otherwise. */

/** The first schema; later versions are reached through MIGRATIONS, so an old database keeps its data. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- one row per telegram second, kept 48 h
CREATE TABLE IF NOT EXISTS readings_s (
  ts INTEGER PRIMARY KEY,
  import_w REAL, export_w REAL,
  l1_a REAL, l2_a REAL, l3_a REAL,
  l1_v REAL, l2_v REAL, l3_v REAL,
  import_kwh REAL, export_kwh REAL,
  quarter_avg_kw REAL
) WITHOUT ROWID;

-- one row per minute, kept a year: running sums so every second's upsert is self-contained
CREATE TABLE IF NOT EXISTS readings_m (
  ts INTEGER PRIMARY KEY,
  n INTEGER NOT NULL,
  sum_import_w REAL NOT NULL, sum_export_w REAL NOT NULL,
  max_l1_a REAL, max_l2_a REAL, max_l3_a REAL,
  import_kwh REAL, export_kwh REAL
) WITHOUT ROWID;

-- every quarter-hour's average import (kW), from the meter clock
CREATE TABLE IF NOT EXISTS quarters (
  start_ts INTEGER PRIMARY KEY,
  avg_kw REAL NOT NULL,
  target_kw REAL
) WITHOUT ROWID;

-- the month's highest quarter (YYYY-MM in meter local time)
CREATE TABLE IF NOT EXISTS month_peaks (
  month TEXT PRIMARY KEY,
  peak_kw REAL NOT NULL,
  peak_at TEXT
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS sessions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  charger_id TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  energy_kwh REAL NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sessions_open ON sessions (charger_id, ended_at);

-- balancer decisions, stored when a charger's limit or reason changes
CREATE TABLE IF NOT EXISTS decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts INTEGER NOT NULL,
  charger_id TEXT NOT NULL,
  limit_a REAL NOT NULL,
  phases INTEGER,
  reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_ts ON decisions (ts);

CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS activation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  progress TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

/** Each step takes the database from version `to - 1` to `to`, in one transaction. */
export const MIGRATIONS: { to: number; sql: string }[] = [
  {
    to: 2,
    sql: `
-- the peak a charging session caused: its highest closed quarter, and whether a quarter during it
-- raised the month's peak (null: the session predates this column, unknown)
ALTER TABLE sessions ADD COLUMN peak_kw REAL;
ALTER TABLE sessions ADD COLUMN raised_peak INTEGER DEFAULT 0;
UPDATE sessions SET raised_peak = NULL, peak_kw = (SELECT max(q.avg_kw) FROM quarters q
  WHERE q.start_ts + 900000 > sessions.started_at AND (sessions.ended_at IS NULL OR q.start_ts < sessions.ended_at));

-- each charger's measured current (highest line) and the balancer's limit while a car is plugged in:
-- per second kept 48 h, per minute (running sums) kept a year
CREATE TABLE charger_s (
  charger_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  current_a REAL,
  limit_a REAL,
  PRIMARY KEY (charger_id, ts)
) WITHOUT ROWID;
CREATE INDEX charger_s_ts ON charger_s (ts);
CREATE TABLE charger_m (
  charger_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  n_current INTEGER NOT NULL,
  sum_current_a REAL NOT NULL,
  n_limit INTEGER NOT NULL,
  sum_limit_a REAL NOT NULL,
  PRIMARY KEY (charger_id, ts)
) WITHOUT ROWID;
CREATE INDEX charger_m_ts ON charger_m (ts);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.to ?? 1;
