/**
 * The simulated meter models: what each sends, in which order, how numbers are padded, how often.
 * Layouts follow real telegrams of the same meter families (see shared fixtures).
 */

import type { Connection } from '@p1/balancer';
import {
  formatFixed as fixed,
  formatDsmrTimestamp,
  hexText,
  formatInt as int,
  type MeterLocalTime,
  OBIS,
  PLACEHOLDER_TIMESTAMP,
} from '@p1/dsmr';
import type { Electrical } from './electrical';
import type { MeterRegisters } from './meter-state';

export interface Identity {
  /** EQUIPMENT_ID / EQUIPMENT_ID_LU as text (sent hex encoded). */
  equipmentId: string;
  gasId: string;
  waterId: string;
  /** Digits after the backslash of Fluvius/Smarty headers. */
  serial: string;
}

export interface TelegramInput {
  nowMs: number;
  /** TIMESTAMP as sent: a real stamp, or a placeholder while the clock is not set. */
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
  /** TEXT_MESSAGE text (sent hex encoded); empty for none. */
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
  tariffAt(local: MeterLocalTime): 1 | 2;
  header(identity: Identity, phaseCount: number): string;
  lines(input: TelegramInput): string[];
}

/** Belgium: 1 = day (weekdays 07–22), 2 = night and weekend. */
const belgianTariff = (t: MeterLocalTime): 1 | 2 =>
  t.weekday >= 1 && t.weekday <= 5 && t.hour >= 7 && t.hour < 22 ? 1 : 2;
/** Netherlands: 2 = normal (weekdays 07–23), 1 = low. */
const dutchTariff = (t: MeterLocalTime): 1 | 2 =>
  t.weekday >= 1 && t.weekday <= 5 && t.hour >= 7 && t.hour < 23 ? 2 : 1;

/** Gas on M-Bus channel 1, water on channel 2, as the meters of these families number them. */
const GAS = {
  deviceType: OBIS.mbus(1, OBIS.MBUS_DEVICE_TYPE),
  id: OBIS.mbus(1, OBIS.MBUS_EQUIPMENT_ID),
  idBe: OBIS.mbus(1, OBIS.MBUS_EQUIPMENT_ID_BE),
  reading: OBIS.mbus(1, OBIS.MBUS_READING),
  readingCorrected: OBIS.mbus(1, OBIS.MBUS_READING_CORRECTED),
  readingLegacy: OBIS.mbus(1, OBIS.MBUS_READING_LEGACY),
  valve: OBIS.mbus(1, OBIS.MBUS_VALVE),
};
const WATER = {
  deviceType: OBIS.mbus(2, OBIS.MBUS_DEVICE_TYPE),
  idBe: OBIS.mbus(2, OBIS.MBUS_EQUIPMENT_ID_BE),
  reading: OBIS.mbus(2, OBIS.MBUS_READING),
};

const kwh = (v: number): string => `${fixed(v, 6, 3)}*kWh`;
const kw = (v: number): string => `${fixed(v, 2, 3)}*kW`;
const volts = (v: number): string => `${fixed(v, 3, 1)}*V`;
const stampCache = new Map<number, string>();
/** Stamps of past instants (peaks, history, gas) repeat in every telegram: format each once. */
function pastStamp(ms: number): string {
  let s = stampCache.get(ms);
  if (s === undefined) {
    s = formatDsmrTimestamp(ms);
    if (stampCache.size > 512) stampCache.clear();
    stampCache.set(ms, s);
  }
  return s;
}
const stamp = (ms: number | null): string => (ms === null ? PLACEHOLDER_TIMESTAMP : pastStamp(ms));

function energyLines(r: MeterRegisters): string[] {
  return [
    `${OBIS.ENERGY_IMPORT_T1}(${kwh(r.importKwh[0])})`,
    `${OBIS.ENERGY_IMPORT_T2}(${kwh(r.importKwh[1])})`,
    `${OBIS.ENERGY_EXPORT_T1}(${kwh(r.exportKwh[0])})`,
    `${OBIS.ENERGY_EXPORT_T2}(${kwh(r.exportKwh[1])})`,
  ];
}

function phaseIndexes(e: Electrical): number[] {
  return e.phases.length === 1 ? [0] : [0, 1, 2];
}

function phasePowerLines(e: Electrical): string[] {
  const idx = phaseIndexes(e);
  const out: string[] = [];
  for (const i of idx) out.push(`${OBIS.PHASES[i]?.powerImport}(${kw(e.phases[i]?.importKw ?? 0)})`);
  for (const i of idx) out.push(`${OBIS.PHASES[i]?.powerExport}(${kw(e.phases[i]?.exportKw ?? 0)})`);
  return out;
}

