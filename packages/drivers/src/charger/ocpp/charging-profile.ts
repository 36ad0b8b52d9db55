import { LINE_V } from '@p1/balancer';
import type { ChargingProfile, KeyValue } from '@p1/ocpp16';

/** What a charge point reports about its smart charging (GetConfiguration, OCPP 1.6 §9.4). */
export interface SmartChargingSupport {
  maxStackLevel: number;
  /** Units the schedule may use; 'Current' means amperes. */
  rateUnits: ('Current' | 'Power')[];
  maxPeriods: number;
}

/** Assumed when a charge point does not answer GetConfiguration for these keys. */
export const DEFAULT_SUPPORT: SmartChargingSupport = { maxStackLevel: 1, rateUnits: ['Current'], maxPeriods: 1 };

/** Smart-charging keys read at connect (OCPP 1.6 §9.4). */
export const SMART_CHARGING_KEYS = [
  'ChargeProfileMaxStackLevel',
  'ChargingScheduleAllowedChargingRateUnit',
  'ChargingScheduleMaxPeriods',
] as const;

export function parseSmartChargingSupport(keys: KeyValue[]): SmartChargingSupport {
  const value = (key: string) => keys.find((k) => k.key === key)?.value;
  const level = Number.parseInt(value('ChargeProfileMaxStackLevel') ?? '', 10);
  const periods = Number.parseInt(value('ChargingScheduleMaxPeriods') ?? '', 10);
  const units = (value('ChargingScheduleAllowedChargingRateUnit') ?? '')
    .split(',')
    .map((u) => u.trim())
    .filter((u): u is 'Current' | 'Power' => u === 'Current' || u === 'Power');
  return {
    maxStackLevel: Number.isFinite(level) && level >= 0 ? level : DEFAULT_SUPPORT.maxStackLevel,
    rateUnits: units.length > 0 ? units : DEFAULT_SUPPORT.rateUnits,
    maxPeriods: Number.isFinite(periods) && periods > 0 ? periods : DEFAULT_SUPPORT.maxPeriods,
  };
}

/** Fixed ids so that re-sending a profile replaces the previous one instead of piling up. */
export const FAILSAFE_PROFILE_ID = 9001;
export const LIMIT_PROFILE_ID = 9002;

/** The schema demands multiples of 0.1; round down so the charger never gets more than asked. */
export function toTenths(value: number): number {
  // Downwards, never above what was asked beyond binary noise (0.3 × 10 = 2.9999999999999996): 1e-7 at most.
  return Math.floor(value * 10 + 1e-6) / 10;
}

export interface ProfileRequest {
  id: number;
  stackLevel: number;
  amps: number;
  phases: 1 | 3;
  support: SmartChargingSupport;
  /** Absolute expiry; after it the charge point falls back to the lower stack level. */
  validTo?: Date;
}

/**
 * A TxDefaultProfile on connector 0 (every connector, every future transaction): one period from the
 * start, no end. Relative kind, so it does not depend on the charge point's clock; only `validTo` does.
 * A charge point that takes only watts gets the same current expressed at the nominal voltage.
 */
export function txDefaultProfile(req: ProfileRequest): ChargingProfile {
  const inAmps = req.support.rateUnits.includes('Current');
  const limit = inAmps ? toTenths(req.amps) : toTenths(req.amps * LINE_V * req.phases);
  return {
    chargingProfileId: req.id,
    stackLevel: req.stackLevel,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    ...(req.validTo ? { validTo: req.validTo.toISOString() } : {}),
    chargingSchedule: {
      chargingRateUnit: inAmps ? 'A' : 'W',
      chargingSchedulePeriod: [{ startPeriod: 0, limit, numberPhases: req.phases }],
    },
  };
}
