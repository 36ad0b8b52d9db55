import type { Clock } from './clock';
import { validateEan } from './ean';
import {
  type ActivationError,
  type ActivationErrorCode,
  type ActivationEvent,
  type ActivationEventType,
  type ActivationState,
  PORT_DEADLINE_MS,
  type Progress,
} from './states';

export type TransitionResult =
  | { ok: true; progress: Progress }
  | { ok: false; progress: Progress; error: ActivationError };

/** States in which the port was switched on but is not yet seen open: the 72 h wait. */
const WAITING: readonly ActivationState[] = ['switched-on', 'in-aanvraag', 'overdue'];

/** Which events each state accepts (besides `tick` and `restart`, accepted everywhere). */
const ACCEPTS: Record<ActivationState, readonly ActivationEventType[]> = {
  'no-account': ['register'],
  registered: ['confirm-email', 'login'],
  'email-confirmed': ['login'],
  'logged-in': ['enter-ean'],
  'ean-entered': ['enter-ean', 'add-ean', 'ean-refused'],
  'ean-added': ['request'],
  requested: ['approve', 'letter-code-refused'],
  approved: ['switch-on'],
  'switched-on': ['in-aanvraag', 'port-open', 'telegram'],
  'in-aanvraag': ['port-open', 'telegram'],
  overdue: ['port-open', 'telegram'],
  open: ['telegram'],
  verified: [],
};

/** Why an event cannot happen yet, in words the owner understands, per event. */
const PREREQUISITE: Record<ActivationEventType, string> = {
  register: 'an account already exists',
  'confirm-email': 'only a freshly registered account needs its e-mail address confirmed',
  login: 'logging in needs a registered account with a confirmed e-mail address',
  'enter-ean': 'an EAN code can be entered only when logged in and before it is added',
  'add-ean': 'a valid EAN code must be entered first',
  'ean-refused': 'there is no entered EAN code for the portal to refuse',
  request: 'the activation can be requested only for an added EAN code, once',
  approve: 'there is no request waiting for approval (orange dot)',
  'letter-code-refused': 'there is no request waiting for approval by letter code',
  'switch-on': 'the port can be switched on only after approval (green dot)',
  'in-aanvraag': 'the port must be switched on first',
  'port-open': 'the port can open only after it was switched on, which needs approval',
  telegram: 'telegrams count only once the port has been switched on after approval',
  tick: '',
  restart: '',
};

export function initialProgress(clock: Clock): Progress {
  const now = new Date(clock.now()).toISOString();
  return {
    version: 1,
    state: 'no-account',
    ean: null,
    registeredWith: null,
    requesterIsHolder: null,
    approvedBy: null,
    since: { 'no-account': now },
    lastError: null,
    updatedAt: now,
  };
}

/** When the 72 h wait started: switching the port on. Null before that. */
export function waitStartedAt(progress: Progress): string | null {
  return progress.since['switched-on'] ?? progress.since['in-aanvraag'] ?? null;
}

/** The moment the owner should call the help line; null when not waiting for the port. */
export function deadlineOf(progress: Progress): string | null {
  const started = waitStartedAt(progress);
  return started === null ? null : new Date(Date.parse(started) + PORT_DEADLINE_MS).toISOString();
}

/** The state as it is now: a wait that passed the deadline becomes `overdue`, even across restarts. */
export function currentState(progress: Progress, nowMs: number): ActivationState {
  if (progress.state !== 'switched-on' && progress.state !== 'in-aanvraag') return progress.state;
  const deadline = deadlineOf(progress);
  return deadline !== null && nowMs >= Date.parse(deadline) ? 'overdue' : progress.state;
}

export function allowedEvents(state: ActivationState): ActivationEventType[] {
  return [...ACCEPTS[state], 'tick', 'restart'];
}

function enter(progress: Progress, state: ActivationState, now: string, patch: Partial<Progress> = {}): Progress {
  return {
    ...progress,
    ...patch,
    state,
    since: { ...progress.since, [state]: progress.since[state] ?? now },
    lastError: null,
    updatedAt: now,
  };
}

