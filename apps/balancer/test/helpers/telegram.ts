import { encodeTelegram } from '@p1/dsmr';

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
    '0-0:96.1.4(50217)',
    '0-0:96.1.1(3153414733313031303231363035)',
    `0-0:1.0.0(${winterStamp(v.at)})`,
    `1-0:1.8.1(${(importKwh / 2).toFixed(3).padStart(10, '0')}*kWh)`,
    `1-0:1.8.2(${(importKwh / 2).toFixed(3).padStart(10, '0')}*kWh)`,
    '1-0:2.8.1(000123.456*kWh)',
    '1-0:2.8.2(000045.678*kWh)',
    '0-0:96.14.0(0001)',
    `1-0:1.4.0(${kw(v.quarterAverageKw ?? 1.5)})`,
    `1-0:1.6.0(250110181500W)(${kw(v.monthPeakKw ?? 4.2)})`,
    '0-0:98.1.0(2)(1-0:1.6.0)(1-0:1.6.0)(241201000000W)(241115183000W)(03.917*kW)(250101000000W)(241222080000W)(04.712*kW)',
    `1-0:1.7.0(${kw(v.importKw)})`,
    `1-0:2.7.0(${kw(v.exportKw ?? 0)})`,
    '1-0:21.7.0(01.100*kW)',
    '1-0:41.7.0(01.300*kW)',
    '1-0:61.7.0(01.500*kW)',
    '1-0:22.7.0(00.000*kW)',
    '1-0:42.7.0(00.000*kW)',
    '1-0:62.7.0(00.000*kW)',
    '1-0:32.7.0(231.4*V)',
    '1-0:52.7.0(230.9*V)',
    '1-0:72.7.0(232.0*V)',
    `1-0:31.7.0(${l1.toFixed(2).padStart(6, '0')}*A)`,
    `1-0:51.7.0(${l2.toFixed(2).padStart(6, '0')}*A)`,
    `1-0:71.7.0(${l3.toFixed(2).padStart(6, '0')}*A)`,
    '0-0:96.3.10(1)',
    '0-0:17.0.0(999.9*kW)',
    '1-0:31.4.0(999*A)',
    '0-0:96.13.0()',
    '0-1:24.1.0(003)',
    '0-1:96.1.1(37464C4F32313139303333373333)',
    `0-1:24.2.3(${winterStamp(v.at - (v.at % 300_000))})(${(v.gasM3 ?? 4127.558).toFixed(3).padStart(9, '0')}*m3)`,
  ];
  return encodeTelegram({ header: 'FLU5\\253769484_A', lines });
}
