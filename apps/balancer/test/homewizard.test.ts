import { decryptSmarty, parseTelegram } from '@p1/dsmr';
import { METER_MODELS, MeterSimulation } from '@p1/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDefaultConfig } from '../src/config';
import { type RunningHttp, startHttp } from '../src/http/server';
import type { RuntimeSettings } from '../src/http/settings';
import { LiveState } from '../src/live/live-state';
import { deviceProblems, libraryRequest, measurementProblems, systemProblems } from './helpers/homewizard-rules';
import { parseLikeDsmrParser, StandardTelegramBuffer } from './helpers/standard-reader';

let http: RunningHttp;
let live: LiveState;

beforeAll(async () => {
  live = new LiveState(embeddedDefaultConfig().site);
  const settings: RuntimeSettings = { capacityTargetKw: 4, solar: 'off' };
  http = await startHttp(
    { live, token: 'a-token-the-library-never-sends', settings: { get: () => settings, update: () => settings } },
    '127.0.0.1',
    0,
  );
});
afterAll(() => http.close());

// biome-ignore lint/suspicious/noExplicitAny: the checker reads arbitrary JSON
type Json = any;

/** A telegram of the simulated meter after a long power failure, and its plain text. */
function simulatedTelegram(model: string, connection: string): { bytes: Uint8Array; plain: string; key?: string } {
  const simulation = new MeterSimulation({
    model,
    connection: connection as never,
    seed: 11,
    startMs: Date.UTC(2025, 2, 4, 8, 0, 0),
  });
  simulation.next();
  simulation.startPowerFailure(600);
  let out = simulation.next();
  while (!out.bytes) out = simulation.next();
  const bytes = out.bytes;
  const key = simulation.key;
  const plain = Buffer.from(key ? decryptSmarty(bytes, { key }) : bytes).toString('latin1');
  return { bytes, plain, ...(key ? { key } : {}) };
}

const CASES = METER_MODELS.flatMap((m) => m.connections.map((c) => [m.name, c] as const));

