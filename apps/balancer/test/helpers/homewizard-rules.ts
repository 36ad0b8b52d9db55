/**
 * What the HomeWizard library (python-homewizard-energy, its v1 client and models) accepts from a
 * P1 meter, written from its rules and not from our code, so a test can tell whether a response
 * would be read, ignored or fail:
 *
 * - `/api` (Device): product_name, product_type, serial, api_version and firmware_version are
 *   required strings; the product type must be one the library knows (else it raises);
 * - `/api/v1/data` (Measurement): a v1 answer is recognised by `wifi_ssid`; each known field has a
 *   type (str, int, float); timestamps are integers `YYMMDDhhmmss` (parsed from their decimal
 *   text, so a lost leading zero breaks them); `external` is a list of devices, each with
 *   unique_id, value, unit and timestamp (else it is dropped, or the whole answer fails);
 * - `/api/v1/system` (System): optional wifi_ssid, wifi_rssi_db, cloud_enabled, uptime_s,
 *   status_led_brightness_pct, api_v1_enabled of their types;
 * - every request is an unauthenticated HTTP request with `Content-Type: application/json`;
 *   anything but 200 is an error (403: API disabled, 404: not supported).
 */

type Kind = 'str' | 'int' | 'float' | 'bool' | 'timestamp';

/** Product types the library maps to a device id (an unknown one makes Device parsing raise). */
const KNOWN_PRODUCTS = [
  'HWE-P1',
  'HWE-SKT',
  'HWE-WTR',
  'HWE-DSP',
  'HWE-KWH1',
  'SDM230-wifi',
  'HWE-KWH3',
  'SDM630-wifi',
];

const perLine = (pattern: string, kind: Kind): [string, Kind][] =>
  ['', '_l1', '_l2', '_l3'].map((l) => [pattern.replace('{l}', l), kind]);
const perTariff = (pattern: string): [string, Kind][] =>
  ['', '_t1', '_t2', '_t3', '_t4'].map((t) => [pattern.replace('{t}', t), 'float']);

/** The v1 data fields the library reads, with their types. */
const MEASUREMENT_V1 = new Map<string, Kind>([
  ['wifi_ssid', 'str'],
  ['wifi_strength', 'int'],
  ['smr_version', 'int'],
  ['meter_model', 'str'],
  ['unique_id', 'str'],
  ['active_tariff', 'int'],
  ...perTariff('total_power_import{t}_kwh'),
  ...perTariff('total_power_export{t}_kwh'),
  ...perLine('active_power{l}_w', 'float'),
  ...perLine('active_voltage{l}_v', 'float'),
  ...perLine('active_current{l}_a', 'float'),
  ...perLine('active_apparent_power{l}_va', 'float'),
  ...perLine('active_reactive_power{l}_var', 'float'),
  ...perLine('active_power_factor{l}', 'float'),
  ['active_frequency_hz', 'float'],
  ...[1, 2, 3].flatMap((l): [string, Kind][] => [
    [`voltage_sag_l${l}_count`, 'int'],
    [`voltage_swell_l${l}_count`, 'int'],
  ]),
  ['any_power_fail_count', 'int'],
  ['long_power_fail_count', 'int'],
  ['active_power_average_w', 'float'],
  ['montly_power_peak_w', 'float'],
  ['montly_power_peak_timestamp', 'timestamp'],
  ['total_gas_m3', 'float'],
  ['gas_timestamp', 'timestamp'],
  ['gas_unique_id', 'str'],
  ['active_liter_lpm', 'float'],
  ['total_liter_m3', 'float'],
]);

const SYSTEM = new Map<string, Kind>([
  ['wifi_ssid', 'str'],
  ['wifi_rssi_db', 'int'],
  ['cloud_enabled', 'bool'],
  ['uptime_s', 'int'],
  ['status_led_brightness_pct', 'int'],
  ['api_v1_enabled', 'bool'],
]);

/** `YYMMDDhhmmss` as the library parses `str(value)`: twelve digits forming a real date and time. */
function isStamp(value: unknown): boolean {
  if (!Number.isInteger(value)) return false;
  const m = String(value).match(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(2000 + y, mo - 1, d, h, mi, s));
  return t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && h < 24 && mi < 60 && s < 62;
}

function hasKind(value: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'str':
      return typeof value === 'string';
    case 'int':
      return Number.isInteger(value);
    case 'float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'timestamp':
      return isStamp(value);
  }
}

function fields(where: string, body: unknown, known: Map<string, Kind>, problems: string[]): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    problems.push(`${where}: not a JSON object`);
    return;
  }
  for (const [key, value] of Object.entries(body)) {
    if (key === 'external' && where === 'data') continue;
    const kind = known.get(key);
    if (!kind) problems.push(`${where}.${key}: not a field of the HomeWizard model`);
    else if (!hasKind(value, kind)) problems.push(`${where}.${key}: ${JSON.stringify(value)} is not ${kind}`);
  }
}

export function deviceProblems(body: unknown): string[] {
  const problems: string[] = [];
  const d = (body ?? {}) as Record<string, unknown>;
  for (const key of ['product_name', 'product_type', 'serial', 'api_version', 'firmware_version']) {
    if (typeof d[key] !== 'string') problems.push(`api.${key}: required string, got ${JSON.stringify(d[key])}`);
  }
  if (!KNOWN_PRODUCTS.includes(d.product_type as string)) problems.push(`api.product_type: unknown to the library`);
  return problems;
}

export function measurementProblems(body: unknown): string[] {
  const problems: string[] = [];
  fields('data', body, MEASUREMENT_V1, problems);
  const d = (body ?? {}) as Record<string, unknown>;
  if (!('wifi_ssid' in d)) problems.push('data.wifi_ssid: missing, so the answer is not read as API v1');
  if ('active_tariff' in d && ![1, 2, 3, 4].includes(d.active_tariff as number)) {
    problems.push(`data.active_tariff: ${d.active_tariff} is discarded (only 1–4)`);
  }
  if ('external' in d) {
    if (!Array.isArray(d.external)) problems.push('data.external: not a list');
    else {
      d.external.forEach((e: Record<string, unknown>, i) => {
        const at = `data.external[${i}]`;
        if (typeof e.unique_id !== 'string') problems.push(`${at}.unique_id: required string`);
        if (typeof e.type !== 'string') problems.push(`${at}.type: must be a string`);
        if (!hasKind(e.value, 'float')) problems.push(`${at}.value: required number`);
        if (typeof e.unit !== 'string') problems.push(`${at}.unit: required string`);
        if (!isStamp(e.timestamp)) problems.push(`${at}.timestamp: ${JSON.stringify(e.timestamp)} is not YYMMDDhhmmss`);
      });
    }
  }
  return problems;
}

export function systemProblems(body: unknown): string[] {
  const problems: string[] = [];
  fields('system', body, SYSTEM, problems);
  return problems;
}

/** A request as the library makes it: no token, JSON content type. */
export function libraryRequest(url: string, method: 'GET' | 'PUT' = 'GET', data?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(data === undefined ? {} : { body: JSON.stringify(data) }),
  });
}
