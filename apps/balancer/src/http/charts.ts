import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { brusselsOffsetMin, meterIso } from '@p1/scenario';
import express, { type Request, type Response } from 'express';
import { uplotDistDir, VENDOR_FILES } from '../dashboard/vendor';
import type { LiveState } from '../live/live-state';
import type { Session, Store } from '../store/store';

/**
 * What the dashboard's charts and session list read (all read-only GETs, no token), the chart
 * library's files, and the Content-Security-Policy the dashboard runs under.
 */
export interface ChartsDeps {
  live: LiveState;
  /** Without a store (tests of other routes, the bench's peer) only the policy and the library are served. */
  store?: Store;
  now?: () => number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The most points a chart series carries: about one per pixel of a wide screen. */
const MAX_POWER_POINTS = 1440;
const CSV_PAGE = 500;

/** Epoch ms of the meter clock's local midnight (Europe/Brussels) that starts the day of `ms`. */
export function meterDayStart(ms: number): number {
  const local = ms + brusselsOffsetMin(ms) * MINUTE_MS;
  const midnightLocal = local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
  // the offset in force at midnight: summer time switches at 01:00 UTC, after local midnight
  return midnightLocal - brusselsOffsetMin(midnightLocal - 2 * HOUR_MS) * MINUTE_MS;
}

/** One field of RFC 4180 CSV: quoted when it holds a comma, a double quote or a line break. */
export function csvField(value: string | number | boolean | null): string {
  const s = value === null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const SESSIONS_CSV_HEADER = [
  'id',
  'charger',
  'started_at',
  'ended_at',
  'energy_kwh',
  'peak_kw',
  'raised_month_peak',
] as const;

/** A session as the API shows it; an open session's energy is the charger's latest reading (the store has it a minute late). */
function sessionJson(s: Session, live: LiveState) {
  const now = s.endedAt === null ? live.chargers.find((c) => c.id === s.chargerId && c.vehiclePlugged) : undefined;
  return {
    id: s.id,
    chargerId: s.chargerId,
    startedAt: meterIso(s.startedAt),
    endedAt: s.endedAt === null ? null : meterIso(s.endedAt),
    energyKwh: round3(now?.sessionKwh ?? s.energyKwh),
    peakKw: s.peakKw,
    raisedMonthPeak: s.raisedMonthPeak,
  };
}

function sessionCsvLine(s: Session, live: LiveState): string {
  const j = sessionJson(s, live);
  return `${[j.id, j.chargerId, j.startedAt, j.endedAt, j.energyKwh, j.peakKw, j.raisedMonthPeak].map(csvField).join(',')}\r\n`;
}

/** A whole-number query parameter within bounds; the default when absent; an error sentence when bad. */
function intParam(req: Request, name: string, fallback: number, min: number, max: number): number | string {
  const raw = req.query[name];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : `${name}: must be a whole number from ${min} to ${max}`;
}

function badRequest(res: Response, error: string): void {
  res.status(400).json({ error });
}

export function chartsRouter(deps: ChartsDeps): express.Router {
  const { live, store } = deps;
  const router = express.Router();

  const uplotDir = uplotDistDir();
  router.get('/vendor/:file', (req, res, next) => {
    const file = VENDOR_FILES.find((f) => f === req.params.file);
    // not resolvable in a copied bundle: the dashboard's static files hold the copy (build/bundle.ts)
    if (!file || !uplotDir || !existsSync(join(uplotDir, file))) return next();
    // pnpm keeps packages under node_modules/.pnpm, a dot folder that send() refuses by default
    res.sendFile(join(uplotDir, file), { dotfiles: 'allow' });
  });
  if (store) historyRoutes(router, live, store, deps.now ?? Date.now);
  return router;
}

function historyRoutes(router: express.Router, live: LiveState, store: Store, now: () => number): void {
  /** Where the charts end: the latest stored meter second (the meter's clock), else the wall clock. */
  const latest = () => store.lastSecondTs() ?? now();

  router.get('/api/v1/history/lines', (req, res) => {
    const minutes = intParam(req, 'minutes', 15, 1, 120);
    if (typeof minutes === 'string') return badRequest(res, minutes);
    res.json({ fuseA: live.site.fuseA, ...store.lineCurrents(latest() - minutes * MINUTE_MS) });
  });

  router.get('/api/v1/history/power', (req, res) => {
    const hours = intParam(req, 'hours', 24, 1, 24 * 31);
    if (typeof hours === 'string') return badRequest(res, hours);
    const stepMs = Math.ceil((hours * 60) / MAX_POWER_POINTS) * MINUTE_MS;
    const end = latest();
    const to = end - (end % stepMs) + stepMs;
    res.json(store.powerSeries(to - hours * HOUR_MS, to, stepMs));
  });

  router.get('/api/v1/history/quarters', (_req, res) => {
    const dayStart = meterDayStart(latest());
    // 23 or 25 hours on the days the clocks change
    const dayEnd = meterDayStart(dayStart + DAY_MS + 6 * HOUR_MS);
    const quarters = store.quartersSince(dayStart).filter((q) => q.startTs < dayEnd);
    res.json({
      day: meterIso(dayStart).slice(0, 10),
      dayStartTs: dayStart,
      dayEndTs: dayEnd,
      targetKw: live.site.capacityTargetKw,
      startTs: quarters.map((q) => q.startTs),
      avgKw: quarters.map((q) => round3(q.avgKw)),
      targetsKw: quarters.map((q) => q.targetKw),
    });
  });

  router.get('/api/v1/sessions', (req, res) => {
    const limit = intParam(req, 'limit', 20, 1, 1000);
    if (typeof limit === 'string') return badRequest(res, limit);
    res.json(store.sessions(limit).map((s) => sessionJson(s, live)));
  });

  router.get('/api/v1/sessions.csv', async (_req, res) => {
    res.set({
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': 'attachment; filename="p1-sessions.csv"',
    });
    res.write(`${SESSIONS_CSV_HEADER.join(',')}\r\n`);
    // page by page: the export never holds every session, and the database is free between pages
    for (let after = 0; ; ) {
      const page = store.sessionsAfter(after, CSV_PAGE);
      if (page.length === 0) break;
      if (!res.write(page.map((s) => sessionCsvLine(s, live)).join('')) && !(await drained(res))) return;
      after = (page.at(-1) as Session).id;
    }
    res.end();
  });

  router.get('/api/v1/sessions/:id/series', (req, res) => {
    const id = /^\d+$/.test(req.params.id) ? Number(req.params.id) : Number.NaN;
    const session = Number.isSafeInteger(id) ? store.session(id) : null;
    if (!session) return void res.status(404).json({ error: `no session with id ${req.params.id}` });
    const points = intParam(req, 'points', 600, 10, 3600);
    if (typeof points === 'string') return badRequest(res, points);
    const t = now();
    const to = session.endedAt ?? t + 1000;
    const stepMs = Math.max(1000, Math.ceil((to - session.startedAt) / points / 1000) * 1000);
    res.json({
      id: session.id,
      chargerId: session.chargerId,
      ...store.chargerSeries(session.chargerId, session.startedAt, to, stepMs, t),
    });
  });
}

/** Resolves true when the response can take more, false when the client went away. */
function drained(res: Response): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
