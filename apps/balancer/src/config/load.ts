import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { AppConfig } from './schema';
import { validateConfig } from './validate';

export type LoadResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

/** Parses YAML text; syntax errors are reported with their line, schema problems with their path. */
export function parseConfigText(text: string): LoadResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const line = e.linePos?.[0]?.line;
        const first = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
        return `${line ? `line ${line}: ` : ''}${first}`;
      }),
    };
  }
  return validateConfig(doc.toJS() ?? {});
}

/** Reads and checks a configuration file; I/O errors propagate (the caller names the file). */
export function loadConfigFile(path: string): LoadResult {
  return parseConfigText(readFileSync(path, 'utf8'));
}
