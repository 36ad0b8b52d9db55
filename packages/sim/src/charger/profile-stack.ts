import { LINE_V } from '@p1/balancer';
import type { ChargingProfile } from '@p1/ocpp16';

/**
 * How a charge point turns its installed profiles into the current it offers (OCPP 1.6 §3.13.2):
 * per purpose the valid profile with the highest stack level wins; ChargePointMaxProfile caps it.
 */
export interface InstalledProfile {
  connectorId: number;
  profile: ChargingProfile;
}

/** Replaces a profile with the same id, or the same purpose and stack level (§5.16.3). */
export function installProfile(list: InstalledProfile[], next: InstalledProfile): InstalledProfile[] {
  const p = next.profile;
  return [
    ...list.filter(
      (e) =>
        e.profile.chargingProfileId !== p.chargingProfileId &&
        !(
          e.profile.chargingProfilePurpose === p.chargingProfilePurpose &&
          e.profile.stackLevel === p.stackLevel &&
          e.connectorId === next.connectorId
        ),
    ),
    next,
  ];
}

export interface ClearCriteria {
  id?: number;
  connectorId?: number;
  chargingProfilePurpose?: string;
  stackLevel?: number;
}

export function clearProfiles(list: InstalledProfile[], c: ClearCriteria): InstalledProfile[] {
  if (c.id !== undefined) return list.filter((e) => e.profile.chargingProfileId !== c.id);
  return list.filter(
    (e) =>
      !(
        (c.connectorId === undefined || e.connectorId === c.connectorId) &&
        (c.chargingProfilePurpose === undefined || e.profile.chargingProfilePurpose === c.chargingProfilePurpose) &&
        (c.stackLevel === undefined || e.profile.stackLevel === c.stackLevel)
      ),
  );
}

function periodLimitA(profile: ChargingProfile, now: number, txStart: number | null): number | null {
  const s = profile.chargingSchedule;
  let start: number;
  if (profile.chargingProfileKind === 'Absolute') start = s.startSchedule ? Date.parse(s.startSchedule) : now;
  else if (profile.chargingProfileKind === 'Relative') start = txStart ?? now;
  else return null; // Recurring schedules are not simulated
  const elapsedS = (now - start) / 1000;
  if (elapsedS < 0 || (s.duration !== undefined && elapsedS >= s.duration)) return null;
  const periods = [...s.chargingSchedulePeriod].sort((a, b) => a.startPeriod - b.startPeriod);
  const period = periods.filter((p) => p.startPeriod <= elapsedS).at(-1);
  if (!period) return null;
  if (s.chargingRateUnit === 'A') return period.limit;
  return period.limit / (LINE_V * (period.numberPhases ?? 3));
}

function winner(
  list: InstalledProfile[],
  purpose: ChargingProfile['chargingProfilePurpose'],
  connectorId: number,
  now: number,
  txStart: number | null,
): number | null {
  const valid = list
    .filter(
      (e) =>
        e.profile.chargingProfilePurpose === purpose &&
        (e.connectorId === 0 || e.connectorId === connectorId) &&
        (!e.profile.validFrom || Date.parse(e.profile.validFrom) <= now) &&
        (!e.profile.validTo || now < Date.parse(e.profile.validTo)),
    )
    .map((e) => ({ level: e.profile.stackLevel, limit: periodLimitA(e.profile, now, txStart) }))
    .filter((e): e is { level: number; limit: number } => e.limit !== null)
    .sort((a, b) => b.level - a.level);
  return valid[0]?.limit ?? null;
}

/** The current offered on `connectorId` at `now`: the hardware rating when no profile applies. */
export function offeredCurrentA(
  list: InstalledProfile[],
  connectorId: number,
  now: number,
  txStart: number | null,
  hardwareMaxA: number,
): number {
  const tx = txStart !== null ? winner(list, 'TxProfile', connectorId, now, txStart) : null;
  const def = winner(list, 'TxDefaultProfile', connectorId, now, txStart);
  const max = winner(list, 'ChargePointMaxProfile', 0, now, txStart);
  return Math.min(hardwareMaxA, tx ?? def ?? hardwareMaxA, max ?? hardwareMaxA);
}