function voltageLines(e: Electrical): string[] {
  return phaseIndexes(e).map((i) => `${OBIS.PHASES[i]?.voltage}(${volts(e.phases[i]?.voltageV ?? 0)})`);
}

/** Fluvius sends currents with two decimals, Dutch meters whole amperes. */
function currentLines(e: Electrical, decimals: 0 | 2): string[] {
  return phaseIndexes(e).map((i) => {
    const a = e.phases[i]?.currentA ?? 0;
    return `${OBIS.PHASES[i]?.current}(${decimals ? fixed(a, 3, 2) : int(a, 3)}*A)`;
  });
}

/** The capacity lines (1.6.0 and 98.1.0) change a few times an hour at most: built once per change. */
const capacityCache = new WeakMap<MeterRegisters, { version: number; lines: [string, string] }>();

function capacityLines(r: MeterRegisters): [string, string] {
  const cached = capacityCache.get(r);
  if (cached && cached.version === r.peakVersion) return cached.lines;
  let history = `${OBIS.PEAK_HISTORY}(${r.history.length})(${OBIS.MONTH_PEAK})(${OBIS.MONTH_PEAK})`;
  for (const h of r.history) history += `(${pastStamp(h.periodAtMs)})(${stamp(h.peakAtMs)})(${kw(h.peakKw)})`;
  const lines: [string, string] = [`${OBIS.MONTH_PEAK}(${stamp(r.monthPeakAtMs)})(${kw(r.monthPeakKw)})`, history];
  capacityCache.set(r, { version: r.peakVersion, lines });
  return lines;
}

function powerFailureLines(r: MeterRegisters): string[] {
  let log = `${OBIS.POWER_FAILURE_LOG}(${r.powerFailureLog.length})(${OBIS.POWER_FAILURE_EVENT})`;
  for (const f of r.powerFailureLog) log += `(${pastStamp(f.endedAtMs)})(${int(f.durationS, 10)}*s)`;
  return [
    `${OBIS.POWER_FAILURES}(${int(r.shortFailures, 5)})`,
    `${OBIS.LONG_POWER_FAILURES}(${int(r.longFailures, 5)})`,
    log,
  ];
}

