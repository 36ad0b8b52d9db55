/** Where a generated house is: its connection, fuse, protection, capacity target, date and standby load. */
import { type Connection, MIN_BILLED_KW } from '@p1/balancer';
import { meterOffset } from '@p1/dsmr';
import type { BreakerKind, SiteSpec } from '../scenario';
import { type Draw, roundTo } from './draw';

/** `be`: Flemish houses under the capacity tariff; `nl`: Dutch houses (no capacity tariff, fuses). */
export type Profile = 'be' | 'nl';
export const PROFILES: readonly Profile[] = ['be', 'nl'];

/** Connection kinds and their fuse sizes (A), by weight. */
const CONNECTIONS: Record<
  Profile,
  ReadonlyArray<readonly [[Connection, ReadonlyArray<readonly [number, number]>], number]>
> = {
  be: [
    [
      [
        '1x230',
        [
          [40, 50],
          [50, 25],
          [63, 25],
        ],
      ],
      25,
    ],
    [
      [
        '3x230',
        [
          [25, 20],
          [32, 30],
          [40, 50],
        ],
      ],
      35,
    ],
    [
      [
        '3N400',
        [
          [16, 25],
          [20, 15],
          [25, 40],
          [32, 20],
        ],
      ],
      40,
    ],
  ],
  nl: [
    [
      [
        '1x230',
        [
          [25, 20],
          [35, 50],
          [40, 30],
        ],
      ],
      45,
    ],
    [
      [
        '3N400',
        [
          [25, 75],
          [35, 25],
        ],
      ],
      55,
    ],
  ],
};

/** The owner's quarter-hour target (kW) in Flanders; null = fuse protection only. */
const TARGETS: ReadonlyArray<readonly [number | null, number]> = [
  [null, 35],
  [MIN_BILLED_KW, 25],
  [3, 10],
  [3.5, 10],
  [4, 15],
  [5, 15],
  [6, 10],
  [7, 7],
  [8, 8],
];

const BREAKER: Record<Profile, BreakerKind> = { be: 'C', nl: 'gG' };

export interface GeneratedSite {
  site: SiteSpec;
  /** The meter clock at local midnight of the generated day. */
  start: string;
  /** 1–12: the season decides heating, cooling and the sun. */
  month: number;
  baseLoadKw: number;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Local midnight of day `dayOfYear` (0-based) of 2025 on the meter clock, with its offset. */
export function localMidnight(dayOfYear: number): { start: string; month: number } {
  const d = new Date(Date.UTC(2025, 0, 1 + dayOfYear));
  const offset = meterOffset(d.getTime() - 3_600_000);
  return {
    start: `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T00:00:00${offset}`,
    month: d.getUTCMonth() + 1,
  };
}

export function drawSite(draw: Draw, profile: Profile): GeneratedSite {
  const [connection, fuses] = draw.weighted(CONNECTIONS[profile]);
  const fuseA = draw.weighted(fuses);
  const target = profile === 'be' ? draw.weighted(TARGETS) : null;
  // Early in the month nothing has been billed yet; later the month's peak so far is already a few kW.
  const monthPeakKw = profile === 'be' && draw.chance(0.45) ? roundTo(draw.uniform(MIN_BILLED_KW, 5), 0.01) : 0;
  const { start, month } = localMidnight(draw.int(0, 364));
  return {
    site: {
      connection,
      fuseA,
      capacityTargetKw: target,
      monthPeakKw,
      breaker: BREAKER[profile],
      // Dutch meters send whole amperes (DSMR's F3(0,0)); Belgian e-MUCS meters two decimals, the default.
      ...(profile === 'nl' ? { currentDecimals: 0 as const } : {}),
    },
    start,
    month,
    baseLoadKw: roundTo(draw.around(0.15, 0.5), 0.01),
  };
}
