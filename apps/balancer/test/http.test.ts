import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@p1/activation';
import { reasonText } from '@p1/balancer';
import { encodeTelegram, OBIS, parseTelegram } from '@p1/dsmr';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDefaultConfig } from '../src/config';
import { type RunningHttp, startHttp } from '../src/http/server';
import type { RuntimeSettings } from '../src/http/settings';
import { LiveState } from '../src/live/live-state';
import { Store } from '../src/store/store';
import { ActivationService, SqliteProgressStore } from '../src/wiring/activation-service';
import { belgianTelegram } from './helpers/telegram';

const TOKEN = 'test-token-123';
const T0 = Date.UTC(2025, 0, 15, 10, 0, 0);

let http: RunningHttp;
let live: LiveState;
let store: Store;
let activation: ActivationService;
const meter = new EventEmitter();
const dir = mkdtempSync(join(tmpdir(), 'p1-http-'));

function feed(at: number, importKw: number, l1: number): void {
  const raw = belgianTelegram({ at, importKw, currentsA: [l1, 3, 4] });
  const reading = parseTelegram(raw);
  live.reading = reading;
  live.rawTelegram = raw;
  meter.emit('data', raw);
  meter.emit('reading', reading, raw);
  live.publish();
}

beforeAll(async () => {
  const config = embeddedDefaultConfig();
  live = new LiveState(config.site);
  live.chargers = [
    {
      id: 'cp1',
      driver: 'simulated',
      phases: [1, 2, 3],
      minA: 6,
      maxA: 16,
      connected: true,
      vehiclePlugged: true,
      limitA: 10,
      limitPhases: 3,
      appliedLimitA: 10,
      currentA: [9.8, 9.9, 9.7],
      sessionKwh: 1.25,
      reason: 'L1 fuse',
      reasonText: reasonText('L1 fuse'),
      measurement: 'ok',
      problem: null,
    },
  ];
  store = new Store(join(dir, 'state.db'));
  let settings: RuntimeSettings = { capacityTargetKw: 4, solar: 'off' };
  activation = await ActivationService.open({
    progressStore: new SqliteProgressStore(store),
    meter,
    clock: new ManualClock(T0),
  });
  http = await startHttp(
    {
      live,
      token: TOKEN,
      settings: {
        get: () => settings,
        update: (patch) => {
          settings = { ...settings, ...patch };
          return settings;
        },
      },
      activation,
      history: () => ({ months: store.monthPeaks() }),
    },
    '127.0.0.1',
    0,
  );
});

afterAll(async () => {
  activation.stop();
  await http.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
type Json = any;
const body = (res: Response): Promise<Json> => res.json();
const get = (path: string, init?: RequestInit) => fetch(`${http.url}${path}`, init);
const patch = (body: string, token: string | null = TOKEN) =>
  get('/api/v1/settings', {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });

describe('HTTP interface (CONTRACTS §6)', () => {
  it('binds 127.0.0.1', () => {
    expect(http.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers 503 with a reason before the first telegram', async () => {
    const res = await get('/api/v1/data');
    expect(res.status).toBe(503);
    expect((await body(res)).error).toMatch(/no valid telegram/);
  });

  it('identifies as a HomeWizard P1 meter on /api', async () => {
    const id = await body(await get('/api'));
    expect(id).toMatchObject({ product_type: 'HWE-P1', api_version: 'v1' });
  });

  it('serves HomeWizard v1 data from the latest reading', async () => {
    feed(T0, 3.2, 12.5);
    const d = await body(await get('/api/v1/data'));
    expect(d).toMatchObject({
      active_power_w: 3200,
      active_power_l1_w: 1100,
      active_current_l1_a: 12.5,
      active_voltage_l2_v: 230.9,
      total_power_import_kwh: 4512.872,
      total_power_import_t1_kwh: 2256.436,
      total_power_export_kwh: 169.134,
      active_tariff: 1,
      active_power_average_w: 1500,
      montly_power_peak_w: 4200,
      montly_power_peak_timestamp: 250110181500,
      total_gas_m3: 4127.558,
      smr_version: 50,
      meter_model: 'FLU5\\253769484_A',
    });
    expect(d.external).toEqual([
      expect.objectContaining({ type: 'gas_meter', value: 4127.558, unit: 'm3', timestamp: 250115110000 }),
    ]);
  });

  it('serves the latest raw telegram as text', async () => {
    const res = await get('/api/v1/telegram');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text.startsWith('/FLU5\\253769484_A\r\n')).toBe(true);
    expect(text).toMatch(/!\w{4}\r\n$/);
    expect(parseTelegram(text).crc).toBe('valid');
  });

  it('serves the telegram byte for byte, a byte outside ASCII included', async () => {
    const previous = live.rawTelegram;
    const raw = encodeTelegram({
      header: 'ISK5\\2M550T-1012',
      lines: [`${OBIS.TEXT_MESSAGE}(caf\u00e9)`, `${OBIS.POWER_IMPORT}(01.193*kW)`],
    });
    expect(parseTelegram(raw).crc).toBe('valid');
    live.rawTelegram = raw;
    try {
      const res = await get('/api/v1/telegram');
      expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(raw))).toBe(true);
    } finally {
      live.rawTelegram = previous;
    }
  });

  it('serves its own state with reading, chargers, quarter and activation', async () => {
    live.activation = activation.summary();
    const s = await body(await get('/api/v1/state'));
    expect(s.reading.power.importKw).toBe(3.2);
    expect(s.lines[0]).toMatchObject({ phase: 1, currentA: 12.5, fuseA: 25 });
    expect(s.chargers[0]).toMatchObject({ id: 'cp1', limitA: 10, currentA: [9.8, 9.9, 9.7], reason: 'L1 fuse' });
    expect(s.activation).toMatchObject({ state: 'no-account', step: 1 });
    expect(s.site.fuseA).toBe(25);
  });

  it('streams state changes over SSE', async () => {
    const controller = new AbortController();
    const res = await get('/api/v1/events', { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextState = async (): Promise<{ reading: { power: { importKw: number } } }> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split('\n').find((l) => l.startsWith('data: '));
          if (event.includes('event: state') && data) return JSON.parse(data.slice(6));
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    expect((await nextState()).reading.power.importKw).toBe(3.2);
    expect(live.sseClients).toBe(1);
    feed(T0 + 1000, 7.25, 20);
    expect((await nextState()).reading.power.importKw).toBe(7.25);
    controller.abort();
    await expect.poll(() => live.sseClients).toBe(0);
  });

  it('refuses settings changes without the token', async () => {
    expect((await patch('{"capacityTargetKw": 5}', null)).status).toBe(401);
    const wrong = await patch('{"capacityTargetKw": 5}', 'nope-nope-nope');
    expect(wrong.status).toBe(401);
    expect((await body(wrong)).error).toMatch(/Bearer/);
  });

  it('names the field of a bad settings value', async () => {
    const res = await patch('{"capacityTargetKw": "lots"}');
    expect(res.status).toBe(400);
    expect((await body(res)).error).toMatch(/^capacityTargetKw: /);
    const unknown = await patch('{"fuse": 40}');
    expect((await body(unknown)).error).toMatch(/^fuse: unknown setting/);
    const broken = await patch('{"capacityTargetKw": ');
    expect(broken.status).toBe(400);
    expect((await body(broken)).error).toMatch(/not valid JSON/);
  });

  it('applies a good settings change and answers the new settings', async () => {
    const res = await patch('{"capacityTargetKw": 4.5, "solar": "surplus"}');
    expect(res.status).toBe(200);
    expect(await body(res)).toEqual({ capacityTargetKw: 4.5, solar: 'surplus' });
    expect(await body(await get('/api/v1/settings'))).toEqual({ capacityTargetKw: 4.5, solar: 'surplus' });
  });

  it('never answers 500 to any JSON body (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const res = await patch(JSON.stringify(body));
        return res.status === 200 || res.status === 400;
      }),
      { numRuns: 60 },
    );
  });

  it('exposes Prometheus metrics whose names start with p1_', async () => {
    const res = await get('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    const names = text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/[{ ]/)[0]);
    expect(names.length).toBeGreaterThan(10);
    expect(names.every((n) => n?.startsWith('p1_'))).toBe(true);
    expect(text).toMatch(/^p1_line_current_amperes\{line="1"\} 20$/m);
    expect(text).toMatch(/^p1_charger_limit_amperes\{charger="cp1"\} 10$/m);
  });

  it('answers unknown paths with 404 and a reason', async () => {
    const res = await get('/api/v2/nothing');
    expect(res.status).toBe(404);
    expect((await body(res)).error).toMatch(/no such resource/);
  });

  it('serves the dashboard on /', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<title>P1 balancer<\/title>/);
  });
});

