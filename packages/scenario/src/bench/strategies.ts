/**
 * Strategies the bench compares: ours (`default`, the @p1/balancer) and references modelled on what
 * existing open-source balancers do. The references know neither which grid line a car is on nor the
 * capacity tariff, and have no fail-safe of their own (they hold the last setpoint).
 */
import {
  type Balancer,
  type BalancerConfig,
  type BalancerInput,
  type ChargerCapabilities,
  type ChargerDecision,
  createBalancer,
  type Decision,
} from '@p1/balancer';
import type { Scenario } from '../scenario';

export type StrategyFactory = (config: BalancerConfig, scenario: Scenario) => Balancer;

const emptyQuarter = { quarterStart: null, usedKwh: 0, allowedKw: null, targetKw: null, projectedKw: 0 };

function naturalPhases(scenario: Scenario, cap: ChargerCapabilities): 1 | 3 {
  return scenario.site.connection !== '1x230' && cap.phases.length === 3 ? 3 : 1;
}

/** No balancing: every plugged car gets the charger's maximum. */
const none: StrategyFactory = (_config, scenario) => ({
  step(input) {
    return {
      chargers: input.chargers.map((c) => ({
        id: c.capabilities.id,
        limitA: c.measurement.vehiclePlugged ? c.capabilities.maxA : 0,
        phases: naturalPhases(scenario, c.capabilities),
        reason: 'none',
        changed: false,
      })),
      quarter: emptyQuarter,
      failsafe: false,
      dataAgeMs: null,
    };
  },
  reconfigure() {},
});

/**
 * A periodic controller on the highest phase: every `periodMs` it reads the highest line current and moves
 * the setpoints by the gap to the fuse, shared equally; `cutAtOnce` cuts on every telegram instead of
 * waiting; `raiseFraction` raises by that part of the gap (SmartEVSE: ¼ per 2 s; evcc: all of it per 30 s).
 */
function highestPhaseController(periodMs: number, raiseFraction: number, cutAtOnce: boolean): StrategyFactory {
  return (_config, scenario) => {
    const fuse = scenario.site.fuseA;
    let lastRunMs = Number.NEGATIVE_INFINITY;
    const limits = new Map<string, number>();
    return {
      step(input: BalancerInput): Decision {
        const reading = input.reading;
        const due = input.nowMs - lastRunMs >= periodMs;
        const plugged = input.chargers.filter((c) => c.measurement.vehiclePlugged);
        if (reading?.ok) {
          let highest = 0;
          for (const p of reading.phases) highest = Math.max(highest, p.currentA ?? 0);
          const gap = fuse - highest;
          if ((gap < 0 && cutAtOnce) || due) {
            lastRunMs = input.nowMs;
            const share = plugged.length > 0 ? (gap < 0 ? gap : gap * raiseFraction) / plugged.length : 0;
            for (const c of plugged) {
              const cap = c.capabilities;
              const prev = limits.get(cap.id) ?? 0;
              // Cuts start from what the car draws (an offer above its draw would cut nothing).
              const drawn = Math.max(0, ...c.measurement.currentA.map((a) => a ?? 0));
              let next = Math.min(cap.maxA, (gap < 0 ? Math.min(prev, drawn) : prev) + share);
              // A paused car restarts when the gap fits its minimum (SmartEVSE at the minimum, evcc at all of it).
              if (prev === 0) {
                const each = gap / plugged.length;
                next = each >= cap.minA ? (raiseFraction < 1 ? cap.minA : Math.min(cap.maxA, each)) : 0;
              }
              if (next < cap.minA) next = 0;
              limits.set(cap.id, Math.floor(next * 10) / 10);
            }
          }
        }
        const chargers: ChargerDecision[] = input.chargers.map((c) => {
          const id = c.capabilities.id;
          if (!c.measurement.vehiclePlugged) limits.set(id, 0);
          return {
            id,
            limitA: limits.get(id) ?? 0,
            phases: naturalPhases(scenario, c.capabilities),
            reason: 'highest phase',
            changed: false,
          };
        });
        return { chargers, quarter: emptyQuarter, failsafe: false, dataAgeMs: null };
      },
      reconfigure() {},
    };
  };
}

export const strategies: Record<string, StrategyFactory> = {
  default: (config) => createBalancer(config),
  none,
  'highest-phase-30s': highestPhaseController(30_000, 1, false),
  'quarter-gap-2s': highestPhaseController(2_000, 0.25, true),
};

export const REFERENCE_STRATEGIES = ['highest-phase-30s', 'quarter-gap-2s'] as const;
