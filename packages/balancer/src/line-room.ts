/**
 * What each line leaves the cars at a fresh telegram: the fuse less the house, less the room kept for the loads
 * the house model expects (a cycler due back, a load that just went off) and, under 1.45 × In, for the next step
 * of any load (one seen lately, or an appliance not seen yet). The cut line is what the cars are cut to now; the
 * raise line what they may be raised into; over the fuse both keep room for one more step until the cut lands.
 */

import { DEFAULT_LAG_S } from './charger-record';
import type { HouseModel } from './house-model';
import type { Settings } from './settings';

/** IEC 60898-1 conventional tripping current: a learned load's next step must not take a line above it. */
const TRIP_RATIO = 1.45;
/**
 * IEC 60898-1 conventional non-tripping current: a breaker carries 1.13 × In for an hour. The return of a cycler
 * that rests long may take a line up to it: over the fuse only until the cut lands.
 */
const NO_TRIP_RATIO = 1.13;
/** The longest run over the fuse such a return may cause: a telegram interval and the cars' lag must fit in it. */
export const RETURN_RUN_MS = 10_000;

/** The plugged cars per line, as the control loop tallies them each step. */
export interface CarsOnLines {
  /** The sum of the minimums of the cars offered at least theirs (A): a cut this deep pauses none. */
  minA: readonly number[];
  /** The same, of the cars whose second cut lands in time. */
  minFastA: readonly number[];
  /** A car is on the line whose second cut would not land in time. */
  slow: readonly boolean[];
  /** The sum of the minimums of every plugged car (A), charging or not. */
  pluggedMinA: readonly number[];
}

export class LineRoom {
  /** What the cars are cut to on each line (A; Infinity on a line the site does not have). */
  readonly cutLine: [number, number, number] = [Infinity, Infinity, Infinity];
  /** What the cars may be raised into. */
  readonly raiseLine: [number, number, number] = [Infinity, Infinity, Infinity];
  /** The cut without the room a line over its fuse keeps for one more step; `overFuse`: that room binds. */
  readonly plainCutLine: [number, number, number] = [Infinity, Infinity, Infinity];
  overFuse = false;
  /** Per line: held below what the fuse alone would leave the cars. */
  readonly heldLine = [false, false, false];
  /** What each line leaves the cars under the fuse alone (A), to tell a held line from a full one. */
  readonly fuseRoomA = [0, 0, 0];
  /** A load just gone off keeps raises out of its room (`HouseModel.coolingA`) on some line. */
  coolingBinds = false;
  /** The house's current per line at this telegram (A), an unreported line as the worst reported one. */
  private readonly lineHouseA = [0, 0, 0];
  /**
   * Per line at the last telegram: the cyclers due back (A) and whether it was over its fuse; and whether its run
   * over the fuse began while a cycler was due back there (a return the cars were left under 1.13 × In for).
   */
  private readonly dueBeforeA = [0, 0, 0];
  private readonly overBefore = [false, false, false];
  private readonly overExpected = [false, false, false];

