/**
 * The appliance catalogue: who owns what, when it runs, its power and how it cycles. Every appliance gives
 * the day's use as one or more load entries under its own name (an oven's preheat and its thermostat cycling,
 * a hob's zones, a dishwasher's heating phases), so an overload can be blamed on the appliance. The README
 * (section "House generator") gives each number's source.
 */
import type { Connection } from '@p1/balancer';
import type { Line } from '../scenario';
import { type Draw, roundTo } from './draw';
import type { Profile } from './sites';

/** One load entry before it is written as a scenario load: times in seconds of the day. */
export interface Use {
  phases: Line[];
  kw: number;
  atS: number;
  durationS: number;
  onS: number;
  offS: number;
  jitter?: number;
  levels?: number[];
}

export interface HouseContext {
  draw: Draw;
  profile: Profile;
  connection: Connection;
  fuseA: number;
  /** 1–12. */
  month: number;
  /** When dinner is cooked (s of the day): drawn once per house so that the cooking appliances agree. */
  dinnerS: number;
}

export interface Appliance {
  name: string;
  /** Whether this house has one, and whether it is used on the generated day. */
  present(ctx: HouseContext): boolean;
  /** The day's use. */
  use(ctx: HouseContext): Use[];
}

const H = 3600;
const MIN = 60;
const heating = (month: number) => month <= 4 || month >= 10;
const summer = (month: number) => month >= 6 && month <= 9;
const kw = (x: number) => roundTo(x, 0.01);
const sec = (x: number) => Math.round(x);

/** A single-phase appliance's lines: line 1 on 1x230, one line on 3N400, between two lines on 3x230. */
export function singlePhase(ctx: HouseContext, line?: Line): Line[] {
  if (ctx.connection === '1x230') return [1];
  const l = line ?? (ctx.draw.int(1, 3) as Line);
  return ctx.connection === '3x230' ? [l, ((l % 3) + 1) as Line] : [l];
}

/** The second a use ends: the appliance's next phase starts there (from `at + duration` unrounded it could overlap by 1 s). */
const end = (use: Use) => use.atS + use.durationS;

const threePhase = (ctx: HouseContext): Line[] => (ctx.connection === '1x230' ? [1] : [1, 2, 3]);

const steady = (phases: Line[], power: number, atS: number, durationS: number): Use => ({
  phases,
  kw: kw(power),
  atS: sec(atS),
  durationS: Math.max(1, sec(durationS)),
  onS: 0,
  offS: 0,
});

const cycling = (
  phases: Line[],
  power: number,
  atS: number,
  durationS: number,
  onS: number,
  offS: number,
  jitter: number,
  levels?: number[],
): Use => {
  const use: Use = {
    phases,
    kw: kw(power),
    atS: sec(atS),
    durationS: Math.max(1, sec(durationS)),
    onS: Math.max(1, sec(onS)),
    offS: Math.max(1, sec(offS)),
    jitter: roundTo(jitter, 0.01),
  };
  if (levels) use.levels = levels.map((x) => Math.min(use.kw, kw(x)));
  return use;
};

