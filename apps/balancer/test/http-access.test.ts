/**
 * Who may read and change what, over real HTTP: the hardening headers on every answer, the Host
 * check against DNS rebinding, and the token on every endpoint once the server listens beyond loopback.
 */
import { request } from 'node:http';
import { hostname } from 'node:os';
import { parseTelegram } from '@p1/dsmr';
import type express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embeddedDefaultConfig } from '../src/config';
import { hostAllowed, hostOf, isLoopback, knownNames } from '../src/http/access';
import { createHttpApp, type HttpDeps, type RunningHttp, startHttp } from '../src/http/server';
import type { RuntimeSettings } from '../src/http/settings';
import { LiveState } from '../src/live/live-state';
import { Store } from '../src/store/store';
import { belgianTelegram } from './helpers/telegram';

const TOKEN = 'access-test-token-42';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to 127.0.0.1:port with exactly the headers given (Host included: fetch cannot forge it). */
function ask(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (res) => {
        let body = '';
        const done = () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        if (res.headers['content-type']?.startsWith('text/event-stream')) {
          res.destroy(); // a stream: its status is the answer
          return done();
        }
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', done);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function deps(live: LiveState, exposure: HttpDeps['exposure'] = {}): HttpDeps {
  const settings: RuntimeSettings = { capacityTargetKw: 4, solar: 'off' };
  return { live, store, token: TOKEN, settings: { get: () => settings, update: () => settings }, exposure };
}

/** Every route the application defines, with its method, path parameters filled in. */
function routesOf(app: express.Express): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: express keeps its layer stack untyped
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          out.push({ method: method.toUpperCase(), path: String(layer.route.path).replace(/:(\w+)/g, '1') });
        }
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  // biome-ignore lint/suspicious/noExplicitAny: see above
  walk((app as any).router.stack);
  return out;
}

let live: LiveState;
const store = new Store(':memory:');
afterAll(() => store.close());
beforeAll(() => {
  live = new LiveState(embeddedDefaultConfig().site);
  const raw = belgianTelegram({ at: Date.UTC(2025, 0, 15, 10), importKw: 2.1, currentsA: [9, 3, 4] });
  live.reading = parseTelegram(raw);
  live.rawTelegram = raw;
});