function refuse(progress: Progress, code: ActivationErrorCode, reason: string, now: string): TransitionResult {
  const error: ActivationError = { code, reason, at: now };
  // A refused step is remembered (the owner sees it after a restart); an impossible one changes nothing.
  const next = code === 'impossible-transition' ? progress : { ...progress, lastError: error, updatedAt: now };
  return { ok: false, progress: next, error };
}

/**
 * Applies one event. Pure: the same progress, event and time give the same result. Impossible
 * events are refused with a reason and leave the progress as it was.
 */
export function applyEvent(progress: Progress, event: ActivationEvent, clock: Clock): TransitionResult {
  const nowMs = clock.now();
  const now = new Date(nowMs).toISOString();
  const state = currentState(progress, nowMs);
  // Persist the deadline's effect so that every reader agrees on the state.
  const base = state === progress.state ? progress : enter(progress, state, now);

  if (event.type === 'restart') return { ok: true, progress: initialProgress(clock) };
  if (event.type === 'tick') return { ok: true, progress: base };
  if (!ACCEPTS[state].includes(event.type)) {
    const reason = `'${event.type}' is not possible in state '${state}': ${PREREQUISITE[event.type]}`;
    return refuse(base, 'impossible-transition', reason, now);
  }

  switch (event.type) {
    case 'register':
      return { ok: true, progress: enter(base, 'registered', now, { registeredWith: event.method }) };
    case 'confirm-email':
      return { ok: true, progress: enter(base, 'email-confirmed', now) };
    case 'login':
      if (state === 'registered') {
        return refuse(base, 'email-not-confirmed', 'click the link in the confirmation e-mail before logging in', now);
      }
      return { ok: true, progress: enter(base, 'logged-in', now) };
    case 'enter-ean': {
      const check = validateEan(event.ean);
      if (!check.valid) return refuse(base, 'ean-invalid-format', check.reason ?? 'invalid EAN code', now);
      return { ok: true, progress: enter(base, 'ean-entered', now, { ean: check.normalized }) };
    }
    case 'add-ean':
      return { ok: true, progress: enter(base, 'ean-added', now) };
    case 'ean-refused':
      return refuse(base, 'ean-unknown', 'the grid operator does not know this EAN code as a digital meter', now);
    case 'request':
      if (!event.consent) {
        return refuse(base, 'consent-missing', 'the consent box must be ticked before requesting', now);
      }
      if (event.requesterIsHolder) {
        return {
          ok: true,
          progress: enter(base, 'approved', now, { requesterIsHolder: true, approvedBy: 'holder' }),
        };
      }
      return { ok: true, progress: enter(base, 'requested', now, { requesterIsHolder: false }) };
    case 'approve':
      return { ok: true, progress: enter(base, 'approved', now, { approvedBy: event.by }) };
    case 'letter-code-refused':
      return refuse(base, 'wrong-letter-code', 'the activation code does not match the one in the letter', now);
    case 'switch-on':
      return { ok: true, progress: enter(base, 'switched-on', now) };
    case 'in-aanvraag':
      return { ok: true, progress: enter(base, 'in-aanvraag', now) };
    case 'port-open':
      return { ok: true, progress: enter(base, 'open', now) };
    case 'telegram':
      // A valid telegram proves the port is open even when the portal was not checked.
      return { ok: true, progress: enter(WAITING.includes(state) ? enter(base, 'open', now) : base, 'verified', now) };
  }
}

/** Applies events in order, stopping at nothing: refused events are reported and skipped. */
export function applyAll(
  progress: Progress,
  events: readonly ActivationEvent[],
  clock: Clock,
): { progress: Progress; errors: ActivationError[] } {
  const errors: ActivationError[] = [];
  let current = progress;
  for (const event of events) {
    const result = applyEvent(current, event, clock);
    current = result.progress;
    if (!result.ok) errors.push(result.error);
  }
  return { progress: current, errors };
}
