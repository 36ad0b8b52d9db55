/**
 * The simulated meter models: what each sends, in which order, how numbers are padded, how often.
 * Layouts follow real telegrams of the same meter families (see shared fixtures).
 */

import type { Connection } from '@p1/balancer';
import { formatFixed as fixed, hexText, formatInt as int } from '@p1/dsmr';
import { type LocalTime, meterTimestamp, PLACEHOLDER_TIMESTAMP } from './clock';
import type { Electrical } from './electrical';
import type { MeterRegisters } from './meter-state';

export interface Identity {
  /** 0-0:96.1.1 / 0-0:42.0.0 as text (sent hex encoded). */
  equipmentId: string;
  gasId: string;
  waterId: string;
  /** Digits after the backslash of Fluvius/Smarty headers. */
  serial: string;
}

export interface TelegramInput {
  nowMs: number;
  /** 0-0:1.0.0 as sent: a real stamp, or a placeholder while the clock is not set. */
  timestamp: string;
  registers: MeterRegisters;
  electrical: Electrical;
  tariff: 1 | 2;
  identity: Identity;
  /** Gas and water readings as of their last stamp. */
  gasAtMs: number;
  gasM3: number;
  waterAtMs: number;
  waterM3: number;
  /** 0-0:96.13.0 text (sent hex encoded); empty for none. */
  message: string;
}

export interface MeterModel {
  name: string;
  description: string;
  protocol: 'emucs' | 'dsmr' | 'smarty';
  /** Seconds between telegrams. */
  intervalS: number;
  serial: { baudRate: 115200 | 9600; dataBits: 7 | 8; parity: 'none' | 'even' };
  crc: boolean;
  /** Sent encrypted (DLMS/AES-128-GCM) on the wire. */
  encrypted: boolean;
  connections: readonly Connection[];
  defaultConnection: Connection;
  /** Seconds between gas stamps (DSMR 5 / e-MUCS: 5 min; DSMR 4 and older: hourly). */
  gasEveryS: number;
  hasWater: boolean;
  tariffAt(local: LocalTime): 1 | 2;
  header(identity: Identity, phaseCount: number): string;
  lines(input: TelegramInput): string[];
}

/** Belgium: 1 = day (weekdays 07–22), 2 = night and weekend. */
const belgianTariff = (t: LocalTime): 1 | 2 => (t.weekday >= 1 && t.weekday <= 5 && t.hour >= 7 && t.hour < 22 ? 1 : 2);
/** Netherlands: 2 = normal (weekdays 07–23), 1 = low. */
const dutchTariff = (t: LocalTime): 1 | 2 => (t.weekday >= 1 && t.weekday <= 5 && t.hour >= 7 && t.hour < 23 ? 2 : 1);

const kwh = (v: number): string => `${fixed(v, 6, 3)}*kWh`;
const kw = (v: number): string => `${fixed(v, 2, 3)}*kW`;
const volts = (v: number): string => `${fixed(v, 3, 1)}*V`;
const stampCache = new Map<number, string>();
/** Stamps of past instants (peaks, history, gas) repeat in every telegram: format each once. */
function pastStamp(ms: number): string {
  let s = stampCache.get(ms);
  if (s === undefined) {
    s = meterTimestamp(ms);
    if (stampCache.size > 512) stampCache.clear();
    stampCache.set(ms, s);
  }
  return s;
}
const stamp = (ms: number | null): string => (ms === null ? PLACEHOLDER_TIMESTAMP : pastStamp(ms));

function energyLines(r: MeterRegisters): string[] {
  return [
    `1-0:1.8.1(${kwh(r.importKwh[0])})`,
    `1-0:1.8.2(${kwh(r.importKwh[1])})`,
    `1-0:2.8.1(${kwh(r.exportKwh[0])})`,
    `1-0:2.8.2(${kwh(r.exportKwh[1])})`,
  ];
}

const PHASE_CODES = [
  { p: 21, n: 22, v: 32, i: 31 },
  { p: 41, n: 42, v: 52, i: 51 },
  { p: 61, n: 62, v: 72, i: 71 },
] as const;

function phaseIndexes(e: Electrical): number[] {
  return e.phases.length === 1 ? [0] : [0, 1, 2];
}

