/**
 * The house's own current per line and its power: the meter less what the chargers' samples say the cars draw.
 * A sample is taken at another instant than the telegram: while a car follows a new limit, or when a sample is
 * newer than the meter's reading, meter less samples reads the car's move as a house load (a phantom step the
 * cuts would chase and the house model would learn). Each step the control loop starts a tally (`beginStep`) and
 * adds, per line, the cars' currents and how far each car may have moved since its sample; `update` turns a fresh
 * telegram into the house as sound as those moves allow. Allocation-free: it runs on every telegram.
 */

/** A rise of the house beyond what the cars' moves explain, while they follow new limits (A, and kW). */
const HOUSE_RISE_A = 1;
const HOUSE_RISE_KW = 0.23;

/**
 * The house while cars follow new limits and their chargers' samples are older than the telegram: meter less
 * samples (`measured`) overstates it by up to `risen` (cars gone up since their samples) and understates it by
 * up to `fallen`. It is taken as last measured in step (`inStep`), unless it rose by more than the cars explain:
 * then as the most it may be, with what the falling cars may hide of it (a kettle while a cut lands), which the
 * caller keeps as `inStep` until the samples catch up: the cars' fall would hide the rise again a second later.
 * With no car going up (none since its sample, none in a sample newer than the meter: `ahead`), a rise of meter
 * less samples since the telegram before (`rose`, NaN at the first) is the house's own: once the cut has landed,
 * the fall the samples do not show yet would hide a step up to its size (fleet house 1/147 with chargers sampling
 * every 10 s: 12 s over the fuse until the next sample).
 */
function houseWhileFollowing(
  measured: number,
  inStep: number,
  risen: number,
  fallen: number,
  ahead: number,
  rose: number,
  rise: number,
): number {
  const least = measured - risen;
  if (least > inStep + rise) return least + fallen;
  if (risen === 0 && ahead <= 0 && rose > rise) return inStep + rose;
  return inStep;
}

/**
 * How much of the cars' moves in samples that may be newer than the telegram (`ahead`) the meter does not show
 * yet. None if the meter moved by half of it or more since the telegram before (`meterMoved`): it shows them, or
 * a load moved with them, which cannot be told apart; unless it lagged the samples at the telegram before too
 * (`lagged`: through a ramp it moves a telegram late). Else as much of it as brings meter minus samples
 * (`measured`) back towards the house at the telegram before (`before`), no more than all of it. For a line's
 * current (`riseOnly`) only a rise counts: what a cut hides of a load the fuse loop must see at once, and meter
 * minus a sample that fell first is the more.
 */
function notYetMetered(
  measured: number,
  before: number,
  ahead: number,
  meterMoved: number,
  lagged: boolean,
  riseOnly: boolean,
): number {
  if (ahead === 0 || (riseOnly && ahead < 0) || Number.isNaN(before) || Number.isNaN(meterMoved)) return 0;
  if (!lagged && Math.abs(meterMoved) >= Math.abs(ahead) / 2) return 0;
  const back = before - measured;
  return ahead > 0 ? Math.min(ahead, Math.max(0, back)) : Math.max(ahead, Math.min(0, back));
}

