/**
 * Cars and chargers of a generated house: real on-board chargers (phases, current, minimum), how they follow
 * a setpoint (lag, ramp, draw), when they come home and how much they need. The README gives the sources.
 */
import type { Connection } from '@p1/balancer';
import { formatTimeOfDay } from '../clock';
import type { ChargerSpec, EvSpec, Line } from '../scenario';
import type { Draw } from './draw';
import { roundTo } from './draw';

interface CarModel {
  model: string;
  phases: 1 | 3;
  /** The on-board charger's current per phase (A). */
  maxA: number;
  /** The least current it charges at (A). */
  minA: number;
  /** How much of the offer it draws: [least, most]. */
  draw: readonly [number, number];
  /** Energy a session needs at most (kWh): a plug-in hybrid's battery is small. */
  maxNeedKwh: number;
}

/** By share of the cars on Belgian and Dutch roads (weights, not registration statistics). */
const CARS: ReadonlyArray<readonly [CarModel, number]> = [
  [{ model: 'Tesla Model 3/Y', phases: 3, maxA: 16, minA: 6, draw: [1, 1], maxNeedKwh: 70 }, 14],
  [{ model: 'Volkswagen ID.3/ID.4', phases: 3, maxA: 16, minA: 6, draw: [0.97, 1], maxNeedKwh: 70 }, 12],
  [{ model: 'Hyundai Kona / Kia Niro EV', phases: 3, maxA: 16, minA: 6, draw: [0.97, 1], maxNeedKwh: 60 }, 8],
  [{ model: 'BMW i3 / iX1', phases: 3, maxA: 16, minA: 6, draw: [0.95, 1], maxNeedKwh: 55 }, 6],
  [{ model: 'MG4 / Skoda Enyaq / Volvo EX30', phases: 3, maxA: 16, minA: 6, draw: [0.96, 1], maxNeedKwh: 70 }, 12],
  // evcc's vehicle notes: Zoe and Twingo Electric need at least 8 A on three phases.
  [{ model: 'Renault Zoe / Twingo Electric', phases: 3, maxA: 32, minA: 8, draw: [0.93, 1], maxNeedKwh: 50 }, 6],
  [{ model: 'Nissan Leaf', phases: 1, maxA: 32, minA: 6, draw: [0.88, 0.92], maxNeedKwh: 55 }, 4],
  [{ model: 'Peugeot e-208 / Opel Corsa-e', phases: 1, maxA: 32, minA: 6, draw: [0.95, 1], maxNeedKwh: 48 }, 6],
  [{ model: 'plug-in hybrid (1 phase, 16 A)', phases: 1, maxA: 16, minA: 6, draw: [0.9, 1], maxNeedKwh: 14 }, 26],
  [{ model: 'plug-in hybrid (3 phases, 16 A)', phases: 3, maxA: 16, minA: 6, draw: [0.95, 1], maxNeedKwh: 20 }, 6],
];

/** The shortest pause a car takes without trouble (s), by weight: an assumption, see the README. */
const PAUSE_TOLERANCE: ReadonlyArray<readonly [number, number]> = [
  [60, 80],
  [120, 15],
  [300, 5],
];

/** A charger for car `k` on this connection: mostly three-phase where there are three lines. */
function drawCharger(draw: Draw, connection: Connection, fuseA: number, k: number): ChargerSpec {
  const id = `cp${k + 1}`;
  const maxA = Math.min(
    fuseA,
    draw.weighted([
      [16, 65],
      [32, 35],
    ] as const),
  );
  if (connection === '1x230') return { id, phases: [1], minA: 6, maxA, switchPhases: false, priority: 0 };
  const three = draw.chance(connection === '3N400' ? 0.85 : 0.7);
  if (three) return { id, phases: [1, 2, 3], minA: 6, maxA, switchPhases: draw.chance(0.25), priority: 0 };
  const l = draw.int(1, 3) as Line;
  const phases: Line[] = connection === '3x230' ? [l, ((l % 3) + 1) as Line] : [l];
  return { id, phases, minA: 6, maxA, switchPhases: false, priority: 0 };
}

/**
 * The house's cars and their chargers. `arriveS` overrides a car's arrival (the generator puts a second car
 * into the cooking hour on purpose).
 */
export function drawCars(
  draw: Draw,
  connection: Connection,
  fuseA: number,
  count: number,
  arriveS: ReadonlyArray<number | null>,
): { chargers: ChargerSpec[]; evs: EvSpec[] } {
  const chargers: ChargerSpec[] = [];
  const evs: EvSpec[] = [];
  for (let k = 0; k < count; k++) {
    const car = draw.weighted(CARS);
    const charger = drawCharger(draw, connection, fuseA, k);
    chargers.push(charger);
    const commuter = k > 0 || draw.chance(0.75);
    const arrive =
      arriveS[k] ??
      (commuter
        ? draw.around(16.5 * 3600, 19.5 * 3600) + k * draw.uniform(0, 3600)
        : draw.uniform(11 * 3600, 15 * 3600));
    let depart = draw.uniform(6.5 * 3600, 8.5 * 3600);
    if (Math.abs(depart - arrive) < 600) depart += 3600;
    const need = draw.weighted([
      [draw.uniform(4, 15), 60],
      [draw.uniform(15, 30), 30],
      [draw.uniform(30, 60), 10],
    ] as const);
    const ev: EvSpec = {
      name: `car${k + 1} (${car.model})`,
      charger: charger.id,
      phases: connection === '1x230' ? 1 : car.phases,
      arrive: formatTimeOfDay(arrive),
      depart: formatTimeOfDay(depart),
      needKwh: roundTo(Math.min(need, car.maxNeedKwh), 0.1),
      minA: car.minA,
      maxA: car.maxA,
      // IEC 61851-1 gives a car 5 s to follow a lower pilot current; most do it faster.
      lagS: draw.int(2, 5),
      rampS: draw.int(5, 30),
      drawRatio: roundTo(draw.uniform(car.draw[0], car.draw[1]), 0.01),
      minPauseS: draw.weighted(PAUSE_TOLERANCE),
    };
    evs.push(ev);
  }
  return { chargers, evs };
}
