import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { parseTelegram } from '@p1/dsmr';
import { describe, expect, it } from 'vitest';
import { startRawP1Server } from '../src/rawp1/server';
import { belgianTelegram } from './helpers/telegram';

async function connect(port: number): Promise<Socket> {
  const socket = createConnection({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  return socket;
}

describe('raw P1 re-serve over TCP', () => {
  it('gives every reader the same telegrams, byte for byte', async () => {
    const server = await startRawP1Server('127.0.0.1', 0);
    const readers = await Promise.all([connect(server.port), connect(server.port), connect(server.port)]);
    await expect.poll(() => server.clients).toBe(3);
    const received = readers.map(() => [] as Buffer[]);
    readers.forEach((r, i) => {
      r.on('data', (chunk: Buffer) => received[i]?.push(chunk));
    });
    const frames = [0, 1, 2].map((i) => belgianTelegram({ at: Date.UTC(2025, 0, 15, 9, 0, i), importKw: 1 + i }));
    for (const f of frames) server.broadcast(f);
    const expected = Buffer.concat(frames);
    await expect
      .poll(() => received.map((chunks) => Buffer.concat(chunks).length))
      .toEqual([expected.length, expected.length, expected.length]);
    for (const chunks of received) {
      const bytes = Buffer.concat(chunks);
      expect(bytes.equals(expected)).toBe(true);
    }
    // what a reader gets parses as valid telegrams
    const one = Buffer.concat(received[0] ?? []).toString('latin1');
    const readings = one.split(/(?=\/FLU)/).map((t) => parseTelegram(t));
    expect(readings.map((r) => [r.crc, r.power.importKw])).toEqual([
      ['valid', 1],
      ['valid', 2],
      ['valid', 3],
    ]);
    readers[1]?.destroy();
    await expect.poll(() => server.clients).toBe(2);
    for (const r of readers) r.destroy();
    await server.close();
  });
});
