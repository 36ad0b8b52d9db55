import { createRequire } from 'node:module';
import { type ChargingProfile, OCPP16 } from '@p1/ocpp16';
import { clearProfiles, installProfile, offeredCurrentA } from '@p1/sim/charge-point';
import fc from 'fast-check';
import { createValidator } from 'ocpp-rpc';
import { describe, expect, it } from 'vitest';
import {
  LIMIT_PROFILE_ID,
  parseSmartChargingSupport,
  toTenths,
  txDefaultProfile,
} from '../src/charger/ocpp/charging-profile';

// The official OCPP 1.6J schemas as shipped by ocpp-rpc.
const require = createRequire(import.meta.url);
const ocpp16 = createValidator(OCPP16, require('ocpp-rpc/lib/schemas/ocpp1_6.json'));

const amps = fc.double({ min: 0, max: 80, noNaN: true });

describe('the limit profile', () => {
  it('is always valid against the SetChargingProfile.req schema, in amperes or watts', () => {
    fc.assert(
      fc.property(amps, fc.constantFrom<1 | 3>(1, 3), fc.boolean(), fc.boolean(), (a, phases, watts, lease) => {
        const profile = txDefaultProfile({
          id: LIMIT_PROFILE_ID,
          stackLevel: 1,
          amps: a,
          phases,
          support: { maxStackLevel: 2, rateUnits: watts ? ['Power'] : ['Current', 'Power'], maxPeriods: 1 },
          ...(lease ? { validTo: new Date(1_750_000_000_000) } : {}),
        });
        expect(() =>
          ocpp16.validate('urn:SetChargingProfile.req', { connectorId: 0, csChargingProfiles: profile }),
        ).not.toThrow();
        const limit = profile.chargingSchedule.chargingSchedulePeriod[0]?.limit ?? Number.NaN;
        const asked = watts ? a * 230 * phases : a;
        expect(limit).toBeLessThanOrEqual(asked + 1e-6); // never more than asked (beyond float noise)
        expect(limit).toBeGreaterThan(asked - 0.1 - 1e-9);
      }),
    );
  });

  it('rounds to tenths downwards and is idempotent', () => {
    fc.assert(
      fc.property(amps, (a) => {
        const t = toTenths(a);
        expect(toTenths(t)).toBe(t);
        expect(Math.abs(t * 10 - Math.round(t * 10))).toBeLessThan(1e-9);
      }),
    );
    expect(toTenths(16)).toBe(16);
    expect(toTenths(7.19)).toBe(7.1);
    expect(toTenths(6.0999999999)).toBe(6.1); // float noise is not a reason to drop a tenth
  });

  it('reads smart-charging support from GetConfiguration, with safe defaults', () => {
    expect(
      parseSmartChargingSupport([
        { key: 'ChargeProfileMaxStackLevel', readonly: true, value: '8' },
        { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current, Power' },
        { key: 'ChargingScheduleMaxPeriods', readonly: true, value: '24' },
      ]),
    ).toEqual({ maxStackLevel: 8, rateUnits: ['Current', 'Power'], maxPeriods: 24 });
    expect(parseSmartChargingSupport([{ key: 'ChargeProfileMaxStackLevel', readonly: true, value: 'x' }])).toEqual({
      maxStackLevel: 1,
      rateUnits: ['Current'],
      maxPeriods: 1,
    });
  });
});

const profile = (id: number, stackLevel: number, limit: number, validTo?: number): ChargingProfile =>
  txDefaultProfile({
    id,
    stackLevel,
    amps: limit,
    phases: 3,
    support: { maxStackLevel: 3, rateUnits: ['Current'], maxPeriods: 1 },
    ...(validTo !== undefined ? { validTo: new Date(validTo) } : {}),
  });

describe('the charge point profile stack (what the simulated charger offers)', () => {
  it('the highest valid stack level wins; an expired lease falls back to the fail-safe', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 32, noNaN: true }),
        fc.double({ min: 0, max: 32, noNaN: true }),
        fc.integer({ min: -100_000, max: 100_000 }),
        (safe, limit, leaseLeftMs) => {
          const now = 1_750_000_000_000;
          let list = installProfile([], { connectorId: 0, profile: profile(1, 0, safe) });
          list = installProfile(list, { connectorId: 0, profile: profile(2, 1, limit, now + leaseLeftMs) });
          const offered = offeredCurrentA(list, 1, now, now - 5000, 32);
          expect(offered).toBe(leaseLeftMs > 0 ? toTenths(limit) : toTenths(safe));
        },
      ),
    );
  });

  it('re-installing by id replaces; clearing by id removes; nothing installed offers the rating', () => {
    const now = Date.now();
    let list = installProfile([], { connectorId: 0, profile: profile(2, 1, 10) });
    list = installProfile(list, { connectorId: 0, profile: profile(2, 1, 12) });
    expect(list).toHaveLength(1);
    expect(offeredCurrentA(list, 1, now, null, 32)).toBe(12);
    expect(offeredCurrentA(list, 1, now, null, 11)).toBe(11); // hardware rating caps
    list = clearProfiles(list, { id: 2 });
    expect(offeredCurrentA(list, 1, now, null, 32)).toBe(32);
  });

  it('a profile in watts is turned back into amperes per phase', () => {
    const p = txDefaultProfile({
      id: 3,
      stackLevel: 1,
      amps: 10,
      phases: 3,
      support: { maxStackLevel: 1, rateUnits: ['Power'], maxPeriods: 1 },
    });
    expect(p.chargingSchedule).toMatchObject({ chargingRateUnit: 'W', chargingSchedulePeriod: [{ limit: 6900 }] });
    expect(offeredCurrentA([{ connectorId: 0, profile: p }], 1, Date.now(), null, 32)).toBeCloseTo(10, 9);
  });
});
