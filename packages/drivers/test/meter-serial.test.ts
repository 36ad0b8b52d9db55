/**
 * The serial meter driver with SerialPortMock (framing across any split of reads, diagnosis) and
 * with real socat pairs (a simulated day without a CRC error, unplug/replug recovery).
 */
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reading } from '@p1/dsmr';
import { MeterSimulation, type SocatPair, startSocatPair } from '@p1/sim';
import fc from 'fast-check';
import { SerialPort, SerialPortMock } from 'serialport';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MeterDiagnosis } from '../src/meter/index';
import { SerialMeterSource } from '../src/meter/serial-source';

const START = Date.parse('2025-03-01T08:00:00+01:00');

async function until(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function telegrams(n: number, model = 'dsmr5'): Buffer[] {
  const sim = new MeterSimulation({ model, startMs: START, seed: 4 });
  return Array.from({ length: n }, () => Buffer.from(sim.next().bytes as Uint8Array));
}

describe('serial driver with SerialPortMock', () => {
  let n = 0;
  const sources: SerialMeterSource[] = [];
  afterEach(async () => {
    for (const s of sources.splice(0)) await s.stop();
  });

  async function mockSource(options: { silenceMs?: number; invalidMs?: number } = {}) {
    const path = `/dev/p1-mock-${n++}`;
    SerialPortMock.binding.createPort(path);
    let port: SerialPortMock | null = null;
    const source = new SerialMeterSource({
      source: 'serial',
      device: path,
      ...options,
      openPort: (o) => {
        port = new SerialPortMock({
          path: o.path,
          baudRate: o.baudRate,
          dataBits: o.dataBits,
          parity: o.parity,
          autoOpen: false,
        });
        return port;
      },
    });
    sources.push(source);
    const readings: Reading[] = [];
    const diagnoses: MeterDiagnosis[] = [];
    source.on('reading', (r) => readings.push(r));
    source.on('diagnosis', (d) => diagnoses.push(d));
    await source.start();
    const emit = (b: Buffer) => (port as unknown as SerialPortMock).port?.emitData(b);
    return { source, readings, diagnoses, emit };
  }

  it('opens 115200 8N1 by default and 9600 7E1 for DSMR 2.2', () => {
    const s = new SerialMeterSource({ source: 'serial', device: '/dev/x' });
    expect(s.options).toMatchObject({ baudRate: 115200, dataBits: 8, parity: 'none' });
    const legacy = new SerialMeterSource({ source: 'serial', device: '/dev/x', baud: 9600 });
    expect(legacy.options).toMatchObject({ baudRate: 9600, dataBits: 7, parity: 'even' });
  });

  it('frames telegrams however the reads split them', async () => {
    const stream = Buffer.concat(telegrams(4));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), async (cuts) => {
        const { source, readings, emit } = await mockSource();
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        let at = 0;
        for (const p of [...points, stream.length]) {
          emit(stream.subarray(at, p));
          at = p;
          await new Promise((r) => setImmediate(r));
        }
        await until(() => readings.length >= 4, 5_000, 'four readings');
        expect(readings.every((r) => r.ok)).toBe(true);
        expect(source.counters.goodFrames).toBe(4);
        expect(source.counters.bytes).toBe(stream.length);
        await source.stop();
      }),
      { numRuns: 15 },
    );
  });

  it('diagnoses silence, then garbage (wrong baud), then valid telegrams', async () => {
    const { source, diagnoses, emit } = await mockSource({ silenceMs: 150, invalidMs: 150 });
    await until(() => source.diagnosis === 'no-bytes', 3_000, 'no-bytes');
    // What 115200 baud looks like when read at 9600: a trickle of meaningless bytes.
    const garbage = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 37 + 0x80) & 0xff));
    const feed = setInterval(() => emit(garbage), 20);
    await until(() => source.diagnosis === 'bytes-no-telegram', 3_000, 'bytes-no-telegram');
    clearInterval(feed);
    emit(telegrams(1)[0] as Buffer);
    // by the frame, not the state: with no telegram after it, 150 ms of silence make it 'no-bytes' again
    await until(() => source.counters.goodFrames === 1, 3_000, 'the telegram');
    expect(diagnoses.slice(0, 3)).toEqual(['no-bytes', 'bytes-no-telegram', 'valid-telegrams']);
  });
});

