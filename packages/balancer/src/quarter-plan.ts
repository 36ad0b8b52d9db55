/**
 * How much power the cars may take now so that the quarter ends at or under the target.
 *
 * The budget is energy, not an even power. The house's expected use for the rest of the quarter is set
 * aside first (its present import plus the learned loads that will come back). What the cars may import
 * early is what leaves, besides, room for a surge: a load of the size the house has shown (an oven, a
 * hob, a heat pump) switching on now and staying on until the quarter ends. The rest of the budget is
 * spent at the END of the quarter, at full power: by then the house's use is mostly known, so an oven that
 * comes on at ten past eats budget the car had not spent yet instead of pushing the quarter over, and a
 * car whose minimum (4.1 kW on three phases) is above the budget's even rate still gets all of it, as one
 * run per quarter instead of sitting paused. A run a load has spread thinner than a surge pauses and runs again
 * at the end at full power: cutting a thin run frees less than the surge takes. Power the house exports is free
 * and taken whenever it comes.
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
  /**
   * Power of the cyclers off now whose return a cut can meet (kW: off past their rhythm, or resting 5 min and
   * more), and their part of `cyclerKwh`.
   */
  spendableCyclersKw: number;
  spendableCyclerKwh: number;
  /** The largest surge besides the cyclers that are off (kW): what may switch on together with them. */
  otherSurgeKw: number;
  /** The largest surge the house may add at any moment (kW): kept in reserve while the cars charge early. */
  surgeKw: number;
  /** What the cars draw now (kW). */
  evKw: number;
  /** What the plugged cars could draw within the fuse and their maximum (kW). */
  fullKw: number;
  /** The least power at which a car can charge (kW). */
  minKw: number;
  /** Once started, a run lasts at least this long (s). */
  minRunS: number;
  /** The longest pause a plugged car needs before it charges again (s). */
  minPauseS: number;
  /** Seconds the run has been thinner than a surge (see `Plan.thin`); 0 when it is not. */
  thinForS: number;
  /** A car is held under its maximum by this plan (see `HELD_MARGIN`). */
  held: boolean;
  /** A car holds a limit it charges at now (or a start handed over to it): an early share keeps it going. */
  charging: boolean;
  /** The cars are charging now in this quarter's run at its end. */
  running: boolean;
  /** Seconds since the cars started charging (the lead is spent while they lag and ramp). */
  runningForS: number;
  /** The next quarter's energy for the cars as it would start with the house as it is (kWh). */
  nextQuarterKwh: number;
}

export interface Plan {
  /** Power the cars may take now (kW); Infinity when the budget does not bind. */
  evKw: number;
  reason: Reason;
  /** So close to the quarter's end that no car may be raised: a raise could not be undone in time. */
  frozen: boolean;
  /** The run at the quarter's end starts now (the caller marks the cars `running` from here on). */
  startsRun: boolean;
  /** The house's expected import over the rest of the quarter (kWh). */
  houseRestKwh: number;
  /** The import rate allowed for the rest of the quarter, house and cars together (kW). */
  allowedKw: number;
  /** The run is spread thinner than a surge would take: the caller counts how long (`thinForS`). */
  thin: boolean;
  /**
   * What a car that does not charge must find in `evKw` above its minimum to start on it (kW): `START_MARGIN_KW` on
   * an early share, which the house's next flicker may take back; 0 on a run, which is spent to the end.
   */
  startMarginKw: number;
}

/**
 * A pause holds the cars off for their minimum pause (60 s and more): a thinning load must last this long
 * first. A hob's pulse or an element's short burst (10–30 s) is waited out; a kettle, an oven, a sauna are not.
 */
export const THIN_CONFIRM_S = 30;

/**
 * Cars held under their maximum by the plan go back to it only once the budget leaves this share more than their
 * full power: a run that needs about their full power would otherwise lift and set the cap with every swing of
 * the house's noise (16 ↔ 15.7 A every half minute, 86 setpoint changes an hour in fleet house 31337/594).
 */
export const HELD_MARGIN = 0.03;

/**
 * How many surges a run started early (`runsOn`) must free when its cars are cut. With one (the rule of a run
 * already going), fleet houses 555/451, 555/583 and 2024/664 ended a quarter over where the wait for full power had
 * left a little budget unspent: a dishwasher and then a kettle took more than a 3.5 kW run freed (2024/664).
 */
