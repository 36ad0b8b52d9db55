import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A child process whose output is kept so that steps can wait for a line and failures can show it. */
export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Everything the child wrote, stdout and stderr interleaved (capped). */
  output(): string;
  /** Resolves with the first match of `pattern` in the output (after `since`, a `mark()`), now or later. */
  waitFor(pattern: RegExp, timeoutMs?: number, since?: number): Promise<RegExpMatchArray>;
  /** A position in the output: `waitFor(…, since)` then only looks at what came after it. */
  mark(): number;
  /** Resolves with the exit code once the child has ended. */
  exited(): Promise<number | null>;
  stop(): Promise<void>;
}

const OUTPUT_CAP = 256 * 1024;

/**
 * Process groups still running. Children live in their own groups (so a stop reaches their grandchildren),
 * which also means Ctrl-C on the run does not reach them: they are ended here when cucumber exits or is
 * interrupted.
 */
const running = new Set<number>();

/** Temp dirs of scenarios still running, removed on an interrupted run (the After hook removes the others). */
const tempDirs = new Set<string>();

export function removeOnExit(dir: string): () => void {
  tempDirs.add(dir);
  return () => tempDirs.delete(dir);
}

function endAll(): void {
  for (const pid of running) signalGroup(pid, 'SIGKILL');
  running.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

process.on('exit', endAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    endAll();
    process.kill(process.pid, signal);
  });
}

/**
 * Starts a child in its own process group so that `stop()` also ends what it started (socat, tsx's node);
 * every child is registered with `owner` so the After hook can end them all.
 */
export function startChild(
  name: string,
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Child {
  const proc = spawn(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  let total = 0;
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    const piece = chunk.toString('utf8');
    text += piece;
    total += piece.length;
    if (text.length > OUTPUT_CAP) text = text.slice(-OUTPUT_CAP);
    for (const w of [...waiters]) w();
  };
  proc.stdout?.on('data', onData);
  proc.stderr?.on('data', onData);
  let exitCode: number | null | undefined;
  if (proc.pid !== undefined) running.add(proc.pid);
  const exit = new Promise<number | null>((resolve) => {
    proc.on('exit', (code, signal) => {
      if (proc.pid !== undefined) running.delete(proc.pid);
      exitCode = code ?? (signal ? null : code);
      for (const w of [...waiters]) w();
      resolve(code);
    });
    proc.on('error', (err) => {
      text += `\n[${name}] failed to start: ${err.message}\n`;
      exitCode = null;
      for (const w of [...waiters]) w();
      resolve(null);
    });
  });

  const child: Child = {
    name,
    process: proc,
    output: () => text,
    exited: () => exit,
    mark: () => total,
    waitFor(pattern, timeoutMs = 30_000, since = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = text.slice(Math.max(0, text.length - (total - since))).match(pattern);
          if (m) return done(() => resolve(m));
          if (exitCode !== undefined) {
            done(() =>
              reject(new Error(`${name} ended (code ${exitCode}) before printing ${pattern}:\n${tail(text)}`)),
            );
          }
        };
        const timer = setTimeout(
          () =>
            done(() => reject(new Error(`${name} did not print ${pattern} within ${timeoutMs} ms:\n${tail(text)}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (exitCode !== undefined || proc.pid === undefined) return;
      signalGroup(proc.pid, 'SIGTERM');
      const killer = setTimeout(() => signalGroup(proc.pid as number, 'SIGKILL'), 5_000);
      await exit;
      clearTimeout(killer);
      // Grandchildren that ignored the group's SIGTERM (none should) are ended too.
      signalGroup(proc.pid, 'SIGKILL');
    },
  };
  return child;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has already gone.
  }
}

export function tail(text: string, lines = 30): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** A command run to its end. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and returns its exit code and output. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; input?: Uint8Array | string; timeoutMs?: number } = {},
): Promise<Finished> {
  const proc = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  proc.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  proc.stdin.on('error', () => {}); // a program that never started takes no input
  proc.stdin.end(options.input ?? '');
  const timer = setTimeout(() => proc.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  try {
    const [code] = (await once(proc, 'close')) as [number | null];
    return { code, stdout, stderr };
  } catch (err) {
    // `once` rejects on 'error': the program is missing or could not start.
    return { code: null, stdout, stderr: `${stderr}${command} could not start (${(err as Error).message})\n` };
  } finally {
    clearTimeout(timer);
  }
}

/** `node --import tsx <entry> …`: the apps' command lines without pnpm's extra process. */
export function tsxArgs(entry: string, args: readonly string[]): string[] {
  return ['--import', 'tsx', path.join(repoRoot, entry), ...args];
}

export const P1_CLI = 'apps/balancer/src/cli/p1.ts';
export const P1_SIM_CLI = 'apps/meter-simulator/src/cli/p1-sim.ts';
