import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { P1_CLI, runToEnd, tsxArgs } from './processes';

/**
 * What the owner tells `p1 activate` after doing something on the portal, in the owner's words, and the
 * answer the assistant understands (its action ids; typing the id is the same as typing its number).
 */
export const OWNER_SAYS: Record<string, string> = {
  'I registered with eID': 'register-eid',
  'I registered with itsme': 'register-itsme',
  'I clicked the link in the e-mail': 'confirm-email',
  'I logged in': 'login',
  'I could not log in': 'login-refused',
  'the portal listed my meter': 'add-ean',
  'the portal refused my EAN': 'ean-refused',
  'I requested it and the dot is orange': 'request-orange',
  'I requested it as the contract holder and the dot turned green': 'request-green',
  'the portal asked me to tick the consent box': 'request-no-consent',
  'the holder approved by the e-mail link': 'approve-email-link',
  'the holder entered the code from the letter': 'approve-letter-code',
  'the code from the letter was refused': 'letter-code-refused',
  'I switched the port on': 'switch-on',
  'the portal says In aanvraag': 'in-aanvraag',
  'the portal says Open': 'port-open',
  'listen to the meter': 'watch',
};

/** Turns owner sentences into the assistant's input lines; `I typed EAN <code>` becomes the EAN prompt's answer. */
export function answersFor(sentences: readonly string[]): string[] {
  const lines: string[] = [];
  for (const sentence of sentences) {
    const typed = /^I typed EAN (.+)$/.exec(sentence);
    if (typed) {
      lines.push('enter-ean', typed[1] as string);
      continue;
    }
    const id = OWNER_SAYS[sentence];
    if (!id) throw new Error(`The assistant steps do not know what "${sentence}" means.`);
    lines.push(id);
  }
  return lines;
}

export interface AssistantRun {
  code: number | null;
  output: string;
  errors: string;
}

/** One session of `p1 activate` in English with the owner's answers piped in; progress kept in `stateFile`. */
export async function runAssistant(
  stateFile: string,
  lines: readonly string[],
  extraArgs: readonly string[] = [],
  timeoutMs = 60_000,
): Promise<AssistantRun> {
  const args = ['activate', '--lang', 'en', '--state', stateFile, ...extraArgs];
  const { code, stdout, stderr } = await runToEnd(process.execPath, tsxArgs(P1_CLI, args), {
    input: lines.map((l) => `${l}\n`).join(''),
    timeoutMs,
  });
  return { code, output: stdout, errors: stderr };
}

export interface SavedProgress {
  state: string;
  since: Record<string, string>;
  lastError: { code: string } | null;
  [key: string]: unknown;
}

export function readProgress(stateFile: string): SavedProgress {
  return JSON.parse(readFileSync(stateFile, 'utf8')) as SavedProgress;
}

/** Moves every remembered moment `hours` into the past, as if the owner came back that much later. */
export function ageProgress(stateFile: string, hours: number): void {
  const progress = readProgress(stateFile);
  const shift = (iso: string) => new Date(Date.parse(iso) - hours * 3_600_000).toISOString();
  progress.since = Object.fromEntries(Object.entries(progress.since).map(([k, v]) => [k, shift(v)]));
  if (typeof progress.updatedAt === 'string') progress.updatedAt = shift(progress.updatedAt);
  writeFileSync(stateFile, `${JSON.stringify(progress, null, 2)}\n`);
}

export function stateFileIn(dir: string): string {
  return path.join(dir, 'activation.json');
}
