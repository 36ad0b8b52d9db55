import { Transform } from 'node:stream';
import { type Frame, type FramerOptions, TelegramFramer } from './framer';
import { rejected } from './parse-frame';
import type { Reading } from './reading';
import { SMARTY_TAG } from './smarty';

export type ParseOptions = FramerOptions;

/**
 * Parses one telegram (text or bytes, noise around it allowed) into a Reading. Never throws for
 * bad input: a problem is reported in `ok`/`error`. A Smarty frame needs `smartyKey`.
 */
export function parseTelegram(input: string | Uint8Array, options: ParseOptions = {}): Reading {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  let framer: TelegramFramer;
  try {
    framer = new TelegramFramer(options);
  } catch (e) {
    return rejected('decrypt_failed', (e as Error).message);
  }
  const frames = framer.push(bytes);
  const first = frames[0] ?? framer.end()[0];
  if (first) return first.reading;
  if (bytes.length > 0 && bytes[0] === SMARTY_TAG && options.smartyKey === undefined) {
    return rejected('decrypt_failed', 'this is an encrypted Smarty frame: the meter key is needed to read it');
  }
  if (bytes.length === 0) return rejected('malformed', 'empty input: no telegram to parse');
  return rejected('malformed', "no telegram found: no identification line starting with '/'");
}

/** The framer as a Node stream: bytes in, `Frame` objects out (node-serialport's parser pattern). */
export function createTelegramStream(options: FramerOptions = {}): Transform {
  const framer = new TelegramFramer(options);
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      for (const f of framer.push(chunk)) this.push(f);
      done();
    },
    flush(done) {
      for (const f of framer.end()) this.push(f);
      done();
    },
  });
}

export type { Frame };
