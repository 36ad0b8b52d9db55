import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { OCPP16 } from '@p1/ocpp16';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { capabilities, chargePoint, rawSocket, startSystem } from './ocpp-harness';

type Frame = [number, string, ...unknown[]];

/** A raw peer that reads frames in order, to send what no library would. */
function frames(ws: WebSocket): () => Promise<Frame> {
  const queue: Frame[] = [];
  const waiting: Array<(f: Frame) => void> = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as Frame;
    const w = waiting.shift();
    if (w) w(frame);
    else queue.push(frame);
  });
  return () => {
    const f = queue.shift();
    return f ? Promise.resolve(f) : new Promise((r) => waiting.push(r));
  };
}

async function nextResponse(next: () => Promise<Frame>, id: string): Promise<Frame> {
  for (;;) {
    const f = await next();
    if (f[0] !== 2 && f[1] === id) return f;
  }
}

describe('malformed frames get a CallError and the connection survives', () => {
  it('central system side: garbage, non-arrays and schema violations', { timeout: 30_000 }, async () => {
    const { system, logger } = await startSystem({ chargers: [{ capabilities: capabilities('cp1'), password: 'pw' }] });
    const ws = rawSocket(system.url);
    const next = frames(ws);
    await once(ws, 'open');

    ws.send('{ this is not json');
    expect(await next()).toEqual([4, '-1', 'FormationViolation', expect.any(String), {}]);
    ws.send('{"an":"object"}');
    expect((await next())[2]).toBe('FormationViolation');
    ws.send('[2, 17, "Heartbeat", {}]'); // message id must be a string
    expect((await next())[2]).toBe('FormationViolation');

    ws.send(JSON.stringify([2, 'b1', 'BootNotification', { chargePointVendor: 42, chargePointModel: 'x' }]));
    expect((await nextResponse(next, 'b1'))[2]).toBe('TypeConstraintViolation');
    ws.send(
      JSON.stringify([2, 'b2', 'BootNotification', { chargePointVendor: 'x'.repeat(21), chargePointModel: 'x' }]),
    );
    expect((await nextResponse(next, 'b2'))[2]).toBe('FormationViolation');
    ws.send(JSON.stringify([2, 'b3', 'BootNotification', { chargePointModel: 'x' }]));
    expect((await nextResponse(next, 'b3'))[2]).toMatch(/^Occur+enceConstraintViolation$/);

    // Still connected and served.
    ws.send(JSON.stringify([2, 'h1', 'Heartbeat', {}]));
    const hb = await nextResponse(next, 'h1');
    expect(hb[0]).toBe(3);
    expect(hb[2]).toEqual({ currentTime: expect.any(String) });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(system.charger('cp1').measurement.connected).toBe(true);
    expect(logger.lines.some((l) => l.msg === 'malformed OCPP message' && l.obj.chargerId === 'cp1')).toBe(true);
    ws.close();
  });

  it('charge point side: a garbage frame from the central system is answered the same way', {
    timeout: 30_000,
  }, async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => OCPP16 });
    await once(wss, 'listening');
    const connected = once(wss, 'connection') as Promise<[WebSocket]>;
    const cp = chargePoint(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, 'cp9', { car: null });
    const started = cp.start();
    const [ws] = await connected;
    const next = frames(ws);
    const boot = await next();
    expect(boot[2]).toBe('BootNotification');
    ws.send(JSON.stringify([3, boot[1], { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }]));
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      if (f[0] === 2) ws.send(JSON.stringify([3, f[1], {}]));
    });
    await started;

    const replies: Frame[] = [];
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as Frame;
      if (f[0] !== 2) replies.push(f);
    });
    ws.send('garbage');
    ws.send(JSON.stringify([2, 'c1', 'SetChargingProfile', { connectorId: 0, csChargingProfiles: { nope: 1 } }]));
    ws.send(JSON.stringify([2, 'c2', 'GetConfiguration', { key: ['ChargeProfileMaxStackLevel'] }]));
    await new Promise<void>((resolve) => {
      const check = () => (replies.length >= 3 ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(replies.find((f) => f[1] === '-1')?.[2]).toBe('FormationViolation');
    expect(replies.find((f) => f[1] === 'c1')?.[0]).toBe(4);
    expect(replies.find((f) => f[1] === 'c2')).toEqual([
      3,
      'c2',
      { configurationKey: [{ key: 'ChargeProfileMaxStackLevel', readonly: true, value: '3' }], unknownKey: [] },
    ]);
    expect(cp.connected).toBe(true);
    await cp.stop();
    await new Promise((r) => wss.close(r));
  });
});
