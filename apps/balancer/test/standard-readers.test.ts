import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptSmarty } from '@p1/dsmr';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningModule, startModule } from '../src/wiring/module';
import { testConfig } from './helpers/module';
import { NUMERIC_OBJECTS, parseLikeDsmrParser, StandardTelegramBuffer } from './helpers/standard-reader';

const dir = mkdtempSync(join(tmpdir(), 'p1-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every telegram the embedded simulated meter writes from now on, as it wrote it. */
function recordMeterOutput(module: RunningModule): Buffer[] {
  const simulation = module.embedded?.simulation;
  if (!simulation) throw new Error('the module runs no simulated meter');
  const written: Buffer[] = [];
  const next = simulation.next.bind(simulation);
  simulation.next = () => {
    const out = next();
    if (out.bytes) written.push(Buffer.from(out.bytes));
    return out;
  };
  return written;
}

/** A raw P1 reader connected now: the bytes it received so far. */
async function rawReader(module: RunningModule): Promise<{ bytes: () => Buffer; close: () => void }> {
  const socket = createConnection({ host: '127.0.0.1', port: module.rawP1?.port as number });
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  return { bytes: () => Buffer.concat(chunks), close: () => socket.destroy() };
}

/**
 * `got` is a run of consecutive telegrams of what the meter wrote (the reader joined at some point). A meter
 * without a clock line (DSMR 2.2) writes the same bytes twice when nothing changed: any place the run starts
 * at will do.
 */
function expectRunOf(got: string[], written: Buffer[]): void {
  const sent = written.map((b) => b.toString('latin1'));
  expect(got.length, 'the reader got at least one telegram').toBeGreaterThan(0);
  const starts = sent.flatMap((t, i) => (t === got[0] ? [i] : []));
  expect(starts.length, 'the first telegram a reader got is one the meter wrote').toBeGreaterThan(0);
  const runs = starts.map((i) => sent.slice(i, i + got.length));
  expect(runs).toContainEqual(got);
}

async function withSimulatedMeter(model: string, speed: number, body: (m: RunningModule) => Promise<void>) {
  const config = testConfig(join(dir, model), { meter: { source: 'simulator', model, speed } });
  const module = await startModule(config, pino({ level: 'silent' }));
  try {
    await body(module);
  } finally {
    await module.stop();
  }
}

describe("what readers written to dsmr_parser's rules get (Home Assistant's DSMR integration)", () => {
  it('the embedded default over raw P1: whole telegrams whose CRC verifies, byte-identical to the meter, late joiners included', async () => {
    await withSimulatedMeter('fluvius-3ph', 1, async (module) => {
      const written = recordMeterOutput(module);
      await expect.poll(() => written.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
      // readers join at moments unrelated to the telegram clock
      const readers: Awaited<ReturnType<typeof rawReader>>[] = [];
      for (const wait of [0, 130, 370, 610]) {
        await new Promise((r) => setTimeout(r, wait));
        readers.push(await rawReader(module));
      }
      await expect
        .poll(() => Math.min(...readers.map((r) => new StandardTelegramBuffer().takeAllOf(r.bytes()).length)), {
          timeout: 15_000,
        })
        .toBeGreaterThanOrEqual(3);
      for (const r of readers) r.close();

      for (const r of readers) {
        const buffer = new StandardTelegramBuffer();
        buffer.append(r.bytes());
        const telegrams = buffer.takeAll();
        // nothing before the first telegram, nothing but the start of the next one after the last
        expect(r.bytes()[0]).toBe(0x2f);
        expect(buffer.pending === '' || buffer.pending.startsWith('/')).toBe(true);
        expect(telegrams.join('').length + buffer.pending.length).toBe(r.bytes().length);
        expectRunOf(telegrams, written);
        for (const t of telegrams) {
          const parsed = parseLikeDsmrParser(t, true);
          expect(parsed).toMatchObject({ ok: true });
          if (parsed.ok) expect([...parsed.objects.keys()]).toEqual(NUMERIC_OBJECTS);
          expect(t).toMatch(/![0-9A-F]{4}\r\n$/);
        }
      }

      // GET /api/v1/telegram: the latest telegram, byte for byte
      const res = await fetch(`${module.http.url}/api/v1/telegram`);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const body = Buffer.from(await res.arrayBuffer());
      expect(written.some((w) => w.equals(body))).toBe(true);
      const reader = new StandardTelegramBuffer();
      reader.append(body);
      expect(reader.takeAll().map((t) => parseLikeDsmrParser(t, true).ok)).toEqual([true]);
    });
  }, 60_000);

  it('a DSMR 2.2 meter (no CRC): telegrams end `!\\r\\n` and a V2.2 reader takes every one', async () => {
    await withSimulatedMeter('dsmr22', 10, async (module) => {
      const written = recordMeterOutput(module);
      await expect.poll(() => written.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
      const r = await rawReader(module);
      await expect
        .poll(() => new StandardTelegramBuffer().takeAllOf(r.bytes()).length, { timeout: 15_000 })
        .toBeGreaterThanOrEqual(2);
      r.close();
      const telegrams = new StandardTelegramBuffer().takeAllOf(r.bytes());
      expectRunOf(telegrams, written);
      for (const t of telegrams) {
        expect(t.endsWith('!\r\n')).toBe(true);
        expect(parseLikeDsmrParser(t, false)).toMatchObject({ ok: true });
      }
    });
  }, 60_000);

  it('a Smarty meter: raw P1 carries its encrypted frames unchanged, /api/v1/telegram the decrypted telegram', async () => {
    await withSimulatedMeter('smarty', 10, async (module) => {
      const written = recordMeterOutput(module);
      const key = module.embedded?.simulation.key as string;
      await expect.poll(() => written.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
      const r = await rawReader(module);
      await expect.poll(() => written.some((w) => r.bytes().includes(w)), { timeout: 15_000 }).toBe(true);
      r.close();
      const frames = written.filter((w) => r.bytes().includes(w));
      expect(Buffer.concat(frames).equals(r.bytes().subarray(0, Buffer.concat(frames).length))).toBe(true);

      const body = Buffer.from(await (await fetch(`${module.http.url}/api/v1/telegram`)).arrayBuffer());
      const plain = written.map((w) => Buffer.from(decryptSmarty(w, { key })));
      expect(plain.some((p) => p.equals(body))).toBe(true);
      const reader = new StandardTelegramBuffer();
      reader.append(body);
      expect(reader.takeAll().map((t) => parseLikeDsmrParser(t, true))).toEqual([
        expect.objectContaining({ ok: true }),
      ]);
    });
  }, 60_000);
});
