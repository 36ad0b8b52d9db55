/**
 * `p1 parse [FILE|-] [--smarty-key HEX]` and `p1 parse --device PATH [--baud N]`: every telegram
 * in a byte stream as one JSON line (packages/dsmr/README.md#reading-json). Exit 0 all ok, 1 a frame
 * rejected or none found, 2 usage or I/O.
 */
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkSmartyKey, type Frame, TelegramFramer } from '@p1/dsmr';
import { UsageError } from './errors';

const HELP = `usage: p1 parse [FILE|-] [--smarty-key HEX] [--smarty-auth-key HEX]
       p1 parse --device PATH [--baud 115200|9600] [--smarty-key HEX]

Finds every telegram in a byte stream (a file, stdin, or a serial port) and prints one JSON object
per telegram (JSON Lines), in stream order. Bytes outside telegrams are skipped; a telegram cut off
is printed as a failed frame. Exit code: 0 all frames ok, 1 at least one rejected or no telegram at all (an empty input says so),
2 usage or I/O error.`;

function options(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        device: { type: 'string' },
        baud: { type: 'string' },
        'smarty-key': { type: 'string' },
        'smarty-auth-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}. See 'p1 parse --help'.`);
  }
}

/** Writes one JSON line, waiting when the reader (a pipe) is slower than we are. */
async function writeLine(out: NodeJS.WritableStream, frame: Frame): Promise<void> {
  if (!out.write(`${JSON.stringify(frame.reading)}\n`)) await new Promise((r) => out.once('drain', r));
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = options(argv);
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const smartyKey = values['smarty-key'];
  const smartyAuthKey = values['smarty-auth-key'];
  for (const [flag, key] of [
    ['--smarty-key', smartyKey],
    ['--smarty-auth-key', smartyAuthKey],
  ] as const) {
    if (key !== undefined && checkSmartyKey(key)) throw new UsageError(`${flag} must be 32 hex digits (16 bytes).`);
  }
  if (values.device !== undefined) {
    if (positionals.length > 0) throw new UsageError('give either --device or a FILE, not both.');
    const baud = values.baud === undefined ? 115200 : Number(values.baud);
    if (baud !== 115200 && baud !== 9600)
      throw new UsageError(`--baud must be 115200 (DSMR 4+, e-MUCS) or 9600 (DSMR 2.2/3), got '${values.baud}'.`);
    const { parseDevice } = await import('./parse-device');
    return parseDevice({ device: values.device, baud, smartyKey, out: process.stdout });
  }
  if (values.baud !== undefined) throw new UsageError('--baud goes with --device.');
  if (positionals.length > 1) throw new UsageError(`expected one FILE (or - for stdin), got ${positionals.length}.`);
  const file = positionals[0] ?? '-';
  const input = file === '-' ? process.stdin : createReadStream(file);
  const framer = new TelegramFramer({ smartyKey, smartyAuthKey });
  let rejected = 0;
  let frames = 0;
  let bytes = 0;
  try {
    for await (const chunk of input) {
      bytes += (chunk as Buffer).length;
      for (const frame of framer.push(chunk as Buffer)) {
        frames++;
        if (!frame.reading.ok) rejected++;
        await writeLine(process.stdout, frame);
      }
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const what = file === '-' ? 'standard input' : file;
    throw new UsageError(
      `cannot read ${what}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory' : err.message}.`,
    );
  }
  for (const frame of framer.end()) {
    frames++;
    if (!frame.reading.ok) rejected++;
    await writeLine(process.stdout, frame);
  }
  if (frames === 0) {
    const what = file === '-' ? 'standard input' : file;
    console.error(
      bytes === 0
        ? `p1 parse: ${what} is empty: no telegram to parse.`
        : `p1 parse: no telegram in ${what}: none of its ${bytes} bytes starts an identification line ('/XXX5…').`,
    );
    return 1;
  }
  return rejected > 0 ? 1 : 0;
}