export class HouseReading {
  // The step's tally, filled by the control loop from the chargers.
  /** The cars' current per line as the chargers measure it (A). */
  readonly evOnLine = [0, 0, 0];
  /** Lines whose cars' samples are not in step with the meter (a car following, moving, or unmeasured). */
  readonly unknownLine = [false, false, false];
  /** Lines out of step only because a car follows a new limit or plug: their house current before is sound. */
  readonly followingLine = [false, false, false];
  /**
   * Lines out of step for another reason too: a charger without a usable sample, a car plugged in or out, or one
   * that moved by itself. Which way such a car moves is not known.
   */
  readonly driftLine = [false, false, false];
  /**
   * Per line, the sum of its chargers' sample times (a new sample moves it). Not a sample newer than the telegram
   * before: a charger that reports late brings samples older than that.
   */
  readonly sampledAtLine = [0, 0, 0];
  /** How far the cars following new limits may have risen and fallen since their samples (A per line, and kW). */
  readonly risenA = [0, 0, 0];
  readonly fallenA = [0, 0, 0];
  /** Of `risenA`, no more than each car's ramp allows in the time since its sample (A per line). */
  readonly rampRisenA = [0, 0, 0];
  /** How far cars whose lag has passed since their last new limit are sampled above it (A per line). */
  readonly landedFallA = [0, 0, 0];
  risenKw = 0;
  fallenKw = 0;
  /**
   * How far the samples taken in the second before this telegram moved (A per line, and kW): they may be newer
   * than the meter's reading.
   */
  readonly aheadA = [0, 0, 0];
  aheadKw = 0;

  // The house at the last fresh telegram (`update`).
  /** The house's current per line (A; NaN for a line the meter does not report). */
  readonly houseA = [0, 0, 0];
  /** The house's power (kW). */
  houseKw = 0;
  /**
   * The house's current per line as meter less the cars' currents as their physics bounds them: risen since their
   * samples no faster than their ramps, and at or under their limits once their lag has passed (`houseA` may credit
   * a car with a rise up to its limit, or take it at a sample above a limit it has followed since).
   */
  readonly boundedA = [Number.NaN, Number.NaN, Number.NaN];
  /** Lines not to learn loads from: out of step now or at the telegram before (its error undone shows now). */
  readonly quiet = [false, false, false];
  /** A fall of the house's current per line that is certainly its own (A, ≤ 0): a load's off-step. */
  readonly fellA = [0, 0, 0];
  /**
   * A rise of the house's current per line beyond what the cars out of step explain, and no more than the meter
   * rose (A, ≥ 0): a load's on-step while a car follows a new limit. Its size shows once the line is in step again.
   */
  readonly roseA = [0, 0, 0];

  /**
   * The house at the last fresh telegram whose car samples were in step with it, or the most it may be since it
   * rose beyond what the cars explain (A per line, kW; NaN: none yet).
   */
  private readonly inStepHouseA = [Number.NaN, Number.NaN, Number.NaN];
  private inStepHouseKw = Number.NaN;
  /** The meter's line currents and power at the last fresh telegram, and whether they lagged the samples. */
  private readonly meterABefore = [Number.NaN, Number.NaN, Number.NaN];
  private meterKwBefore = Number.NaN;
  private readonly laggedA = [false, false, false];
  private laggedKw = false;
  /** Meter less the samples at the last fresh telegram (A per line, kW): how the house measured then. */
  private readonly meteredABefore = [Number.NaN, Number.NaN, Number.NaN];
  private meteredKwBefore = Number.NaN;
  /** The lines out of step at the last fresh telegram. */
  private readonly quietBefore = [false, false, false];
  /** `sampledAtLine` at the last fresh telegram. */
  private readonly sampledAtBefore = [Number.NaN, Number.NaN, Number.NaN];

  /** Starts the step's tally. */
  beginStep(): void {
    for (let l = 0; l < 3; l++) {
      this.evOnLine[l] = 0;
      this.unknownLine[l] = this.followingLine[l] = this.driftLine[l] = false;
      this.sampledAtLine[l] = this.risenA[l] = this.fallenA[l] = this.aheadA[l] = 0;
      this.rampRisenA[l] = this.landedFallA[l] = 0;
    }
    this.risenKw = this.fallenKw = this.aheadKw = 0;
  }

