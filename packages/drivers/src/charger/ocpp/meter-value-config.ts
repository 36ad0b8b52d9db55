/**
 * The meter-value settings a charge point needs for the fuse loop (OCPP 1.6 configuration keys): currents
 * per phase, sampled as often as the meter sends telegrams. Out of the box many chargers sample energy
 * only, once a minute.
 */

/** Meter-value keys read at connect and set when they differ from what the module needs (§9.1). */
export const METER_VALUE_KEYS = ['MeterValueSampleInterval', 'MeterValuesSampledData'] as const;

const ENERGY = 'Energy.Active.Import.Register';
const CURRENT = 'Current.Import';

function entries(csl: string | undefined): string[] {
  return (csl ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The charger's own line names: L1..L3 for a 3-phase charger, L1 for a 1-phase one. */
function ownLines(wiredLines: number): string[] {
  return wiredLines === 3 ? ['L1', 'L2', 'L3'] : ['L1'];
}

/** Whether the charge point already samples each of its line currents. */
export function samplesCurrents(csl: string | undefined, wiredLines: number): boolean {
  const have = entries(csl);
  return have.includes(CURRENT) || ownLines(wiredLines).every((l) => have.includes(`${CURRENT}.${l}`));
}

/**
 * MeterValuesSampledData values to try, best first: what the owner configured plus the currents,
 * combined with the phase as the key allows (`Current.Import.L1`), then the plain measurand (a charger
 * that knows no phase suffix reports every phase under it anyway).
 */
export function sampledDataCandidates(csl: string | undefined, wiredLines: number): string[] {
  const have = entries(csl);
  const withAll = (add: string[]) => [...new Set([...have, ENERGY, ...add])].join(',');
  return [withAll(ownLines(wiredLines).map((l) => `${CURRENT}.${l}`)), withAll([CURRENT])];
}

/**
 * MeterValueSampleInterval values to try, best first: the wanted one, then the next that chargers with a
 * minimum interval commonly take. A current older than the meter's telegram makes the house look heavier
 * (meter minus car) while the car ramps up, so shorter is better.
 */
export function intervalCandidates(wantedS: number): number[] {
  return [...new Set([wantedS, 5, 10])].filter((s) => s >= wantedS);
}

/**
 * Whether the charger's own interval (its configuration value) is as good as trying `candidateS`: not
 * shorter than wanted, and not longer than the candidate. A charger at 3 s that refuses 1 s keeps its 3 s.
 */
export function ownIntervalSuffices(own: string | undefined, wantedS: number, candidateS: number): boolean {
  if (own === undefined || own.trim() === '') return false;
  const s = Number(own);
  return Number.isFinite(s) && s > 0 && s >= wantedS && s <= candidateS;
}
