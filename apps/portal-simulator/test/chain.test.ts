/**
 * The whole chain with real parts: the simulated portal opens the port of the real meter simulator
 * (issue 3's p1-sim, its own process) through its control API, and `p1 activate` sees the first
 * valid telegram over TCP after having asked about the GP arrow while the port was closed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type StartedPortal, startPortal } from '../src/index';
import { client } from './helpers';

const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const P1_SIM = join(ROOT, 'apps/meter-simulator/src/cli/p1-sim.ts');
const EAN = '541234567890123453';

const children: ChildProcess[] = [];
let portal: StartedPortal | undefined;
let dir: string | undefined;
afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await portal?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function run(args: string[]) {
  const child = spawn(TSX, args, { cwd: ROOT, stdio: 'pipe' });
  children.push(child);
  let out = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (chunk) => {
    out += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr!.resume();
  const exited = new Promise<number>((done) => {
    child.on('close', (code) => done(code ?? -1));
    child.on('error', (e) => {
      out += `\ntsx could not start (${e.message}); run the setup first (npm run setup)`;
      done(-1);
    });
  });
  const waitFor = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (;;) {
      const match = pattern.exec(out);
      if (match) return match;
      if (child.exitCode !== null) throw new Error(`process ended before ${pattern}:\n${out}`);
      await new Promise<void>((wake) => waiters.push(wake));
    }
  };
  return { child, exited, waitFor, output: () => out };
}

it.skipIf(!existsSync(P1_SIM))(
  'portal approval → meter simulator port opens → p1 activate verifies',
  async () => {
    const sim = run([
      P1_SIM,
      'run',
      '--output',
      'tcp',
      '--tcp-port',
      '0',
      '--api-port',
      '0',
      '--port',
      'closed',
      '--token',
      'sim-token',
    ]);
    const ready = JSON.parse((await sim.waitFor(/^\{"ready".*\}$/m))[0]);
    expect(ready.port).toBe('closed');

    portal = await startPortal({
      knownMeters: [{ ean: EAN, holderEmail: 'owner@example.be' }],
      speed: 7200,
      openDelayMs: 8 * 3_600_000, // 4 real seconds: long enough for the "no bytes" hint first
      meterControlUrl: ready.api,
      meterControlToken: 'sim-token',
      tickMs: 20,
      log: () => {},
    });
    const api = client(portal.url);
    portal.portal.register({
      method: 'eid',
      email: 'owner@example.be',
      phone: '0470123456',
      password: 'long password',
    });
    portal.portal.confirmEmail(portal.portal.messages({ to: 'owner@example.be' })[0]!.link!.split('/').pop()!);
    const session = (await api.call('POST', '/api/login', { email: 'owner@example.be', password: 'long password' }))
      .body.token;
    await api.call('POST', '/api/eans', { ean: EAN }, session);
    expect((await api.call('POST', `/api/eans/${EAN}/request`, { consent: true }, session)).body.dot).toBe('green');

    dir = await mkdtemp(join(tmpdir(), 'p1-chain-'));
    const state = join(dir, 'activation.json');
    const at = new Date().toISOString();
    await writeFile(
      state,
      JSON.stringify({
        version: 1,
        state: 'approved',
        ean: EAN,
        registeredWith: 'eid',
        requesterIsHolder: true,
        approvedBy: 'holder',
        since: { approved: at },
        lastError: null,
        updatedAt: at,
      }),
    );
    const activate = run([
      join(ROOT, 'apps/balancer/src/cli/p1.ts'),
      'activate',
      '--lang',
      'en',
      '--state',
      state,
      '--tcp',
      ready.tcp,
      '--silence-s',
      '1',
    ]);
    await activate.waitFor(/Choose: /);
    expect((await api.call('PUT', `/api/eans/${EAN}/port`, { on: true }, session)).body.port).toBe('in-aanvraag');
    activate.child.stdin!.write('switch-on\nin-aanvraag\nwatch\n');
    await activate.waitFor(/Is there an arrow above "GP" on the meter display\?/);
    await activate.waitFor(/First valid telegram received/);
    expect(await activate.exited).toBe(0);

    const view = (await api.call('GET', `/api/eans/${EAN}`, undefined, session)).body;
    expect(view).toMatchObject({ port: 'open', meterNotified: 'ok' });
    const simState = (await (await fetch(`${ready.api}/api/state`)).json()) as { port: unknown };
    expect(simState.port).toEqual({ open: true, gpArrow: true });
    expect(JSON.parse(await readFile(state, 'utf8')).state).toBe('verified');
  },
  60_000,
);

it.skipIf(!existsSync(P1_SIM))(
  'p1 activate --device reads the simulated meter through a socat serial pair',
  async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'p1-chain-serial-'));
    try {
      const link = join(tmp, 'ttyP1');
      const sim = run([P1_SIM, 'run', '--output', 'socat', '--link', link, '--no-api', '--port', 'open']);
      const ready = JSON.parse((await sim.waitFor(/^\{"ready".*\}$/m))[0]);
      expect(ready.link).toBe(link);
      const state = join(tmp, 'activation.json');
      const at = new Date().toISOString();
      await writeFile(
        state,
        JSON.stringify({
          version: 1,
          state: 'open',
          ean: EAN,
          registeredWith: 'itsme',
          requesterIsHolder: false,
          approvedBy: 'email-link',
          since: { approved: at, 'switched-on': at, open: at },
          lastError: null,
          updatedAt: at,
        }),
      );
      const activate = run([
        join(ROOT, 'apps/balancer/src/cli/p1.ts'),
        'activate',
        '--lang',
        'nl',
        '--state',
        state,
        '--device',
        link,
      ]);
      await activate.waitFor(/Eerste geldige telegram ontvangen/);
      expect(await activate.exited).toBe(0);
      expect(JSON.parse(await readFile(state, 'utf8')).state).toBe('verified');
      sim.child.kill('SIGTERM');
      await sim.exited;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  },
  60_000,
);
