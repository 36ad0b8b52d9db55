/**
 * The house generator: `generateHouses({ n, seed, profile })` gives n valid 24 h scenarios
 * (packages/scenario/README.md#scenario-format).
 * House i of a seed depends only on (seed, i, profile): the same on every machine and whatever n is.
 */
import { ampsForKw, kwForAmps } from '@p1/balancer';
import { formatTimeOfDay } from '../clock';
import { allLines } from '../lines';
import type { Line, LoadSpec, PvSpec, Scenario } from '../scenario';
import { APPLIANCES, type HouseContext, singlePhase, type Use } from './appliances';
import { drawCars } from './cars';
import { type Draw, drawFor, houseSeed, roundTo } from './draw';
import { drawFaults } from './faults';
import { FuseFit } from './fit';
import { drawSite, type Profile } from './sites';

export interface GenerateOptions {
  n: number;
  seed: number;
  /** "be" (default) or "nl". */
  profile?: Profile;
}

/** The house alone stays this far under the fuse, and so does PV export. */
const HOUSE_SHARE = 0.95;
/** Single-phase inverters above 5 kVA are not allowed in Belgium (Synergrid C10/11's phase imbalance limit). */
const SINGLE_PHASE_PV_KVA = 5;
/** Appliances that cook dinner: a second car plugging in while they run is a case the bench must contain. */
const COOKING = new Set(['oven', 'induction hob', 'air fryer']);
const DINNER_FROM_S = 16 * 3600;
/**
 * Seconds between a charger's current samples. The module asks OCPP chargers for 1 s; those that refuse it
 * commonly take 5 or 10 s (the driver tries those next). Shares are an assumption, not a survey.
 */
const SAMPLE_EVERY_S: ReadonlyArray<readonly [number, number]> = [
  [1, 70],
  [5, 20],
  [10, 10],
];

export function generateHouses({ n, seed, profile = 'be' }: GenerateOptions): Scenario[] {
  return Array.from({ length: n }, (_, i) => generateHouse(seed, i, profile));
}

const toLoad = (name: string, u: Use): LoadSpec => {
  const load: LoadSpec = {
    name,
    phases: u.phases,
    kw: u.kw,
    at: formatTimeOfDay(u.atS),
    durationS: u.durationS,
    onS: u.onS,
    offS: u.offS,
  };
  if (u.jitter !== undefined) load.jitter = u.jitter;
  if (u.levels !== undefined) load.levels = u.levels;
  return load;
};

function drawPv(draw: Draw, ctx: HouseContext): PvSpec | null {
  if (!draw.chance(ctx.profile === 'be' ? 0.35 : 0.4)) return null;
  const { connection, fuseA } = ctx;
  let peakKw = draw.around(2.5, 9);
  const single = connection === '1x230' || (peakKw <= SINGLE_PHASE_PV_KVA && draw.chance(0.6));
  const phases: Line[] = single ? singlePhase(ctx) : [1, 2, 3];
  // Export at the clear-sky peak (0.95 of the rating) stays under the fuse.
  const lines = connection === '1x230' ? 1 : phases.length;
  peakKw = Math.min(peakKw, (HOUSE_SHARE * kwForAmps(connection, lines, fuseA)) / 0.95);
  if (single) peakKw = Math.min(peakKw, SINGLE_PHASE_PV_KVA);
  return { peakKw: roundTo(peakKw, 0.1), phases, clouds: roundTo(draw.uniform(0, 1), 0.05) };
}

export function generateHouse(seed: number, index: number, profile: Profile = 'be'): Scenario {
  const draw = drawFor(seed, index);
  const { site, start, month, baseLoadKw } = drawSite(draw, profile);
  const { connection, fuseA } = site;
  const ctx: HouseContext = { draw, profile, connection, fuseA, month, dinnerS: draw.around(17.5 * 3600, 19.5 * 3600) };

  // Appliances in catalogue order (the ones that run longest first); one that would take the house alone over
  // the fuse moves later by half an hour to an hour and a half, up to three times, or stays off today.
  const baseLines = allLines(connection);
  const fit = new FuseFit(connection, ampsForKw(connection, baseLines.length, baseLoadKw * 1.1), HOUSE_SHARE * fuseA);
  const loads: LoadSpec[] = [];
  let cooking: [number, number] | null = null;
  for (const appliance of APPLIANCES) {
    if (!appliance.present(ctx)) continue;
    let uses = appliance.use(ctx);
    for (let attempt = 0; attempt <= 3; attempt++) {
      if (fit.tryAdd(uses)) {
        for (const u of uses) loads.push(toLoad(appliance.name, u));
        if (COOKING.has(appliance.name)) {
          for (const u of uses) {
            if (u.atS < DINNER_FROM_S) continue;
            const [a, b]: [number, number] = cooking ?? [u.atS, u.atS + u.durationS];
            cooking = [Math.min(a, u.atS), Math.max(b, u.atS + u.durationS)];
          }
        }
        break;
      }
      const shift = Math.round(draw.uniform(30, 90) * 60);
      uses = uses.map((u) => ({ ...u, atS: (u.atS + shift) % 86_400 }));
    }
  }

  const pv = drawPv(draw, ctx);
  const count = draw.weighted([
    [1, 70],
    [2, 25],
    [3, connection === '1x230' ? 0 : 5],
  ] as const);
  // A second car that comes home while dinner cooks: the moment a naive balancer overloads a line.
  const arrivals: Array<number | null> = [null, null, null];
  if (count >= 2 && cooking && draw.chance(0.55)) {
    const [from, to] = cooking;
    arrivals[1] = draw.uniform(from + 300, Math.max(from + 301, Math.min(to, from + 3600)));
  }
  const { chargers, evs } = drawCars(draw, connection, fuseA, count, arrivals);
  // A stream of its own: the houses drawn before chargers reported late stay as they were.
  const sampling = drawFor(seed, index, 1);
  for (const c of chargers) c.sampleEveryS = sampling.weighted(SAMPLE_EVERY_S);
  const faults = drawFaults(draw);
  return {
    name: `house-${profile}-${seed}-${String(index).padStart(4, '0')}-${connection}-${fuseA}a`,
    start,
    durationS: 86_400,
    seed: houseSeed(seed, index),
    site,
    baseLoadKw,
    loads,
    pv,
    chargers,
    evs,
    faults,
  };
}
