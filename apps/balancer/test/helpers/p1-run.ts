/** `p1 run --config FILE` as the owner starts it: a child process, its output, its dashboard URL. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

const APP = join(import.meta.dirname, '..', '..');

/** The YAML of a `p1 run` configuration: the embedded simulated meter on a 3N400 25 A site, then `lines`. */
export function runConfigYaml(lines: string[]): string {
  return [
    'version: 1',
    'meter: { source: simulator, model: fluvius-3ph }',
    'site: { connection: 3N400, fuseA: 25 }',
    ...lines,
  ].join('\n');
}

export interface P1Run {
  child: ChildProcess;
  /** The dashboard's base URL, e.g. http://127.0.0.1:43121 */
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

/**
 * Starts `p1 run` and resolves once it serves its dashboard. Node itself runs with tsx's loader, not the tsx
 * wrapper: a signal (SIGKILL above all) must reach the process that runs the module.
 */
export async function startP1Run(file: string): Promise<P1Run> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(APP, 'src', 'cli', 'p1.ts'), 'run', '--config', file],
    {
      cwd: APP,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.on('error', (e) => {
    output += `p1 run could not start (${e.message})`;
  });
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const url = () => output.match(/dashboard on (http:\S+)\//)?.[1];
  await expect.poll(url, { timeout: 30_000 }).toBeTruthy();
  return { child, url: url() as string, output: () => output };
}
