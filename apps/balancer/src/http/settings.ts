import type { SolarMode } from '@p1/balancer';

/** What `PATCH /api/v1/settings` may change at run time; persisted in the store. */
export interface RuntimeSettings {
  capacityTargetKw: number | null;
  solar: SolarMode;
}

export type SettingsPatchResult = { ok: true; patch: Partial<RuntimeSettings> } | { ok: false; error: string };

const SOLAR: readonly SolarMode[] = ['off', 'surplus', 'min+surplus'];

/** Checks a settings patch; the error names the field at fault. */
export function validateSettingsPatch(body: unknown): SettingsPatchResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, error: 'body: must be a JSON object such as {"capacityTargetKw": 4.5}' };
  }
  const patch: Partial<RuntimeSettings> = {};
  const entries = Object.entries(body);
  if (entries.length === 0) return { ok: false, error: 'body: names no setting (capacityTargetKw, solar)' };
  for (const [key, value] of entries) {
    switch (key) {
      case 'capacityTargetKw':
        if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value < 2.5 || value > 1000)) {
          return { ok: false, error: 'capacityTargetKw: must be a number between 2.5 and 1000, or null for fuse only' };
        }
        patch.capacityTargetKw = value as number | null;
        break;
      case 'solar':
        if (typeof value !== 'string' || !SOLAR.includes(value as SolarMode)) {
          return { ok: false, error: `solar: must be one of ${SOLAR.join(', ')}` };
        }
        patch.solar = value as SolarMode;
        break;
      default:
        return { ok: false, error: `${key}: unknown setting (expected capacityTargetKw or solar)` };
    }
  }
  return { ok: true, patch };
}
