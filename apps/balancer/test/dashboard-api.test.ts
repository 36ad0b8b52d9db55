import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reasonText } from '@p1/balancer';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDefaultConfig } from '../src/config';
import { csvField, meterDayStart, SESSIONS_CSV_HEADER } from '../src/http/charts';
import { type RunningHttp, startHttp } from '../src/http/server';
import { LiveState } from '../src/live/live-state';
import { Store } from '../src/store/store';

const brussels = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Brussels',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
/** The tz database's view of an instant in Brussels: "2025-03-30, 00:00:00". */
const inBrussels = (ms: number) => brussels.format(ms);

describe('meterDayStart', () => {
  it("is the meter clock's local midnight of the same day, daylight-saving days included", () => {
    const instants = fc.oneof(
      fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) }),
      // the hours around each switch, where a fixed offset would be wrong
      fc
        .tuple(fc.integer({ min: 2020, max: 2035 }), fc.constantFrom(2, 9), fc.integer({ min: -30, max: 30 }))
        .map(([y, month, hours]) => {
          const last = new Date(Date.UTC(y, month + 1, 0));
          return Date.UTC(y, month, last.getUTCDate() - last.getUTCDay(), 1) + hours * 3_600_000;
        }),
    );
    fc.assert(
      fc.property(instants, (t) => {
        const start = meterDayStart(t);
        expect(start).toBeLessThanOrEqual(t);
        expect(inBrussels(start)).toBe(`${inBrussels(t).slice(0, 10)}, 00:00:00`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('csvField', () => {
  it('round-trips any text through an RFC 4180 reader', () => {
    const row = fc.tuple(fc.string({ unit: 'grapheme' }), fc.string(), fc.constantFrom('a,b', '"q"', 'x\r\ny', ' s '));
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 8 }), (rows) => {
        const text = rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
        expect(parse(text, { relax_quotes: false })).toEqual(rows);
      }),
    );
  });
});

describe('chart and session routes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p1-charts-api-'));
  let store: Store;
  let http: RunningHttp;
  let live: LiveState;
  const t0 = Date.UTC(2025, 0, 15, 6, 0, 0);
  const SESSIONS = 1203; // more than two pages of the CSV export

  beforeAll(async () => {
    const config = embeddedDefaultConfig();
    live = new LiveState(config.site);
    store = new Store(join(dir, 'state.db'));
    for (let i = 0; i < SESSIONS; i++) {
      const id = i === 7 ? 'garage, "left"' : `cp${i % 3}`;
      store.startSession(id, t0 + i * 60_000, 0);
      store.endSession(id, t0 + i * 60_000 + 30_000, i / 100);
    }
    // two minutes of charging an hour ago (within the 48 h of seconds), on whole minutes
    const done = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
    store.startSession('cp-done', done);
    for (let s = 0; s < 120; s++) {
      const first = s < 60;
      store.recordChargerSecond({
        ts: done + s * 1000,
        chargerId: 'cp-done',
        currentA: first ? 6 : 10,
        limitA: first ? 8 : 16,
      });
    }
    store.endSession('cp-done', done + 120_000, 0.3);
    store.startSession('cp-open', t0 + SESSIONS * 60_000);
    live.chargers = [
      {
        id: 'cp-open',
        driver: 'simulated',
        phases: [1, 2, 3],
        minA: 6,
        maxA: 16,
        connected: true,
        vehiclePlugged: true,
        limitA: 16,
        limitPhases: 3,
        appliedLimitA: 16,
        currentA: [10, 10, 10],
        sessionKwh: 0.4567,
        reason: 'charger max',
        reasonText: reasonText('charger max'),
        measurement: 'ok',
        problem: null,
      },
    ];
    http = await startHttp(
      {
        live,
        token: 'token-123',
        store,
        settings: {
          get: () => ({ capacityTargetKw: 4, solar: 'off' }),
          update: (p) => ({ capacityTargetKw: 4, solar: 'off', ...p }),
        },
      },
      '127.0.0.1',
      0,
    );
  });

  afterAll(async () => {
    await http?.close();
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${http.url}${path}`);

  it('exports every session as CSV, page after page, quoted where needed', async () => {
    const res = await get('/api/v1/sessions.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="p1-sessions.csv"/);
    const text = await res.text();
    expect(text.split('\r\n')[0]).toBe(SESSIONS_CSV_HEADER.join(','));
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(SESSIONS + 2);
    expect(rows.map((r) => Number(r.id))).toEqual(Array.from({ length: SESSIONS + 2 }, (_, i) => i + 1));
    expect(rows[7]).toMatchObject({
      charger: 'garage, "left"',
      energy_kwh: '0.07',
      ended_at: '2025-01-15T07:07:30+01:00',
    });
    expect(rows[1000]).toMatchObject({ energy_kwh: '10', started_at: '2025-01-15T23:40:00+01:00' });
    // the open session: no end yet, its energy from the charger now
    expect(rows.at(-1)).toMatchObject({
      charger: 'cp-open',
      ended_at: '',
      energy_kwh: '0.457',
      raised_month_peak: 'false',
    });
  });

  it('lists the latest sessions as JSON', async () => {
    const list = (await (await get('/api/v1/sessions?limit=2')).json()) as { id: number; endedAt: string | null }[];
    expect(list.map((s) => s.id)).toEqual([SESSIONS + 2, SESSIONS + 1]);
    expect(list[0]?.endedAt).toBeNull();
  });

  it("gives a session's current and limit in steps that fit the points asked for", async () => {
    const id = SESSIONS + 1;
    const fine = (await (await get(`/api/v1/sessions/${id}/series`)).json()) as { stepMs: number; ts: number[] };
    expect(fine.stepMs).toBe(1000);
    expect(fine.ts).toHaveLength(120);
    const coarse = (await (await get(`/api/v1/sessions/${id}/series?points=10`)).json()) as {
      stepMs: number;
      currentA: number[];
      limitA: number[];
    };
    expect(coarse.stepMs).toBe(12_000);
    expect(coarse.currentA).toEqual([6, 6, 6, 6, 6, 10, 10, 10, 10, 10]);
    expect(coarse.limitA).toEqual([8, 8, 8, 8, 8, 16, 16, 16, 16, 16]);
    expect((await get('/api/v1/sessions/99999/series')).status).toBe(404);
  });

  it('refuses bad parameters with one sentence naming the parameter', async () => {
    for (const [path, error] of [
      ['/api/v1/history/lines?minutes=0', 'minutes: must be a whole number from 1 to 120'],
      ['/api/v1/history/power?hours=1e3', 'hours: must be a whole number from 1 to 744'],
      ['/api/v1/sessions?limit=-1', 'limit: must be a whole number from 1 to 1000'],
      ['/api/v1/sessions/1/series?points=5', 'points: must be a whole number from 10 to 3600'],
    ]) {
      const res = await get(path as string);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error });
    }
  });
});
