import { encodeTelegram, OBIS } from '@p1/dsmr';

export interface TelegramValues {
  /** Epoch ms; the telegram carries it as Belgian winter time (+01:00). */
  at: number;
  importKw: number;
  exportKw?: number;
  currentsA?: [number, number, number];
  importKwh?: number;
  quarterAverageKw?: number;
  monthPeakKw?: number;
  gasM3?: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** YYMMDDhhmmssW in Belgian winter time. */
export function winterStamp(ms: number): string {
  const d = new Date(ms + 3_600_000);
  return `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}W`;
}

const kw = (x: number) => `${x.toFixed(3).padStart(6, '0')}*kW`;

/** A Fluvius e-MUCS telegram (3N400) with the given values, CRC included. */
export function belgianTelegram(v: TelegramValues): Uint8Array {
  const [l1, l2, l3] = v.currentsA ?? [5, 6, 7];
  const importKwh = v.importKwh ?? 4512.871;
  const lines = [
    `${OBIS.P1_VERSION_BE}(50217)`,
    `${OBIS.EQUIPMENT_ID}(3153414733313031303231363035)`,
    `${OBIS.TIMESTAMP}(${winterStamp(v.at)})`,
    `${OBIS.ENERGY_IMPORT_T1}(${(importKwh / 2).toFixed(3).padStart(10, '0')}*kWh)`,
    `${OBIS.ENERGY_IMPORT_T2}(${(importKwh / 2).toFixed(3).padStart(10, '0')}*kWh)`,
    `${OBIS.ENERGY_EXPORT_T1}(000123.456*kWh)`,
    `${OBIS.ENERGY_EXPORT_T2}(000045.678*kWh)`,
    `${OBIS.TARIFF}(0001)`,
    `${OBIS.QUARTER_AVERAGE}(${kw(v.quarterAverageKw ?? 1.5)})`,
    `${OBIS.MONTH_PEAK}(250110181500W)(${kw(v.monthPeakKw ?? 4.2)})`,
    `${OBIS.PEAK_HISTORY}(2)(${OBIS.MONTH_PEAK})(${OBIS.MONTH_PEAK})(241201000000W)(241115183000W)(03.917*kW)(250101000000W)(241222080000W)(04.712*kW)`,
    `${OBIS.POWER_IMPORT}(${kw(v.importKw)})`,
    `${OBIS.POWER_EXPORT}(${kw(v.exportKw ?? 0)})`,
    `${OBIS.POWER_IMPORT_L1}(01.100*kW)`,
    `${OBIS.POWER_IMPORT_L2}(01.300*kW)`,
    `${OBIS.POWER_IMPORT_L3}(01.500*kW)`,
    `${OBIS.POWER_EXPORT_L1}(00.000*kW)`,
    `${OBIS.POWER_EXPORT_L2}(00.000*kW)`,
    `${OBIS.POWER_EXPORT_L3}(00.000*kW)`,
    `${OBIS.VOLTAGE_L1}(231.4*V)`,
    `${OBIS.VOLTAGE_L2}(230.9*V)`,
    `${OBIS.VOLTAGE_L3}(232.0*V)`,
    `${OBIS.CURRENT_L1}(${l1.toFixed(2).padStart(6, '0')}*A)`,
    `${OBIS.CURRENT_L2}(${l2.toFixed(2).padStart(6, '0')}*A)`,
    `${OBIS.CURRENT_L3}(${l3.toFixed(2).padStart(6, '0')}*A)`,
    `${OBIS.BREAKER_STATE}(1)`,
    `${OBIS.LIMITER_THRESHOLD}(999.9*kW)`,
    `${OBIS.FUSE_SUPERVISION}(999*A)`,
    `${OBIS.TEXT_MESSAGE}()`,
    `${OBIS.mbus(1, OBIS.MBUS_DEVICE_TYPE)}(003)`,
    `${OBIS.mbus(1, OBIS.MBUS_EQUIPMENT_ID_BE)}(37464C4F32313139303333373333)`,
    `${OBIS.mbus(1, OBIS.MBUS_READING_CORRECTED)}(${winterStamp(v.at - (v.at % 300_000))})(${(v.gasM3 ?? 4127.558).toFixed(3).padStart(9, '0')}*m3)`,
  ];
  return encodeTelegram({ header: 'FLU5\\253769484_A', lines });
}
