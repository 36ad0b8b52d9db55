/**
 * Strategies the bench compares: ours (`default`, the @p1/balancer) and references modelled on what
 * existing open-source balancers do. The references know neither which grid line a car is on nor the
 * capacity tariff, and have no fail-safe of their own (they hold the last setpoint).
 */
import {
  type BalancerConfig,
  type BalancerInput,
  type ChargerCapabilities,
  type ChargerDecision,
  createBalancer,
} from '@p1/balancer';
import type { Scenario } from '../scenario';

/** A charger's setpoint; `reason` where the strategy says why (ours does, the references do not). */
type Setpoint = Pick<ChargerDecision, 'id' | 'limitA' | 'phases'> & Partial<Pick<ChargerDecision, 'reason'>>;

/**
 * What the bench needs of a strategy: a limit and phases per charger each second. The bench overwrites the input
 * and its telegram every second: a strategy reads them during its step and copies what it keeps.
 */
export interface Strategy {
  step(input: BalancerInput): { chargers: Setpoint[] };
}

export type StrategyFactory = (config: BalancerConfig, scenario: Scenario) => Strategy;

function naturalPhases(scenario: Scenario, cap: ChargerCapabilities): 1 | 3 {
  return scenario.site.connection !== '1x230' && cap.phases.length === 3 ? 3 : 1;
}

/**
 * The decision a reference strategy returns, reused from step to step (the bench reads it at once): one entry
 * per charger, in input order.
 */
function reusedDecision(scenario: Scenario) {
  const out: Setpoint[] = [];
  return (chargers: BalancerInput['chargers']): Setpoint[] => {
    if (out.length !== chargers.length) {
      out.length = 0;
      for (const c of chargers)
        out.push({
          id: c.capabilities.id,
          limitA: 0,
          phases: naturalPhases(scenario, c.capabilities),
        });
    }
    return out;
  };
}

/** No balancing: every plugged car gets the charger's maximum. */
const none: StrategyFactory = (_config, scenario) => {
  const entries = reusedDecision(scenario);
  const decision: { chargers: Setpoint[] } = { chargers: [] };
  return {
    step(input) {
      const out = entries(input.chargers);
      for (let i = 0; i < out.length; i++) {
        const c = input.chargers[i]!;
        out[i]!.limitA = c.measurement.vehiclePlugged ? c.capabilities.maxA : 0;
      }
      decision.chargers = out;
      return decision;
    },
  };
};

/**
 * A periodic controller on the highest phase: every `periodMs` it reads the highest line current and moves
 * the setpoints by the gap to the fuse, shared equally; `cutAtOnce` cuts on every telegram instead of
 * waiting; `raiseFraction` raises by that part of the gap (SmartEVSE: ¼ per 2 s; evcc: all of it per 30 s).
 */
function highestPhaseController(periodMs: number, raiseFraction: number, cutAtOnce: boolean): StrategyFactory {
  return (_config, scenario) => {
    const fuse = scenario.site.fuseA;
    let lastRunMs = Number.NEGATIVE_INFINITY;
    const entries = reusedDecision(scenario);
    const decision: { chargers: Setpoint[] } = { chargers: [] };
    return {
      step(input: BalancerInput) {
        const reading = input.reading;
        const due = input.nowMs - lastRunMs >= periodMs;
        const out = entries(input.chargers);
        let plugged = 0;
        for (const c of input.chargers) if (c.measurement.vehiclePlugged) plugged++;
        if (reading?.ok) {
          let highest = 0;
          for (const p of reading.phases) highest = Math.max(highest, p.currentA ?? 0);
          const gap = fuse - highest;
          if ((gap < 0 && cutAtOnce) || due) {
            lastRunMs = input.nowMs;
            const share = plugged > 0 ? (gap < 0 ? gap : gap * raiseFraction) / plugged : 0;
            for (let i = 0; i < out.length; i++) {
              const c = input.chargers[i]!;
              if (!c.measurement.vehiclePlugged) continue;
              const cap = c.capabilities;
              const prev = out[i]!.limitA;
              // Cuts start from what the car draws (an offer above its draw would cut nothing).
              let drawn = 0;
              for (const a of c.measurement.currentA) drawn = Math.max(drawn, a ?? 0);
              let next = Math.min(cap.maxA, (gap < 0 ? Math.min(prev, drawn) : prev) + share);
              // A paused car restarts when the gap fits its minimum (SmartEVSE at the minimum, evcc at all of it).
              if (prev === 0) {
                const each = gap / plugged;
                next = each >= cap.minA ? (raiseFraction < 1 ? cap.minA : Math.min(cap.maxA, each)) : 0;
              }
              if (next < cap.minA) next = 0;
              out[i]!.limitA = Math.floor(next * 10) / 10;
            }
          }
        }
        for (let i = 0; i < out.length; i++) if (!input.chargers[i]!.measurement.vehiclePlugged) out[i]!.limitA = 0;
        decision.chargers = out;
        return decision;
      },
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
