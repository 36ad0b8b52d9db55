/**
 * The events a house throws at the module, as data (so that fast-check can generate and shrink them and a
 * failing sequence can be written down as a regression test), and how each one is done to the rig.
 */
import type { SolarMode } from '@p1/balancer';
import type { Line } from '@p1/scenario';
import fc from 'fast-check';

/** The house's appliances: real powers on real lines (a 25 A fuse carries 5.75 kW per line). */
export const APPLIANCES = {
  oven: { lines: [1], kw: 3.5 },
  kettle: { lines: [2], kw: 2.2 },
  hob: { lines: [1, 2], kw: 7.2 },
  heatPump: { lines: [1, 2, 3], kw: 3 },
  sauna: { lines: [1, 2, 3], kw: 9 },
} satisfies Record<string, { lines: Line[]; kw: number }>;
export type Appliance = keyof typeof APPLIANCES;

/** Where the meter's clock starts: an ordinary evening, or just before a month, a year or a DST change. */
export const STARTS = {
  evening: '2025-01-15T17:02:00Z',
  monthEnd: '2025-01-31T22:41:00Z',
  dstSpring: '2025-03-30T00:41:00Z',
  dstAutumn: '2025-10-26T00:41:00Z',
  yearEnd: '2025-12-31T22:41:00Z',
} as const;
export type Start = keyof typeof STARTS;

export const CHARGER_IDS = ['cp1', 'cp2'] as const;
export type ChargerId = (typeof CHARGER_IDS)[number];

export type ModelEvent =
  | { kind: 'appliance'; name: Appliance; on: boolean }
  | { kind: 'settings'; capacityTargetKw?: number | null; solar?: SolarMode }
  | { kind: 'chargerDrop'; charger: ChargerId; downS: number }
  | { kind: 'meterSilent'; durationS: number }
  | { kind: 'meterFrozen'; durationS: number }
  | { kind: 'clockJump'; offsetS: number; durationS: number }
  | { kind: 'bogusCurrent'; charger: ChargerId; currentA: number; durationS: number }
  | { kind: 'restart'; downS: number }
  | { kind: 'unplug'; charger: ChargerId }
  | { kind: 'plugIn'; charger: ChargerId };

/** An event and the virtual seconds that pass after it. */
export interface Step {
  event: ModelEvent;
  thenS: number;
}

export interface Sequence {
  start: Start;
  capacityTargetKw: number | null;
  steps: Step[];
}

const charger = fc.constantFrom(...CHARGER_IDS);
const target = fc.oneof(fc.constant(null), fc.constantFrom(2.5, 3.5, 4, 5, 6, 8));

export const eventArb: fc.Arbitrary<ModelEvent> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('appliance' as const),
      name: fc.constantFrom(...(Object.keys(APPLIANCES) as Appliance[])),
      on: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.record({ kind: fc.constant('settings' as const), capacityTargetKw: target }),
      fc.record({
        kind: fc.constant('settings' as const),
        solar: fc.constantFrom<SolarMode>('off', 'surplus', 'min+surplus'),
      }),
      fc.record({
        kind: fc.constant('settings' as const),
        capacityTargetKw: target,
        solar: fc.constant<SolarMode>('off'),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('chargerDrop' as const),
      charger,
      downS: fc.integer({ min: 2, max: 60 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('meterSilent' as const), durationS: fc.integer({ min: 3, max: 60 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('meterFrozen' as const), durationS: fc.integer({ min: 5, max: 60 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('clockJump' as const),
      offsetS: fc.constantFrom(900, 3600, -3600, -900, 86_400),
      durationS: fc.constantFrom(4, 30, 120),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bogusCurrent' as const),
      charger,
      currentA: fc.constantFrom(16_000, -500, 160),
      durationS: fc.integer({ min: 5, max: 90 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), downS: fc.constantFrom(0, 5, 30) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unplug' as const), charger }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('plugIn' as const), charger }) },
);

export function sequenceArb(o: { minSteps: number; maxSteps: number }): fc.Arbitrary<Sequence> {
  return fc.record({
    start: fc.constantFrom(...(Object.keys(STARTS) as Start[])),
    capacityTargetKw: target,
    steps: fc.array(
      fc.record({
        event: eventArb,
        // mostly seconds (a cut, a fail-safe), sometimes minutes (a lease, a quarter)
        thenS: fc.oneof(
          { weight: 3, arbitrary: fc.integer({ min: 1, max: 30 }) },
          { weight: 1, arbitrary: fc.integer({ min: 60, max: 400 }) },
        ),
      }),
      { minLength: o.minSteps, maxLength: o.maxSteps },
    ),
  });
}

/** One line per step, for a failing run's report and a regression test's source. */
export function describeSequence(s: Sequence): string {
  const lines = [`start ${s.start} (${STARTS[s.start]}), target ${s.capacityTargetKw ?? 'none'}`];
  let t = 0;
  for (const step of s.steps) {
    lines.push(`  at ${t} s: ${JSON.stringify(step.event)}, then ${step.thenS} s`);
    t += step.thenS;
  }
  return lines.join('\n');
}
