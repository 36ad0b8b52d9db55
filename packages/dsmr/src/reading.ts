/** The normalized reading of one telegram: the JSON shape of packages/dsmr/README.md#reading-json. */

export type ErrorCode = 'crc_mismatch' | 'truncated' | 'oversize' | 'malformed' | 'decrypt_failed';

export interface ReadingError {
  code: ErrorCode;
  message: string;
}

export type CrcStatus = 'valid' | 'absent' | 'invalid';
export type Protocol = 'emucs' | 'dsmr' | 'smarty' | 'other';
export type MbusKind = 'gas' | 'water' | 'heat' | 'cooling' | 'electricity' | 'other';

export interface EnergyRegisters {
  importT1Kwh: number | null;
  importT2Kwh: number | null;
  exportT1Kwh: number | null;
  exportT2Kwh: number | null;
  /** Sum over the tariffs the meter reports. */
  importKwh: number | null;
  exportKwh: number | null;
}

export interface PhaseReading {
  phase: 1 | 2 | 3;
  voltageV: number | null;
  currentA: number | null;
  importKw: number | null;
  exportKw: number | null;
}

export interface CapacityHistoryEntry {
  /** Start of the month the entry stands for (the meter's own stamp); null for an empty month. */
  periodAt: string | null;
  peakAt: string | null;
  peakKw: number | null;
}

export interface Capacity {
  quarterAverageKw: number | null;
  monthPeakKw: number | null;
  monthPeakAt: string | null;
  history: CapacityHistoryEntry[];
}

export interface PowerFailureLogEntry {
  endedAt: string | null;
  durationS: number | null;
}

export interface PowerFailures {
  count: number | null;
  longCount: number | null;
  log: PowerFailureLogEntry[];
}

export interface MbusDevice {
  channel: number;
  deviceType: number | null;
  kind: MbusKind;
  equipmentId: string | null;
  value: number | null;
  unit: string | null;
  at: string | null;
}

export interface Reading {
  ok: boolean;
  error: ReadingError | null;
  crc: CrcStatus;
  header: string | null;
  protocol: Protocol;
  version: string | null;
  timestamp: string | null;
  equipmentId: string | null;
  tariff: number | null;
  energy: EnergyRegisters;
  power: { importKw: number | null; exportKw: number | null };
  phases: PhaseReading[];
  capacity: Capacity | null;
  limiterKw: number | null;
  breakerState: number | null;
  fuseSupervisionA: number | null;
  message: string | null;
  powerFailures: PowerFailures | null;
  mbus: MbusDevice[];
  /** Every OBIS line's raw value groups, keyed by OBIS code, unknown codes included. */
  obis: Record<string, string[]>;
}
