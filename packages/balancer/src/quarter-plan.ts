/**
 * How much power the cars may take now so that the quarter ends at or under the target.
 *
 * The budget is energy, not an even power: the house's expected use for the rest of the quarter is set
 * aside first (its present import plus the learned loads that will come back), and the cars charge at the
 * END of the quarter, at full power, for as long as what is left allows. By then the house's use of the
 * quarter is mostly known, so an oven or a heat pump that comes on at ten past eats budget the car had not
 * spent yet instead of pushing the quarter over; and a car whose minimum (4.1 kW on three phases) is above
 * the budget's even rate still gets all of it, as one run per quarter instead of sitting paused.
 */
import type { Reason } from './reasons';

export interface PlanInput {
  /** Energy still allowed this quarter under the target less the margin (kWh). */
  leftKwh: number;
  /** Seconds left in the quarter. */
  leftS: number;
  /** Seconds a change takes to reach the cars (their response lag): what they draw now runs on that long. */
  lagS: number;
  /** A run starts this much before the even share reaches full power: the cars' lag and ramp cost as much. */
  leadS: number;
  /** No start in the last lagS + freezeS seconds: it could not run long enough to be worth it. */
  freezeS: number;
  /** The house's net power now (kW; negative while it exports). */
  houseKw: number;
  /** Import the learned loads that are off now are expected to add before the quarter ends (kWh). */
  cyclerKwh: number;
  /** What the cars draw now (kW). */
  evKw: number;
  /** What the plugged cars could draw within the fuse and their maximum (kW). */
  fullKw: number;
  /** The least power at which a car can charge (kW). */
  minKw: number;
  /** Once started, a run lasts at least this long (s). */
  minRunS: number;
  /** The shortest pause the cars tolerate (s). */
  minPauseS: number;
  /** The cars are charging now under this quarter's plan. */
  running: boolean;
  /** Seconds since the cars started charging (the lead is spent while they lag and ramp). */
  runningForS: number;
  /** Budget of the next quarter as it would start with the house as it is (kWh), for the last lag seconds. */
  nextQuarterKwh: number;
}

export interface Plan {
  /** Power the cars may take now (kW); Infinity when the budget does not bind. */
  evKw: number;
  reason: Reason;
  /** So close to the quarter's end that no car may be raised: a raise could not be undone in time. */
  frozen: boolean;
  /** The house's expected import over the rest of the quarter (kWh). */
  houseRestKwh: number;
  /** The import rate allowed for the rest of the quarter, house and cars together (kW). */
  allowedKw: number;
}

export function planQuarter(p: PlanInput): Plan {
  const surplusKw = Math.max(0, -p.houseKw);
  const lag = Math.min(p.lagS, Math.max(0, p.leftS));
  const houseRestKwh = (Math.max(0, p.houseKw) * p.leftS) / 3600 + p.cyclerKwh;
  const allowedKw = p.leftS > 0 ? (p.leftKwh * 3600) / p.leftS : 0;
  const horizonS = p.leftS - lag;
  const frozen = horizonS < p.freezeS;
  const [evKw, reason] = capOf(p, surplusKw, lag, horizonS, houseRestKwh);
  return { evKw, reason, frozen, houseRestKwh, allowedKw };
}

const UNLIMITED: [number, Reason] = [Number.POSITIVE_INFINITY, 'quarter budget'];

/**
 * Whether running at full power on this budget would leave the cars a pause shorter than they tolerate:
 * then they charge on at the even rate instead, still nearly their full power (a surge up to that size is
 * still absorbed, where a longer even-rate run would leave a late surge nothing to take from).
 */
function tooShortToPause(evenKw: number, horizonS: number, p: PlanInput): boolean {
  return evenKw >= p.minKw && horizonS * (1 - evenKw / p.fullKw) < p.minPauseS;
}

function capOf(p: PlanInput, surplusKw: number, lag: number, horizonS: number, houseRestKwh: number): [number, Reason] {
  if (horizonS <= 0) {
    // What is decided now lands in the next quarter: run on if that one would not pause the cars.
    const nextKw = (p.nextQuarterKwh * 3600) / (900 - lag) + surplusKw;
    if (nextKw >= p.fullKw) return UNLIMITED;
    return tooShortToPause(nextKw, 900 - lag, p) ? [nextKw, 'quarter budget'] : [surplusKw, 'quarter end'];
  }
  // The cars keep drawing what they draw now until a cut reaches them.
  const evKwh = p.leftKwh - houseRestKwh - (p.evKw * lag) / 3600;
  if (evKwh <= 0) return [surplusKw, 'quarter budget'];
  const evenKw = (evKwh * 3600) / horizonS + surplusKw;
  if (evenKw >= p.fullKw) return UNLIMITED;
  // Nearly enough for the whole quarter: a pause would be shorter than the cars tolerate.
  if (tooShortToPause(evenKw, horizonS, p)) return [evenKw, 'quarter budget'];
  if (p.running) {
    // A run started `leadS` early for the cars' lag and ramp; that lead is used up as they start.
    const leadLeftS = Math.max(0, p.leadS - p.runningForS);
    const runKw = (evKwh * 3600) / Math.max(1, horizonS - leadLeftS) + surplusKw;
    return [runKw >= p.minKw ? runKw : surplusKw, 'quarter budget'];
  }
  // Export the cars could take now is lost if they wait: top it up from the budget at no more than its
  // even rate (a surge then eats the export first).
  if (surplusKw > 0 && evenKw >= p.minKw) return [evenKw, 'quarter budget'];
  // Paused: start once what is left keeps the cars at full power until the quarter ends; a small budget
  // runs at less power for the minimum run time instead; none starts too close to the end.
  if (horizonS < p.freezeS) return [surplusKw, 'quarter end'];
  const startKw = Math.max(p.minKw, Math.min(p.fullKw, (evKwh * 3600) / p.minRunS + surplusKw));
  // The cars' lag and ramp cost about `leadS` of a run: start that much before the even share reaches it.
  const leadKw = (evKwh * 3600) / Math.max(1, horizonS - p.leadS) + surplusKw;
  return leadKw >= startKw ? [leadKw, 'quarter budget'] : [surplusKw, 'quarter plan'];
}
