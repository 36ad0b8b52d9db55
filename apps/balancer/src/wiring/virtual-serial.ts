import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface VirtualSerialPair {
  /** The end the (simulated) meter writes to. */
  meterEnd: string;
  /** The end the module reads, as it would read /dev/ttyUSB0. */
  readerEnd: string;
  close(): Promise<void>;
}

/** socat is not installed (or not on PATH): the caller can do without the pair. */
export class SocatMissingError extends Error {
  override name = 'SocatMissingError';
}

/** A socat pty pair in a fresh temp dir; resolves once both links exist. */
export async function openVirtualSerialPair(timeoutMs = 10_000): Promise<VirtualSerialPair> {
  const dir = mkdtempSync(join(tmpdir(), 'p1-balancer-'));
  const meterEnd = join(dir, 'meter');
  const readerEnd = join(dir, 'p1');
  const child: ChildProcess = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${meterEnd}`, `pty,raw,echo=0,link=${readerEnd}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // A missing socat is an 'error' event, which would end the process if nobody listened.
  let spawnError: NodeJS.ErrnoException | null = null;
  child.on('error', (err) => {
    spawnError = err;
  });
  child.stderr?.resume();
  // socat must not outlive us, even when we exit without stop() (an uncaught error, process.exit)
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }),
  );
  const deadline = Date.now() + timeoutMs;
  while (!(existsSync(meterEnd) && existsSync(readerEnd))) {
    const failed = spawnError as NodeJS.ErrnoException | null;
    if (failed || child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
      if (failed?.code === 'ENOENT') throw new SocatMissingError('socat is not installed');
      throw new Error(`socat did not create the virtual serial pair${failed ? ` (${failed.message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    meterEnd,
    readerEnd,
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