  /**
   * The room at a fresh telegram: `houseA` the house's current per line (NaN: not reported), `lineA` the meter's,
   * `cadenceMs` the meter's telegram interval, after `house` has observed this telegram; `boundedA` the house with
   * the cars' currents as their ramps and limits bound them (`HouseReading.boundedA`).
   */
  update(
    now: number,
    houseA: readonly number[],
    lineA: readonly number[],
    s: Settings,
    house: HouseModel,
    cadenceMs: number,
    cars: CarsOnLines,
    boundedA: readonly number[],
  ): void {
    const { minA: minOnLine, minFastA: minFastOnLine, slow: slowOnLine } = cars;
    let worstHouse = Number.NEGATIVE_INFINITY;
    for (let l = 0; l < 3; l++) if (!Number.isNaN(houseA[l]!)) worstHouse = Math.max(worstHouse, houseA[l]!);
    // A cycler's return must find the cars already cut: hold its headroom from a response time before it.
    const lagS = Number.isNaN(s.lagS) ? DEFAULT_LAG_S : s.lagS;
    const horizonS = lagS + 3 + s.raiseIntervalMs / 1000;
    const hold = house.holdA(now, horizonS);
    const returnWithStepA = house.returnWithStepA(now, horizonS);
    // A cycler's return may land on cars not yet cut for it where the cut ends the run over the fuse within 10 s
    // (a meter sending every 10 s would leave it over for 15). A breaker does not trip at 1.13 × In.
    const returnRoomA = cadenceMs + lagS * 1000 <= RETURN_RUN_MS ? (NO_TRIP_RATIO - 1) * s.fuseA : 0;
    const cooling = house.coolingA(now);
    const lineCount = s.connection === '1x230' ? 1 : 3;
    // A line the meter does not report is assumed as loaded as the worst one it does.
    for (let l = 0; l < 3; l++) this.lineHouseA[l] = Number.isNaN(houseA[l]!) ? worstHouse : houseA[l]!;
    const stepA = house.stepA(now, this.lineHouseA, s.fuseA);
    // The same without an appliance not seen yet: what a slow car is paused for on a line over its fuse (rare:
    // taken only then).
    let learnedStepA: readonly number[] | null = null;
    this.coolingBinds = false;
    this.overFuse = false;
    for (let l = 0; l < 3; l++) {
      if (l >= lineCount) {
        this.cutLine[l] = this.raiseLine[l] = this.plainCutLine[l] = Infinity;
        this.heldLine[l] = false;
        continue;
      }
      // Over the fuse the house is counted as the cars' physics bound it, not as credited: a car rises no faster than
      // its ramp, and once its lag has passed draws no more than its limit. Credited up to 16 A of a raise its cut
      // had superseded, a car ramping at 9 A hid a load as large (nl 7070707/642, a charger sampling once a minute:
      // cut to its 6 A minimum, 15 s over the fuse).
      const overLine = lineA[l]! > s.fuseA;
      const h = overLine && boundedA[l]! > this.lineHouseA[l]! ? boundedA[l]! : this.lineHouseA[l]!;
      const fuse = s.fuseA - s.marginA - h;
      // Loads that cycle count as on; every load seen lately keeps room for its step under 1.45 × In.
      const trip = TRIP_RATIO * s.fuseA - s.marginA - h - stepA[l]!;
      // A cycler resting a minute or more may return onto the cars up to 1.13 × In; one resting less keeps its
      // whole room, as does a load just gone off from raises (`cooling`, no rhythm yet). Not while the line is over
      // its fuse: there the return would stack on the overload the cut has not undone yet, so the cut holds both
      // (fleet house 555/872: an oven's first step, the hob zone back 5 s later, a car cut to its minimum and then
      // paused, 11 s over; 314159/751: a washing machine's heater, its drum motor back 4 s later, 10 s over).
      if (overLine && !this.overBefore[l]) this.overExpected[l] = this.dueBeforeA[l]! > 0;
      this.overBefore[l] = overLine;
      this.dueBeforeA[l] = hold.dueA[l]!;
      // Beside a car too slow for a second cut, not for a cycler resting less than 5 min: a cooking or drying
      // thermostat, whose return another load of those hours may follow before the cut lands (two of one size may
      // be one load to the model), a second lag over the fuse (nl 8675309/127: an oven and a hob zone, 11 s).
      const oftenA = slowOnLine[l] ? hold.dueOftenA[l]! : 0;
      const lendA = overLine ? 0 : returnRoomA;
      const heldA = hold.shortA[l]! + oftenA + Math.max(0, hold.dueA[l]! - oftenA - lendA);
      // A cooking or drying thermostat due back may return within a cut's lag of a step of another load the house
      // has shown (fleet house nl 60221/455: a hob zone back 2 s after another zone's step, 1 s above 1.45 × In).
      // The largest such return and that step fit under 1.45 × In beside the cars, trimmed for it no lower than the
      // plugged cars' minimums: none is paused or kept from starting for a return that may not come.
      const bothA = returnWithStepA[l]!;
      const dueTripA =
        bothA > 0 ? Math.max(TRIP_RATIO * s.fuseA - s.marginA - h - bothA, cars.pluggedMinA[l]!) : Infinity;
      this.raiseLine[l] = Math.min(fuse - heldA - cooling[l]!, trip, dueTripA);
      this.cutLine[l] = overLine ? this.raiseLine[l]! : Math.min(fuse - heldA, trip, dueTripA);
      this.plainCutLine[l] = this.cutLine[l]!;
      if (overLine) {
        // Over the fuse: the cut lands only after the cars' lag, and a load switching on before it would
        // need a cut of its own, one more lag over the fuse (fleet house 424242/320: a hob zone, an air fryer
        // 5 s later, 11 s over). Until the line is back under, the cut leaves room for one more step, down
        // to the cars' minimums: nobody is paused for a load that may not come. A car too slow for that second
        // cut to end the run within 10 s is paused where the step of a load the house has shown does not fit
        // beside the minimums (1618033/497: a 5 s car cut to its minimum for a hob zone's first switch-on, a
        // zone seen before back 5 s later, 11 s over); not where the run began with a cycler due back, a return
        // the cars were left under 1.13 × In for several times an hour (a pause at each: 1618033/430 0.998 → 0.917).
        let floorA = minOnLine[l]!;
        if (!this.overExpected[l]) {
          learnedStepA ??= house.stepA(now, this.lineHouseA, s.fuseA, false);
          floorA = Math.min(floorA, Math.max(fuse - learnedStepA[l]!, minFastOnLine[l]!));
        }
        const roomA = Math.max(fuse - stepA[l]!, floorA);
        if (roomA < this.cutLine[l]!) this.overFuse = true;
        this.cutLine[l] = Math.min(this.cutLine[l]!, roomA);
        this.raiseLine[l] = Math.min(this.raiseLine[l]!, roomA);
      }
      this.heldLine[l] = this.cutLine[l]! < fuse;
      this.fuseRoomA[l] = fuse;
      if (cooling[l]! > 0) this.coolingBinds = true;
    }
  }
}
