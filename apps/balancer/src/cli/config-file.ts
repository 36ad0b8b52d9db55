import { type LoadResult, loadConfigFile } from '../config';

/**
 * Reads a configuration file for the command line: whatever the YAML reader still throws on hostile
 * input (load.ts bounds the aliases itself) is one problem naming the file, not a stack trace.
 * Errors with a file system code (no such file) still propagate for the caller to word.
 */
export function readConfigFile(file: string): LoadResult {
  try {
    return loadConfigFile(file);
  } catch (err) {
    if (typeof (err as NodeJS.ErrnoException).code === 'string') throw err;
    const message = ((err as Error).message ?? String(err)).split('\n')[0];
    return { ok: false, problems: [`cannot be read as a configuration: ${message}`] };
  }
}
