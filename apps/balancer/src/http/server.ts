import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { LiveState, StateSnapshot } from '../live/live-state';
import type { Store } from '../store/store';
import {
  bearerMatches,
  CLEARED_SESSION_COOKIE,
  type Exposure,
  hostCheck,
  isLoopback,
  securityHeaders,
  sessionCookie,
  tokenEverywhere,
} from './access';
import { chartsRouter } from './charts';
import {
  homeWizardData,
  homeWizardIdentification,
  homeWizardSystem,
  homeWizardSystemProblem,
  IDENTIFY_ANSWER,
  IDENTIFY_MS,
} from './homewizard';
import { renderMetrics } from './metrics';
import { type RuntimeSettings, validateSettingsPatch } from './settings';

export type ActionResult = { ok: true; view: unknown } | { ok: false; error: string };

/** The activation assistant behind the dashboard (built on @p1/activation). */
export interface ActivationApi {
  view(lang: string): unknown;
  act(body: unknown, lang: string): Promise<ActionResult>;
}

export interface HttpDeps {
  live: LiveState;
  token: string;
  settings: { get(): RuntimeSettings; update(patch: Partial<RuntimeSettings>): RuntimeSettings };
  activation?: ActivationApi;
  history?: () => unknown;
  /** Chart series and charging sessions (./charts.ts). */
  store?: Store;
  logger?: Logger;
  /** Who else may connect: `http.openHomeWizardApi`, `http.allowedHosts` (the host comes from startHttp). */
  exposure?: Omit<Exposure, 'host'>;
}

/** The dashboard's files: next to the sources, or copied next to the production bundle. */
const DASHBOARD_DIR = [
  join(import.meta.dirname, '..', 'dashboard', 'public'),
  join(import.meta.dirname, 'dashboard'),
  join(import.meta.dirname, '..', 'dashboard'),
].find((dir) => existsSync(join(dir, 'index.html')));
const SSE_HEARTBEAT_MS = 15_000;
const SSE_MAX_BUFFERED_BYTES = 256 * 1024;