function sagSwellLines(phaseCount: number): string[] {
  const phases = phaseCount === 1 ? OBIS.PHASES.slice(0, 1) : OBIS.PHASES;
  return [...phases.map((p) => `${p.sags}(00000)`), ...phases.map((p) => `${p.swells}(00000)`)];
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
      `${OBIS.P1_VERSION_BE}(50217)`,
      `${OBIS.EQUIPMENT_ID}(${hexText(x.identity.equipmentId)})`,
      `${OBIS.TIMESTAMP}(${x.timestamp})`,
      ...energyLines(r),
      `${OBIS.TARIFF}(${int(x.tariff, 4)})`,
      `${OBIS.QUARTER_AVERAGE}(${kw(r.quarterAverageKw)})`,
      ...capacityLines(r),
      `${OBIS.POWER_IMPORT}(${kw(e.importKw)})`,
      `${OBIS.POWER_EXPORT}(${kw(e.exportKw)})`,
      ...phasePowerLines(e),
      ...voltageLines(e),
      ...currentLines(e, 2),
      `${OBIS.BREAKER_STATE}(1)`,
      `${OBIS.LIMITER_THRESHOLD}(999.9*kW)`,
      `${OBIS.FUSE_SUPERVISION}(999*A)`,
      `${OBIS.TEXT_MESSAGE}(${hexText(x.message)})`,
      `${GAS.deviceType}(003)`,
      `${GAS.idBe}(${hexText(x.identity.gasId)})`,
      `${GAS.valve}(1)`,
      `${GAS.readingCorrected}(${pastStamp(x.gasAtMs)})(${fixed(x.gasM3, 5, 3)}*m3)`,
      `${WATER.deviceType}(007)`,
      `${WATER.idBe}(${hexText(x.identity.waterId)})`,
      `${WATER.reading}(${pastStamp(x.waterAtMs)})(${fixed(x.waterM3, 5, 3)}*m3)`,
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
      `${OBIS.P1_VERSION}(50)`,
      `${OBIS.TIMESTAMP}(${x.timestamp})`,
      `${OBIS.EQUIPMENT_ID}(${hexText(x.identity.equipmentId)})`,
      ...energyLines(r),
      `${OBIS.TARIFF}(${int(x.tariff, 4)})`,
      `${OBIS.POWER_IMPORT}(${kw(e.importKw)})`,
      `${OBIS.POWER_EXPORT}(${kw(e.exportKw)})`,
      ...powerFailureLines(r),
      ...sagSwellLines(e.phases.length),
      `${OBIS.TEXT_MESSAGE}(${hexText(x.message)})`,
      ...voltageLines(e),
      ...currentLines(e, 0),
      ...phasePowerLines(e),
      `${GAS.deviceType}(003)`,
      `${GAS.id}(${hexText(x.identity.gasId)})`,
      `${GAS.reading}(${pastStamp(x.gasAtMs)})(${fixed(x.gasM3, 5, 3)}*m3)`,
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
      `${OBIS.P1_VERSION}(42)`,
      `${OBIS.TIMESTAMP}(${x.timestamp})`,
      `${OBIS.EQUIPMENT_ID}(${hexText(x.identity.equipmentId)})`,
      ...energyLines(r),
      `${OBIS.TARIFF}(${int(x.tariff, 4)})`,
      `${OBIS.POWER_IMPORT}(${kw(e.importKw)})`,
      `${OBIS.POWER_EXPORT}(${kw(e.exportKw)})`,
      ...powerFailureLines(r),
      ...sagSwellLines(e.phases.length),
      `${OBIS.MESSAGE_CODE}()`,
      `${OBIS.TEXT_MESSAGE}(${hexText(x.message)})`,
      ...currentLines(e, 0),
      ...phasePowerLines(e),
      `${GAS.deviceType}(003)`,
      `${GAS.id}(${hexText(x.identity.gasId)})`,
      `${GAS.reading}(${pastStamp(x.gasAtMs)})(${fixed(x.gasM3, 5, 3)}*m3)`,
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
      `${OBIS.EQUIPMENT_ID}(${hexText(x.identity.equipmentId)})`,
      `${OBIS.ENERGY_IMPORT_T1}(${kwh5(r.importKwh[0])})`,
      `${OBIS.ENERGY_IMPORT_T2}(${kwh5(r.importKwh[1])})`,
      `${OBIS.ENERGY_EXPORT_T1}(${kwh5(r.exportKwh[0])})`,
      `${OBIS.ENERGY_EXPORT_T2}(${kwh5(r.exportKwh[1])})`,
      `${OBIS.TARIFF}(${int(x.tariff, 4)})`,
      `${OBIS.POWER_IMPORT}(${kw4(e.importKw)})`,
      `${OBIS.POWER_EXPORT}(${kw4(e.exportKw)})`,
      `${OBIS.LIMITER_THRESHOLD}(999*A)`,
      `${OBIS.BREAKER_STATE}(1)`,
      `${OBIS.MESSAGE_CODE}()`,
      `${OBIS.TEXT_MESSAGE}(${hexText(x.message)})`,
      `${GAS.deviceType}(3)`,
      `${GAS.id}(${hexText(x.identity.gasId)})`,
      `${GAS.readingLegacy}(${legacyStamp(x.gasAtMs)})(08)(60)(1)(${GAS.reading})(m3)`,
      `(${fixed(x.gasM3, 5, 3)})`,
      `${GAS.valve}(1)`,
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
      `${OBIS.P1_VERSION}(42)`,
      `${OBIS.TIMESTAMP}(${x.timestamp})`,
      `${OBIS.EQUIPMENT_ID_LU}(${hexText(x.identity.equipmentId)})`,
      `${OBIS.ENERGY_IMPORT}(${kwh(r.importKwh[0] + r.importKwh[1])})`,
      `${OBIS.ENERGY_EXPORT}(${kwh(r.exportKwh[0] + r.exportKwh[1])})`,
      `${OBIS.REACTIVE_ENERGY_IMPORT}(000000.000*kvarh)`,
      `${OBIS.REACTIVE_ENERGY_EXPORT}(000000.000*kvarh)`,
      `${OBIS.POWER_IMPORT}(${kw(e.importKw)})`,
      `${OBIS.POWER_EXPORT}(${kw(e.exportKw)})`,
      `${OBIS.REACTIVE_POWER_IMPORT}(00.000*kvar)`,
      `${OBIS.REACTIVE_POWER_EXPORT}(00.000*kvar)`,
      `${OBIS.LIMITER_THRESHOLD}(069.0*kVA)`,
      `${OBIS.BREAKER_STATE}(1)`,
      `${OBIS.POWER_FAILURES}(${int(r.shortFailures, 5)})`,
      ...sagSwellLines(e.phases.length),
      `${OBIS.TEXT_MESSAGE}(${hexText(x.message)})`,
      ...voltageLines(e),
      ...currentLines(e, 0),
      ...phasePowerLines(e),
      `${GAS.deviceType}(003)`,
      `${GAS.id}(${hexText(x.identity.gasId)})`,
      `${GAS.reading}(${pastStamp(x.gasAtMs)})(${fixed(x.gasM3, 5, 3)}*m3)`,
      `${GAS.valve}(1)`,
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
