import { expect, it, describe as suite } from 'vitest';
import { actionFor, describe } from '../src/describe';
import { applyEvent } from '../src/machine';
import { HELP_LINE, STATES } from '../src/states';
import { LANGUAGES, texts } from '../src/texts';
import { HOUR, reach } from './helpers';

suite('presentation model', () => {
  it.each(LANGUAGES.flatMap((lang) => STATES.map((state) => [lang, state] as const)))(
    '%s / %s has a title, instructions and labelled actions',
    (lang, state) => {
      const { progress, clock } = reach(state);
      const view = describe(progress, lang, clock.now());
      expect(view.state).toBe(state);
      expect(view.title.length).toBeGreaterThan(3);
      expect(view.todo.length).toBeGreaterThan(0);
      expect(view.step).toBeGreaterThanOrEqual(1);
      expect(view.step).toBeLessThanOrEqual(view.steps);
      for (const action of view.actions) expect(action.label).not.toBe(action.id);
      expect(view.helpLine).toContain(HELP_LINE);
    },
  );

  it('steps go up along the path and overdue shares the step of In aanvraag', () => {
    const steps = STATES.map((s) => {
      const { progress, clock } = reach(s);
      return describe(progress, 'en', clock.now()).step;
    });
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 12]);
  });

  it('shows the dot and its meaning', () => {
    const orange = reach('requested');
    expect(describe(orange.progress, 'nl', orange.clock.now())).toMatchObject({
      dot: 'orange',
      dotMeaning: texts('nl').dots.orange,
    });
    const green = reach('approved');
    expect(describe(green.progress, 'en', green.clock.now()).dot).toBe('green');
    const none = reach('ean-added');
    expect(describe(none.progress, 'fr', none.clock.now()).dot).toBe('none');
  });

  it('tells since when the request waits, the deadline, and the help line once overdue', () => {
    const { progress, clock } = reach('in-aanvraag');
    const waiting = describe(progress, 'nl', clock.now());
    expect(waiting.waitingSince).toBe(progress.since['in-aanvraag']);
    expect(waiting.waitLines[0]).toMatch(/^In aanvraag sinds .*2025/);
    expect(waiting.waitLines[1]).toMatch(/^Uiterlijk open op/);
    clock.advance(73 * HOUR);
    const late = describe(progress, 'en', clock.now());
    expect(late.overdue).toBe(true);
    expect(late.state).toBe('overdue');
    expect(late.waitLines[1]).toBe(`It is taking longer than 72 hours: call Fluvius on ${HELP_LINE}.`);
  });

  it('translates the last error and keeps the technical reason', () => {
    const { progress, clock } = reach('ean-entered');
    const refused = applyEvent(progress, { type: 'ean-refused' }, clock).progress;
    const view = describe(refused, 'nl', clock.now());
    expect(view.error).toEqual({
      code: 'ean-unknown',
      message: texts('nl').errors['ean-unknown'],
      reason: 'the grid operator does not know this EAN code as a digital meter',
    });
  });

  it('resolves an action posted by a web page only when it is offered now', () => {
    const { progress, clock } = reach('requested');
    expect(actionFor(progress, clock.now(), 'approve-letter-code')).toMatchObject({
      kind: 'event',
      event: { type: 'approve', by: 'letter-code' },
    });
    expect(actionFor(progress, clock.now(), 'switch-on')).toBeNull();
  });

  it('every language has every text', () => {
    const keys = (o: object): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object' && !Array.isArray(v) ? keys(v).map((x) => `${k}.${x}`) : [k],
      );
    const en = keys(texts('en')).sort();
    expect(keys(texts('nl')).sort()).toEqual(en);
    expect(keys(texts('fr')).sort()).toEqual(en);
    expect(texts('nl').states.approved.title).not.toBe(texts('en').states.approved.title);
    expect(texts('fr').hints['no-bytes']).toContain('GP');
  });
});
