/**
 * The household of the embedded default (`pnpm start`): things happen in the first minutes after it
 * starts, whatever the time of day, so a newcomer sees the balancer at work — the car charging, cut when
 * the hob pulses on, raised again when it is off, and the loads it learns listed on the dashboard.
 */
import { type Connection, connectionLines } from '@p1/balancer';
import { formatMeterIso } from '@p1/dsmr';
import type { Line, LoadSpec, Scenario } from '@p1/scenario';

/** A single-phase appliance on `line`: between two lines on 3×230 V, line 1 on 1×230 V. */
function single(connection: Connection, line: Line): Line[] {
  if (connection === '1x230') return [1];
  if (connection === '3x230') return line === 3 ? [3, 1] : [line, (line + 1) as Line];
  return [line];
}

/** The meter-clock time of day `offsetS` after `startMs`, as a scenario writes it. */
function timeOfDay(startMs: number, offsetS: number): string {
  return formatMeterIso(startMs + offsetS * 1000).slice(11, 19);
}

export function demoScenario(connection: Connection, startMs: number, seed: number): Scenario {
  const all = connectionLines(connection) as Line[];
  const load = (name: string, phases: Line[], kw: number, fromS: number, durationS: number, onS = 0, offS = 0) =>
    ({ name, phases, kw, at: timeOfDay(startMs, fromS), durationS, onS, offS }) satisfies LoadSpec;
  return {
    name: 'demo-household',
    start: formatMeterIso(startMs),
    durationS: 366 * 86_400,
    seed,
    site: { connection, fuseA: connection === '1x230' ? 40 : 25, capacityTargetKw: null, monthPeakKw: 0 },
    baseLoadKw: 0.35,
    loads: [
      // an induction hob on a low setting pulses: on 15 s, off 45 s, for half an hour. 3 kW (13 A): on a 25 A
      // line the car keeps charging under it (cut, not paused, with room for an appliance's step under
      // 1.45 × In), so the newcomer sees it raised again within the first minute, not after a 60 s pause.
      load('induction hob', single(connection, 1), 3.0, 15, 1800, 15, 45),
      load('kettle', single(connection, 2), 2.2, 240, 150),
      // the oven's thermostat, then a heat pump's compressor, for the learned-loads list
      load('oven', single(connection, 3), 2.5, 480, 2400, 300, 120),
      load('heat pump', all, 1.8, 720, 6 * 3600, 1200, 900),
    ],
    pv: { peakKw: connection === '1x230' ? 3.5 : 5, phases: all, clouds: 0.3 },
    chargers: [],
    evs: [],
    faults: [],
  };
}
