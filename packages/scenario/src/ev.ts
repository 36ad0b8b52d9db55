/** An electric car behind a charger: plug-in window, lag and ramp, minimum current, energy need. */
import { type Connection, kwForAmps, linesInUse } from '@p1/balancer';
import { createLocalClock, inDailyWindow, parseStart, parseTimeOfDay } from './clock';
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
  const startMs = options.start ? parseStart(options.start) : Number.NaN;
  const connection = options.connection ?? '3N400';
  const chargerPhases = options.chargerPhases ?? (connection === '1x230' ? [1] : [1, 2, 3]);
  const arriveS = parseTimeOfDay(spec.arrive) ?? 0;
  const departS = parseTimeOfDay(spec.depart) ?? 0;
  const drawRatio = spec.drawRatio ?? 1;
  const rampPerS = spec.maxA / Math.max(1, spec.rampS);
  const localClock = Number.isNaN(startMs) ? null : createLocalClock(startMs);
  const todAt = (tS: number) => (localClock ? localClock(tS) % 86_400 : ((Math.floor(tS) % 86_400) + 86_400) % 86_400);
  // Asked several times a second by the bench: remember the last answer.
  let pluggedAt = Number.NaN;
  let pluggedThen = false;
  const plugged = (tS: number) => {
    if (tS !== pluggedAt) {
      pluggedAt = tS;
      pluggedThen = arriveS !== departS && inDailyWindow(todAt(tS), arriveS, departS);
    }
    return pluggedThen;
  };

  // Setpoints the car has seen but not yet followed: [effective at tS, offered A].
  const pending: Array<[number, number]> = [];
  let lastOffered = Number.NaN;
  let followedA = 0;
  let currentA = 0;
  let wasPlugged = false;
  let usedPhases: 1 | 3 = spec.phases;
  let lines: Line[] = linesInUse(connection, chargerPhases, usedPhases);
  let powerKw = 0;
  let sessionKwh = 0;
  let totalKwh = 0;

  const ev: Ev = {
    step(dtS, offeredA, tS, phases = 3) {
      // Energy of the interval just ended, at the current the car drew during it.
      sessionKwh += (powerKw * dtS) / 3600;
      totalKwh += (powerKw * dtS) / 3600;
      const isPlugged = plugged(tS);
      if (isPlugged && !wasPlugged) {
        sessionKwh = 0;
        currentA = 0;
        followedA = 0;
        pending.length = 0;
        lastOffered = Number.NaN;
      }
      wasPlugged = isPlugged;
      const want: 1 | 3 = spec.phases === 1 || phases === 1 ? 1 : 3;
      if (want !== usedPhases) {
        // Switching phases stops the session; the car restarts after its lag as if offered anew.
        usedPhases = want;
        lines = linesInUse(connection, chargerPhases, usedPhases);
        currentA = 0;
        followedA = 0;
        pending.length = 0;
        lastOffered = Number.NaN;
      }
      if (offeredA !== lastOffered) {
        pending.push([tS + spec.lagS, offeredA]);
        lastOffered = offeredA;
      }
      while (pending.length > 0 && pending[0]![0] <= tS) followedA = pending.shift()![1];
      const full = sessionKwh >= spec.needKwh;
      const target = !isPlugged || full || followedA < spec.minA ? 0 : Math.min(followedA, spec.maxA) * drawRatio;
      // Cuts are followed at once (after the lag); raises ramp.
      currentA = target <= currentA ? target : Math.min(target, currentA + rampPerS * dtS);
      powerKw = kwForAmps(connection, lines.length, currentA);
      return currentA;
    },
    plugged,
    get currentA() {
      return currentA;
    },
    get lines() {
      return lines;
    },
    get powerKw() {
      return powerKw;
    },
    get sessionKwh() {
      return sessionKwh;
    },
    get totalKwh() {
      return totalKwh;
    },
    get full() {
      return sessionKwh >= spec.needKwh;
    },
  };
  return ev;
}
