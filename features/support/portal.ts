import { randomBytes } from 'node:crypto';
import { startChild, tsxArgs } from './processes';
import type { P1World } from './world';

const PORTAL_CLI = 'apps/portal-simulator/src/cli.ts';

/** What the portal answered: the JSON body, or the refusal's code and message. */
export type PortalAnswer =
  | { ok: true; status: number; body: Record<string, unknown> }
  | { ok: false; status: number; error: string; message: string; field?: string };

export interface PortalOptions {
  /** From switching the port on to "Open", in portal time: `6h`, `90m`, `never`. */
  openAfter: string;
  /** The meter simulator whose port the portal opens. */
  meterControl?: { url: string; token: string };
  knownMeters?: { ean: string; holderEmail: string | null }[];
}

/** The simulated grid-operator portal, run as its own process on a free 127.0.0.1 port. */
export class Portal {
  private sessions = new Map<string, string>();

  private constructor(
    readonly url: string,
    private readonly adminToken: string,
  ) {}

  static async start(world: P1World, options: PortalOptions): Promise<Portal> {
    const adminToken = randomBytes(12).toString('hex');
    const args = ['--port', '0', '--lang', 'en', '--open-after', options.openAfter, '--admin-token', adminToken];
    for (const m of options.knownMeters ?? [])
      args.push('--known-ean', m.holderEmail ? `${m.ean}:${m.holderEmail}` : m.ean);
    if (options.meterControl) {
      args.push('--meter-control-url', options.meterControl.url, '--meter-control-token', options.meterControl.token);
    }
    const child = world.track(startChild('portal', process.execPath, tsxArgs(PORTAL_CLI, args)));
    const [, url] = await child.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    return new Portal(url as string, adminToken);
  }

  async call(method: string, route: string, body?: unknown, token?: string): Promise<PortalAnswer> {
    const res = await fetch(`${this.url}/api${route}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    if (res.ok) return { ok: true, status: res.status, body: json };
    return {
      ok: false,
      status: res.status,
      error: String(json.error),
      message: String(json.message),
      ...(json.field ? { field: String(json.field) } : {}),
    };
  }

  /** As the person with this e-mail address, logged in. */
  async as(email: string, method: string, route: string, body?: unknown): Promise<PortalAnswer> {
    const token = this.sessions.get(email);
    if (!token) throw new Error(`${email} has not logged in on the portal.`);
    return this.call(method, route, body, token);
  }

  async login(email: string, password: string): Promise<PortalAnswer> {
    const answer = await this.call('POST', '/login', { email, password });
    if (answer.ok) this.sessions.set(email, String(answer.body.token));
    return answer;
  }

  async outbox(query: {
    to?: string;
    ean?: string;
  }): Promise<{ kind: string; link: string | null; code: string | null }[]> {
    const q = new URLSearchParams(query as Record<string, string>).toString();
    const res = await fetch(`${this.url}/api/outbox?${q}`);
    return (await res.json()) as { kind: string; link: string | null; code: string | null }[];
  }

  async advance(hours: number): Promise<void> {
    const res = await fetch(`${this.url}/api/admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.adminToken}` },
      body: JSON.stringify({ advanceMs: hours * 3_600_000 }),
    });
    if (!res.ok) throw new Error(`the portal's clock did not move: ${res.status}`);
  }
}
