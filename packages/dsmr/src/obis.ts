/**
 * The OBIS references of P1 telegrams, by name: what a line's code `A-B:C.D.E` stands for, as the
 * Dutch (DSMR), Belgian (Fluvius e-MUCS) and Luxembourg (Smarty) P1 specifications define them.
 * The parser, the encoder, the simulated meters and the tests say these names, never the digits.
 * Import as a namespace: `import { OBIS } from '@p1/dsmr'` and write `OBIS.POWER_IMPORT`.
 */

// ── Identification ────────────────────────────────────────────────────────────────────────────

/** DSMR version of the telegram's format (NL, LU: "50", "42"). */
export const P1_VERSION = '1-3:0.2.8';
/** e-MUCS version (BE: "50217"). */
export const P1_VERSION_BE = '0-0:96.1.4';
/** Date and time of the telegram, `YYMMDDhhmmssX`. */
export const TIMESTAMP = '0-0:1.0.0';
/** Equipment identifier of the meter, hex-encoded text. */
export const EQUIPMENT_ID = '0-0:96.1.1';
/** Equipment identifier as EasyMeter meters write it. */
export const EQUIPMENT_ID_EASYMETER = '0-0:96.1.255';
/** Smarty (LU): the logical device name, in place of the equipment identifier. */
export const EQUIPMENT_ID_LU = '0-0:42.0.0';

// ── Energy registers (kWh, kvarh) ─────────────────────────────────────────────────────────────

/** Tariff in force now: 1 or 2 (BE: 1 day, 2 night; NL: 1 low, 2 normal). */
export const TARIFF = '0-0:96.14.0';
/** Electricity imported (delivered to the house), all tariffs. */
export const ENERGY_IMPORT = '1-0:1.8.0';
export const ENERGY_IMPORT_T1 = '1-0:1.8.1';
export const ENERGY_IMPORT_T2 = '1-0:1.8.2';
export const ENERGY_IMPORT_T3 = '1-0:1.8.3';
export const ENERGY_IMPORT_T4 = '1-0:1.8.4';
/** Electricity exported (fed back to the grid), all tariffs. */
export const ENERGY_EXPORT = '1-0:2.8.0';
export const ENERGY_EXPORT_T1 = '1-0:2.8.1';
export const ENERGY_EXPORT_T2 = '1-0:2.8.2';
export const ENERGY_EXPORT_T3 = '1-0:2.8.3';
export const ENERGY_EXPORT_T4 = '1-0:2.8.4';
/** Reactive energy imported / exported (Smarty). */
export const REACTIVE_ENERGY_IMPORT = '1-0:3.8.0';
export const REACTIVE_ENERGY_EXPORT = '1-0:4.8.0';

// ── Power now (kW, kvar) ──────────────────────────────────────────────────────────────────────

/** Active power imported, all phases. */
export const POWER_IMPORT = '1-0:1.7.0';
/** Active power exported, all phases. */
export const POWER_EXPORT = '1-0:2.7.0';
/** Reactive power imported / exported (Smarty). */
export const REACTIVE_POWER_IMPORT = '1-0:3.7.0';
export const REACTIVE_POWER_EXPORT = '1-0:4.7.0';

// ── Per phase: L1, L2, L3 ─────────────────────────────────────────────────────────────────────

/** Instantaneous voltage (V). */
export const VOLTAGE_L1 = '1-0:32.7.0';
export const VOLTAGE_L2 = '1-0:52.7.0';
export const VOLTAGE_L3 = '1-0:72.7.0';
/** Instantaneous current (A). */
export const CURRENT_L1 = '1-0:31.7.0';
export const CURRENT_L2 = '1-0:51.7.0';
export const CURRENT_L3 = '1-0:71.7.0';
/** Active power imported on the phase (kW). */
export const POWER_IMPORT_L1 = '1-0:21.7.0';
export const POWER_IMPORT_L2 = '1-0:41.7.0';
export const POWER_IMPORT_L3 = '1-0:61.7.0';
/** Active power exported on the phase (kW). */
export const POWER_EXPORT_L1 = '1-0:22.7.0';
export const POWER_EXPORT_L2 = '1-0:42.7.0';
export const POWER_EXPORT_L3 = '1-0:62.7.0';
/** Number of voltage sags on the phase. */
export const VOLTAGE_SAGS_L1 = '1-0:32.32.0';
export const VOLTAGE_SAGS_L2 = '1-0:52.32.0';
export const VOLTAGE_SAGS_L3 = '1-0:72.32.0';
/** Number of voltage swells on the phase. */
export const VOLTAGE_SWELLS_L1 = '1-0:32.36.0';
export const VOLTAGE_SWELLS_L2 = '1-0:52.36.0';
export const VOLTAGE_SWELLS_L3 = '1-0:72.36.0';

