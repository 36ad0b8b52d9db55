/** Runs p1-sim as a real child process (node --import tsx), as users do. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(APP_DIR, 'src/cli/p1-sim.ts');

export interface Finished {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

export async function p1sim(args: string[], input?: string, env?: NodeJS.ProcessEnv): Promise<Finished> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: APP_DIR,
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(env ? { env: { ...process.env, ...env } } : {}),
  });
  const out: Buffer[] = [];
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => out.push(d));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdin.on('error', () => {}); // a child that never started takes no input
  child.stdin.end(input ?? '');
  try {
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout: Buffer.concat(out), stderr };
  } catch (err) {
    return { code: null, stdout: Buffer.concat(out), stderr: `p1-sim could not start (${(err as Error).message})` };
  }
}

export interface Running {
  child: ChildProcess;
  ready: Record<string, unknown>;
  stderr: () => string;
  stop: () => Promise<void>;
}

/** Starts `p1-sim run …` and resolves with its ready line. */
export async function startSim(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'run', ...args], {
    cwd: APP_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let stdout = '';
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`p1-sim run did not start: ${stderr}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const nl = stdout.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(stdout.slice(0, nl)));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`p1-sim run exited with ${code}: ${stderr}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`p1-sim run could not start: ${err.message}`));
    });
  });
  return {
    child,
    ready,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'close');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