  /** The house at a fresh telegram (`lineA`: the meter's line currents, `netKw` its power, `evKw` the cars'). */
  update(lineA: readonly number[], netKw: number, evKw: number): void {
    for (let l = 0; l < 3; l++) {
      const measuredA = lineA[l]! - this.evOnLine[l]!;
      const meterRoseA = lineA[l]! - this.meterABefore[l]!;
      const notYetA = notYetMetered(measuredA, this.houseA[l]!, this.aheadA[l]!, meterRoseA, this.laggedA[l]!, true);
      this.houseA[l] = measuredA + notYetA;
      this.boundedA[l] = this.houseA[l]! - this.rampRisenA[l]! + this.landedFallA[l]!;
      const meteredRoseA = this.houseA[l]! - this.meteredABefore[l]!;
      this.meteredABefore[l] = this.houseA[l]!;
      // Where every car out of step can only rise (following a raise, no sample since the telegram before), a fall
      // of meter less samples is the house's: the mirror of a rise while they can only fall (`houseWhileFollowing`).
      // The house model learns a load's off-step there, where a car's ramp keeps its line quiet for half a minute:
      // missed, the load's return was expected that much late (two hob zones of one size beside a slow car, 12 s
      // over the fuse when the other zone came first).
      const sameSamples = this.sampledAtLine[l] === this.sampledAtBefore[l];
      this.sampledAtBefore[l] = this.sampledAtLine[l]!;
      this.fellA[l] =
        this.followingLine[l] &&
        !this.driftLine[l] &&
        this.fallenA[l] === 0 &&
        this.aheadA[l] === 0 &&
        sameSamples &&
        meteredRoseA < 0
          ? meteredRoseA
          : 0;
      this.meterABefore[l] = lineA[l]!;
      this.laggedA[l] = notYetA !== 0;
      // At least what meter less samples rose beyond the cars' rise; no more than the meter (a sample catching up
      // with a car that stopped by itself raises meter less samples, not the meter).
      const beyondA = Math.min(this.houseA[l]! - this.risenA[l]! - this.inStepHouseA[l]!, meterRoseA);
      this.roseA[l] = this.followingLine[l] && !this.driftLine[l] && beyondA > HOUSE_RISE_A ? beyondA : 0;
      // As for the house's power below: a car's unmeasured ramp is not a house load (it would cut the car).
      if ((this.risenA[l] === 0 && this.fallenA[l] === 0) || Number.isNaN(this.inStepHouseA[l]!))
        this.inStepHouseA[l] = this.houseA[l]!;
      else
        this.houseA[l] = this.inStepHouseA[l] = houseWhileFollowing(
          this.houseA[l]!,
          this.inStepHouseA[l]!,
          this.risenA[l]!,
          this.fallenA[l]!,
          this.aheadA[l]!,
          meteredRoseA,
          HOUSE_RISE_A,
        );
      // One telegram more: the first one measured in step again shows the error of the last one undone.
      this.quiet[l] = this.unknownLine[l]! || this.quietBefore[l]!;
      this.quietBefore[l] = this.unknownLine[l]!;
    }
    // A charger's sample taken while its car was still following a new limit leaves the car's move since out
    // of meter minus car: a car ramping up to its first offer reads as a house load of its size, and the plan
    // would pause it at once. Until the samples catch up the house is taken as last measured in step.
    const meteredKw = netKw - evKw;
    const notYetKw = notYetMetered(
      meteredKw,
      this.houseKw,
      this.aheadKw,
      netKw - this.meterKwBefore,
      this.laggedKw,
      false,
    );
    const measuredKw = meteredKw + notYetKw;
    const roseKw = measuredKw - this.meteredKwBefore;
    this.meteredKwBefore = measuredKw;
    this.meterKwBefore = netKw;
    this.laggedKw = notYetKw !== 0;
    if ((this.risenKw === 0 && this.fallenKw === 0) || Number.isNaN(this.inStepHouseKw))
      this.houseKw = this.inStepHouseKw = measuredKw;
    else
      this.houseKw = this.inStepHouseKw = houseWhileFollowing(
        measuredKw,
        this.inStepHouseKw,
        this.risenKw,
        this.fallenKw,
        this.aheadKw,
        roseKw,
        HOUSE_RISE_KW,
      );
  }
}
