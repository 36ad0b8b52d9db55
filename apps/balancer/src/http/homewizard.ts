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

/** HomeWizard stamps times as the number YYMMDDhhmmss in the meter's local time. */
export function homeWizardTimestamp(iso: string | null): number | null {
  const m = iso?.match(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)/);
  return m ? Number(m.slice(1, 7).join('')) : null;
}

const w = (kw: number | null | undefined): number | null =>
  kw === null || kw === undefined ? null : Math.round(kw * 1000);

/** `GET /api/v1/data`: HomeWizard P1 API v1 fields from the latest reading (null fields left out, like HomeWizard). */
export function homeWizardData(r: Reading): Record<string, unknown> {
  const data: Record<string, unknown> = {
    wifi_ssid: 'p1-balancer',
    wifi_strength: 100,
    smr_version: r.version ? Number(r.version.slice(0, 2)) : null,
    meter_model: r.header,
    unique_id: r.equipmentId ? Buffer.from(r.equipmentId, 'latin1').toString('hex') : null,
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
    data.gas_unique_id = gas.equipmentId ? Buffer.from(gas.equipmentId, 'latin1').toString('hex') : null;
  }
  data.external = r.mbus.map((m) => ({
    unique_id: m.equipmentId ? Buffer.from(m.equipmentId, 'latin1').toString('hex') : null,
    type:
      m.kind === 'gas' ? 'gas_meter' : m.kind === 'water' ? 'water_meter' : m.kind === 'heat' ? 'heat_meter' : m.kind,
    timestamp: homeWizardTimestamp(m.at),
    value: m.value,
    unit: m.unit,
  }));
  for (const [key, value] of Object.entries(data)) if (value === null) delete data[key];
  return data;
}
