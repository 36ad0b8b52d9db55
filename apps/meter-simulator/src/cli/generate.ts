/**
 * `p1-sim generate --model NAME --days N [--scenario FILE] [--seed N]`: N days of telegrams at the
 * model's cadence to stdout, as fast as possible, with a progress bar on stderr.
 */
import { MeterSimulation } from '@p1/sim';
import { METER_HELP, meterOptions, number, parse, simulationOptions } from './options';

const HELP = `usage: p1-sim generate --model NAME --days N [options] > capture.p1

Writes N days of telegrams, as the meter would send them, to stdout as fast as possible.

${METER_HELP}
  --days N             days of meter time (may be fractional)
  --no-progress        no progress bar on stderr`;

/** Telegrams are gathered into blocks this big before each write: fewer syscalls. */
const BLOCK_BYTES = 1 << 20;

export async function main(argv: string[]): Promise<number> {
  const values = parse(argv, { ...meterOptions, days: { type: 'string' }, 'no-progress': { type: 'boolean' } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.days === undefined) {
    console.error(`p1-sim generate: --days is required.\n\n${HELP}`);
    return 2;
  }
  const days = number(values, 'days', 1, (n) => n > 0 && n <= 3660, 'a number of days above 0 (at most 3660)');
  const options = await simulationOptions(values);
  const sim = new MeterSimulation(options);
  // The demo key is no secret (a key the user gave is not echoed); a reader needs it to decrypt.
  if (sim.key && !options.smartyKey) console.error(`p1-sim: encrypted with the demo Smarty key ${sim.key}`);
  const total = Math.floor((days * 86_400) / sim.model.intervalS);
  const progress = values['no-progress'] ? null : new Progress(total);
  const out = process.stdout;
  let broken = false;
  out.on('error', () => {
    broken = true;
  });

  let block = Buffer.allocUnsafe(BLOCK_BYTES);
  let used = 0;
  const flush = async (): Promise<void> => {
    if (used === 0 || broken) return;
    const full = out.write(block.subarray(0, used));
    // The stream keeps the buffer until written: take a new one rather than overwrite it.
    block = Buffer.allocUnsafe(BLOCK_BYTES);
    used = 0;
    if (!full && !broken)
      await new Promise<void>((resolve) => {
        const done = () => {
          out.off('drain', done);
          out.off('error', done);
          resolve();
        };
        out.once('drain', done);
        out.once('error', done);
      });
  };

  for (let i = 0; i < total && !broken; i++) {
    const { bytes } = sim.next();
    if (!bytes) continue;
    if (used + bytes.length > BLOCK_BYTES) await flush();
    block.set(bytes, used);
    used += bytes.length;
    if ((i & 1023) === 0) progress?.update(i);
  }
  await flush();
  progress?.finish(total);
  if (broken) {
    // The reader closed the pipe (e.g. `| head`): not an error of ours.
    return 0;
  }
  await new Promise<void>((resolve) => (out.writableNeedDrain ? out.once('drain', () => resolve()) : resolve()));
  return 0;
}

/** A progress bar on stderr: redrawn in place on a terminal, a line per 10 % otherwise. */
class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastTenth = -1;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly total: number) {}

  update(done: number): void {
    const now = performance.now();
    if (this.tty) {
      if (now - this.lastDraw < 200) return;
      this.lastDraw = now;
      process.stderr.write(`\r${this.line(done)}`);
    } else {
      const tenth = Math.floor((done / this.total) * 10);
      if (tenth > this.lastTenth) {
        this.lastTenth = tenth;
        process.stderr.write(`${this.line(done)}\n`);
      }
    }
  }

  finish(done: number): void {
    const line = this.line(done);
    process.stderr.write(this.tty ? `\r${line}\n` : `${line}\n`);
  }

  private line(done: number): string {
    const share = this.total === 0 ? 1 : done / this.total;
    const width = 30;
    const filled = Math.round(share * width);
    const s = (performance.now() - this.started) / 1000;
    return `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en')}/${this.total.toLocaleString('en')} telegrams ${s.toFixed(1)} s`;
  }
}
