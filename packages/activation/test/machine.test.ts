import { describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock';
import { allowedEvents, applyEvent, currentState, deadlineOf, initialProgress } from '../src/machine';
import { type ActivationEvent, type ActivationState, EVENT_TYPES, PORT_DEADLINE_MS, STATES } from '../src/states';
import { EAN, HOUR, reach } from './helpers';

const SAMPLE: Record<ActivationEvent['type'], ActivationEvent> = {
  register: { type: 'register', method: 'eid' },
  'confirm-email': { type: 'confirm-email' },
  login: { type: 'login' },
  'enter-ean': { type: 'enter-ean', ean: EAN },
  'add-ean': { type: 'add-ean' },
  'ean-refused': { type: 'ean-refused' },
  request: { type: 'request', consent: true, requesterIsHolder: false },
  approve: { type: 'approve', by: 'letter-code' },
  'letter-code-refused': { type: 'letter-code-refused' },
  'switch-on': { type: 'switch-on' },
  'in-aanvraag': { type: 'in-aanvraag' },
  'port-open': { type: 'port-open' },
  telegram: { type: 'telegram' },
  tick: { type: 'tick' },
  restart: { type: 'restart' },
};

type Expect = ActivationState | { error: string };

/** Every possible (state, event) pair whose outcome is not "impossible-transition". */
const TABLE: [ActivationState, ActivationEvent, Expect][] = [
  ['no-account', { type: 'register', method: 'eid' }, 'registered'],
  ['no-account', { type: 'register', method: 'itsme' }, 'registered'],
  ['registered', { type: 'confirm-email' }, 'email-confirmed'],
  ['registered', { type: 'login' }, { error: 'email-not-confirmed' }],
  ['email-confirmed', { type: 'login' }, 'logged-in'],
  ['logged-in', { type: 'enter-ean', ean: EAN }, 'ean-entered'],
  ['logged-in', { type: 'enter-ean', ean: '5414 4882 0000 0000 15' }, 'ean-entered'],
  ['logged-in', { type: 'enter-ean', ean: '541448820000000016' }, { error: 'ean-invalid-format' }],
  ['logged-in', { type: 'enter-ean', ean: '12345' }, { error: 'ean-invalid-format' }],
  ['ean-entered', { type: 'enter-ean', ean: '541448820000000022' }, 'ean-entered'],
  ['ean-entered', { type: 'enter-ean', ean: '641448820000000015' }, { error: 'ean-invalid-format' }],
  ['ean-entered', { type: 'add-ean' }, 'ean-added'],
  ['ean-entered', { type: 'ean-refused' }, { error: 'ean-unknown' }],
  ['ean-added', { type: 'request', consent: true, requesterIsHolder: false }, 'requested'],
  ['ean-added', { type: 'request', consent: true, requesterIsHolder: true }, 'approved'],
  ['ean-added', { type: 'request', consent: false, requesterIsHolder: false }, { error: 'consent-missing' }],
  ['ean-added', { type: 'request', consent: false, requesterIsHolder: true }, { error: 'consent-missing' }],
  ['requested', { type: 'approve', by: 'email-link' }, 'approved'],
  ['requested', { type: 'approve', by: 'letter-code' }, 'approved'],
  ['requested', { type: 'letter-code-refused' }, { error: 'wrong-letter-code' }],
  ['approved', { type: 'switch-on' }, 'switched-on'],
  ['switched-on', { type: 'in-aanvraag' }, 'in-aanvraag'],
  ['switched-on', { type: 'port-open' }, 'open'],
  ['switched-on', { type: 'telegram' }, 'verified'],
  ['in-aanvraag', { type: 'port-open' }, 'open'],
  ['in-aanvraag', { type: 'telegram' }, 'verified'],
  ['overdue', { type: 'port-open' }, 'open'],
  ['overdue', { type: 'telegram' }, 'verified'],
  ['open', { type: 'telegram' }, 'verified'],
];

describe('state machine', () => {
  it.each(TABLE)('%s + %j → %j', (state, event, expected) => {
    const { progress, clock } = reach(state);
    expect(currentState(progress, clock.now())).toBe(state);
    const result = applyEvent(progress, event, clock);
    if (typeof expected === 'string') {
      expect(result.ok).toBe(true);
      expect(result.progress.state).toBe(expected);
      expect(result.progress.lastError).toBeNull();
      expect(result.progress.since[expected]).toBe(new Date(clock.now()).toISOString());
    } else {
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe(expected.error);
      expect(result.error.reason.length).toBeGreaterThan(10);
      // A refused step keeps the state and is remembered for the owner.
      expect(currentState(result.progress, clock.now())).toBe(state);
      expect(result.progress.lastError).toEqual(result.error);
    }
  });

  const possible = new Set(TABLE.map(([s, e]) => `${s}/${e.type}`));
  const impossible = STATES.flatMap((state) =>
    EVENT_TYPES.filter((type) => type !== 'tick' && type !== 'restart' && !possible.has(`${state}/${type}`)).map(
      (type) => [state, type] as const,
    ),
  );

  it('has impossible pairs to test', () => expect(impossible.length).toBeGreaterThan(120));

  it.each(impossible)('refuses %s + %s with a reason and no change', (state, type) => {
    const { progress, clock } = reach(state);
    const result = applyEvent(progress, SAMPLE[type], clock);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('impossible-transition');
    expect(result.error.reason).toContain(`'${type}' is not possible in state '${state}'`);
    expect(allowedEvents(state)).not.toContain(type);
    if (state !== 'overdue') expect(result.progress).toBe(progress);
  });

  it.each(STATES)('restart from %s starts over, tick changes nothing but the deadline', (state) => {
    const { progress, clock } = reach(state);
    const ticked = applyEvent(progress, { type: 'tick' }, clock);
    expect(ticked.ok && ticked.progress.state).toBe(state);
    const restarted = applyEvent(progress, { type: 'restart' }, clock);
    expect(restarted.ok && restarted.progress).toEqual(initialProgress(clock));
  });

  it('a successful step clears the last error', () => {
    const { progress, clock } = reach('logged-in');
    const bad = applyEvent(progress, { type: 'enter-ean', ean: '123' }, clock);
    expect(bad.progress.lastError?.code).toBe('ean-invalid-format');
    const good = applyEvent(bad.progress, { type: 'enter-ean', ean: EAN }, clock);
    expect(good.progress.lastError).toBeNull();
    expect(good.progress.ean).toBe(EAN);
  });

  it('records who approved', () => {
    const holder = reach('ean-added');
    const direct = applyEvent(
      holder.progress,
      { type: 'request', consent: true, requesterIsHolder: true },
      holder.clock,
    );
    expect(direct.progress).toMatchObject({ approvedBy: 'holder', requesterIsHolder: true });
    const other = reach('requested');
    const letter = applyEvent(other.progress, { type: 'approve', by: 'letter-code' }, other.clock);
    expect(letter.progress).toMatchObject({ approvedBy: 'letter-code', requesterIsHolder: false });
  });

  describe('the 72 hour wait', () => {
    it('counts from switching on, and becomes overdue exactly at the deadline', () => {
      const clock = new ManualClock();
      const { progress } = reach('switched-on', clock);
      const switchedAt = Date.parse(progress.since['switched-on']!);
      expect(deadlineOf(progress)).toBe(new Date(switchedAt + PORT_DEADLINE_MS).toISOString());
      clock.advance(10 * HOUR);
      const aanvraag = applyEvent(progress, { type: 'in-aanvraag' }, clock).progress;
      clock.set(switchedAt + PORT_DEADLINE_MS - 1);
      expect(currentState(aanvraag, clock.now())).toBe('in-aanvraag');
      clock.set(switchedAt + PORT_DEADLINE_MS);
      expect(currentState(aanvraag, clock.now())).toBe('overdue');
      const ticked = applyEvent(aanvraag, { type: 'tick' }, clock).progress;
      expect(ticked.state).toBe('overdue');
      expect(ticked.since.overdue).toBe(new Date(clock.now()).toISOString());
    });

    it('a telegram while overdue still verifies, passing through open', () => {
      const { progress, clock } = reach('overdue');
      const result = applyEvent(progress, { type: 'telegram' }, clock);
      expect(result.progress.state).toBe('verified');
      expect(result.progress.since.open).toBeDefined();
    });

    it('has no deadline before the port is switched on', () => {
      expect(deadlineOf(reach('approved').progress)).toBeNull();
    });
  });
});