describe('activation assistant API', () => {
  const act = (payload: unknown, token: string | null = TOKEN) =>
    get('/api/v1/activation?lang=en', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(payload),
    });

  it('needs the token to act', async () => {
    expect((await act({ action: 'register-eid' }, null)).status).toBe(401);
  });

  it('walks to the open port and verifies it with the meter stream, persisting every step', async () => {
    const first = await body(await get('/api/v1/activation?lang=nl'));
    expect(first).toMatchObject({ state: 'no-account', lang: 'nl', step: 1 });
    const steps: [unknown, string][] = [
      [{ action: 'register-eid' }, 'registered'],
      [{ action: 'confirm-email' }, 'email-confirmed'],
      [{ action: 'login' }, 'logged-in'],
      [{ action: 'enter-ean', ean: '541448820000000001' }, 'logged-in'],
    ];
    for (const [payload, state] of steps) {
      const res = await act(payload);
      expect(res.status).toBe(200);
      expect((await body(res)).state).toBe(state);
    }
    // the bad check digit was refused with a translated message and kept as the state's error
    const refused = await body(await get('/api/v1/activation?lang=en'));
    expect(refused.error?.code).toBe('ean-invalid-format');
    const notOffered = await act({ action: 'switch-on' });
    expect(notOffered.status).toBe(400);
    expect((await body(notOffered)).error).toMatch(/^action: 'switch-on' is not offered/);

    const ean = validEan('5414488200000000');
    for (const [payload, state] of [
      [{ action: 'enter-ean', ean }, 'ean-entered'],
      [{ action: 'add-ean' }, 'ean-added'],
      [{ action: 'request-green' }, 'approved'],
      [{ action: 'switch-on' }, 'switched-on'],
    ] as [unknown, string][]) {
      expect((await body(await act(payload))).state).toBe(state);
    }
    expect(store.loadActivation<{ state: string }>()?.state).toBe('switched-on');
    // the first valid telegram on the module's own meter stream proves the port open
    feed(T0 + 2000, 2, 8);
    await expect.poll(async () => (await body(await get('/api/v1/activation'))).state).toBe('verified');
    expect(store.loadActivation<{ state: string }>()?.state).toBe('verified');
  });
});

/** Appends the GS1 mod-10 check digit to 17 digits. */
function validEan(first17: string): string {
  const digits = first17.padEnd(17, '0').slice(0, 17);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(digits[16 - i]) * (i % 2 === 0 ? 3 : 1);
  return digits + String((10 - (sum % 10)) % 10);
}