describe('a serial port whose hang-up the binding misses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p1-meter-gone-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is disconnected when its device path goes away, and reopened when it is back', async () => {
    // a real path (a USB cable's /dev/ttyUSB0, a socat link) over a port that never reports its close
    const device = join(dir, 'ttyUSB0');
    writeFileSync(device, '');
    SerialPortMock.binding.createPort(device);
    const ports: SerialPortMock[] = [];
    const source = new SerialMeterSource({
      source: 'serial',
      device,
      reconnectMinMs: 100,
      reconnectMaxMs: 200,
      openPort: (o) => {
        if (!existsSync(o.path)) throw new Error(`Error: No such file or directory, cannot open ${o.path}`);
        // a port the pulled cable left open: it never reports its close
        const port = new SerialPortMock({ path: o.path, baudRate: o.baudRate, autoOpen: false });
        ports.push(port);
        return port;
      },
    });
    try {
      await source.start();
      ports[0]?.port?.emitData(telegrams(1)[0] as Buffer);
      await until(() => source.diagnosis === 'valid-telegrams', 3_000, 'valid-telegrams');
      rmSync(device);
      await until(() => source.diagnosis === 'disconnected', 3_000, 'disconnected');
      expect(ports[0]?.isOpen).toBe(false);
      await new Promise((r) => setTimeout(r, 500));
      // retried while the device is away, and not taken for connected
      expect(ports).toHaveLength(1);
      expect(source.diagnosis).toBe('disconnected');
      writeFileSync(device, '');
      await until(() => ports.length > 1 && ports.at(-1)?.isOpen === true, 3_000, 'reopened');
      ports.at(-1)?.port?.emitData(telegrams(1)[0] as Buffer);
      await until(() => source.diagnosis === 'valid-telegrams', 3_000, 'valid-telegrams again');
      expect(source.counters.reconnects).toBeGreaterThanOrEqual(1);
    } finally {
      await source.stop();
    }
  });
});

describe('serial driver with real socat pairs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p1-meter-test-'));
  const meterSide = join(dir, 'meter');
  const readerSide = join(dir, 'ttyP1');
  const children = new Set<SocatPair>();
  const opened: Array<SerialPort | SerialMeterSource> = [];

  afterAll(async () => {
    for (const o of opened) {
      if (o instanceof SerialMeterSource) await o.stop();
      else if (o.isOpen) await new Promise((r) => o.close(r));
    }
    for (const c of children) await c.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function plug(): Promise<{ socat: SocatPair; writer: SerialPort }> {
    const socat = await startSocatPair(meterSide, readerSide);
    children.add(socat);
    const writer = new SerialPort({ path: meterSide, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => writer.open((e) => (e ? reject(e) : resolve())));
    writer.on('error', () => {});
    opened.push(writer);
    return { socat, writer };
  }

  async function write(writer: SerialPort, bytes: Buffer): Promise<void> {
    if (!writer.write(bytes)) await once(writer, 'drain');
  }

  it('a simulated day (DSMR 4, 8,640 telegrams) arrives with zero CRC errors; unplug/replug recovers within 5 s', async () => {
    const { socat, writer } = await plug();
    const reader = new SerialMeterSource({
      source: 'serial',
      device: readerSide,
      reconnectMinMs: 100,
      reconnectMaxMs: 1_000,
    });
    opened.push(reader);
    const readings: Reading[] = [];
    reader.on('reading', (r) => readings.push(r));
    await reader.start();
    expect(reader.diagnosis).toBe('connecting');

    const sim = new MeterSimulation({ model: 'dsmr4', startMs: START, seed: 8 });
    const day = 8_640;
    let batch: Buffer[] = [];
    for (let i = 0; i < day; i++) {
      batch.push(Buffer.from(sim.next().bytes as Uint8Array));
      if (batch.length === 64 || i === day - 1) {
        await write(writer, Buffer.concat(batch));
        batch = [];
      }
    }
    await until(() => readings.length >= day, 60_000, 'a day of readings');
    expect(reader.counters.badFrames).toBe(0);
    expect(reader.counters.goodFrames).toBe(day);
    expect(reader.diagnosis).toBe('valid-telegrams');

    // Unplug: socat ends, both links go away, the reader sees a disconnect and keeps retrying.
    const pulledAt = Date.now();
    await socat.close();
    await until(() => reader.diagnosis === 'disconnected', 5_000, 'disconnected');
    await new Promise((r) => writer.close(r));
    await new Promise((r) => setTimeout(r, 300));

    // Replug on the same path: the reader reopens by itself.
    const again = await plug();
    await until(() => reader.counters.reconnects === 1, 5_000, 'reconnect');
    expect(Date.now() - pulledAt).toBeLessThan(5_000 + 300 + 1_000);
    // The very first telegram after the reconnect is read.
    const next = Buffer.from(sim.next().bytes as Uint8Array);
    await write(again.writer, next);
    await until(() => readings.length === day + 1, 5_000, 'the telegram after reconnecting');
    expect(readings.at(-1)?.ok).toBe(true);
    expect(readings.at(-1)?.timestamp).toBe('2025-03-02T08:00:10+01:00');
    expect(reader.diagnosis).toBe('valid-telegrams');
  }, 90_000);
});
