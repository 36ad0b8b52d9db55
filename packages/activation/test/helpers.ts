import { ManualClock } from '../src/clock';
import { applyEvent, initialProgress } from '../src/machine';
import type { ActivationEvent, ActivationState, Progress } from '../src/states';

export const EAN = '541448820000000015';
export const HOUR = 3600 * 1000;

/** The shortest sequence of events that reaches each state from the start. */
export const PATH_TO: Record<ActivationState, ActivationEvent[]> = (() => {
  const steps: [ActivationState, ActivationEvent][] = [
    ['registered', { type: 'register', method: 'itsme' }],
    ['email-confirmed', { type: 'confirm-email' }],
    ['logged-in', { type: 'login' }],
    ['ean-entered', { type: 'enter-ean', ean: EAN }],
    ['ean-added', { type: 'add-ean' }],
    ['requested', { type: 'request', consent: true, requesterIsHolder: false }],
    ['approved', { type: 'approve', by: 'email-link' }],
    ['switched-on', { type: 'switch-on' }],
    ['in-aanvraag', { type: 'in-aanvraag' }],
  ];
  const paths = { 'no-account': [] } as unknown as Record<ActivationState, ActivationEvent[]>;
  let path: ActivationEvent[] = [];
  for (const [state, event] of steps) {
    path = [...path, event];
    paths[state] = path;
  }
  paths.overdue = paths['in-aanvraag']; // plus 72 h on the clock, see reach()
  paths.open = [...paths['in-aanvraag'], { type: 'port-open' }];
  paths.verified = [...paths.open, { type: 'telegram' }];
  return paths;
})();

export function reach(state: ActivationState, clock = new ManualClock()): { progress: Progress; clock: ManualClock } {
  let progress = initialProgress(clock);
  for (const event of PATH_TO[state]) {
    clock.advance(60_000);
    const result = applyEvent(progress, event, clock);
    if (!result.ok) throw new Error(`path to ${state} refused ${event.type}: ${result.error.reason}`);
    progress = result.progress;
  }
  if (state === 'overdue') clock.advance(73 * HOUR);
  return { progress, clock };
}
