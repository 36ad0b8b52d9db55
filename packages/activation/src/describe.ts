import { currentState, deadlineOf } from './machine';
import { type ActivationEvent, type ActivationState, dotOf, HELP_LINE, type Progress, STATES } from './states';
import { type Lang, texts } from './texts';

/** One answer the owner can give at a step; the terminal numbers them, the web page shows buttons. */
export type AssistantAction =
  | { id: string; label: string; kind: 'event'; event: ActivationEvent }
  | { id: 'enter-ean'; label: string; kind: 'input-ean' }
  | { id: 'watch'; label: string; kind: 'watch' };

type ActionSpec = AssistantAction extends infer A ? (A extends AssistantAction ? Omit<A, 'label'> : never) : never;

const event = (id: string, e: ActivationEvent): ActionSpec => ({ id, kind: 'event', event: e });
const ENTER_EAN: ActionSpec = { id: 'enter-ean', kind: 'input-ean' };
const WATCH: ActionSpec = { id: 'watch', kind: 'watch' };

const ACTIONS: Record<ActivationState, ActionSpec[]> = {
  'no-account': [
    event('register-eid', { type: 'register', method: 'eid' }),
    event('register-itsme', { type: 'register', method: 'itsme' }),
  ],
  registered: [event('confirm-email', { type: 'confirm-email' }), event('login-refused', { type: 'login' })],
  'email-confirmed': [event('login', { type: 'login' })],
  'logged-in': [ENTER_EAN],
  'ean-entered': [event('add-ean', { type: 'add-ean' }), event('ean-refused', { type: 'ean-refused' }), ENTER_EAN],
  'ean-added': [
    event('request-orange', { type: 'request', consent: true, requesterIsHolder: false }),
    event('request-green', { type: 'request', consent: true, requesterIsHolder: true }),
    event('request-no-consent', { type: 'request', consent: false, requesterIsHolder: false }),
  ],
  requested: [
    event('approve-email-link', { type: 'approve', by: 'email-link' }),
    event('approve-letter-code', { type: 'approve', by: 'letter-code' }),
    event('letter-code-refused', { type: 'letter-code-refused' }),
  ],
  approved: [event('switch-on', { type: 'switch-on' })],
  'switched-on': [event('in-aanvraag', { type: 'in-aanvraag' }), event('port-open', { type: 'port-open' }), WATCH],
  'in-aanvraag': [event('port-open', { type: 'port-open' }), WATCH],
  overdue: [event('port-open', { type: 'port-open' }), WATCH],
  open: [WATCH],
  verified: [],
};

export interface Presentation {
  lang: Lang;
  state: ActivationState;
  /** 1-based position on the path; overdue shares the step of "In aanvraag". */
  step: number;
  steps: number;
  stepLabel: string;
  title: string;
  /** What to do next on the portal, one instruction a line. */
  todo: string[];
  dot: 'none' | 'orange' | 'green';
  dotMeaning: string;
  /** The legend of every dot, for the page's help box. */
  dots: { none: string; orange: string; green: string };
  ean: string | null;
  waitingSince: string | null;
  deadline: string | null;
  /** Localized lines about the wait ("In aanvraag since …", the deadline, or the call to make). */
  waitLines: string[];
  overdue: boolean;
  helpLine: string;
  /** The last refused step, translated, with the technical reason for support. */
  error: { code: string; message: string; reason: string } | null;
  actions: AssistantAction[];
}

const PATH = STATES.filter((s) => s !== 'overdue');

export interface DescribeOptions {
  /** For "since …" and deadline texts; the owner's wall clock is Belgian. */
  timeZone?: string;
}

export function formatWhen(iso: string, lang: Lang, timeZone = 'Europe/Brussels'): string {
  return new Intl.DateTimeFormat(texts(lang).locale, { dateStyle: 'full', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
}

/** Everything the terminal guide and the web page show for one moment of the activation. */
export function describe(
  progress: Progress,
  lang: Lang,
  nowMs: number = Date.now(),
  options: DescribeOptions = {},
): Presentation {
  const t = texts(lang);
  const state = currentState(progress, nowMs);
  const step = PATH.indexOf(state === 'overdue' ? 'in-aanvraag' : state) + 1;
  const dot = dotOf(state);
  const waiting = state === 'switched-on' || state === 'in-aanvraag' || state === 'overdue';
  const since = waiting ? (progress.since['in-aanvraag'] ?? progress.since['switched-on'] ?? null) : null;
  const deadline = waiting ? deadlineOf(progress) : null;
  const when = (iso: string) => formatWhen(iso, lang, options.timeZone);
  const waitLines: string[] = [];
  if (since) {
    // "In aanvraag since" only once the portal showed it; before that, when the switch was clicked.
    waitLines.push(progress.since['in-aanvraag'] ? t.waitingSince(when(since)) : t.switchedOnAt(when(since)));
  }
  if (state === 'overdue') waitLines.push(t.overdue(HELP_LINE));
  else if (deadline) waitLines.push(t.deadline(when(deadline)));
  const error = progress.lastError
    ? { code: progress.lastError.code, message: t.errors[progress.lastError.code], reason: progress.lastError.reason }
    : null;
  const actions = ACTIONS[state].map((a) => ({ ...a, label: t.actions[a.id] ?? a.id }) as AssistantAction);
  return {
    lang,
    state,
    step,
    steps: PATH.length,
    stepLabel: t.stepOf(step, PATH.length),
    title: t.states[state].title,
    todo: t.states[state].todo,
    dot,
    dotMeaning: t.dots[dot],
    dots: t.dots,
    ean: progress.ean,
    waitingSince: since,
    deadline,
    waitLines,
    overdue: state === 'overdue',
    helpLine: t.helpLine(HELP_LINE),
    error,
    actions,
  };
}

/** Resolves an action id posted by the web page into the event to apply; null when not offered now. */
export function actionFor(progress: Progress, nowMs: number, id: string, lang: Lang = 'en'): AssistantAction | null {
  return describe(progress, lang, nowMs).actions.find((a) => a.id === id) ?? null;
}
