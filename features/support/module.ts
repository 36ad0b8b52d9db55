import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import type { Connection } from '@p1/balancer';
import { P1_CLI, startChild, tsxArgs } from './processes';
import type { P1World } from './world';

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for the child to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface ModuleSite {
  connection: Connection;
  fuseA: number;
  capacityTargetKw: number | null;
}

export interface ModuleCharger {
  id: string;
  phases: number[];
  minA: number;
  maxA: number;
  password: string;
}

/** An IPv4 address of this machine that other machines reach it by (not loopback); null without one. */
export function networkAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return null;
}

/**
 * `p1 run --config FILE` as the owner runs it: HTTP API and OCPP central system on free ports, on
 * 127.0.0.1 unless the owner opens the HTTP API to the home network (`httpHost: 0.0.0.0`).
 */
export class Module {
  private constructor(
    readonly url: string,
    readonly ocppUrl: string,
    readonly token: string,
    readonly httpPort: number,
  ) {}

  static async start(
    world: P1World,
    options: { device: string; baud: number; site: ModuleSite; chargers: ModuleCharger[]; httpHost?: string },
  ): Promise<Module> {
    const [httpPort, ocppPort] = [await freePort(), await freePort()];
    const token = randomBytes(12).toString('hex');
    const config = {
      version: 1,
      meter: { source: 'serial', device: options.device, baud: options.baud },
      site: options.site,
      chargers: options.chargers.map((c) => ({ ...c, driver: 'ocpp' })),
      http: { host: options.httpHost ?? '127.0.0.1', port: httpPort, token },
      ocpp: { host: '127.0.0.1', port: ocppPort },
      store: { path: path.join(world.tmp, 'module', 'p1-balancer.db') },
      log: { level: 'info' },
    };
    // JSON is YAML: the module reads it as its configuration file.
    const file = path.join(world.tmp, 'p1-balancer.yaml');
    writeFileSync(file, JSON.stringify(config, null, 2));
    const child = world.track(startChild('p1 run', process.execPath, tsxArgs(P1_CLI, ['run', '--config', file])));
    await child.waitFor(/dashboard on (http:\/\/[\d.]+:\d+)/, 60_000);
    return new Module(`http://127.0.0.1:${httpPort}`, `ws://127.0.0.1:${ocppPort}`, token, httpPort);
  }

  /** The owner's view: with the token, which the module wants once it is reachable from the network. */
  async state(): Promise<ModuleState> {
    const res = await fetch(`${this.url}/api/v1/state`, { headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw new Error(`the module's state answered ${res.status}`);
    return (await res.json()) as ModuleState;
  }

  /** One answer to the module's web assistant, as the dashboard's buttons send it. */
  async tellAssistant(action: string, ean?: string): Promise<{ state: string; error: { code: string } | null }> {
    const res = await fetch(`${this.url}/api/v1/activation?lang=en`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ action, ...(ean ? { ean } : {}) }),
    });
    const body = (await res.json()) as { state: string; error: { code: string } | null } & { error?: unknown };
    if (!res.ok) throw new Error(`the module's assistant refused "${action}": ${JSON.stringify(body.error)}`);
    return body;
  }
}

export interface ModuleState {
  meter: { diagnosis: string; counters: { goodFrames: number; badFrames: number } };
  reading: { timestamp: string | null; capacity: { quarterAverageKw: number | null } | null } | null;
  lines: { phase: number; currentA: number | null; fuseA: number }[];
  chargers: {
    id: string;
    connected: boolean;
    vehiclePlugged: boolean;
    limitA: number | null;
    /** What the charger acknowledged. */
    appliedLimitA: number | null;
    currentA: (number | null)[];
    reason: string;
    /** Why the charger is not doing what it was told, e.g. its connection is lost. */
    problem: string | null;
  }[];
  quarter: { targetKw: number | null; averageKw?: number; meterAverageKw: number | null } | null;
  activation: { state: string } | null;
}
