/** An electric car behind a charger: plug-in window, lag and ramp, minimum current, energy need. */
import { type Connection, kwForAmps, linesInUse } from '@p1/balancer';
import { inDailyWindow, LocalClock, parseStart, parseTimeOfDay } from './clock';
import type { EvSpec, Line } from './scenario';

export interface EvOptions {
  /** The scenario's start (meter clock at t = 0); without it t = 0 is local midnight with no DST. */
  start?: string;
  connection?: Connection;
  /** Grid lines of the charger the car is plugged into (default all lines of the connection). */
  chargerPhases?: Line[];
}

export interface Ev {
  /**
   * Advances the car to tS (dtS seconds since the previous call) with the charger offering `offeredA`
   * per phase on `phases` phases; returns the current the car now draws per phase, which it keeps
   * drawing for the next interval.
   */
  step(dtS: number, offeredA: number, tS: number, phases?: 1 | 3): number;
  /** Whether the car is plugged in at tS. */
  plugged(tS: number): boolean;
  /** Current per phase after the last step (A). */
  readonly currentA: number;
  /** Grid lines the car draws from after the last step. */
  readonly lines: readonly Line[];
  /** Power after the last step (kW). */
  readonly powerKw: number;
  /** Energy delivered this session and over the whole run (kWh). */
  readonly sessionKwh: number;
  readonly totalKwh: number;
  /** The car wants no more: its session's needKwh is delivered. */
  readonly full: boolean;
}

export function createEv(spec: EvSpec, options: EvOptions = {}): Ev {
  return new CarModel(spec, options);
}

/**
 * A class rather than a closure: the bench creates thousands of cars, and methods shared by every instance
 * keep the runner's optimised code valid from one car to the next.
 */
class CarModel implements Ev {
  private readonly connection: Connection;
  private readonly chargerPhases: Line[];
  private readonly arriveS: number;
  private readonly departS: number;
  private readonly drawRatio: number;
  private readonly rampPerS: number;
  private readonly localClock: LocalClock | null;
  // Asked several times a second by the bench: remember the last answer.
  private pluggedAt = Number.NaN;
  private pluggedThen = false;
  /** Setpoints the car has seen but not yet followed: [effective at tS, offered A]. */
  private readonly pending: Array<[number, number]> = [];
  private lastOffered = Number.NaN;
  private followedA = 0;
  private wasPlugged = false;
  private usedPhases: 1 | 3;
  currentA = 0;
  lines: Line[];
  powerKw = 0;
  sessionKwh = 0;
  totalKwh = 0;

  constructor(
    private readonly spec: EvSpec,
    options: EvOptions,
  ) {
    const startMs = options.start ? parseStart(options.start) : Number.NaN;
    this.connection = options.connection ?? '3N400';
    this.chargerPhases = options.chargerPhases ?? (this.connection === '1x230' ? [1] : [1, 2, 3]);
    this.arriveS = parseTimeOfDay(spec.arrive) ?? 0;
    this.departS = parseTimeOfDay(spec.depart) ?? 0;
    this.drawRatio = spec.drawRatio ?? 1;
    this.rampPerS = spec.maxA / Math.max(1, spec.rampS);
    this.localClock = Number.isNaN(startMs) ? null : new LocalClock(startMs);
    this.usedPhases = spec.phases;
    this.lines = linesInUse(this.connection, this.chargerPhases, this.usedPhases);
  }

  plugged(tS: number): boolean {
    if (tS !== this.pluggedAt) {
      this.pluggedAt = tS;
      const tod = this.localClock ? this.localClock.timeOfDay(tS) : ((Math.floor(tS) % 86_400) + 86_400) % 86_400;
      this.pluggedThen = this.arriveS !== this.departS && inDailyWindow(tod, this.arriveS, this.departS);
    }
    return this.pluggedThen;
  }

  get full(): boolean {
    return this.sessionKwh >= this.spec.needKwh;
  }

  step(dtS: number, offeredA: number, tS: number, phases: 1 | 3 = 3): number {
    const spec = this.spec;
    const pending = this.pending;
    // Energy of the interval just ended, at the current the car drew during it.
    this.sessionKwh += (this.powerKw * dtS) / 3600;
    this.totalKwh += (this.powerKw * dtS) / 3600;
    const isPlugged = this.plugged(tS);
    if (isPlugged && !this.wasPlugged) {
      this.sessionKwh = 0;
      this.currentA = 0;
      this.followedA = 0;
      pending.length = 0;
      this.lastOffered = Number.NaN;
    }
    this.wasPlugged = isPlugged;
    const want: 1 | 3 = spec.phases === 1 || phases === 1 ? 1 : 3;
    if (want !== this.usedPhases) {
      // Switching phases stops the session; the car restarts after its lag as if offered anew.
      this.usedPhases = want;
      this.lines = linesInUse(this.connection, this.chargerPhases, want);
      this.currentA = 0;
      this.followedA = 0;
      pending.length = 0;
      this.lastOffered = Number.NaN;
    }
    if (offeredA !== this.lastOffered) {
      pending.push([tS + spec.lagS, offeredA]);
      this.lastOffered = offeredA;
    }
    while (pending.length > 0 && pending[0]![0] <= tS) this.followedA = pending.shift()![1];
    const full = this.sessionKwh >= spec.needKwh;
    const followed = this.followedA;
    const target = !isPlugged || full || followed < spec.minA ? 0 : Math.min(followed, spec.maxA) * this.drawRatio;
    // Cuts are followed at once (after the lag); raises ramp.
    const current = this.currentA;
    this.currentA = target <= current ? target : Math.min(target, current + this.rampPerS * dtS);
    this.powerKw = kwForAmps(this.connection, this.lines.length, this.currentA);
    // The battery management tapers the last second so the session ends at exactly its need, never above.
    const leftKws = (spec.needKwh - this.sessionKwh) * 3600;
    if (this.powerKw > leftKws && this.powerKw > 0) {
      this.currentA *= Math.max(0, leftKws) / this.powerKw;
      this.powerKw = Math.max(0, leftKws);
    }
    return this.currentA;
  }
}
