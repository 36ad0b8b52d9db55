import { once } from 'node:events';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { OcppCentralSystem } from '../src/charger/ocpp/central-system';
import { capabilities } from './ocpp-harness';

describe('starting the central system', () => {
  it('a port in use rejects the start (no uncaught error event) and can be reported in a sentence', async () => {
    const busy = createServer().listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const port = (busy.address() as { port: number }).port;
    try {
      const start = OcppCentralSystem.start({ port, chargers: [{ capabilities: capabilities('cp1') }] });
      await expect(start).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      busy.close();
    }
  });

  it('an address this machine does not have rejects with EADDRNOTAVAIL', async () => {
    // 192.0.2.0/24 is TEST-NET-1: never assigned to a real interface
    const start = OcppCentralSystem.start({ host: '192.0.2.1', port: 0, chargers: [] });
    await expect(start).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
  });
});
