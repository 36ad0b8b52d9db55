import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSocatPair } from '@p1/sim';

export interface VirtualSerialPair {
  /** The end the (simulated) meter writes to. */
  meterEnd: string;
  /** The end the module reads, as it would read /dev/ttyUSB0. */
  readerEnd: string;
  close(): Promise<void>;
}

/** A socat pty pair in a fresh temp dir (removed again when socat cannot start: SocatMissingError). */
export async function openVirtualSerialPair(timeoutMs = 10_000): Promise<VirtualSerialPair> {
  const dir = mkdtempSync(join(tmpdir(), 'p1-balancer-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const pair = await startSocatPair(join(dir, 'meter'), join(dir, 'p1'), timeoutMs);
    return {
      meterEnd: pair.meterEnd,
      readerEnd: pair.readerEnd,
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