function phasePowerLines(e: Electrical): string[] {
  const idx = phaseIndexes(e);
  const out: string[] = [];
  for (const i of idx) out.push(`1-0:${PHASE_CODES[i]?.p}.7.0(${kw(e.phases[i]?.importKw ?? 0)})`);
  for (const i of idx) out.push(`1-0:${PHASE_CODES[i]?.n}.7.0(${kw(e.phases[i]?.exportKw ?? 0)})`);
  return out;
}

function voltageLines(e: Electrical): string[] {
  return phaseIndexes(e).map((i) => `1-0:${PHASE_CODES[i]?.v}.7.0(${volts(e.phases[i]?.voltageV ?? 0)})`);
}

/** Fluvius sends currents with two decimals, Dutch meters whole amperes. */
function currentLines(e: Electrical, decimals: 0 | 2): string[] {
  return phaseIndexes(e).map((i) => {
    const a = e.phases[i]?.currentA ?? 0;
    return `1-0:${PHASE_CODES[i]?.i}.7.0(${decimals ? fixed(a, 3, 2) : int(a, 3)}*A)`;
  });
}

/** The capacity lines (1.6.0 and 98.1.0) change a few times an hour at most: built once per change. */
const capacityCache = new WeakMap<MeterRegisters, { version: number; lines: [string, string] }>();

function capacityLines(r: MeterRegisters): [string, string] {
  const cached = capacityCache.get(r);
  if (cached && cached.version === r.peakVersion) return cached.lines;
  let history = `0-0:98.1.0(${r.history.length})(1-0:1.6.0)(1-0:1.6.0)`;
  for (const h of r.history) history += `(${pastStamp(h.periodAtMs)})(${stamp(h.peakAtMs)})(${kw(h.peakKw)})`;
  const lines: [string, string] = [`1-0:1.6.0(${stamp(r.monthPeakAtMs)})(${kw(r.monthPeakKw)})`, history];
  capacityCache.set(r, { version: r.peakVersion, lines });
  return lines;
}

function powerFailureLines(r: MeterRegisters): string[] {
  let log = `1-0:99.97.0(${r.powerFailureLog.length})(0-0:96.7.19)`;
  for (const f of r.powerFailureLog) log += `(${pastStamp(f.endedAtMs)})(${int(f.durationS, 10)}*s)`;
  return [`0-0:96.7.21(${int(r.shortFailures, 5)})`, `0-0:96.7.9(${int(r.longFailures, 5)})`, log];
}

function sagSwellLines(phaseCount: number): string[] {
  const codes = phaseCount === 1 ? [32] : [32, 52, 72];
  return [...codes.map((c) => `1-0:${c}.32.0(00000)`), ...codes.map((c) => `1-0:${c}.36.0(00000)`)];
}

const emucs = (name: string, description: string, connections: readonly Connection[]): MeterModel => ({
  name,
  description,
  protocol: 'emucs',
  intervalS: 1,
  serial: { baudRate: 115200, dataBits: 8, parity: 'none' },
  crc: true,
  encrypted: false,
  connections,
  defaultConnection: connections[0] as Connection,
  gasEveryS: 300,
  hasWater: true,
  tariffAt: belgianTariff,
  header: (id) => `FLU5\\${id.serial}_A`,
  lines: (x) => {
    const r = x.registers;
    const e = x.electrical;
    return [
      '0-0:96.1.4(50217)',
      `0-0:96.1.1(${hexText(x.identity.equipmentId)})`,
      `0-0:1.0.0(${x.timestamp})`,
      ...energyLines(r),
      `0-0:96.14.0(${int(x.tariff, 4)})`,
      `1-0:1.4.0(${kw(r.quarterAverageKw)})`,
      ...capacityLines(r),
      `1-0:1.7.0(${kw(e.importKw)})`,
      `1-0:2.7.0(${kw(e.exportKw)})`,
      ...phasePowerLines(e),
      ...voltageLines(e),
      ...currentLines(e, 2),
      '0-0:96.3.10(1)',
      '0-0:17.0.0(999.9*kW)',
      '1-0:31.4.0(999*A)',
      `0-0:96.13.0(${hexText(x.message)})`,
      '0-1:24.1.0(003)',
      `0-1:96.1.1(${hexText(x.identity.gasId)})`,
      '0-1:24.4.0(1)',
      `0-1:24.2.3(${pastStamp(x.gasAtMs)})(${fixed(x.gasM3, 5, 3)}*m3)`,
      '0-2:24.1.0(007)',
      `0-2:96.1.1(${hexText(x.identity.waterId)})`,
      `0-2:24.2.1(${pastStamp(x.waterAtMs)})(${fixed(x.waterM3, 5, 3)}*m3)`,
    ];
  },
});

