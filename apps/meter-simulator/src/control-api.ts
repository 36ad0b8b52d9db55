/**
 * The control API (express, 127.0.0.1): read the meter's state, set loads and the EV setpoint,
 * open or close the P1 port, inject faults. State-changing calls need `Authorization: Bearer <token>`.
 * `?meter=N` addresses one of several meters (default 0).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkFaultRequest, type FaultRequest } from '@p1/sim';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { MeterInstance, SimulatorRuntime } from './runtime';

type Line = 1 | 2 | 3;

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1] as string);
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function isLines(v: unknown): v is Line[] {
  return (
    Array.isArray(v) &&
    v.length > 0 &&
    v.length <= 3 &&
    v.every((p) => p === 1 || p === 2 || p === 3) &&
    new Set(v).size === v.length
  );
}

export function createControlApi(runtime: SimulatorRuntime, token: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '16kb' }));

  const requireToken = (req: Request, res: Response, next: NextFunction) => {
    if (tokenMatches(req.get('authorization'), token)) return next();
    res.status(401).json({ error: 'missing or wrong bearer token (Authorization: Bearer <token>)' });
  };

  const meterOf = (req: Request, res: Response): MeterInstance | null => {
    const raw = req.query.meter;
    const index = raw === undefined ? 0 : Number(raw);
    const m = Number.isInteger(index) ? runtime.meter(index) : undefined;
    if (!m) {
      res.status(404).json({ error: `no meter ${String(raw)} (0–${runtime.meters.length - 1})` });
      return null;
    }
    return m;
  };

  app.get('/api/state', (req, res) => {
    const m = meterOf(req, res);
    if (m) res.json(runtime.state(m.index));
  });

  app.get('/api/telegram', (req, res) => {
    const m = meterOf(req, res);
    if (!m) return;
    if (!m.last) {
      res.status(404).json({ error: 'no telegram sent yet (is the port open?)' });
      return;
    }
    res.type('text/plain; charset=latin1').send(Buffer.from(m.last));
  });

  app.put('/api/port', requireToken, (req, res) => {
    const m = meterOf(req, res);
    if (!m) return;
    if (typeof req.body?.open !== 'boolean') {
      res.status(400).json({ error: '"open" must be true or false' });
      return;
    }
    m.sim.portOpen = req.body.open;
    res.json({ open: m.sim.portOpen, gpArrow: m.sim.portOpen });
  });

  app.put('/api/loads/:name', requireToken, (req, res) => {
    const m = meterOf(req, res);
    if (!m) return;
    const { phases, kw } = req.body ?? {};
    if (typeof kw !== 'number' || !Number.isFinite(kw) || Math.abs(kw) > 1000) {
      res.status(400).json({ error: '"kw" must be a number (kW; negative for generation, 0 removes the load)' });
      return;
    }
    if (kw !== 0 && !isLines(phases)) {
      res.status(400).json({ error: '"phases" must be a list of distinct grid lines 1, 2 or 3, e.g. [1,2,3]' });
      return;
    }
    m.sim.setLoad(req.params.name as string, (phases ?? [1]) as Line[], kw);
    res.json({ name: req.params.name, phases: kw === 0 ? [] : phases, kw });
  });

  app.put('/api/ev/:name', requireToken, (req, res) => {
    const m = meterOf(req, res);
    if (!m) return;
    const offeredA = req.body?.offeredA;
    if (typeof offeredA !== 'number' || !Number.isFinite(offeredA) || offeredA < 0 || offeredA > 80) {
      res.status(400).json({ error: '"offeredA" must be a number of amperes from 0 to 80' });
      return;
    }
    if (!m.sim.setEvOffered(req.params.name as string, offeredA)) {
      res.status(404).json({
        error: `no EV or charger named "${req.params.name}" (known: ${m.sim.evNames().join(', ') || 'none'})`,
      });
      return;
    }
    res.json({ name: req.params.name, offeredA });
  });

  app.post('/api/faults', requireToken, (req, res) => {
    const m = meterOf(req, res);
    if (!m) return;
    const problem = checkFaultRequest(req.body);
    if (problem) {
      res.status(400).json({ error: problem });
      return;
    }
    res.status(201).json(runtime.addFault(req.body as FaultRequest, m.index));
  });

  app.delete('/api/faults', requireToken, (req, res) => {
    const m = meterOf(req, res);
    if (!m) return;
    m.faults.clear();
    m.sim.clockSet = true;
    res.json({ faults: [] });
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'no such endpoint; see GET /api/state' });
  });
  // Malformed JSON and other request errors: one sentence, no stack trace.
  app.use((err: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err.status ?? 500).json({ error: err.status === 400 ? 'the body is not valid JSON' : err.message });
  });
  return app;
}

export async function listen(
  app: express.Express,
  host: string,
  port: number,
): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const a = server.address() as AddressInfo;
      resolve({ server, url: `http://${host}:${a.port}` });
    });
  });
}
