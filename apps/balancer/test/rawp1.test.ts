import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { encodeTelegram, OBIS, parseTelegram, TelegramFramer } from '@p1/dsmr';
import { describe, expect, it } from 'vitest';
import { type RawP1Server, startRawP1Server } from '../src/rawp1/server';
import { StandardTelegramBuffer } from './helpers/standard-reader';
import { belgianTelegram } from './helpers/telegram';

async function connect(server: RawP1Server): Promise<{ socket: Socket; received: () => Buffer }> {
  const before = server.clients;
  const socket = createConnection({ host: '127.0.0.1', port: server.port });
  await once(socket, 'connect');
  await expect.poll(() => server.clients).toBe(before + 1);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { socket, received: () => Buffer.concat(chunks) };
}

const at = (i: number) => Date.UTC(2025, 0, 15, 9, 0, i);

describe('raw P1 re-serve over TCP', () => {
  it('gives every reader the same telegrams, byte for byte', async () => {
    const server = await startRawP1Server('127.0.0.1', 0);
    const readers = [await connect(server), await connect(server), await connect(server)];
    const frames = [0, 1, 2].map((i) => belgianTelegram({ at: at(i), importKw: 1 + i }));
    for (const f of frames) server.broadcast(parseTelegram(f), f);
    const expected = Buffer.concat(frames);
    await expect.poll(() => readers.map((r) => r.received().length)).toEqual(readers.map(() => expected.length));
    for (const r of readers) expect(r.received().equals(expected)).toBe(true);
    readers[1]?.socket.destroy();
    await expect.poll(() => server.clients).toBe(2);
    for (const r of readers) r.socket.destroy();
    await server.close();
  });

  it('a reader that joins mid-telegram gets whole accepted telegrams only, never a cut-off or corrupt one', async () => {
    const server = await startRawP1Server('127.0.0.1', 0);
    const good = [0, 1, 2, 3].map((i) => Buffer.from(belgianTelegram({ at: at(i), importKw: 2 + i })));
    const corrupt = Buffer.from(good[1] as Buffer);
    corrupt[40] = 0x39 - ((corrupt[40] as number) & 1); // a digit changed: the CRC no longer matches
    const cutOff = (good[2] as Buffer).subarray(0, 300); // the meter restarted mid-telegram
    const stream = Buffer.concat([good[0] as Buffer, corrupt, cutOff, good[2] as Buffer, good[3] as Buffer]);
    const framer = new TelegramFramer();
    const feed = (bytes: Buffer) => {
      for (const f of framer.push(bytes)) server.broadcast(f.reading, f.raw);
    };

    const early = await connect(server);
    const joinAt = stream.indexOf(good[2] as Buffer) - 150; // inside the cut-off telegram
    for (let i = 0; i < joinAt; i += 7) feed(stream.subarray(i, Math.min(i + 7, joinAt)));
    const late = await connect(server);
    for (let i = joinAt; i < stream.length; i += 7) feed(stream.subarray(i, Math.min(i + 7, stream.length)));

    const expectEarly = Buffer.concat([good[0] as Buffer, good[2] as Buffer, good[3] as Buffer]);
    const expectLate = Buffer.concat([good[2] as Buffer, good[3] as Buffer]);
    await expect
      .poll(() => [early.received().length, late.received().length])
      .toEqual([expectEarly.length, expectLate.length]);
    expect(early.received().equals(expectEarly)).toBe(true);
    expect(late.received().equals(expectLate)).toBe(true);
    // what a standard reader makes of the late joiner's stream: two telegrams, nothing left over
    const reader = new StandardTelegramBuffer();
    reader.append(late.received());
    expect(reader.takeAll()).toEqual([good[2]?.toString('latin1'), good[3]?.toString('latin1')]);
    expect(reader.pending).toBe('');
    for (const r of [early, late]) r.socket.destroy();
    await server.close();
  });

  it('a telegram without its CR LF is invisible to a standard reader: why the terminator matters', () => {
    const t = Buffer.from(encodeTelegram({ header: 'ISK5\\2M550T-1012', lines: [`${OBIS.POWER_IMPORT}(01.193*kW)`] }));
    const reader = new StandardTelegramBuffer();
    reader.append(t.subarray(0, t.length - 2));
    reader.append(t.subarray(0, t.length - 2));
    expect(reader.takeAll()).toEqual([]);
    reader.append(t);
    // the reader skips both unterminated copies: '/' cannot occur inside a telegram it takes
    expect(reader.takeAll()).toEqual([t.toString('latin1')]);
  });
});