export const RUN_ON_SURGES = 1.5;

/**
 * Paused cars start on the early share only once it is this much above their minimum (kW); charging, they keep it
 * down to the minimum. A share that just fits is withdrawn by the house's next flicker, and the withdrawn start rests
 * the car its minimum pause, which can fall over the run at the quarter's end (fleet house 16180/131: a 300 s pause
 * from a 1 s offer left 55 s of a 6 min run). Never more than the early share is offered: the surge keeps its room.
 * Beside a charging car, another starts only with this margin over its own minimum (`Plan.startMarginKw`). The run
 * at the quarter's end on a small budget starts with it too (16180/613: started at 1.35 kW for a 1.34 kW minimum,
 * withdrawn a second later).
 */
export const START_MARGIN_KW = 0.2;

/** The least early share the cars are started (or kept charging) at. */
const startsAtKw = (p: PlanInput) => p.minKw + (p.charging ? 0 : START_MARGIN_KW);

export function planQuarter(p: PlanInput): Plan {
  const surplusKw = Math.max(0, -p.houseKw);
  const lag = Math.min(p.lagS, Math.max(0, p.leftS));
  const houseRestKwh = (Math.max(0, p.houseKw) * p.leftS) / 3600 + p.cyclerKwh;
  const allowedKw = p.leftS > 0 ? (p.leftKwh * 3600) / p.leftS : 0;
  const horizonS = p.leftS - lag;
  const frozen = horizonS < p.freezeS;
  const [evKw, reason, startsRun, thin, early] = capOf(p, surplusKw, lag, horizonS, houseRestKwh);
  const startMarginKw = early === true ? START_MARGIN_KW : 0;
  return { evKw, reason, frozen, startsRun, houseRestKwh, allowedKw, thin: thin === true, startMarginKw };
}

type Cap = [kw: number, reason: Reason, startsRun: boolean, thin?: boolean, early?: boolean];

const UNLIMITED: Cap = [Number.POSITIVE_INFINITY, 'quarter budget', false];

/** An early share of `kw`: a car that does not charge starts on it only with `START_MARGIN_KW` to spare. */
const earlyShare = (kw: number): Cap => [kw, 'quarter budget', false, false, true];

/**
 * What the cars may take now while a surge of `surgeKw` for the rest of the quarter still fits: their free
 * export, plus the import the budget leaves over the reserve, spread evenly (kW). A surge is fed by the export
 * first (the cars are cut for it), so only what the export does not cover is reserved: a car under a tight
 * target then tops sunshine up to its minimum instead of pausing while it is exported.
 */
function earlyKw(evKwh: number, horizonS: number, surplusKw: number, surgeKw: number): number {
  return surplusKw + Math.max(0, (evKwh * 3600) / horizonS - Math.max(0, surgeKw - surplusKw));
}

/** The power at which the budget stops binding the cars: their full power, with a margin for held ones. */
const liftKw = (p: PlanInput) => p.fullKw * (p.held ? 1 + HELD_MARGIN : 1);

