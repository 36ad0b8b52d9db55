import type { Clock } from './clock';
import { type AssistantAction, describe, type Presentation } from './describe';
import { eanWhileTyping, validateEan } from './ean';
import { LineReader } from './lines';
import { applyEvent, initialProgress } from './machine';
import type { ActivationEvent, Progress } from './states';
import type { ProgressStore } from './store';
import { type Lang, type Texts, texts } from './texts';
import { type PortWatchOptions, type TelegramEvents, watchPortOpen } from './watcher';

/** A meter source, handed to the assistant only when the owner gave one; started after the watcher listens. */
export interface MeterHandle {
  events: TelegramEvents;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AssistantOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  store: ProgressStore;
  lang: Lang;
  clock: Clock;
  /** Opens the meter when the assistant reaches the watching step; absent → the owner is told how to pass one. */
  openMeter?: () => Promise<MeterHandle>;
  watch?: Omit<PortWatchOptions, 'onHint' | 'now'>;
  /** Live EAN feedback while typing; only meaningful on a terminal. */
  terminal?: boolean;
  timeZone?: string;
}

/** verified: telegrams seen; paused: the owner stopped (or input ended) with progress saved. */
export type AssistantOutcome = 'verified' | 'paused';

/**
 * The terminal guide: shows the step, what to do on the portal and what the dot means, takes the
 * owner's answer, saves after every step, and ends by watching the meter for the first telegram.
 */
export async function runAssistant(options: AssistantOptions): Promise<AssistantOutcome> {
  const t = texts(options.lang);
  const { clock, store } = options;
  const say = (line = ''): void => {
    options.output.write(`${line}\n`);
  };
  const reader = new LineReader(options.input, options.output, options.terminal ?? false);
  const ask = async (prompt: string): Promise<string | null> => {
    if (options.terminal) {
      // readline redraws its own prompt on edits (backspace), so it must know ours.
      reader.rl.setPrompt(`${prompt}: `);
      reader.rl.prompt(true);
    } else {
      options.output.write(`${prompt}: `);
    }
    const line = await reader.next();
    // A terminal echoes what is typed; for a pipe the answer is echoed so the transcript reads well.
    if (line !== null && !options.terminal) options.output.write(`${line}\n`);
    return line;
  };

  let progress: Progress = (await store.load()) ?? initialProgress(clock);
  const apply = async (event: ActivationEvent) => {
    const result = applyEvent(progress, event, clock);
    progress = result.progress;
    await store.save(progress);
    return result;
  };

  try {
    await apply({ type: 'tick' });
    say(`== ${t.title} ==`);
    for (;;) {
      const view = describe(progress, options.lang, clock.now(), { timeZone: options.timeZone });
      show(view, say);
      if (view.state === 'verified') return 'verified';

      // At "Open" there is nothing left to click: go straight to the meter when we have one.
      const choice =
        view.state === 'open' && options.openMeter
          ? (view.actions.find((a) => a.kind === 'watch') ?? null)
          : await choose(view.actions, t, ask, say);
      if (choice === 'quit') break;
      if (choice === null) continue;

      if (choice.kind === 'event') {
        await apply(choice.event);
      } else if (choice.kind === 'input-ean') {
        const stopHints = options.terminal ? liveEanHints(reader, options.output, t) : () => {};
        const line = await askEan(t, ask, say).finally(stopHints);
        if (line === null) break;
        await apply({ type: 'enter-ean', ean: line });
      } else if (choice.kind === 'watch') {
        if (!options.openMeter) {
          say(t.prompts.noMeter);
          break;
        }
        const seen = await watchMeter(options, t, say, reader);
        if (!seen) break;
        await apply({ type: 'telegram' });
      }
    }
    say(t.prompts.paused);
    return 'paused';
  } finally {
    reader.close();
  }
}

