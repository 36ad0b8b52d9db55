/** The house without the EVs: base load, scheduled and cycling appliances and PV, per grid line. */
import { meterTimeOfDayS, parseStart, parseTimeOfDay } from './clock';
import { addToLines, allLines } from './lines';
import { hashUnit } from './prng';
import { createPv } from './pv';
import type { Line, Scenario } from './scenario';

export interface HouseState {
  /** Net active power per grid line (kW): import +, export −. */
  lineKw: [number, number, number];
  /** Current per grid line (A), signed like lineKw; a meter reports the magnitude. */
  lineA: [number, number, number];
  /** PV generation (kW, ≥ 0). */
  pvKw: number;
  /** Consumption: base load plus appliances (kW, ≥ 0). */
  loadKw: number;
}

export interface House {
  /** The state at t seconds after the scenario start; call with non-decreasing t. */
  step(tS: number): HouseState;
}

const DAY_S = 86_400;

interface ActiveLoad {
  phases: Line[];
  kw: number;
  atS: number;
  durationS: number;
  onS: number;
  periodS: number;
}

/** Whether a daily scheduled (and possibly cycling) appliance draws power at time of day `tod`. */
export function loadIsOn(load: { atS: number; durationS: number; onS: number; periodS: number }, tod: number): boolean {
  const since = (tod - load.atS + DAY_S) % DAY_S;
  if (since >= load.durationS && load.durationS < DAY_S) return false;
  return load.onS <= 0 || since % load.periodS < load.onS;
}

export function createHouse(scenario: Scenario): House {
  const startMs = parseStart(scenario.start);
  const { connection } = scenario.site;
  const baseLines = allLines(connection);
  const loads: ActiveLoad[] = scenario.loads.map((l) => ({
    phases: l.phases,
    kw: l.kw,
    atS: parseTimeOfDay(l.at) ?? 0,
    durationS: l.durationS,
    onS: l.onS,
    periodS: l.onS + l.offS,
  }));
  const pv = scenario.pv ? createPv(scenario.pv, startMs, scenario.seed) : null;
  const pvLines = scenario.pv?.phases ?? [];

  return {
    step(tS) {
      const lineKw: [number, number, number] = [0, 0, 0];
      const lineA: [number, number, number] = [0, 0, 0];
      const tod = meterTimeOfDayS(startMs + tS * 1000);
      // Base load wanders ±10 % every 10 s (fridge, standby), from a hash so sampling rate does not matter.
      let loadKw = scenario.baseLoadKw * (0.9 + 0.2 * hashUnit(scenario.seed, Math.floor(tS / 10)));
      addToLines(connection, baseLines, loadKw, lineKw, lineA);
      for (const load of loads) {
        if (!loadIsOn(load, tod)) continue;
        loadKw += load.kw;
        addToLines(connection, load.phases, load.kw, lineKw, lineA);
      }
      const pvKw = pv ? pv.kwAt(tS) : 0;
      addToLines(connection, pvLines, -pvKw, lineKw, lineA);
      return { lineKw, lineA, pvKw, loadKw };
    },
  };
}
