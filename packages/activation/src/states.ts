/** Every state and error an owner meets while opening the P1 port at the grid operator. */

export const STATES = [
  'no-account', // no account on the grid operator's portal yet
  'registered', // account created through eID or itsme, e-mail not confirmed
  'email-confirmed',
  'logged-in',
  'ean-entered', // a well-formed EAN is known to the assistant, not yet added on the portal
  'ean-added', // the portal knows the EAN as a digital meter
  'requested', // orange dot: waiting for the contract holder's approval
  'approved', // green dot: the port can be switched on; it is still closed
  'switched-on', // the owner clicked the on/off switch
  'in-aanvraag', // the portal shows "In aanvraag" (up to 72 h)
  'overdue', // more than 72 h since switching on and the port is not open
  'open', // the portal shows "Open" or the arrow above GP is lit
  'verified', // the module receives valid telegrams
] as const;

export type ActivationState = (typeof STATES)[number];

export const ERROR_CODES = [
  'impossible-transition',
  'ean-invalid-format',
  'ean-unknown', // the portal does not know the EAN as a digital meter
  'email-not-confirmed',
  'consent-missing',
  'wrong-letter-code',
] as const;

export type ActivationErrorCode = (typeof ERROR_CODES)[number];

export type RegistrationMethod = 'eid' | 'itsme';
export type ApprovalMethod = 'email-link' | 'letter-code';

export type ActivationEvent =
  | { type: 'register'; method: RegistrationMethod }
  | { type: 'confirm-email' }
  | { type: 'login' }
  | { type: 'enter-ean'; ean: string }
  | { type: 'add-ean' }
  | { type: 'ean-refused' }
  | { type: 'request'; consent: boolean; requesterIsHolder: boolean }
  | { type: 'approve'; by: ApprovalMethod }
  | { type: 'letter-code-refused' }
  | { type: 'switch-on' }
  | { type: 'in-aanvraag' }
  | { type: 'port-open' }
  | { type: 'telegram' }
  | { type: 'tick' }
  | { type: 'restart' };

export type ActivationEventType = ActivationEvent['type'];

export const EVENT_TYPES: readonly ActivationEventType[] = [
  'register',
  'confirm-email',
  'login',
  'enter-ean',
  'add-ean',
  'ean-refused',
  'request',
  'approve',
  'letter-code-refused',
  'switch-on',
  'in-aanvraag',
  'port-open',
  'telegram',
  'tick',
  'restart',
];

export interface ActivationError {
  code: ActivationErrorCode;
  /** One English sentence; translated texts come from `texts(lang).errors`. */
  reason: string;
  /** ISO 8601 time the error happened. */
  at: string;
}

/** What is persisted: enough to resume after a restart and to keep the 72 h deadline. */
export interface Progress {
  version: 1;
  state: ActivationState;
  ean: string | null;
  registeredWith: RegistrationMethod | null;
  requesterIsHolder: boolean | null;
  approvedBy: ApprovalMethod | 'holder' | null;
  /** ISO 8601 time each state was first entered in this run of the workflow. */
  since: Partial<Record<ActivationState, string>>;
  /** The last refused step, shown until the next successful one. */
  lastError: ActivationError | null;
  updatedAt: string;
}

/** How long "In aanvraag" may last before the owner should call the grid operator. */
export const PORT_DEADLINE_MS = 72 * 3600 * 1000;
export const HELP_LINE = '078 35 35 34';

export function isActivationState(value: unknown): value is ActivationState {
  return typeof value === 'string' && (STATES as readonly string[]).includes(value);
}

/** Where the state sits on the portal's dot: none before the request, orange while waiting, green after. */
export function dotOf(state: ActivationState): 'none' | 'orange' | 'green' {
  const index = STATES.indexOf(state);
  if (index < STATES.indexOf('requested')) return 'none';
  return state === 'requested' ? 'orange' : 'green';
}
