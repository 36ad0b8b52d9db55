import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChargerCapabilities } from '@p1/balancer/charger-state';
import { OCPP16 } from '@p1/ocpp16';
import type { RPCServer } from 'ocpp-rpc';
import { CountedLog } from '../log-limit';
import { type Logger, silentLogger } from '../logger';
import { OcppCharger, type OcppChargerSettings } from './ocpp-charger';
import { DEFAULT_OVERDRAW_POLICY, type OverdrawPolicy } from './overdraw';
import { createRpcServer, type RpcPeer, useOcpp16ErrorCodes } from './rpc';
import { TurnBudget } from './turn-budget';

export interface OcppChargerConfig {
  capabilities: ChargerCapabilities;
  /** Security profile 1 (HTTP basic auth, user = identity). Omitted: the identity alone is trusted. */
  password?: string;
}

export interface OcppCentralSystemOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 9000; 0 picks a free port. */
  port?: number;
  chargers: OcppChargerConfig[];
  logger?: Logger;
  now?: () => number;
  heartbeatIntervalS?: number;
  failsafeLeaseS?: number;
  profileRetryS?: number;
  bootWaitMs?: number;
  /** MeterValueSampleInterval set on each charge point at connect (default 1 s); null leaves theirs. */
  meterValueSampleIntervalS?: number | null;
  callTimeoutMs?: number;
  overdraw?: Partial<OverdrawPolicy>;
  /** Limit profiles sent per event-loop turn when many chargers change at once (default 8). */
  sendsPerTurn?: number;
}

/** Refusals and malformed frames are logged once per identity and address per minute, with a count. */
const LOG_WINDOW_MS = 60_000;
const LOG_MAX_KEYS = 20;

/** Constant-time comparison so the answer time does not leak how much of a password was right. */
function passwordMatches(given: Buffer | undefined, expected: string): boolean {
  if (!given) return false;
  const want = Buffer.from(expected, 'utf8');
  return given.length === want.length && timingSafeEqual(given, want);
}

/**
 * The module as OCPP 1.6J central system: charge points connect to ws://host:port/<identity> with
 * subprotocol ocpp1.6. Only configured identities pass the handshake, each with its own password.
 */
export class OcppCentralSystem {
  private readonly byId = new Map<string, { charger: OcppCharger; password?: string }>();
  private readonly refusals: CountedLog;
  private readonly malformed: CountedLog;

  private constructor(
    private readonly rpc: RPCServer,
    private readonly http: Server,
    private readonly logger: Logger,
  ) {
    const counted = { windowMs: LOG_WINDOW_MS, maxKeys: LOG_MAX_KEYS, log: logger.warn.bind(logger) };
    this.refusals = new CountedLog('charge point refused', counted);
    this.malformed = new CountedLog('malformed OCPP message', counted);
  }

