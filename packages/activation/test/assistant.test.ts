import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type AssistantOptions, type MeterHandle, runAssistant } from '../src/assistant';
import { ManualClock } from '../src/clock';
import { MemoryProgressStore } from '../src/store';
import { EAN, HOUR, reach } from './helpers';

/** A meter that sends one valid telegram shortly after it is opened. */
function fakeMeter(frames: { ok: boolean }[] = [{ ok: true }]): {
  open: () => Promise<MeterHandle>;
  stopped: () => boolean;
} {
  let stopped = false;
  return {
    stopped: () => stopped,
    open: async () => {
      const events = new EventEmitter();
      return {
        events,
        start: async () => {
          // Sent synchronously on start, as a fast replay does: the watcher must already listen.
          events.emit('data', new TextEncoder().encode('/FLU5\\253769484_A\r\n'));
          for (const frame of frames) events.emit('reading', frame, new Uint8Array([0x2f]));
        },
        stop: async () => {
          stopped = true;
        },
      };
    },
  };
}

async function run(answers: string[], options: Partial<AssistantOptions> = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk) => {
    text += chunk;
  });
  const store = options.store ?? new MemoryProgressStore();
  input.end(answers.map((a) => `${a}\n`).join(''));
  const outcome = await runAssistant({
    input,
    output,
    store,
    lang: 'en',
    clock: new ManualClock(),
    ...options,
  });
  return { outcome, text, progress: await store.load() };
}

describe('runAssistant over a pipe', () => {
  it('walks the whole way to verified when all answers are piped at once', async () => {
    const meter = fakeMeter([{ ok: false }, { ok: true }]);
    const { outcome, text, progress } = await run(
      [
        '2', // registered with itsme
        '1', // clicked the mail link
        '1', // logged in
        '1', // enter the EAN
        '5414 4882 0000 0000 16', // mistyped: check digit
        '5414 4882 0000 0000 15',
        'add-ean',
        '1', // requested, orange dot
        '2', // approved with the letter code
        '1', // switched on
        '1', // In aanvraag
        '2', // watch the meter
      ],
      { openMeter: meter.open },
    );
    expect(outcome).toBe('verified');
    expect(progress?.state).toBe('verified');
    expect(progress).toMatchObject({ ean: EAN, registeredWith: 'itsme', approvedBy: 'letter-code' });
    expect(text).toContain('The check digit does not match');
    expect(text).toContain('Orange dot: requested');
    expect(text).toMatch(/In aanvraag since .*2025/);
    expect(text).toContain('First valid telegram received');
    expect(text).toContain('Done: the module reads your meter');
    expect(meter.stopped()).toBe(true);
  });

  it('pauses when the input ends, and resumes where it stopped in another run', async () => {
    const store = new MemoryProgressStore();
    const first = await run(['1', '1'], { store });
    expect(first.outcome).toBe('paused');
    expect(first.progress?.state).toBe('email-confirmed');
    expect(first.text).toContain('Progress saved');
    const second = await run(['1', '1', EAN, '1', '2', '1', 'port-open'], { store, openMeter: fakeMeter().open });
    expect(second.text).toContain('[Step 3 of 12] Log in');
    expect(second.outcome).toBe('verified');
    expect(second.progress).toMatchObject({ approvedBy: 'holder', state: 'verified' });
  });

  it('shows refused steps and says how to check the meter when none was given', async () => {
    const store = new MemoryProgressStore();
    const { text, progress, outcome } = await run(
      ['1', '2', '7', '1', '1', '1', EAN, '2', '1', '3', '1', '3', '1', '1', '3'],
      { store, lang: 'nl' },
    );
    expect(text).toContain('Je e-mailadres is nog niet bevestigd');
    expect(text).toContain('Onbekende keuze.');
    expect(text).toContain('Het portaal kent deze EAN-code niet als digitale meter');
    expect(text).toContain('Vink eerst het akkoord-vakje aan');
    expect(text).toContain('De activatiecode is fout');
    expect(text).toContain('Geef --device PAD of --tcp HOST:POORT mee');
    expect(outcome).toBe('paused');
    expect(progress?.state).toBe('switched-on');
  });

  it('tells an owner who comes back after 72 hours to call the help line', async () => {
    const clock = new ManualClock();
    const store = new MemoryProgressStore();
    await run(['1', '1', '1', '1', EAN, '1', '2', '1', '1', 'q'], { store, clock });
    clock.advance(80 * HOUR);
    const later = await run(['q'], { store, clock });
    expect(later.progress?.state).toBe('overdue');
    expect(later.text).toContain('call Fluvius on 078 35 35 34');
  });
});

describe('runAssistant on a terminal', () => {
  it('shows under the prompt how the EAN typed so far looks', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk) => {
      text += chunk;
    });
    const store = new MemoryProgressStore();
    const clock = new ManualClock();
    // Start at "logged in": the next question is the EAN.
    const { progress } = reach('logged-in', clock);
    await store.save(progress);
    const done = runAssistant({ input, output, store, lang: 'en', clock, terminal: true });
    const waitFor = async (needle: string) => {
      while (!text.includes(needle)) await new Promise((r) => setTimeout(r, 5));
    };
    await waitFor('Choose: ');
    input.write('1\r');
    await waitFor('EAN code: ');
    input.write('541448820000');
    await waitFor('12 of 18 digits');
    input.write('000016');
    await waitFor('The check digit does not match');
    input.write('\x7f\x7f15');
    await waitFor('Valid EAN code.');
    input.write('\r');
    await waitFor('[Step 5 of 12] Add the EAN code');
    input.write('q\r');
    expect(await done).toBe('paused');
    expect((await store.load())?.ean).toBe(EAN);
  });
});

describe('Ctrl-C on a terminal', () => {
  it('pauses with progress saved, even while watching a silent meter', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (chunk) => {
      text += chunk;
    });
    const store = new MemoryProgressStore();
    const clock = new ManualClock();
    await store.save(reach('open', clock).progress);
    let stopped = false;
    const silent = async (): Promise<MeterHandle> => ({
      events: new EventEmitter(),
      start: async () => {},
      stop: async () => {
        stopped = true;
      },
    });
    const done = runAssistant({ input, output, store, lang: 'en', clock, terminal: true, openMeter: silent });
    while (!text.includes('The module is listening to the meter')) await new Promise((r) => setTimeout(r, 5));
    input.write('\x03');
    expect(await done).toBe('paused');
    expect(stopped).toBe(true);
    expect((await store.load())?.state).toBe('open');
  });
});
