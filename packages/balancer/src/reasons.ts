/**
 * Why a charger's limit is what it is: one typed value per decision, and the sentence an owner reads for
 * it, in one place. The values are the short labels the API has always shown.
 */
import { CIRCUIT_KW, DEFAULT_UNSEEN_STEP_KW, SESSION_MS } from './house-model';

export const REASON_TEXTS = {
  'no meter data': 'Waiting for the first telegram from the meter; the charger stays at 0 A until then.',
  'fail-safe': 'No fresh telegram from the meter: the charger is held at its safe current until data returns.',
  'stale meter': 'The meter repeats an old telegram or its clock stands still: treated as no data.',
  'L1 fuse': 'Line 1 is at its fuse: the car gets what the house leaves on that line.',
  'L2 fuse': 'Line 2 is at its fuse: the car gets what the house leaves on that line.',
  'L3 fuse': 'Line 3 is at its fuse: the car gets what the house leaves on that line.',
  'headroom kept': `Room is kept on this line for a load that switches on (one that cycles and will be back soon, or an appliance up to the size it may have; one not seen yet counts as the setting margins.unseenStepKw, ${DEFAULT_UNSEEN_STEP_KW} kW unless changed, and as a 16 A circuit's ${CIRCUIT_KW} kW for ${SESSION_MS / 60_000} min after a large appliance starts): its step must not take the line past 1.45 × the fuse before the car is cut.`,
  'quarter budget': "The quarter-hour's energy budget is spent down to the house's expected use.",
  'quarter plan':
    "The car waits and charges at the end of the quarter-hour, when the house's use so far is known and the budget is sure.",
  'quarter end': 'The quarter-hour ends in a few seconds: no raise that could not take effect in time.',
  'solar surplus': 'Charging from what the panels export.',
  'solar start delay': 'The solar surplus must last a minute before the car starts.',
  'solar stop delay': 'Kept at the minimum through a passing cloud.',
  'charger max': "At the charger's (or car's) maximum current.",
  'car limit': 'The car takes less than it is offered (full, or limited by itself).',
  'raise delay':
    'Raised no more often than every few seconds; longer after a load that came back, and once 90 changes came within the hour.',
  ramp: 'Raised in steps, not all at once.',
  'waiting for cut': "Another car's cut has not reached it yet: the raise waits until it has.",
  'min pause': 'Paused for the minimum pause time before starting again.',
  'measurement unknown':
    "The charger's measurement is missing, stale or implausible: counted as if the car drew its full offer, and nobody is raised on it.",
  unplugged: 'No car is plugged in.',
  'charger offline': 'The charger is not connected to the module.',
} as const;

export type Reason = keyof typeof REASON_TEXTS;

export const REASONS = Object.keys(REASON_TEXTS) as Reason[];

/** The owner-facing sentence for a reason. */
export function reasonText(reason: Reason): string {
  return REASON_TEXTS[reason];
}

const FUSE_REASONS: readonly Reason[] = ['L1 fuse', 'L2 fuse', 'L3 fuse'];

/**
 * The reasons that name a ceiling a limit sits at: a fuse, the room kept under 1.45 × In, the quarter's budget, the
 * charger's maximum. Where two bind about equally, which one binds flips with the house's noise.
 */
export const CEILING_REASONS: ReadonlySet<Reason> = new Set<Reason>([
  ...FUSE_REASONS,
  'headroom kept',
  'quarter budget',
  'charger max',
]);

/** The fuse reason of line index 0..2. */
export function fuseReason(line: number): Reason {
  return FUSE_REASONS[line] ?? 'L1 fuse';
}
