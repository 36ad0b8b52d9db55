import type { AddressInfo } from 'node:net';
import express from 'express';

export interface Call {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

/** A stand-in for the meter simulator's control API: only PUT /api/port, recording every call. */
export async function startMeterControlStub(token: string) {
  const calls: Call[] = [];
  const waiters: (() => void)[] = [];
  const app = express();
  app.use(express.json());
  app.put('/api/port', (req, res) => {
    calls.push({ method: req.method, path: req.path, authorization: req.get('authorization'), body: req.body });
    for (const wake of waiters.splice(0)) wake();
    if (req.get('authorization') !== `Bearer ${token}`) res.status(401).json({ error: 'unauthorized' });
    else res.json({ open: true });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    /** Resolves at the first call (or at once if one came already). */
    called: () => new Promise<void>((resolve) => (calls.length ? resolve() : waiters.push(resolve))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface Client {
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON answers field by field and assert them
  call(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: any }>;
}

export function client(base: string): Client {
  return {
    async call(method, path, body, token) {
      const response = await fetch(base + path, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
  };
}

/** Polls until the check passes; event-driven waits are not available over plain HTTP. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