const dsmr5: MeterModel = {
  name: 'dsmr5',
  description: 'Dutch DSMR 5.0 (Iskra AM550-like), 1 s, 115200 8N1',
  protocol: 'dsmr',
  intervalS: 1,
  serial: { baudRate: 115200, dataBits: 8, parity: 'none' },
  crc: true,
  encrypted: false,
  connections: ['3N400', '1x230', '3x230'],
  defaultConnection: '3N400',
  gasEveryS: 300,
  hasWater: false,
  tariffAt: dutchTariff,
  header: (_id, phases) => (phases === 1 ? 'ISK5\\2M550E-1012' : 'ISK5\\2M550T-1013'),
  lines: (x) => {
    const r = x.registers;
    const e = x.electrical;
    return [
      '1-3:0.2.8(50)',
      `0-0:1.0.0(${x.timestamp})`,
      `0-0:96.1.1(${hexText(x.identity.equipmentId)})`,
      ...energyLines(r),
      `0-0:96.14.0(${int(x.tariff, 4)})`,
      `1-0:1.7.0(${kw(e.importKw)})`,
      `1-0:2.7.0(${kw(e.exportKw)})`,
      ...powerFailureLines(r),
      ...sagSwellLines(e.phases.length),
      `0-0:96.13.0(${hexText(x.message)})`,
      ...voltageLines(e),
      ...currentLines(e, 0),
      ...phasePowerLines(e),
      '0-1:24.1.0(003)',
      `0-1:96.1.0(${hexText(x.identity.gasId)})`,
      `0-1:24.2.1(${pastStamp(x.gasAtMs)})(${fixed(x.gasM3, 5, 3)}*m3)`,
    ];
  },
};

const dsmr4: MeterModel = {
  name: 'dsmr4',
  description: 'Dutch DSMR 4.2 (Kaifa-like), 10 s, 115200 8N1',
  protocol: 'dsmr',
  intervalS: 10,
  serial: { baudRate: 115200, dataBits: 8, parity: 'none' },
  crc: true,
  encrypted: false,
  connections: ['3N400', '1x230', '3x230'],
  defaultConnection: '3N400',
  gasEveryS: 3600,
  hasWater: false,
  tariffAt: dutchTariff,
  header: () => 'KFM5KAIFA-METER',
  lines: (x) => {
    const r = x.registers;
    const e = x.electrical;
    return [
      '1-3:0.2.8(42)',
      `0-0:1.0.0(${x.timestamp})`,
      `0-0:96.1.1(${hexText(x.identity.equipmentId)})`,
      ...energyLines(r),
      `0-0:96.14.0(${int(x.tariff, 4)})`,
      `1-0:1.7.0(${kw(e.importKw)})`,
      `1-0:2.7.0(${kw(e.exportKw)})`,
      ...powerFailureLines(r),
      ...sagSwellLines(e.phases.length),
      '0-0:96.13.1()',
      `0-0:96.13.0(${hexText(x.message)})`,
      ...currentLines(e, 0),
      ...phasePowerLines(e),
      '0-1:24.1.0(003)',
      `0-1:96.1.0(${hexText(x.identity.gasId)})`,
      `0-1:24.2.1(${pastStamp(x.gasAtMs)})(${fixed(x.gasM3, 5, 3)}*m3)`,
    ];
  },
};

/** DSMR 2.2 gas stamps carry no season letter. */
const legacyStamp = (ms: number): string => pastStamp(ms).slice(0, 12);