/** Builds the express application of apps/balancer/docs/http.md for a server listening on `host`. */
export function createHttpApp(deps: HttpDeps, host = '127.0.0.1'): express.Express {
  const { live } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const exposure: Exposure = { host, ...deps.exposure };
  app.use(securityHeaders);
  app.use(hostCheck(exposure));
  if (!isLoopback(host)) app.use(tokenEverywhere(exposure, deps.token));

  const requireToken = (req: Request, res: Response, next: NextFunction): void => {
    if (bearerMatches(req.get('authorization'), deps.token)) {
      next();
      return;
    }
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'Authorization: Bearer <http.token> required' });
  };
  const json = express.json({ limit: '16kb' });

  // The login page trades the token for a cookie, so that the dashboard's own requests (an EventSource
  // cannot send a header) are let in when the module is reachable from the network.
  app.post('/api/v1/session', requireToken, (_req, res) => {
    res.set('Set-Cookie', sessionCookie(deps.token)).status(204).end();
  });
  app.delete('/api/v1/session', (_req, res) => {
    res.set('Set-Cookie', CLEARED_SESSION_COOKIE).status(204).end();
  });

  app.get('/api', (_req, res) => {
    res.json(homeWizardIdentification(live.reading));
  });

  app.get('/api/v1/data', (_req, res) => {
    const r = live.reading;
    if (!r?.ok) return void res.status(503).json({ error: 'no valid telegram received yet' });
    res.json(homeWizardData(r));
  });

  app.get('/api/v1/telegram', (_req, res) => {
    if (!live.rawTelegram) return void res.status(503).type('text/plain').send('no valid telegram received yet\n');
    // the bytes themselves, as the meter sent them (a string would be re-encoded)
    res.type('text/plain').send(Buffer.from(live.rawTelegram));
  });

  // HomeWizard clients send no token (the device's v1 API has none); neither route changes anything
  // lasting: identify flashes the dashboard, and the only system change accepted is the one a no-op.
  app.get('/api/v1/system', (_req, res) => {
    res.json(homeWizardSystem());
  });

  app.put('/api/v1/system', json, (req, res) => {
    const problem = homeWizardSystemProblem(req.body);
    if (problem) return void res.status(400).json({ error: problem });
    res.json(homeWizardSystem());
  });

  app.put('/api/v1/identify', (req, res) => {
    const now = Date.now();
    if (!live.identifying(now)) {
      deps.logger?.info({ from: req.ip, seconds: IDENTIFY_MS / 1000 }, 'identify: the dashboard flashes');
    }
    live.identifyUntil = now + IDENTIFY_MS;
    live.publish();
    res.json(IDENTIFY_ANSWER);
  });

  app.get('/api/v1/state', (_req, res) => {
    res.json(live.snapshot());
  });

  app.get('/api/v1/events', (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const send = (s: StateSnapshot): void => {
      // a client that does not keep up skips updates (each carries the whole state) instead of growing our memory
      if (res.writableLength > SSE_MAX_BUFFERED_BYTES) return;
      res.write(`event: state\ndata: ${JSON.stringify(s)}\n\n`);
    };
    res.write('retry: 2000\n\n');
    send(live.snapshot());
    live.sseClients++;
    live.on('change', send);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(heartbeat);
      live.off('change', send);
      live.sseClients--;
    });
  });

  app.get('/api/v1/settings', (_req, res) => {
    res.json(deps.settings.get());
  });

  app.patch('/api/v1/settings', requireToken, json, (req, res) => {
    const result = validateSettingsPatch(req.body);
    if (!result.ok) return void res.status(400).json({ error: result.error });
    const settings = deps.settings.update(result.patch);
    deps.logger?.info({ settings }, 'settings changed over HTTP');
    res.json(settings);
  });

  app.get('/api/v1/history', (_req, res) => {
    res.json(deps.history ? deps.history() : {});
  });

  app.get('/api/v1/activation', (req, res) => {
    if (!deps.activation) return void res.status(404).json({ error: 'activation assistant not available' });
    res.json(deps.activation.view(langOf(req)));
  });

  app.post('/api/v1/activation', requireToken, json, async (req, res) => {
    if (!deps.activation) return void res.status(404).json({ error: 'activation assistant not available' });
    const result = await deps.activation.act(req.body, langOf(req));
    if (!result.ok) return void res.status(400).json({ error: result.error });
    res.json(result.view);
  });

  app.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(renderMetrics(live));
  });

  app.use(chartsRouter({ live, store: deps.store }));
  if (DASHBOARD_DIR) app.use(express.static(DASHBOARD_DIR, { index: 'index.html', maxAge: 0 }));

  app.use((req, res) => {
    res.status(404).json({ error: `no such resource: ${req.method} ${req.path}` });
  });

  // Body parse errors and the like are the client's fault: 4xx with the reason, never a 500.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; statusCode?: number; type?: string; message?: string };
    const status = e.status ?? e.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const reason = e.type === 'entity.parse.failed' ? 'body: is not valid JSON' : (e.message ?? 'bad request');
      return void res.status(status).json({ error: reason });
    }
    deps.logger?.error({ err, path: req.path }, 'HTTP handler failed');
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}

function langOf(req: Request): string {
  const q = typeof req.query.lang === 'string' ? req.query.lang : '';
  if (/^(nl|fr|en)$/.test(q)) return q;
  const header = req.get('accept-language')?.slice(0, 2).toLowerCase() ?? 'en';
  return /^(nl|fr|en)$/.test(header) ? header : 'en';
}

export interface RunningHttp {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on host:port (127.0.0.1 unless configured); port 0 picks a free one. */
export async function startHttp(deps: HttpDeps, host: string, port: number): Promise<RunningHttp> {
  const app = createHttpApp(deps, host);
  const server: Server = app.listen(port, host);
  await once(server, 'listening');
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    port: actual,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