function show(view: Presentation, say: (line?: string) => void): void {
  say();
  say(`[${view.stepLabel}] ${view.title}`);
  if (view.ean) say(`EAN ${view.ean}`);
  for (const line of view.todo) say(`  - ${line}`);
  if (view.dot !== 'none') say(`  ${view.dotMeaning}`);
  for (const line of view.waitLines) say(`  ${line}`);
  if (view.error) say(`  ! ${view.error.message} (${view.error.reason})`);
  if (view.state !== 'verified') say(`  ${view.helpLine}`);
}

async function choose(
  actions: AssistantAction[],
  t: Texts,
  ask: (prompt: string) => Promise<string | null>,
  say: (line?: string) => void,
): Promise<AssistantAction | 'quit' | null> {
  for (const [i, a] of actions.entries()) say(`  ${i + 1}) ${a.label}`);
  say(`  q) ${t.actions.wait}`);
  const answer = await ask(t.prompts.choose);
  if (answer === null) return 'quit';
  const trimmed = answer.trim().toLowerCase();
  if (trimmed === 'q') return 'quit';
  const byNumber = actions[Number(trimmed) - 1];
  const picked = /^\d+$/.test(trimmed) ? byNumber : actions.find((a) => a.id === trimmed);
  if (!picked) {
    say(t.prompts.invalidChoice);
    return null;
  }
  return picked;
}

/** Asks until the code is well-formed (the portal would refuse it anyway) or input ends. */
async function askEan(
  t: Texts,
  ask: (prompt: string) => Promise<string | null>,
  say: (line?: string) => void,
): Promise<string | null> {
  for (;;) {
    const line = await ask(t.prompts.ean);
    if (line === null) return null;
    const check = validateEan(line);
    if (check.valid) {
      say(`  ${t.ean.ok}`);
      return line;
    }
    say(`  ! ${t.ean[check.problem ?? 'empty']} (${check.reason})`);
  }
}

/**
 * On a terminal, shows on the line under the prompt how the code typed so far looks: digits
 * counted, a wrong prefix or character at once, the check digit at 18 digits.
 */
function liveEanHints(reader: LineReader, output: NodeJS.WritableStream, t: Texts): () => void {
  const input = (reader.rl as unknown as { input: NodeJS.ReadableStream }).input;
  // Make room for the hint line below the prompt, even at the bottom of the screen.
  output.write('\n\x1b[1A');
  const render = () => {
    const { state, digits } = eanWhileTyping(reader.rl.line);
    const text =
      state === 'empty' ? '' : state === 'typing' ? t.ean.typed(digits) : state === 'valid' ? t.ean.ok : t.ean[state];
    // Save the cursor, write on the next line, come back: the typed text stays where it is.
    output.write(`\x1b7\x1b[1B\r\x1b[2K  ${text}\x1b8`);
  };
  let scheduled = false;
  // Render once after a burst of keys (a paste), when readline has taken them all in.
  const onKey = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      render();
    });
  };
  input.on('keypress', onKey);
  return () => {
    input.off('keypress', onKey);
    output.write('\x1b[2K');
  };
}

async function watchMeter(
  options: AssistantOptions,
  t: Texts,
  say: (line?: string) => void,
  reader: LineReader,
): Promise<boolean> {
  const meter = await options.openMeter!();
  say(t.hints.watching);
  const watch = watchPortOpen(meter.events, {
    ...options.watch,
    now: () => options.clock.now(),
    onHint: (hint) => say(`  ${t.hints[hint]}`),
  });
  await meter.start();
  // The owner may stop watching by typing q. The end of input does not stop it: a program that
  // piped its answers and closed stdin still wants to know when the port opens.
  const quit = new Promise<boolean>((resolve) => {
    void (async () => {
      for (;;) {
        const line = await reader.next();
        if (line === null) return reader.interrupted ? resolve(false) : undefined;
        if (line.trim().toLowerCase() === 'q') return resolve(false);
      }
    })();
  });
  const opened = await Promise.race([watch.opened.then(() => true), quit]);
  watch.stop();
  reader.cancelPending();
  await meter.stop();
  if (opened) say(t.hints.verified);
  return opened;
}
