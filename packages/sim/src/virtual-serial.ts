/**
 * A virtual serial cable: a socat pty pair whose two ends are links on the file system. The meter
 * writes one end, a reader opens the other as it would /dev/ttyUSB0. Ending socat removes both
 * links, which the reader sees as a pulled cable.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** socat is not installed (not on PATH): the caller can do without a pair, or say how to get one. */
export class SocatMissingError extends Error {
  override name = 'SocatMissingError';
  constructor() {
    super('socat is not installed; install it (Debian/Ubuntu: apt-get install socat)');
  }
}

export interface SocatPair {
  readonly meterEnd: string;
  readonly readerEnd: string;
  /** socat still runs (an unplug ends it; so does anyone who kills it). */
  readonly running: boolean;
  /** Ends socat; its links go with it. */
  close(): Promise<void>;
}

/** Starts socat with links at `meterEnd` and `readerEnd`; resolves once both exist. */
export async function startSocatPair(meterEnd: string, readerEnd: string, timeoutMs = 5_000): Promise<SocatPair> {
  const child: ChildProcess = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${meterEnd}`, `pty,raw,echo=0,link=${readerEnd}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // A program that cannot start is an 'error' event, which ends the process when nobody listens.
  let spawnError: NodeJS.ErrnoException | null = null;
  child.on('error', (err) => {
    spawnError = err;
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString();
  });
  // socat must not outlive us, even when we exit without close() (an uncaught error, process.exit).
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  }).then(() => {
    process.off('exit', killOnExit);
  });

  const deadline = Date.now() + timeoutMs;
  while (!(existsSync(meterEnd) && existsSync(readerEnd))) {
    const failed = spawnError as NodeJS.ErrnoException | null;
    if (failed?.code === 'ENOENT') {
      process.off('exit', killOnExit);
      throw new SocatMissingError();
    }
    if (failed || ended()) {
      process.off('exit', killOnExit);
      const why = failed?.message ?? (stderr.trim() || `code ${child.exitCode}`);
      throw new Error(`socat exited before creating ${readerEnd}: ${why}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`socat did not create ${readerEnd} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    meterEnd,
    readerEnd,
    get running() {
      return !ended();
    },
    async close() {
      if (ended()) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A socat pair with its links in a fresh temp dir, removed again when socat cannot start (SocatMissingError). */
export async function openVirtualSerialPair(timeoutMs = 10_000): Promise<SocatPair> {
  const dir = mkdtempSync(join(tmpdir(), 'p1-balancer-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const pair = await startSocatPair(join(dir, 'meter'), join(dir, 'p1'), timeoutMs);
    return {
      meterEnd: pair.meterEnd,
      readerEnd: pair.readerEnd,
      get running() {
        return pair.running;
      },
      async close() {
        await pair.close();
        remove();
      },
    };
  } catch (err) {
    remove();
    throw err;
  }
}
