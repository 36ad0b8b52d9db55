import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Child, startChild } from './processes';

/** Two linked pseudo-terminals made by socat: what is written to `writer` is read at `reader`, like a P1 cable. */
export interface TtyPair {
  readonly writer: string;
  readonly reader: string;
  readonly socat: Child;
  stop(): Promise<void>;
}

export async function createTtyPair(dir: string, name = 'p1'): Promise<TtyPair> {
  const writer = path.join(dir, `${name}-meter`);
  const reader = path.join(dir, `${name}-house`);
  const socat = startChild('socat', 'socat', [
    '-d',
    '-d',
    `pty,raw,echo=0,link=${writer}`,
    `pty,raw,echo=0,link=${reader}`,
  ]);
  // socat announces the loop once both ptys exist; the links are made just before.
  await socat.waitFor(/starting data transfer loop/, 10_000);
  for (let i = 0; i < 100 && !(existsSync(writer) && existsSync(reader)); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  if (!existsSync(writer) || !existsSync(reader)) throw new Error(`socat did not create ${writer} and ${reader}`);
  return { writer, reader, socat, stop: () => socat.stop() };
}
