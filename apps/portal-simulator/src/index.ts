/**
 * The simulated grid-operator portal: `createPortalApp` for in-process use (Gherkin suites, tests),
 * `startPortal` to listen on 127.0.0.1.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Clock, Lang } from '@p1/activation';
import express, { type Express } from 'express';
import { apiRouter } from './api';
import { AcceleratedClock } from './clock';
import { type MeterControl, openMeterPort } from './meter-control';
import { pagesRouter } from './pages';
import { type KnownMeter, Portal } from './portal';

export { AcceleratedClock, parseDuration } from './clock';
export type { EanView, KnownMeter, OutboxMessage } from './portal';
export { Portal } from './portal';

/** Demo meters: one whose holder is reached by e-mail, one by letter. */
export const DEFAULT_KNOWN_METERS: KnownMeter[] = [
  { ean: '541448820000000015', holderEmail: 'houder@example.be', holderName: 'An Janssens' },
  { ean: '541448820000000022', holderEmail: null, holderName: 'Piet Claes' },
];

export interface PortalOptions {
  knownMeters?: KnownMeter[];
  /** Simulated time from switching on to "Open" (default 6 h); Infinity = never. */
  openDelayMs?: number;
  /** Simulated clock runs ×speed (default 1). */
  speed?: number;
  /** Replaces the accelerated clock's real-time source (tests). */
  realNow?: () => number;
  meterControlUrl?: string;
  meterControlToken?: string;
  /** Bearer token for POST /api/admin/clock; random when absent. */
  adminToken?: string;
  lang?: Lang;
  /** How often (real ms) pending openings are checked. */
  tickMs?: number;
  log?: (line: string) => void;
  fetch?: typeof fetch;
}

export interface PortalApp {
  app: Express;
  portal: Portal;
  clock: AcceleratedClock & Clock;
  adminToken: string;
  /** Resolves when every meter-control call started so far has finished. */
  idle(): Promise<void>;
  close(): void;
}

export function createPortalApp(options: PortalOptions = {}): PortalApp {
  const clock = new AcceleratedClock(options.speed ?? 1, options.realNow);
  const portal = new Portal({
    clock,
    knownMeters: options.knownMeters ?? DEFAULT_KNOWN_METERS,
    openDelayMs: options.openDelayMs ?? 6 * 3_600_000,
    lang: options.lang ?? 'nl',
  });
  const adminToken = options.adminToken ?? randomBytes(18).toString('base64url');
  const control: MeterControl = {
    ...(options.meterControlUrl ? { url: options.meterControlUrl } : {}),
    ...(options.meterControlToken ? { token: options.meterControlToken } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    log: options.log ?? ((line) => console.error(`portal-simulator: ${line}`)),
  };
  const pending = new Set<Promise<void>>();
  portal.on('port-open', (record) => {
    const call = openMeterPort(record, control).finally(() => pending.delete(call));
    pending.add(call);
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use('/api', apiRouter({ portal, clock, adminToken }));
  app.use(pagesRouter(portal));
  // Malformed JSON or forms answer with one sentence, never a stack trace.
  app.use(
    (
      err: Error & { status?: number; type?: string },
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      const message =
        err.type === 'entity.parse.failed'
          ? `the request body is not valid JSON (${err.message})`
          : err.status
            ? err.message
            : 'internal error';
      res.status(err.status ?? 500).json({ error: err.status ? 'bad-request' : 'internal', message });
    },
  );

  // The clock runs on its own: openings and deadlines happen without anyone asking.
  const ticker = setInterval(() => portal.settle(), options.tickMs ?? 100);
  ticker.unref();
  return {
    app,
    portal,
    clock,
    adminToken,
    idle: async () => {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    close: () => clearInterval(ticker),
  };
}

export interface StartedPortal extends PortalApp {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startPortal(
  options: PortalOptions & { host?: string; port?: number } = {},
): Promise<StartedPortal> {
  const created = createPortalApp(options);
  const host = options.host ?? '127.0.0.1';
  const server = created.app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...created,
    url: `http://${host}:${port}`,
    port,
    stop: async () => {
      created.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