describe('the Host header (DNS rebinding)', () => {
  it('names: IP literals, localhost and *.localhost, the machine, the configured ones; nothing else', () => {
    const names = knownNames({ host: '0.0.0.0', allowedHosts: ['p1.home.arpa'] });
    for (const ok of [
      '127.0.0.1:8080',
      '[::1]:8080',
      '192.168.1.20',
      'localhost:8080',
      'app.localhost',
      'p1.home.arpa:80',
    ]) {
      expect(hostAllowed(ok, names), ok).toBe(true);
    }
    expect(hostAllowed(`${hostname()}:8080`, names)).toBe(true);
    expect(hostAllowed(`${hostname()}.local`, names)).toBe(true);
    for (const bad of ['evil.example', 'evil.example:8080', 'localhost.evil.example', 'p1.home.arpa.evil.example']) {
      expect(hostAllowed(bad, names), bad).toBe(false);
    }
    expect(hostOf('P1.Home.Arpa.:8080')).toBe('p1.home.arpa');
    expect(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0') || isLoopback('::') || isLoopback('192.168.1.20')).toBe(false);
  });

  let http: RunningHttp;
  beforeAll(async () => {
    http = await startHttp(deps(live, { allowedHosts: ['p1.home.arpa'] }), '127.0.0.1', 0);
  });
  afterAll(() => http.close());

  it('a page served under another name cannot read the meter through the browser: 403', async () => {
    for (const path of ['/api/v1/data', '/api/v1/telegram', '/api/v1/state', '/', '/metrics']) {
      const forged = await ask(http.port, path, { headers: { host: `rebind.evil.example:${http.port}` } });
      expect(forged.status, path).toBe(403);
      expect(forged.body).not.toContain('active_power');
    }
    const named = await ask(http.port, '/api/v1/data', { headers: { host: `p1.home.arpa:${http.port}` } });
    expect(named.status).toBe(200);
    expect(JSON.parse(named.body).active_power_w).toBe(2100);
  });

  it('every answer carries the CSP, no framing and no sniffing, refusals and 404s included', async () => {
    for (const path of ['/', '/api/v1/state', '/api/v1/data', '/no-such-thing', '/vendor/uPlot.iife.min.js']) {
      const res = await ask(http.port, path, { headers: { host: `127.0.0.1:${http.port}` } });
      expect(res.headers['content-security-policy'], path).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('on loopback the reads stay open (the local dashboard and HomeWizard clients)', async () => {
    const res = await ask(http.port, '/api/v1/state', { headers: { host: `localhost:${http.port}` } });
    expect(res.status).toBe(200);
  });
});

describe('listening beyond loopback (http.host 0.0.0.0)', () => {
  let http: RunningHttp;
  let open: RunningHttp;
  beforeAll(async () => {
    http = await startHttp(deps(live), '0.0.0.0', 0);
    open = await startHttp(deps(live, { openHomeWizardApi: true }), '0.0.0.0', 0);
  });
  afterAll(async () => {
    await http.close();
    await open.close();
  });
  const host = (port: number) => ({ host: `192.168.1.20:${port}` });

  it('without the token every data endpoint is refused, whatever the method', async () => {
    const routes = routesOf(createHttpApp(deps(live), '0.0.0.0'));
    const data = routes.filter((r) => r.path.startsWith('/api') || r.path === '/metrics');
    expect(data.length).toBeGreaterThanOrEqual(20); // the charts' history routes included
    for (const r of data) {
      if (r.method === 'DELETE' && r.path === '/api/v1/session') continue; // signing out needs nothing
      const res = await ask(http.port, r.path, { method: r.method, headers: host(http.port) });
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
  });

  it('with the token as a Bearer header they answer', async () => {
    const auth = { ...host(http.port), authorization: `Bearer ${TOKEN}` };
    for (const path of ['/api/v1/state', '/api/v1/data', '/api/v1/telegram', '/metrics', '/api/v1/history']) {
      expect((await ask(http.port, path, { headers: auth })).status, path).toBe(200);
    }
    const wrong = await ask(http.port, '/api/v1/state', {
      headers: { ...host(http.port), authorization: 'Bearer nope-nope' },
    });
    expect(wrong.status).toBe(401);
  });

  it('the dashboard asks for the token once: login page, session cookie for reads, never for changes', async () => {
    const page = await ask(http.port, '/', { headers: host(http.port) });
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/login.html');
    expect((await ask(http.port, '/login.html', { headers: host(http.port) })).status).toBe(200);
    expect((await ask(http.port, '/login.js', { headers: host(http.port) })).status).toBe(200);

    const refused = await ask(http.port, '/api/v1/session', {
      method: 'POST',
      headers: { ...host(http.port), authorization: 'Bearer not-the-token' },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers['set-cookie']).toBeUndefined();
    const login = await ask(http.port, '/api/v1/session', {
      method: 'POST',
      headers: { ...host(http.port), authorization: `Bearer ${TOKEN}` },
    });
    expect(login.status).toBe(204);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/^p1_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(setCookie).not.toContain(TOKEN);
    const cookie = setCookie.split(';')[0] as string;

    const withCookie = { ...host(http.port), cookie };
    expect((await ask(http.port, '/', { headers: withCookie })).status).toBe(200);
    expect((await ask(http.port, '/api/v1/state', { headers: withCookie })).status).toBe(200);
    expect((await ask(http.port, '/api/v1/events', { headers: withCookie })).status).toBe(200);
    const change = await ask(http.port, '/api/v1/settings', {
      method: 'PATCH',
      headers: { ...withCookie, 'content-type': 'application/json' },
      body: '{"solar":"off"}',
    });
    expect(change.status).toBe(401); // a cookie is sent by any page: changes need the header
    const forgedCookie = { ...host(http.port), cookie: 'p1_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    expect((await ask(http.port, '/api/v1/state', { headers: forgedCookie })).status).toBe(401);
  });

  it('http.openHomeWizardApi leaves the HomeWizard reads open, and only those', async () => {
    for (const path of ['/api', '/api/v1/data', '/api/v1/telegram', '/api/v1/system']) {
      expect((await ask(open.port, path, { headers: host(open.port) })).status, path).toBe(200);
    }
    for (const [method, path] of [
      ['GET', '/api/v1/state'],
      ['GET', '/metrics'],
      ['PUT', '/api/v1/identify'],
      ['PUT', '/api/v1/system'],
    ] as const) {
      expect((await ask(open.port, path, { method, headers: host(open.port) })).status, `${method} ${path}`).toBe(401);
    }
  });
});
