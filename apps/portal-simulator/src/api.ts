/** The JSON API for tests and QA scripts; every step a person takes on the HTML pages has a call here. */
import { type Request, type Response, Router } from 'express';
import type { AcceleratedClock } from './clock';
import type { Account, Failure, Portal, Result } from './portal';

export interface ApiOptions {
  portal: Portal;
  clock: AcceleratedClock;
  /** Needed for the clock jump; without one the endpoint is off. */
  adminToken: string | null;
}

function bearer(req: Request): string | undefined {
  const header = req.get('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

function sendFailure(res: Response, failure: Failure): void {
  const { ok: _ok, status, ...body } = failure;
  res.status(status).json(body);
}

export function apiRouter({ portal, clock, adminToken }: ApiOptions): Router {
  const api = Router();
  const body = (req: Request): Record<string, unknown> =>
    req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  const reply = <T>(res: Response, result: Result<T>, map: (value: T) => unknown, status = 200) => {
    if (result.ok) res.status(status).json(map(result.value));
    else sendFailure(res, result);
  };
  const account = (req: Request, res: Response): Account | null => {
    portal.settle();
    const found = portal.accountFor(bearer(req));
    if (!found) res.status(401).json({ error: 'unauthorized', message: 'log in first: Authorization: Bearer <token>' });
    return found;
  };
  const me = (a: Account) => ({
    email: a.email,
    name: a.name,
    phone: a.phone,
    method: a.method,
    confirmed: a.confirmed,
    eans: [...a.eans.values()].map((r) => portal.view(r)),
  });

  api.get('/clock', (_req, res) => {
    res.json({ now: new Date(clock.now()).toISOString(), speed: clock.speed });
  });

  api.post('/admin/clock', (req, res) => {
    if (!adminToken || bearer(req) !== adminToken) {
      res.status(401).json({ error: 'unauthorized', message: 'the admin token is required to move the clock' });
      return;
    }
    const advanceMs = body(req).advanceMs;
    if (typeof advanceMs !== 'number' || !(advanceMs >= 0)) {
      res
        .status(400)
        .json({ error: 'bad-request', message: 'advanceMs must be a number of milliseconds >= 0', field: 'advanceMs' });
      return;
    }
    clock.advance(advanceMs);
    portal.settle();
    res.json({ now: new Date(clock.now()).toISOString(), speed: clock.speed });
  });

  api.get('/outbox', (req, res) => {
    const to = typeof req.query.to === 'string' ? req.query.to : undefined;
    const ean = typeof req.query.ean === 'string' ? req.query.ean : undefined;
    res.json(portal.messages({ ...(to ? { to } : {}), ...(ean ? { ean } : {}) }));
  });

  api.post('/register', (req, res) => {
    reply(
      res,
      portal.register(body(req) as Parameters<Portal['register']>[0]),
      (a) => ({ email: a.email, name: a.name, method: a.method, confirmed: false }),
      201,
    );
  });

  api.post('/confirm-email/:token', (req, res) => {
    reply(res, portal.confirmEmail(req.params.token), (a) => ({ email: a.email, confirmed: true }));
  });

  api.post('/login', (req, res) => {
    const b = body(req);
    reply(res, portal.login(b.email, b.password), ({ token }) => ({ token }));
  });

  api.post('/logout', (req, res) => {
    const token = bearer(req);
    if (token) portal.logout(token);
    res.status(204).end();
  });

  api.get('/me', (req, res) => {
    const a = account(req, res);
    if (a) res.json(me(a));
  });

  api.post('/eans', (req, res) => {
    const a = account(req, res);
    if (a) reply(res, portal.addEan(a, body(req).ean), (r) => portal.view(r), 201);
  });

  api.get('/eans/:ean', (req, res) => {
    const a = account(req, res);
    if (a) reply(res, portal.ean(a, req.params.ean), (r) => portal.view(r));
  });

  api.post('/eans/:ean/request', (req, res) => {
    const a = account(req, res);
    if (!a) return;
    const found = portal.ean(a, req.params.ean);
    reply(res, found.ok ? portal.request(a, found.value, body(req).consent) : found, (r) => portal.view(r));
  });

  api.put('/eans/:ean/port', (req, res) => {
    const a = account(req, res);
    if (!a) return;
    if (body(req).on !== true) {
      res
        .status(400)
        .json({ error: 'bad-request', message: 'send {"on": true}; switching off is not simulated', field: 'on' });
      return;
    }
    const found = portal.ean(a, req.params.ean);
    reply(res, found.ok ? portal.switchOn(found.value) : found, (r) => portal.view(r));
  });

  api.post('/approvals/:token', (req, res) => {
    reply(res, portal.approveByLink(req.params.token), (r) => ({ ean: r.ean, approved: true }));
  });

  api.post('/letter-code', (req, res) => {
    const b = body(req);
    reply(res, portal.approveByLetterCode(b.ean, b.code), (r) => ({ ean: r.ean, approved: true }));
  });

  api.use((_req, res) => {
    res.status(404).json({ error: 'not-found', message: 'no such API endpoint' });
  });
  return api;
}
