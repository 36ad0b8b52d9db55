/**
 * Parser throughput and memory, side by side in one run with the npm parsers `dsmr-parser` and
 * `p1-reader` on the same telegrams. Ours does framing + CRC + the full normalized reading from
 * bytes; the peers get each telegram already cut out as a string (their framing is not timed).
 * Run: `pnpm --filter @p1/dsmr bench` (or `pnpm bench` at the root). Not part of the test suite.
 */
import { createRequire } from 'node:module';
import { TelegramFramer } from '../src/index';
import { fixture } from '../test/fixtures';

const require = createRequire(import.meta.url);
const dsmrParser = require('dsmr-parser') as { parse(t: string): { objects?: Record<string, unknown> } };
const p1ReaderParse = require('p1-reader/lib/parsePacket') as (t: string) => Record<string, unknown>;

const TELEGRAMS = [
  ['BE 3-phase, gas + water', ['be-emucs/fluvius-3ph-gas-water-2023-11.txt']],
  ['BE 13-month history', ['be-emucs/fluvius-3ph-13-month-peaks-2025-05.txt']],
  ['NL DSMR 5 3-phase + gas', ['nl-dsmr5/iskra-am550t-3ph-gas-2022-01.txt']],
  // A meter repeats its layout every second; this row changes it every telegram (our worst case).
  [
    'the three above, alternating',
    [
      'be-emucs/fluvius-3ph-gas-water-2023-11.txt',
      'be-emucs/fluvius-3ph-13-month-peaks-2025-05.txt',
      'nl-dsmr5/iskra-am550t-3ph-gas-2022-01.txt',
    ],
  ],
] as const;

/** A parser gets the telegrams of one row and returns a function that parses all of them once. */
type Parser = { name: string; prepare(telegrams: Buffer[]): () => unknown };

const framer = new TelegramFramer();
const PARSERS: Parser[] = [
  {
    name: 'p1-balancer (@p1/dsmr)',
    prepare: (telegrams) => {
      const stream = Buffer.concat(telegrams);
      return () => framer.push(stream).length;
    },
  },
  {
    name: 'dsmr-parser 2.1.1',
    prepare: (telegrams) => {
      const texts = telegrams.map((t) => t.toString('latin1'));
      return () => texts.map((s) => dsmrParser.parse(s).objects).length;
    },
  },
  {
    name: 'p1-reader 2.0.6',
    prepare: (telegrams) => {
      // p1-reader frames on '!' and parses the text before it (no CRC check).
      const packets = telegrams.map((t) => {
        const s = t.toString('latin1');
        return s.slice(s.indexOf('/'), s.indexOf('!'));
      });
      return () => quiet(() => packets.map((p) => p1ReaderParse(p)).length);
    },
  },
];

/** p1-reader logs every line it does not know to the console; its parse is timed without that I/O. */
function quiet<T>(fn: () => T): T {
  const error = console.error;
  console.error = () => {};
  try {
    return fn();
  } finally {
    console.error = error;
  }
}

let sink = 0;
function rate(fn: () => unknown, ms: number): number {
  const end = performance.now() + ms;
  let n = 0;
  let t = performance.now();
  const start = t;
  while (t < end) {
    for (let i = 0; i < 500; i++) {
      const r = fn();
      if (r) sink++;
    }
    n += 500;
    t = performance.now();
  }
  return (n / (t - start)) * 1000;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`Node ${process.version}, one core, telegrams per second, best of 3 rounds of 1 s\n`);
const rows: string[][] = [];
for (const [label, files] of TELEGRAMS) {
  const telegrams = files.map((f) => fixture(f));
  for (const [i, t] of telegrams.entries()) {
    if (!new TelegramFramer().push(t)[0]?.reading.ok) throw new Error(`${files[i]} does not parse`);
  }
  const fns = PARSERS.map((p) => p.prepare(telegrams));
  for (const fn of fns) rate(fn, 300); // warm up
  const best = PARSERS.map(() => 0);
  for (let round = 0; round < 3; round++) {
    fns.forEach((fn, i) => {
      best[i] = Math.max(best[i] as number, rate(fn, 1000) * telegrams.length);
    });
  }
  const fastestPeer = Math.max(...best.slice(1));
  rows.push([
    `${label} (${telegrams.map((t) => t.length).join(' + ')} B)`,
    ...best.map(fmt),
    `${((best[0] as number) / fastestPeer).toFixed(1)}×`,
  ]);
}
const header = ['telegram', ...PARSERS.map((p) => `${p.name} /s`), 'ours ÷ fastest peer'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));

// Memory over 1,000,000 parses: heap after a full GC at each quarter, ours beside dsmr-parser.
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.log('\n(memory check skipped: run with node --expose-gc)');
} else {
  const bytes = [fixture(TELEGRAMS[0][1][0])];
  console.log('\nheap after GC over 1,000,000 parses of the Belgian telegram (MB):');
  for (const p of PARSERS.slice(0, 2)) {
    const fn = p.prepare(bytes);
    const samples: number[] = [];
    for (let q = 0; q <= 4; q++) {
      gc();
      samples.push(process.memoryUsage().heapUsed / 2 ** 20);
      if (q < 4) for (let i = 0; i < 250_000; i++) if (fn()) sink++;
    }
    const growth = (samples[4] as number) - (samples[1] as number);
    console.log(
      `  ${p.name.padEnd(26)} ${samples.map((s) => s.toFixed(1)).join(' → ')}  (growth after warm-up ${growth.toFixed(2)} MB)`,
    );
  }
}
if (sink === 42) console.log('');
