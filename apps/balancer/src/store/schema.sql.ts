/** Tables of the state database. Times are epoch milliseconds unless the column says otherwise. */
export const SCHEMA_VERSION = 1;

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
