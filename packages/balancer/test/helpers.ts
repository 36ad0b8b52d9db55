import type { Balancer, BalancerInput, ChargerCapabilities, ChargerInput, MeterSnapshot, Phase } from '../src/index';

export const T0 = Date.parse('2025-01-15T18:00:00+01:00');

/** Meter-clock ISO for T0 + s seconds (winter time). */
export function iso(ms: number): string {
  return `${new Date(ms + 3_600_000).toISOString().slice(0, 19)}+01:00`;
}

/** A telegram with these line currents (A, signed: − = export) at 230 V; power follows from the currents. */
export function reading(ms: number, lineA: number[], extra: Partial<MeterSnapshot> = {}): MeterSnapshot {
  const phases = lineA.map((a, i) => ({
    phase: (i + 1) as Phase,
    voltageV: 230,
    currentA: Math.abs(a),
    importKw: a > 0 ? (a * 230) / 1000 : 0,
    exportKw: a < 0 ? (-a * 230) / 1000 : 0,
  }));
  const net = lineA.reduce((s, a) => s + (a * 230) / 1000, 0);
  return {
    ok: true,
    timestamp: iso(ms),
    power: { importKw: Math.max(0, net), exportKw: Math.max(0, -net) },
    phases,
    capacity: null,
    ...extra,
  };
}

export function charger(over: Partial<ChargerCapabilities> = {}): ChargerCapabilities {
  return { id: 'cp1', phases: [1, 2, 3], minA: 6, maxA: 16, switchPhases: false, safeA: 6, ...over };
}

/** A charger input whose car draws `drawnA` on every line it is wired to (or the given per-line list). */
export function input(cap: ChargerCapabilities, drawnA: number | number[], plugged = true): ChargerInput {
  const currentA = Array.isArray(drawnA) ? drawnA : cap.phases.map(() => drawnA);
  return {
    capabilities: cap,
    measurement: {
      connected: true,
      vehiclePlugged: plugged,
      currentA,
      sessionKwh: 0,
      appliedLimitA: null,
      appliedPhases: null,
      at: 0,
    },
  };
}

/** One step's input; measurements without a time of their own (`at: 0`) are taken at this step. */
export function step(nowMs: number, r: MeterSnapshot | null, chargers: ChargerInput[]): BalancerInput {
  for (const c of chargers) if (c.measurement.at === 0) c.measurement.at = nowMs;
  return { nowMs, reading: r, chargers };
}

/**
 * A car on a charger that follows each limit `lagS` seconds after it was offered, ramping up by `rampAps` a second
 * (at once without), and draws nothing below its minimum: push each second's limit to `offers`, and ask `drawA`
 * for each second in turn. It draws `ratio` of its limit, and nothing before second `plugS` (plugged in then).
 */
export function followingCar(
  cap: ChargerCapabilities,
  lagS: number,
  rampAps = Number.POSITIVE_INFINITY,
  { ratio = 1, plugS = 0 } = {},
) {
  const offers: number[] = [];
  let drawnA = 0;
  return {
    offers,
    /** What the car draws in second `s`, from the limit offered `lagS` seconds before. */
    drawA(s: number): number {
      const offered = offers[s - lagS] ?? 0;
      drawnA = s >= plugS && offered >= cap.minA ? Math.min(offered * ratio, drawnA + rampAps) : 0;
      return drawnA;
    },
  };
}

/**
 * What a charger sampling every `everyS` seconds reports at second `s`, each sample `delayS` late: the car's draw
 * (`drawn`, one entry a second) at its last sample, taken `leadMs` before the telegram arrived if given.
 */
export function lateSample(
  cap: ChargerCapabilities,
  drawn: readonly number[],
  s: number,
  ch: { everyS: number; delayS: number; leadMs?: number },
): ChargerInput {
  const ageS = ch.delayS + (s % ch.everyS);
  const sample = input(cap, drawn[Math.max(0, s - ageS)]!);
  sample.measurement.at = T0 + (s - ageS) * 1000 - (ch.leadMs ?? 0);
  return sample;
}

/**
 * Counts starts taken back before the car could draw on them (within its `lagS`): feed each second's limit and the
 * one offered the second before.
 */
export function withdrawnStarts(lagS: number) {
  let offeredAtS = Number.NaN;
  let count = 0;
  return {
    get count(): number {
      return count;
    },
    see(s: number, limitA: number, beforeA: number): void {
      if (limitA > 0 && beforeA === 0) offeredAtS = s;
      if (limitA === 0 && beforeA > 0 && s - offeredAtS <= lagS) count++;
    },
  };
}

/** Import averaged over each quarter-hour (kW), fed one second's power (kW) at a time from a quarter's start. */
export function quarterAverages() {
  const averages: number[] = [];
  let kwh = 0;
  let seconds = 0;
  return {
    averages,
    add(kw: number): void {
      kwh += kw / 3600;
      if (++seconds % 900 === 0) {
        averages.push(kwh * 4);
        kwh = 0;
      }
    },
  };
}

/** The most of these seconds (ascending) that fall within any one hour: setpoint changes against the 120 allowed. */
export function mostInAnHour(atS: readonly number[]): number {
  let most = 0;
  for (let i = 0, j = 0; j < atS.length; j++) {
    while (atS[j]! - atS[i]! >= 3600) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

/**
 * Runs `quarters` quarter-hours from T0 of a house drawing `houseW` watts, swinging `swingW[s]` about it every second,
 * shared evenly over its `lines`, with a car on each charger that follows its limits (`followingCar`). Returns the
 * starts taken back on each charger before its car could draw (`withdrawnStarts`), each quarter's import (kW) and
 * the seconds any car drew.
 */
export function swingingHouse(
  b: Balancer,
  caps: ChargerCapabilities[],
  run: { lines: number; houseW: number; swingW: readonly number[]; lagS: number; rampAps: number; quarters: number },
) {
  const cars = caps.map((c) => followingCar(c, run.lagS, run.rampAps));
  const withdrawn = caps.map(() => withdrawnStarts(run.lagS));
  const quarters = quarterAverages();
  const lineA = new Array<number>(run.lines);
  let chargedS = 0;
  for (let s = 0; s < run.quarters * 900; s++) {
    const ms = T0 + s * 1000;
    const drawn = cars.map((car) => car.drawA(s));
    const houseA = (run.houseW + run.swingW[s % run.swingW.length]!) / run.lines / 230;
    for (let l = 0; l < run.lines; l++) {
      lineA[l] = houseA;
      caps.forEach((c, i) => {
        if (c.phases.includes((l + 1) as Phase)) lineA[l]! += drawn[i]!;
      });
    }
    const d = b.step(
      step(
        ms,
        reading(ms, lineA),
        caps.map((c, i) => input(c, drawn[i]!)),
      ),
    );
    caps.forEach((_, i) => {
      const limitA = d.chargers[i]!.limitA;
      withdrawn[i]!.see(s, limitA, cars[i]!.offers[s - 1] ?? 0);
      cars[i]!.offers.push(limitA);
    });
    quarters.add((lineA.reduce((sum, a) => sum + a, 0) * 230) / 1000);
    if (drawn.some((a) => a > 0)) chargedS++;
  }
  return { withdrawn: withdrawn.map((w) => w.count), quarters: quarters.averages, chargedS };
}