const dsmr22: MeterModel = {
  name: 'dsmr22',
  description: 'Dutch DSMR 2.2 (Kamstrup-like), 10 s, no CRC, 9600 7E1',
  protocol: 'dsmr',
  intervalS: 10,
  serial: { baudRate: 9600, dataBits: 7, parity: 'even' },
  crc: false,
  encrypted: false,
  connections: ['3N400', '1x230', '3x230'],
  defaultConnection: '3N400',
  gasEveryS: 3600,
  hasWater: false,
  tariffAt: dutchTariff,
  header: (id) => `KMP5 ${id.serial}`,
  lines: (x) => {
    const r = x.registers;
    const e = x.electrical;
    const kwh5 = (v: number): string => `${fixed(v, 5, 3)}*kWh`;
    const kw4 = (v: number): string => `${fixed(v, 4, 2)}*kW`;
    return [
      `0-0:96.1.1(${hexText(x.identity.equipmentId)})`,
      `1-0:1.8.1(${kwh5(r.importKwh[0])})`,
      `1-0:1.8.2(${kwh5(r.importKwh[1])})`,
      `1-0:2.8.1(${kwh5(r.exportKwh[0])})`,
      `1-0:2.8.2(${kwh5(r.exportKwh[1])})`,
      `0-0:96.14.0(${int(x.tariff, 4)})`,
      `1-0:1.7.0(${kw4(e.importKw)})`,
      `1-0:2.7.0(${kw4(e.exportKw)})`,
      '0-0:17.0.0(999*A)',
      '0-0:96.3.10(1)',
      '0-0:96.13.1()',
      `0-0:96.13.0(${hexText(x.message)})`,
      '0-1:24.1.0(3)',
      `0-1:96.1.0(${hexText(x.identity.gasId)})`,
      `0-1:24.3.0(${legacyStamp(x.gasAtMs)})(08)(60)(1)(0-1:24.2.1)(m3)`,
      `(${fixed(x.gasM3, 5, 3)})`,
      '0-1:24.4.0(1)',
    ];
  },
};

const smarty: MeterModel = {
  name: 'smarty',
  description: 'Luxembourg Smarty (Sagemcom-like, DSMR 4.2 content), 10 s, AES-128-GCM encrypted',
  protocol: 'smarty',
  intervalS: 10,
  serial: { baudRate: 115200, dataBits: 8, parity: 'none' },
  crc: true,
  encrypted: true,
  connections: ['3N400', '1x230', '3x230'],
  defaultConnection: '3N400',
  gasEveryS: 300,
  hasWater: false,
  tariffAt: () => 1,
  header: (id) => `Lux5\\${id.serial}_D`,
  lines: (x) => {
    const r = x.registers;
    const e = x.electrical;
    return [
      '1-3:0.2.8(42)',
      `0-0:1.0.0(${x.timestamp})`,
      `0-0:42.0.0(${hexText(x.identity.equipmentId)})`,
      `1-0:1.8.0(${kwh(r.importKwh[0] + r.importKwh[1])})`,
      `1-0:2.8.0(${kwh(r.exportKwh[0] + r.exportKwh[1])})`,
      '1-0:3.8.0(000000.000*kvarh)',
      '1-0:4.8.0(000000.000*kvarh)',
      `1-0:1.7.0(${kw(e.importKw)})`,
      `1-0:2.7.0(${kw(e.exportKw)})`,
      '1-0:3.7.0(00.000*kvar)',
      '1-0:4.7.0(00.000*kvar)',
      '0-0:17.0.0(069.0*kVA)',
      '0-0:96.3.10(1)',
      `0-0:96.7.21(${int(r.shortFailures, 5)})`,
      ...sagSwellLines(e.phases.length),
      `0-0:96.13.0(${hexText(x.message)})`,
      ...voltageLines(e),
      ...currentLines(e, 0),
      ...phasePowerLines(e),
      '0-1:24.1.0(003)',
      `0-1:96.1.0(${hexText(x.identity.gasId)})`,
      `0-1:24.2.1(${pastStamp(x.gasAtMs)})(${fixed(x.gasM3, 5, 3)}*m3)`,
      '0-1:24.4.0(1)',
    ];
  },
};

export const METER_MODELS: readonly MeterModel[] = [
  emucs('fluvius-1ph', 'Fluvius e-MUCS 1-phase (Sagemcom T211-like), 1 s, 115200 8N1', ['1x230']),
  emucs('fluvius-3ph', 'Fluvius e-MUCS 3-phase (Sagemcom T211-like), 1 s, 115200 8N1', ['3N400', '3x230']),
  dsmr5,
  dsmr4,
  dsmr22,
  smarty,
];

export function findModel(name: string): MeterModel | undefined {
  return METER_MODELS.find((m) => m.name === name);
}
