/**
 * `p1 activate`: the interactive guide through opening the P1 port at the grid operator. Resumable
 * (progress in a JSON file), answerable from a pipe, and it ends by watching the meter until the
 * first valid telegram.
 */
import * as fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  isLang,
  JsonFileProgressStore,
  type MeterHandle,
  ProgressFormatError,
  runAssistant,
  systemClock,
} from '@p1/activation';
import { UsageError } from './errors';

const USAGE = `usage: p1 activate [options]

  --lang nl|en|fr      language of the guide (default nl)
  --state FILE         where progress is kept (default .state/activation.json)
  --device PATH        watch the meter on this serial port at the end (e.g. /dev/ttyUSB0)
  --baud N             serial speed (default 115200; 9600 for DSMR 2.2/3)
  --tcp HOST:PORT      watch a meter behind a serial-to-network bridge instead
  --replay FILE        watch a recorded capture instead (for demonstrations and tests)
  --silence-s N        seconds without bytes before asking about the GP arrow (default 20)
  --restart            forget the saved progress and start over`;

export async function main(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        lang: { type: 'string', default: 'nl' },
        state: { type: 'string', default: '.state/activation.json' },
        device: { type: 'string' },
        baud: { type: 'string', default: '115200' },
        tcp: { type: 'string' },
        replay: { type: 'string' },
        'silence-s': { type: 'string', default: '20' },
        restart: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(`activate: ${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const lang = values.lang;
  if (!isLang(lang)) throw new UsageError(`activate: --lang must be nl, en or fr, not '${String(lang)}'.`);
  const silenceS = Number(values['silence-s']);
  if (!(silenceS > 0)) throw new UsageError(`activate: --silence-s must be a positive number of seconds.`);
  const meterConfig = meterConfigFrom(values);

  const store = new JsonFileProgressStore(String(values.state), fs);
  if (values.restart) await fs.rm(store.path, { force: true });
  try {
    await store.load();
  } catch (err) {
    if (err instanceof ProgressFormatError) throw new UsageError(`activate: ${err.message}.`);
    throw err;
  }

  const outcome = await runAssistant({
    input: process.stdin,
    output: process.stdout,
    store,
    lang,
    clock: systemClock,
    terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    watch: { silenceMs: silenceS * 1000, garbleMs: silenceS * 1000 },
    ...(meterConfig ? { openMeter: () => openMeter(meterConfig) } : {}),
  });
  return outcome === 'verified' || outcome === 'paused' ? 0 : 1;
}

type MeterConfig =
  | { source: 'serial'; device: string; baud: number }
  | { source: 'tcp'; host: string; port: number }
  | { source: 'replay'; file: string; realtime: boolean };

function meterConfigFrom(values: Record<string, string | boolean | undefined>): MeterConfig | null {
  const given = ['device', 'tcp', 'replay'].filter((k) => values[k] !== undefined);
  if (given.length > 1) throw new UsageError(`activate: give only one of --device, --tcp and --replay.`);
  if (typeof values.device === 'string') {
    const baud = Number(values.baud);
    if (baud !== 115200 && baud !== 9600) throw new UsageError(`activate: --baud must be 115200 or 9600.`);
    return { source: 'serial', device: values.device, baud };
  }
  if (typeof values.tcp === 'string') {
    const match = /^(.+):(\d{1,5})$/.exec(values.tcp);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535)
      throw new UsageError(`activate: --tcp must be HOST:PORT, not '${values.tcp}'.`);
    return { source: 'tcp', host: match[1]!, port };
  }
  if (typeof values.replay === 'string') return { source: 'replay', file: values.replay, realtime: false };
  return null;
}

/** The drivers (and serialport with them) are loaded only when the owner gives a meter. */
async function openMeter(config: MeterConfig): Promise<MeterHandle> {
  const { createMeterSource } = await import('@p1/drivers');
  const source = await createMeterSource(config);
  // The source reconnects by itself; each new error is worth a line (not one per retry), never a crash.
  let last = '';
  source.on('error', (err) => {
    if (err.message !== last) console.error(`activate: meter: ${err.message}`);
    last = err.message;
  });
  return { events: source, start: () => source.start(), stop: () => source.stop() };
}