describe('HomeWizard API v1 as python-homewizard-energy reads a P1 meter (HWE-P1)', () => {
  it('has every simulated meter model to check', () => {
    expect(new Set(CASES.map(([m]) => m)).size).toBe(METER_MODELS.length);
    expect(METER_MODELS.length).toBeGreaterThanOrEqual(6);
  });

  it.each(CASES)(
    '%s (%s): /api/v1/data passes the model rules and carries what the telegram says',
    async (model, connection) => {
      const { bytes, plain, key } = simulatedTelegram(model, connection);
      const reading = parseTelegram(bytes, key ? { smartyKey: key } : {});
      expect(reading.ok).toBe(true);
      live.reading = reading;
      const res = await libraryRequest(`${http.url}/api/v1/data`);
      expect(res.status).toBe(200);
      const data: Json = await res.json();
      expect(measurementProblems(data)).toEqual([]);

      // values and units against the telegram, read by a reader that is not ours
      const [telegram] = new StandardTelegramBuffer().takeAllOf(Buffer.from(plain, 'latin1'));
      const parsed = parseLikeDsmrParser(telegram as string, model !== 'dsmr22');
      if (!parsed.ok) throw new Error(parsed.error);
      const kw = (code: string) => parsed.objects.get(code)?.value ?? 0;
      expect(data.active_power_w).toBe(Math.round((kw('1.7.0') - kw('2.7.0')) * 1000));
      expect(data.active_voltage_l1_v).toBe(parsed.objects.get('32.7.0')?.value);
      expect(data.active_current_l1_a).toBe(parsed.objects.get('31.7.0')?.value);
      expect(data.total_power_import_t1_kwh).toBe(parsed.objects.get('1.8.1')?.value);

      // power quality: a field for each line the meter sends, none for one it does not
      const line = (code: string) =>
        plain.match(new RegExp(`^\\d-\\d:${code.replaceAll('.', '\\.')}\\((\\d+)\\)\\r$`, 'm'));
      const quality: [string, string][] = [
        ['any_power_fail_count', '96.7.21'],
        ['long_power_fail_count', '96.7.9'],
        ...[1, 2, 3].flatMap((l): [string, string][] => [
          [`voltage_sag_l${l}_count`, `${12 + 20 * l}.32.0`],
          [`voltage_swell_l${l}_count`, `${12 + 20 * l}.36.0`],
        ]),
      ];
      for (const [field, code] of quality) {
        const sent = line(code);
        expect(data[field], `${field} (${code})`).toBe(sent ? Number(sent[1]) : undefined);
      }
      if (line('96.7.9')) expect(data.long_power_fail_count).toBeGreaterThan(0); // the 10-minute outage counted
    },
  );

  it('sends the power quality counters of a DSMR 5 meter with their exact names', async () => {
    live.reading = parseTelegram(simulatedTelegram('dsmr5', '3N400').bytes);
    const data: Json = await (await libraryRequest(`${http.url}/api/v1/data`)).json();
    expect(Object.keys(data)).toEqual(
      expect.arrayContaining([
        'voltage_sag_l1_count',
        'voltage_sag_l2_count',
        'voltage_sag_l3_count',
        'voltage_swell_l1_count',
        'voltage_swell_l2_count',
        'voltage_swell_l3_count',
        'any_power_fail_count',
        'long_power_fail_count',
      ]),
    );
  });

  it('/api and /api/v1/system answer as the device does, without a token', async () => {
    expect(deviceProblems(await (await libraryRequest(`${http.url}/api`)).json())).toEqual([]);
    const system = await libraryRequest(`${http.url}/api/v1/system`);
    expect(system.status).toBe(200);
    const body = await system.json();
    expect(systemProblems(body)).toEqual([]);
    expect(body).toEqual({ cloud_enabled: false });
  });

  it('PUT /api/v1/system accepts only what it already is, and says why', async () => {
    const off = await libraryRequest(`${http.url}/api/v1/system`, 'PUT', { cloud_enabled: false });
    expect([off.status, await off.json()]).toEqual([200, { cloud_enabled: false }]);
    const on = await libraryRequest(`${http.url}/api/v1/system`, 'PUT', { cloud_enabled: true });
    expect(on.status).toBe(400);
    expect((await on.json()).error).toMatch(/^cloud_enabled: .*no HomeWizard cloud/);
    const odd = await libraryRequest(`${http.url}/api/v1/system`, 'PUT', { api_v1_enabled: false });
    expect((await odd.json()).error).toMatch(/^api_v1_enabled: /);
  });

  it('PUT /api/v1/identify answers ok without a token and makes the live state flash', async () => {
    const before = (await (await fetch(`${http.url}/api/v1/state`)).json()) as { identifyUntil: string | null };
    expect(before.identifyUntil).toBeNull();
    const res = await libraryRequest(`${http.url}/api/v1/identify`, 'PUT');
    expect([res.status, await res.json()]).toEqual([200, { identify: 'ok' }]);
    const after = (await (await fetch(`${http.url}/api/v1/state`)).json()) as { identifyUntil: string; at: string };
    expect(Date.parse(after.identifyUntil) - Date.parse(after.at)).toBeGreaterThan(1000);
  });

  it('the checker refuses what the library would drop or fail on', () => {
    expect(
      measurementProblems({
        wifi_ssid: 'x',
        smr_version: '50',
        montly_power_peak_timestamp: 50110181500, // 2005: the leading zero is lost
        gas_timestamp: '250110181500',
        active_tariff: 0,
        total_power_import: 1,
        external: [{ unique_id: 'AB', type: 'gas_meter', value: 1, unit: 'm3', timestamp: null }],
      }),
    ).toEqual([
      'data.smr_version: "50" is not int',
      'data.montly_power_peak_timestamp: 50110181500 is not timestamp',
      'data.gas_timestamp: "250110181500" is not timestamp',
      'data.total_power_import: not a field of the HomeWizard model',
      'data.active_tariff: 0 is discarded (only 1–4)',
      'data.external[0].timestamp: null is not YYMMDDhhmmss',
    ]);
    expect(measurementProblems({ active_power_w: 1 })).toContain(
      'data.wifi_ssid: missing, so the answer is not read as API v1',
    );
    expect(deviceProblems({ product_type: 'P1' })).toHaveLength(5);
    expect(systemProblems({ cloud_enabled: 'no' })).toEqual(['system.cloud_enabled: "no" is not bool']);
  });
});