/** The per-phase codes of L1, L2, L3 in one table, index 0 = L1. */
export const PHASES = [
  {
    voltage: VOLTAGE_L1,
    current: CURRENT_L1,
    powerImport: POWER_IMPORT_L1,
    powerExport: POWER_EXPORT_L1,
    sags: VOLTAGE_SAGS_L1,
    swells: VOLTAGE_SWELLS_L1,
  },
  {
    voltage: VOLTAGE_L2,
    current: CURRENT_L2,
    powerImport: POWER_IMPORT_L2,
    powerExport: POWER_EXPORT_L2,
    sags: VOLTAGE_SAGS_L2,
    swells: VOLTAGE_SWELLS_L2,
  },
  {
    voltage: VOLTAGE_L3,
    current: CURRENT_L3,
    powerImport: POWER_IMPORT_L3,
    powerExport: POWER_EXPORT_L3,
    sags: VOLTAGE_SAGS_L3,
    swells: VOLTAGE_SWELLS_L3,
  },
] as const;

// ── Capacity tariff (BE) ──────────────────────────────────────────────────────────────────────

/** Average import of the running quarter-hour (kW). */
export const QUARTER_AVERAGE = '1-0:1.4.0';
/** Highest quarter-hour average of this month, with its time (kW). */
export const MONTH_PEAK = '1-0:1.6.0';
/** The 13-month list of monthly peaks; elsewhere a billing snapshot under the same code. */
export const PEAK_HISTORY = '0-0:98.1.0';

// ── Limiter, breaker, messages ────────────────────────────────────────────────────────────────

/** Power limiter threshold (kW; some DSMR 2.2/3 meters write A). */
export const LIMITER_THRESHOLD = '0-0:17.0.0';
/** Breaker (switch) state: 0 off, 1 on, 2 ready. */
export const BREAKER_STATE = '0-0:96.3.10';
/** Fuse supervision threshold (BE, A). */
export const FUSE_SUPERVISION = '1-0:31.4.0';
/** Text message to the consumer, hex-encoded. */
export const TEXT_MESSAGE = '0-0:96.13.0';
/** Numeric message code (DSMR 2.2–4). */
export const MESSAGE_CODE = '0-0:96.13.1';

// ── Power failures ────────────────────────────────────────────────────────────────────────────

/** Number of power failures in any phase. */
export const POWER_FAILURES = '0-0:96.7.21';
/** Number of long power failures (over 3 minutes) in any phase. */
export const LONG_POWER_FAILURES = '0-0:96.7.9';
/** Log of the long power failures: `(n)(0-0:96.7.19)` then (end time)(duration*s) pairs. */
export const POWER_FAILURE_LOG = '1-0:99.97.0';
/** The unit code the log names its entries by. */
export const POWER_FAILURE_EVENT = '0-0:96.7.19';

// ── M-Bus devices (gas, water, heat) on channels 1–4: `0-n:` + one of these ─────────────────

/** Device type (EN 13757-3: 3 gas, 7 water, …). */
export const MBUS_DEVICE_TYPE = '24.1.0';
/** Equipment identifier (DSMR). */
export const MBUS_EQUIPMENT_ID = '96.1.0';
/** Equipment identifier (e-MUCS). */
export const MBUS_EQUIPMENT_ID_BE = '96.1.1';
/** Last reading with its time: temperature-corrected (e-MUCS gas). */
export const MBUS_READING_CORRECTED = '24.2.3';
/** Last reading with its time (DSMR 4+). */
export const MBUS_READING = '24.2.1';
/** Last reading with its time (older meters). */
export const MBUS_READING_OLD = '24.2.0';
/** DSMR 2.2/3: `(time)(status)(period)(count)(code)(unit)`, the value on the next line. */
export const MBUS_READING_LEGACY = '24.3.0';
/** Valve position. */
export const MBUS_VALVE = '24.4.0';

/** The full code of an M-Bus reference on `channel` (1–4), e.g. `mbus(1, MBUS_READING)` → `0-1:24.2.1`. */
export function mbus(channel: number, reference: string): string {
  return `0-${channel}:${reference}`;
}