  static async start(options: OcppCentralSystemOptions): Promise<OcppCentralSystem> {
    const logger = options.logger ?? silentLogger;
    const rpc = createRpcServer({ callTimeoutMs: options.callTimeoutMs ?? 10_000, pingIntervalMs: 30_000 });
    let transactionId = Math.floor((options.now ?? Date.now)() / 1000) % 1_000_000_000;
    const settings: OcppChargerSettings = {
      logger,
      now: options.now ?? Date.now,
      heartbeatIntervalS: options.heartbeatIntervalS ?? 300,
      failsafeLeaseS: options.failsafeLeaseS ?? 120,
      profileRetryS: options.profileRetryS ?? 10,
      bootWaitMs: options.bootWaitMs ?? 5_000,
      meterValueSampleIntervalS:
        options.meterValueSampleIntervalS === undefined ? 1 : options.meterValueSampleIntervalS,
      overdraw: { ...DEFAULT_OVERDRAW_POLICY, ...options.overdraw },
      nextTransactionId: () => ++transactionId,
      sendBudget: new TurnBudget(options.sendsPerTurn ?? 8),
    };
    const ids = new Set<string>();
    for (const c of options.chargers) {
      if (ids.has(c.capabilities.id)) throw new Error(`charger id '${c.capabilities.id}' is configured twice`);
      ids.add(c.capabilities.id);
    }
    const http = await listen(rpc, options.port ?? 9000, options.host ?? '127.0.0.1');
    const system = new OcppCentralSystem(rpc, http, logger);
    for (const c of options.chargers) {
      if (c.password === undefined) {
        logger.warn(
          { chargerId: c.capabilities.id },
          'no password configured: any client using this identity is accepted',
        );
      }
      system.byId.set(c.capabilities.id, {
        charger: new OcppCharger(c.capabilities, settings),
        ...(c.password !== undefined ? { password: c.password } : {}),
      });
    }
    system.listen();
    return system;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get url(): string {
    const { address, port } = this.http.address() as AddressInfo;
    return `ws://${address.includes(':') ? `[${address}]` : address}:${port}`;
  }

  charger(id: string): OcppCharger {
    const entry = this.byId.get(id);
    if (!entry) throw new Error(`no OCPP charger configured with id '${id}'`);
    return entry.charger;
  }

  chargers(): OcppCharger[] {
    return [...this.byId.values()].map((e) => e.charger);
  }

  async close(): Promise<void> {
    await Promise.all(this.chargers().map((c) => c.stop()));
    await this.rpc.close({ code: 1001, reason: 'Central system stopping' });
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.refusals.close();
    this.malformed.close();
  }

  private listen(): void {
    this.rpc.auth((accept, reject, handshake) => {
      // Identities come from the URL: log them only as data (JSON-escaped), shortened. Never the password.
      const identity = handshake.identity.slice(0, 64);
      const remote = handshake.remoteAddress;
      // Anyone on the network can repeat a refused handshake at will: counted, not logged each time.
      const refuse = (status: number, message: string, reason: string, extra: Record<string, unknown> = {}) => {
        this.refusals.add(`${reason}|${identity}|${remote}`, { chargerId: identity, remote, reason, ...extra });
        reject(status, message);
      };
      const entry = this.byId.get(handshake.identity);
      if (!entry) return refuse(404, 'Unknown charge point identity', 'unknown identity');
      if (entry.charger.isStopped) return reject(503, 'Charger driver stopped');
      if (!handshake.protocols.has(OCPP16)) {
        return refuse(400, `Subprotocol ${OCPP16} required`, `no subprotocol ${OCPP16}`);
      }
      if (entry.password !== undefined && !passwordMatches(handshake.password, entry.password)) {
        return refuse(401, 'Unauthorized', 'wrong or missing password', {
          passwordGiven: handshake.password !== undefined,
        });
      }
      accept({ chargerId: handshake.identity }, OCPP16);
    });
    this.rpc.on('client', (client: unknown) => {
      const peer = client as RpcPeer;
      useOcpp16ErrorCodes(peer);
      peer.on('badMessage', (event: { error: Error }) => {
        this.malformed.add(`frame|${peer.identity}`, {
          chargerId: peer.identity,
          reason: 'not an OCPP-J frame',
          err: event.error.message.slice(0, 200),
        });
      });
      peer.on('strictValidationFailure', (event: { method: string; error: Error; outbound: boolean }) => {
        this.malformed.add(`schema|${peer.identity}|${event.method}|${event.outbound}`, {
          chargerId: peer.identity,
          reason: 'does not match the 1.6J schema',
          method: event.method,
          outbound: event.outbound,
          err: event.error.message.slice(0, 200),
        });
      });
      const entry = this.byId.get(peer.identity ?? '');
      if (entry) entry.charger.attach(peer);
      else void peer.close({ code: 1008, reason: 'Unknown identity' });
    });
    this.rpc.on('error', (err: Error) => this.logger.error({ err: err.message }, 'OCPP server error'));
  }
}

/**
 * `RPCServer.listen` leaves a failed bind as an 'error' event on its http server (an uncaught
 * exception); this rejects with the error instead, so the caller can say "port in use" in a sentence.
 */
async function listen(rpc: RPCServer, port: number, host: string): Promise<Server> {
  const http = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  http.on('upgrade', rpc.handleUpgrade);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen({ port, host }, () => {
      http.off('error', reject);
      resolve();
    });
  });
  return http;
}
