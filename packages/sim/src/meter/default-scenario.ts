/** The household the simulator runs when no scenario file is given: a Belgian family home with an EV. */
import type { Connection } from '@p1/balancer';
import type { Line, Scenario } from '@p1/scenario';

/** Phases of a single-phase device on this connection (on 3×230 V it sits between two lines). */
function single(connection: Connection, line: Line): Line[] {
  if (connection === '1x230') return [1];
  if (connection === '3x230') return line === 3 ? [3, 1] : [line, (line + 1) as Line];
  return [line];
}

export function defaultScenario(connection: Connection, start: string, seed: number): Scenario {
  const three: Line[] = connection === '1x230' ? [1] : [1, 2, 3];
  return {
    name: 'default-household',
    start,
    durationS: 366 * 86_400,
    seed,
    site: { connection, fuseA: connection === '1x230' ? 40 : 25, capacityTargetKw: null, monthPeakKw: 0 },
    baseLoadKw: 0.25,
    loads: [
      { name: 'fridge', phases: single(connection, 2), kw: 0.12, at: '00:00', durationS: 86_400, onS: 900, offS: 1500 },
      { name: 'heat-pump', phases: three, kw: 1.8, at: '05:30', durationS: 5 * 3600, onS: 1200, offS: 900 },
      { name: 'heat-pump-evening', phases: three, kw: 1.6, at: '16:30', durationS: 6 * 3600, onS: 1200, offS: 1200 },
      { name: 'kettle', phases: single(connection, 1), kw: 2.2, at: '07:05', durationS: 150, onS: 0, offS: 0 },
      {
        name: 'washing-machine',
        phases: single(connection, 2),
        kw: 2.0,
        at: '10:00',
        durationS: 5400,
        onS: 600,
        offS: 300,
      },
      { name: 'oven', phases: single(connection, 1), kw: 2.5, at: '18:00', durationS: 2400, onS: 300, offS: 120 },
      { name: 'cooking', phases: single(connection, 3), kw: 1.5, at: '18:20', durationS: 1500, onS: 0, offS: 0 },
      {
        name: 'dishwasher',
        phases: single(connection, 3),
        kw: 1.9,
        at: '21:30',
        durationS: 3600,
        onS: 1200,
        offS: 600,
      },
    ],
    pv: { peakKw: connection === '1x230' ? 3.5 : 6, phases: three, clouds: 0.35 },
    chargers: [{ id: 'cp1', phases: three, minA: 6, maxA: 16, switchPhases: false }],
    evs: [
      {
        name: 'car1',
        charger: 'cp1',
        phases: connection === '1x230' ? 1 : 3,
        arrive: '18:30',
        depart: '07:30',
        needKwh: 25,
        minA: 6,
        maxA: 16,
        lagS: 5,
        rampS: 20,
      },
    ],
    faults: [],
  };
}
