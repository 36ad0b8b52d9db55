/**
 * The HomeWizard P1 meter's local API v1 (`HWE-P1`), so that clients written for that device
 * (python-homewizard-energy and Home Assistant's HomeWizard integration, evcc, openHAB) read this
 * module as one. Field names and types follow that library's v1 models; a field the meter does not
 * send is left out, as the device does.
 */
import type { Reading } from '@p1/dsmr';

/** `GET /api`: what HomeWizard's P1 meter answers, so evcc / Home Assistant / openHAB find a P1 meter. */
export function homeWizardIdentification(reading: Reading | null): Record<string, string> {
  return {
    product_name: 'P1 meter',
    product_type: 'HWE-P1',
    serial: serialOf(reading),
    firmware_version: 'p1-balancer-0.1.0',
    api_version: 'v1',
  };
}

function serialOf(reading: Reading | null): string {
  const id = reading?.equipmentId ?? '';
  const hex = Buffer.from(id, 'latin1').toString('hex');
  return (hex || '000000000000').slice(-12);
}

/** `GET /api/v1/system`: this module never talks to HomeWizard's cloud. */
export function homeWizardSystem(): { cloud_enabled: boolean } {
  return { cloud_enabled: false };
}

/**
 * `PUT /api/v1/system` body → the problem with it, or null. Only `cloud_enabled: false` (what it
 * already is) is accepted: there is no cloud connection to switch on.
 */
export function homeWizardSystemProblem(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body: must be a JSON object';
  for (const [key, value] of Object.entries(body)) {
    if (key !== 'cloud_enabled') return `${key}: not supported by this P1 meter`;
    if (typeof value !== 'boolean') return 'cloud_enabled: must be true or false';
    if (value) return 'cloud_enabled: p1-balancer has no HomeWizard cloud connection to enable';
  }
  return null;
}

/** How long the dashboard flashes after `PUT /api/v1/identify` (the device blinks its LED). */
export const IDENTIFY_MS = 5_000;

/** `PUT /api/v1/identify` answers as the device does. */
export const IDENTIFY_ANSWER = { identify: 'ok' } as const;

/**
 * HomeWizard stamps times as the integer YYMMDDhhmmss in the meter's local time. A stamp before
 * 2010 (a meter's "no value" placeholder) cannot be written so: its leading zero would be lost.
 */
export function homeWizardTimestamp(iso: string | null): number | null {
  const m = iso?.match(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/);
  return m && (m[1] as string) >= '10' ? Number(m.slice(1, 7).join('')) : null;
}

const w = (kw: number | null | undefined): number | null =>
  kw === null || kw === undefined ? null : Math.round(kw * 1000);

const hexId = (id: string | null): string | null =>
  id ? Buffer.from(id, 'latin1').toString('hex').toUpperCase() : null;

/** A counter line's value (`(00012)`), under its code with or without the `*255` some meters add. */
function counter(r: Reading, code: string): number | null {
  const raw = (r.obis[code] ?? r.obis[`${code}*255`])?.[0];
  return raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : null;
}

/** DSMR 5 power quality: voltage sags and swells per line (1-0:32.32.0 … 1-0:72.36.0). */
const SAG_SWELL_CODES = [1, 2, 3].flatMap((line) => {
  const c = 12 + 20 * line;
  return [
    [`voltage_sag_l${line}_count`, `1-0:${c}.32.0`],
    [`voltage_swell_l${line}_count`, `1-0:${c}.36.0`],
  ] as const;
});

const EXTERNAL_TYPE: Record<string, string> = { gas: 'gas_meter', water: 'water_meter', heat: 'heat_meter' };

/** `GET /api/v1/data`: HomeWizard P1 API v1 fields from the latest reading (null fields left out, like HomeWizard). */
export function homeWizardData(r: Reading): Record<string, unknown> {
  const data: Record<string, unknown> = {
    wifi_ssid: 'p1-balancer',
    wifi_strength: 100,
    smr_version: r.version ? Number(r.version.slice(0, 2)) : null,
    meter_model: r.header,
    unique_id: hexId(r.equipmentId),
    active_tariff: r.tariff,
    total_power_import_kwh: r.energy.importKwh,
    total_power_import_t1_kwh: r.energy.importT1Kwh,
    total_power_import_t2_kwh: r.energy.importT2Kwh,
    total_power_export_kwh: r.energy.exportKwh,
    total_power_export_t1_kwh: r.energy.exportT1Kwh,
    total_power_export_t2_kwh: r.energy.exportT2Kwh,
    active_power_w: r.power.importKw === null ? null : w(r.power.importKw - (r.power.exportKw ?? 0)),
  };
  for (const p of r.phases) {
    data[`active_power_l${p.phase}_w`] = p.importKw === null ? null : w(p.importKw - (p.exportKw ?? 0));
  }
  for (const p of r.phases) data[`active_voltage_l${p.phase}_v`] = p.voltageV;
  for (const p of r.phases) data[`active_current_l${p.phase}_a`] = p.currentA;
  for (const [field, code] of SAG_SWELL_CODES) data[field] = counter(r, code);
  if (r.powerFailures) {
    data.any_power_fail_count = r.powerFailures.count;
    data.long_power_fail_count = r.powerFailures.longCount;
  }
  if (r.capacity) {
    data.active_power_average_w = w(r.capacity.quarterAverageKw);
    data.montly_power_peak_w = w(r.capacity.monthPeakKw);
    data.montly_power_peak_timestamp = homeWizardTimestamp(r.capacity.monthPeakAt);
  }
  const gas = r.mbus.find((m) => m.kind === 'gas');
  if (gas) {
    data.total_gas_m3 = gas.value;
    data.gas_timestamp = homeWizardTimestamp(gas.at);
    data.gas_unique_id = hexId(gas.equipmentId);
  }
  // The library drops an entry without id, value, unit or a valid stamp, or fails on it: send only whole ones.
  data.external = r.mbus.flatMap((m) => {
    const entry = {
      unique_id: hexId(m.equipmentId),
      type: EXTERNAL_TYPE[m.kind] ?? m.kind,
      timestamp: homeWizardTimestamp(m.at),
      value: m.value,
      unit: m.unit,
    };
    return Object.values(entry).includes(null) ? [] : [entry];
  });
  for (const [key, value] of Object.entries(data)) if (value === null) delete data[key];
  return data;
}
