/**
 * Who may talk to the HTTP server. Every response carries the browser hardening headers; the Host
 * header must name this module (a DNS-rebinding page sends its own domain there); and when the server
 * listens beyond loopback, every data endpoint needs the token: as `Authorization: Bearer` or as the
 * session cookie the login page sets (reads only: a cookie never authorises a change).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Scripts only from the module itself (no inline script, no eval); the existing markup sets a few
 * inline style attributes, hence 'unsafe-inline' for styles only.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export const SESSION_COOKIE = 'p1_session';
const SESSION_MAX_AGE_S = 30 * 86_400;

/** The HomeWizard-compatible reads (API v1) that `http.openHomeWizardApi` leaves open beyond loopback. */
const HOMEWIZARD_READS = new Set(['/api', '/api/v1/data', '/api/v1/telegram', '/api/v1/system']);

export interface Exposure {
  /** The address the server listens on (`http.host`). */
  host: string;
  /** Beyond loopback: leave the HomeWizard API v1 GETs open (`http.openHomeWizardApi`). */
  openHomeWizardApi?: boolean;
  /** More names the module is reached by (`http.allowedHosts`), besides localhost, IPs and its own name. */
  allowedHosts?: string[];
}

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

/** The host part of a Host header (`[::1]:8080` → `::1`, `p1.lan:8080` → `p1.lan`), lower case. */
export function hostOf(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') < 0 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return (colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h).replace(/\.$/, '');
}

/** The names a browser may use for this module; IP literals and *.localhost are always fine. */
export function knownNames(exposure: Exposure): Set<string> {
  const own = hostname().toLowerCase();
  const names = ['localhost', own, `${own}.local`, ...(exposure.allowedHosts ?? [])];
  if (isIP(exposure.host) === 0) names.push(exposure.host);
  return new Set(names.map((n) => n.toLowerCase()));
}

/** Whether a Host header names this module. A missing one (HTTP/1.0, no browser) is let through. */
export function hostAllowed(header: string | undefined, names: ReadonlySet<string>): boolean {
  if (header === undefined) return true;
  const host = hostOf(header);
  return isIP(host) !== 0 || host.endsWith('.localhost') || names.has(host);
}

/** The session cookie's value: derived from the token, so the cookie is not the token itself. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('p1-balancer dashboard session').digest('base64url');
}

function equal(given: string, wanted: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(wanted);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = header?.match(/^Bearer\s+(\S+)$/i);
  return m?.[1] !== undefined && equal(m[1], token);
}

function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${sessionValue(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}`;
}

export const CLEARED_SESSION_COOKIE = `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`;

/** Headers on every response: no framing, no MIME sniffing, the CSP, no referrer leaking the address. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  next();
}

/** Refuses a request whose Host header names someone else (DNS rebinding). */
export function hostCheck(exposure: Exposure): RequestHandler {
  const names = knownNames(exposure);
  return (req, res, next) => {
    const header = req.get('host');
    if (hostAllowed(header, names)) return next();
    res.status(403).json({
      error: `Host '${hostOf(header ?? '').slice(0, 100)}' is not a name of this module; add it to http.allowedHosts`,
    });
  };
}

/**
 * Beyond loopback: data needs the token (header or session cookie). Static dashboard files stay open
 * (they hold no data); the dashboard page itself sends a visitor without a session to the login page.
 */
export function tokenEverywhere(exposure: Exposure, token: string): RequestHandler {
  const session = sessionValue(token);
  return (req, res, next) => {
    if (bearerMatches(req.get('authorization'), token)) return next();
    const reading = req.method === 'GET' || req.method === 'HEAD';
    const cookie = cookieOf(req, SESSION_COOKIE);
    if (reading && cookie !== undefined && equal(cookie, session)) return next();
    if (reading && exposure.openHomeWizardApi && HOMEWIZARD_READS.has(req.path)) return next();
    const data = req.path.startsWith('/api') || req.path === '/metrics';
    if (!data) {
      if (reading && (req.path === '/' || req.path === '/index.html')) return void res.redirect(303, '/login.html');
      return next();
    }
    res.status(401).set('WWW-Authenticate', 'Bearer').json({
      error: 'this module is reachable from the network: Authorization: Bearer <http.token> required',
    });
  };
}
