import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { DriverTables } from '../drivers';
import type { AppConfig } from './schema';
import { validateConfig } from './validate';

export type LoadResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

/**
 * Aliases (`*name`) a file may expand. A configuration needs a handful; a file built to blow up in
 * memory (the "billion laughs") needs thousands, and is refused before it is expanded.
 */
export const MAX_ALIASES = 100;

/** Parses YAML text; syntax errors are reported with their line, schema problems with their path. */
export function parseConfigText(text: string, tables?: DriverTables): LoadResult {
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
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    // yaml throws a ReferenceError when the aliases would expand past the bound
    if (!(err instanceof ReferenceError)) throw err;
    return {
      ok: false,
      problems: [`its aliases (*name) expand too far: a configuration needs at most ${MAX_ALIASES} of them`],
    };
  }
  return validateConfig(data ?? {}, tables);
}

/** Reads and checks a configuration file; I/O errors propagate (the caller names the file). */
export function loadConfigFile(path: string, tables?: DriverTables): LoadResult {
  return parseConfigText(readFileSync(path, 'utf8'), tables);
}