function capOf(p: PlanInput, surplusKw: number, lag: number, horizonS: number, houseRestKwh: number): Cap {
  if (horizonS <= 0) {
    // What is decided now lands in the next quarter: run on if that one would let the cars charge from its
    // start (early, or its run at the end already due), rather than stop them for a pause of a few seconds.
    // A run at full power due from that quarter's start goes before its early share, as it would there: offered
    // now, a share that fits one car's minimum pauses the others for a minute at every quarter's end.
    const nextKw = earlyKw(p.nextQuarterKwh, 900 - lag, surplusKw, p.surgeKw);
    if (nextKw >= p.fullKw) return UNLIMITED;
    const nextRunKw = (p.nextQuarterKwh * 3600) / (900 - lag - p.leadS) + surplusKw;
    if (nextRunKw >= p.fullKw) return [nextRunKw, 'quarter budget', false];
    if (nextKw >= startsAtKw(p)) return earlyShare(nextKw);
    if (runsOn(p, p.nextQuarterKwh, 900 - lag, nextRunKw)) return [nextRunKw, 'quarter budget', false];
    return [surplusKw, 'quarter end', false];
  }
  // The cars keep drawing what they draw now until a cut reaches them.
  const evKwh = p.leftKwh - houseRestKwh - (p.evKw * lag) / 3600;
  // In the run at the end the cars' own power is the reserve. A cycler off for longer than its rhythm says
  // may have stopped (the oven is done), and one that rests 5 min and more (a heat pump) comes back once or
  // twice a quarter: where a cut can make room for it and a surge together, its return costs only its detection
  // (a telegram) and the cars' lag, so the run need not leave its energy unspent in case it comes. A hob zone
  // or an oven thermostat in its rhythm would cost that at every return: their energy stays set aside.
  const spend = p.fullKw >= p.spendableCyclersKw + p.otherSurgeKw;
  const runKwh = spend ? evKwh + p.spendableCyclerKwh - (p.spendableCyclersKw * (lag + 1)) / 3600 : evKwh;
  if (runKwh <= 0) return [surplusKw, 'quarter budget', false];
  if (p.running) {
    // The run at the end: spend what is left by the end. It started `leadS` early for the cars' lag and
    // ramp; that lead is used up as they start.
    const leadLeftS = Math.max(0, p.leadS - p.runningForS);
    const runKw = (runKwh * 3600) / Math.max(1, horizonS - leadLeftS) + surplusKw;
    if (runKw >= liftKw(p)) return UNLIMITED;
    // A run spread thinner than a surge frees nothing like what the surge takes: if it comes, the quarter
    // ends over. Pause, and run again at the end at the power the start rule gives, where a cut does free it
    // (when the cars' pause leaves time for that run).
    const againS = fullRunDueInS(p, runKwh, horizonS);
    const thin = runKw < Math.min(p.fullKw, p.surgeKw) && againS >= p.minPauseS;
    if (!thin || p.thinForS < THIN_CONFIRM_S) {
      return [runKw >= p.minKw ? runKw : surplusKw, 'quarter budget', false, thin];
    }
  }
  const early = evKwh > 0 ? earlyKw(evKwh, horizonS, surplusKw, p.surgeKw) : surplusKw;
  if (early >= liftKw(p)) return UNLIMITED;
  // The run at the end starts once what is left keeps the cars at full power until the quarter ends (a small
  // budget runs at less power for the minimum run time, and paused cars start on it only with the margin over
  // their minimum); none starts too close to the end. It starts `leadS` early: the cars' lag and ramp cost about
  // that much of it. Its power spreads what is left up to the quarter's end, the last `lag` seconds included: once
  // the cars draw, the run keeps their power for that long aside for the stop on its way (`evKwh`), and a power
  // spread over the horizon alone is trimmed as they start (16 A, then 15.7 A), or stopped near their minimum.
  if (horizonS >= p.freezeS) {
    const startKw = Math.max(startsAtKw(p), Math.min(p.fullKw, (runKwh * 3600) / p.minRunS + surplusKw));
    const leadKw = (runKwh * 3600 + p.evKw * lag) / Math.max(1, p.leftS - p.leadS) + surplusKw;
    if (leadKw >= startKw) return [leadKw, 'quarter budget', true];
    if (runsOn(p, runKwh, horizonS, leadKw)) return [leadKw, 'quarter budget', true];
  }
  // Before it, only what leaves room for a surge, or the export alone.
  if (early >= startsAtKw(p)) return earlyShare(early);
  return [surplusKw, horizonS >= p.freezeS ? 'quarter plan' : 'quarter end', false];
}

/**
 * Cars that charge now start the run at once, at the power that spends `kwh` by the quarter's end (a little under
 * their full power), when the run at full power would start within their minimum pause. Else a car charging early
 * waits at its early power, and one a quarter's end would stop waits for the run: for a wait that short the stop
 * costs the whole pause (and the car's lag and ramp) of charging the budget had room for. Started earlier than the
 * run at full power, such a run frees less when cut for a surge: it must free `RUN_ON_SURGES` surges.
 */
function runsOn(p: PlanInput, kwh: number, horizonS: number, runKw: number): boolean {
  if (p.evKw <= 0 || p.fullKw <= 0) return false;
  if (runKw < Math.max(p.minKw, Math.min(p.fullKw, p.surgeKw * RUN_ON_SURGES))) return false;
  return fullRunDueInS(p, kwh, horizonS) < p.minPauseS;
}

/** Seconds until a run at the cars' full power, `leadS` early, would start to spend `kwh` by the quarter's end. */
function fullRunDueInS(p: PlanInput, kwh: number, horizonS: number): number {
  return horizonS - p.leadS - (kwh * 3600) / p.fullKw;
}