export const APPLIANCES: readonly Appliance[] = [
  {
    // Air/water heat pump: the compressor cycles all day in the heating season, modulating between runs.
    name: 'heat pump',
    present: ({ draw, profile }) => draw.chance(profile === 'be' ? 0.15 : 0.12),
    use(ctx) {
      const { draw } = ctx;
      const p = draw.uniform(1.5, 3.5);
      const lines = ctx.connection !== '1x230' && p >= 2.5 && draw.chance(0.6) ? threePhase(ctx) : singlePhase(ctx);
      if (!heating(ctx.month))
        return [steady(lines, p * 0.8, draw.uniform(11 * H, 15 * H), draw.uniform(45 * MIN, 100 * MIN))];
      return [
        cycling(lines, p, 0, 24 * H, draw.uniform(10, 25) * MIN, draw.uniform(8, 20) * MIN, 0.35, [
          p * 0.6,
          p * 0.8,
          p,
        ]),
      ];
    },
  },
  {
    // Hot-water storage heater on the night relay (22:00–07:00 in Belgium), sometimes topped up by day.
    name: 'electric boiler',
    present: ({ draw, profile }) => draw.chance(profile === 'be' ? 0.25 : 0.08),
    use(ctx) {
      const { draw } = ctx;
      const p = draw.uniform(2, 3);
      const lines = singlePhase(ctx);
      const out = [steady(lines, p, (22 * H + draw.uniform(0, 3.5 * H)) % (24 * H), draw.uniform(1, 3.5) * H)];
      if (draw.chance(0.3)) out.push(steady(lines, p, draw.uniform(12 * H, 16 * H), draw.uniform(20, 60) * MIN));
      return out;
    },
  },
  {
    // Boiling-water tap: a 3 l tank kept near 110 °C, short keep-warm bursts all day and a reheat after each use.
    name: 'boiling-water tap',
    present: ({ draw, profile }) => draw.chance(profile === 'be' ? 0.12 : 0.2),
    use(ctx) {
      const { draw } = ctx;
      const p = draw.uniform(1.6, 2.2);
      const lines = singlePhase(ctx);
      const out = [cycling(lines, p, 0, 24 * H, draw.uniform(20, 60), draw.uniform(20, 50) * MIN, 0.5)];
      for (let i = draw.int(2, 5); i > 0; i--)
        out.push(steady(lines, p, draw.uniform(7 * H, 22 * H), draw.uniform(60, 180)));
      return out;
    },
  },
  {
    // Three-phase sauna heater: heats up at full power, then its thermostat cycles.
    name: 'sauna',
    present: ({ draw, connection, fuseA }) => connection !== '1x230' && fuseA >= 25 && draw.chance(0.04 * 0.3),
    use(ctx) {
      const { draw } = ctx;
      const p = draw.uniform(6, 9);
      const at = draw.uniform(18 * H, 21 * H);
      const heatUp = draw.uniform(40, 60) * MIN;
      const lines = threePhase(ctx);
      const heat = steady(lines, p, at, heatUp);
      return [
        heat,
        cycling(lines, p, end(heat), draw.uniform(30, 90) * MIN, draw.uniform(60, 180), draw.uniform(60, 240), 0.3),
      ];
    },
  },
  {
    // Oven: preheat at full power, then the thermostat switches the elements on and off.
    name: 'oven',
    present: ({ draw }) => draw.chance(0.85 * 0.6),
    use(ctx) {
      const { draw } = ctx;
      const p = draw.uniform(2, 3.5);
      const at = ctx.dinnerS - draw.uniform(0, 40 * MIN);
      const preheat = draw.uniform(8, 15) * MIN;
      const lines = singlePhase(ctx);
      const heat = steady(lines, p, at, preheat);
      return [
        heat,
        cycling(lines, p, end(heat), draw.uniform(20, 60) * MIN, draw.uniform(20, 60), draw.uniform(30, 90), 0.3),
      ];
    },
  },
  {
    // Induction hob on two phases (two 16 A groups): each pot boosts, then the zone cycles at low settings
    // (pot detection and power regulation: about 90 s on, 60 s off).
    name: 'induction hob',
    present: ({ draw }) => draw.chance(0.7 * 0.85),
    use(ctx) {
      const { draw } = ctx;
      const dinner = ctx.dinnerS;
      const first = draw.int(1, 3) as Line;
      const second = ((first % 3) + 1) as Line;
      const out: Use[] = [];
      for (let zone = draw.int(1, 3); zone > 0; zone--) {
        const lines = singlePhase(ctx, zone % 2 === 1 ? first : second);
        const at = dinner - draw.uniform(0, 30 * MIN);
        const boost = draw.uniform(2, 3.7);
        const boostS = draw.uniform(3, 8) * MIN;
        const simmer = draw.uniform(1.4, 2.3);
        const boosting = steady(lines, boost, at, boostS);
        out.push(boosting);
        out.push(
          cycling(
            lines,
            simmer,
            end(boosting),
            draw.uniform(10, 40) * MIN,
            draw.around(60, 120),
            draw.around(40, 90),
            0.25,
            [simmer * 0.6, simmer],
          ),
        );
      }
      return out;
    },
  },
  {
    // Air fryer: a short preheat, then a thermostat cycling fast.
    name: 'air fryer',
    present: ({ draw }) => draw.chance(0.4 * 0.4),
    use(ctx) {
      const { draw } = ctx;
      const p = draw.uniform(1.4, 2);
      const at = draw.chance(0.3) ? draw.uniform(12 * H, 13 * H) : ctx.dinnerS;
      const preheat = draw.uniform(2, 4) * MIN;
      const lines = singlePhase(ctx);
      const heat = steady(lines, p, at, preheat);
      return [
        heat,
        cycling(lines, p, end(heat), draw.uniform(10, 20) * MIN, draw.uniform(30, 60), draw.uniform(15, 40), 0.3),
      ];
    },
  },
  {
    name: 'microwave',
    present: ({ draw }) => draw.chance(0.8),
    use(ctx) {
      const { draw } = ctx;
      const lines = singlePhase(ctx);
      const meals = [7.5 * H, 12.5 * H, 18.5 * H, 21 * H];
      const out: Use[] = [];
      for (let i = draw.int(1, 3); i > 0; i--)
        out.push(
          steady(lines, draw.uniform(1, 1.5), draw.pick(meals) + draw.uniform(-45, 45) * MIN, draw.uniform(1, 6) * MIN),
        );
      // One microwave: a second dish around the same meal goes in once the first is out.
      out.sort((a, b) => a.atS - b.atS);
      for (let k = 1; k < out.length; k++) out[k]!.atS = Math.max(out[k]!.atS, end(out[k - 1]!));
      return out;
    },
  },
  {
    name: 'kettle',
    present: ({ draw }) => draw.chance(0.9),
    use(ctx) {
      const { draw } = ctx;
      const p = draw.uniform(2, 3);
      const lines = singlePhase(ctx);
      const out = [steady(lines, p, draw.uniform(6.5 * H, 8.5 * H), draw.uniform(120, 240))];
      if (draw.chance(0.5)) out.push(steady(lines, p, draw.uniform(15 * H, 17 * H), draw.uniform(120, 240)));
      if (draw.chance(0.5)) out.push(steady(lines, p, draw.uniform(19.5 * H, 22 * H), draw.uniform(120, 240)));
      return out;
    },
  },
  {
    // Washing machine: heats the water first, then the drum turns in bursts for the rest of the programme.
    name: 'washing machine',
    present: ({ draw }) => draw.chance(0.95 * 0.5),
    use(ctx) {
      const { draw } = ctx;
      const at = draw.uniform(8 * H, 20 * H);
      const lines = singlePhase(ctx);
      return [
        steady(lines, draw.uniform(1.8, 2.3), at + 120, draw.uniform(10, 20) * MIN),
        cycling(
          lines,
          draw.uniform(0.2, 0.5),
          at,
          draw.uniform(90, 150) * MIN,
          draw.uniform(40, 90),
          draw.uniform(10, 30),
          0.4,
        ),
      ];
    },
  },
  {
    // Tumble dryer: a condenser dryer's heater cycles between full and half power; a heat-pump dryer runs its
    // compressor at under 1 kW.
    name: 'tumble dryer',
    present: ({ draw }) => draw.chance(0.55 * 0.4),
    use(ctx) {
      const { draw } = ctx;
      const at = draw.uniform(10 * H, 21 * H);
      const lines = singlePhase(ctx);
      if (draw.chance(0.4)) return [steady(lines, draw.uniform(0.6, 1), at, draw.uniform(90, 150) * MIN)];
      const p = draw.uniform(2, 2.8);
      return [
        cycling(lines, p, at, draw.uniform(60, 120) * MIN, draw.uniform(60, 180), draw.uniform(20, 60), 0.3, [
          p / 2,
          p,
        ]),
      ];
    },
  },
  {
    // Dishwasher: a pump through the programme and two heating phases (wash and final rinse).
    name: 'dishwasher',
    present: ({ draw }) => draw.chance(0.7 * 0.7),
    use(ctx) {
      const { draw } = ctx;
      const at = draw.chance(0.7) ? draw.uniform(19.5 * H, 22.5 * H) : draw.uniform(13 * H, 15 * H);
      const programme = draw.uniform(90, 180) * MIN;
      const p = draw.uniform(1.8, 2.2);
      const lines = singlePhase(ctx);
      return [
        steady(lines, draw.uniform(0.1, 0.2), at, programme),
        steady(lines, p, at + draw.uniform(5, 10) * MIN, draw.uniform(10, 20) * MIN),
        steady(lines, p, at + programme - draw.uniform(25, 40) * MIN, draw.uniform(8, 15) * MIN),
      ];
    },
  },
  {
    // Split air conditioner in summer afternoons: an inverter compressor cycling at varying power.
    name: 'airco',
    present: ({ draw, month }) => summer(month) && draw.chance(0.15 * 0.6),
    use(ctx) {
      const { draw } = ctx;
      const p = draw.uniform(0.8, 2.5);
      return [
        cycling(
          singlePhase(ctx),
          p,
          draw.uniform(13 * H, 16 * H),
          draw.uniform(3, 8) * H,
          draw.uniform(5, 20) * MIN,
          draw.uniform(3, 10) * MIN,
          0.4,
          [p * 0.5, p * 0.75, p],
        ),
      ];
    },
  },
  {
    name: 'hair dryer',
    present: ({ draw }) => draw.chance(0.6 * 0.5),
    use(ctx) {
      const { draw } = ctx;
      return [
        steady(singlePhase(ctx), draw.uniform(1.6, 2.2), draw.uniform(6.5 * H, 8 * H), draw.uniform(3, 10) * MIN),
      ];
    },
  },
  {
    // Electric heater in a bathroom or attic: its thermostat cycles for an hour or more, morning or evening.
    name: 'space heater',
    present: ({ draw, month }) => heating(month) && draw.chance(0.1),
    use(ctx) {
      const { draw } = ctx;
      const at = draw.chance(0.5) ? draw.uniform(6 * H, 8 * H) : draw.uniform(19 * H, 22 * H);
      return [
        cycling(
          singlePhase(ctx),
          draw.uniform(1.5, 2),
          at,
          draw.uniform(1, 3) * H,
          draw.uniform(2, 5) * MIN,
          draw.uniform(2, 10) * MIN,
          0.4,
        ),
      ];
    },
  },
];
