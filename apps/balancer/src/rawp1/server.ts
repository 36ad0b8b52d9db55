import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';

/** A reader that falls this far behind is dropped, so one stuck client cannot grow our memory. */
const MAX_BUFFERED_BYTES = 256 * 1024;

export interface RawP1Server {
  readonly port: number;
  readonly clients: number;
  /**
   * Offers one frame of the meter source. An accepted one goes to every connected reader byte for
   * byte as the meter sent it ('/' through the CR LF after the CRC line, or a Smarty APDU); a
   * rejected one (cut off, failed CRC, garbled) is not forwarded.
   */
  broadcast(reading: { ok: boolean }, raw: Uint8Array): void;
  close(): Promise<void>;
}

/**
 * The meter's telegrams re-served on TCP: one P1 port, many readers (Home Assistant's DSMR
 * integration, a second logger). A reader that connects mid-telegram starts with the next whole one:
 * telegrams are written whole, never the bytes of one still arriving.
 */
export async function startRawP1Server(host: string, port: number): Promise<RawP1Server> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    // readers only listen; anything they send is ignored
    socket.resume();
  });
  server.listen(port, host);
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    get clients() {
      return sockets.size;
    },
    broadcast(reading, raw) {
      if (!reading.ok || raw.length === 0) return;
      for (const socket of sockets) {
        if (socket.writableLength > MAX_BUFFERED_BYTES) socket.destroy();
        else socket.write(raw);
      }
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
