/**
 * The owner's side next to the portal: `p1 ean` and `p1 activate` run as real processes, answered
 * through a pipe while the test clicks the simulated portal, the meter being a replayed capture.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StartedPortal, startPortal } from '../src/index';
import { client, eventually } from './helpers';
import { belgianTelegram } from './telegram';

const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const P1 = join(ROOT, 'apps/balancer/src/cli/p1.ts');
const LETTER_EAN = '541448820000000022';

let dir: string;
let telegramFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'p1-activate-cli-'));
  telegramFile = join(dir, 'meter.p1');
  // Noise first, as a real serial capture starts mid-telegram.
  await writeFile(telegramFile, `(00.000*kW)\r\n!ABCD\r\n${belgianTelegram()}`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A running p1 command whose output can be awaited piece by piece. */
function p1(args: string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(TSX, [P1, ...args], { cwd: ROOT, stdio: 'pipe' });
  let out = '';
  let err = '';
  let seen = 0;
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk) => {
    out += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<number>((done) => {
    child.on('close', (code) => done(code ?? -1));
    child.on('error', (e) => {
      err += `tsx could not start (${e.message}); run the setup first (npm run setup)`;
      done(-1);
    });
  });
  return {
    child,
    exited,
    output: () => out,
    errors: () => err,
    /** Waits until `text` appears after what was already consumed, then consumes up to it. */
    async waitFor(text: string): Promise<void> {
      for (;;) {
        const at = out.indexOf(text, seen);
        if (at >= 0) {
          seen = at + text.length;
          return;
        }
        if (child.exitCode !== null)
          throw new Error(`p1 exited before printing ${JSON.stringify(text)}:\n${out}\n${err}`);
        await new Promise<void>((wake) => waiters.push(wake));
      }
    },
    /** Answers the next prompt. */
    async answer(prompt: string, line: string): Promise<void> {
      await this.waitFor(prompt);
      child.stdin.write(`${line}\n`);
    },
  };
}

describe('p1 ean', () => {
  it.each([
    [['541448820000000015'], 0, { valid: true, reason: null }],
    [['5414', '4882', '0000', '0000', '15'], 0, { valid: true, reason: null }],
    [['541448820000000016'], 1, { valid: false, reason: 'the check digit is 6 but should be 5: a digit is mistyped' }],
    [['12345'], 1, { valid: false, reason: 'the EAN code has 5 digits, expected 18' }],
  ])('%j → exit %i', async (args, code, json) => {
    const run = p1(['ean', ...args]);
    expect(await run.exited).toBe(code);
    expect(JSON.parse(run.output())).toEqual(json);
  });

  it('answers the same through the contract command `pnpm --silent p1 ean`', async () => {
    const child = spawn('pnpm', ['--silent', 'p1', 'ean', '541448820000000016'], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    const code = await new Promise((done) => {
      child.on('close', done);
      child.on('error', (e) => done(`pnpm could not start (${e.message}): npm run setup installs it`));
    });
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ valid: false });
  });

  it('exits 2 with a usage sentence without a code', async () => {
    const run = p1(['ean']);
    expect(await run.exited).toBe(2);
    expect(run.errors()).toContain('p1: ean: missing CODE.');
    expect(run.output()).toBe('');
  });
});

describe('p1 activate', () => {
  let portal: StartedPortal;
  beforeAll(async () => {
    portal = await startPortal({ speed: 3600, openDelayMs: 3 * 3_600_000, log: () => {}, tickMs: 20 });
  });
  afterAll(async () => {
    await portal.stop();
  });

  it('guides the owner from no account to the first valid telegram, answered through a pipe', async () => {
    const api = client(portal.url);
    const state = join(dir, 'state', 'activation.json');
    const run = p1(['activate', '--lang', 'en', '--state', state, '--replay', telegramFile]);
    try {
      await run.answer('[Step 1 of 12] Create an account', '');
      await run.waitFor('Unknown choice.');
      const email = 'owner@example.be';
      await api.call('POST', '/api/register', {
        method: 'itsme',
        email,
        phone: '0470 12 34 56',
        password: 'long password',
      });
      await run.answer('Choose: ', '2');

      await run.waitFor('[Step 2 of 12] Confirm your e-mail address');
      const [mail] = (await api.call('GET', `/api/outbox?to=${email}`)).body;
      await api.call('POST', `/api/confirm-email/${mail.link.split('/').pop()}`);
      await run.answer('Choose: ', 'confirm-email');

      await run.waitFor('[Step 3 of 12] Log in');
      const session = (await api.call('POST', '/api/login', { email, password: 'long password' })).body.token;
      await run.answer('Choose: ', 'login');

      await run.answer('[Step 4 of 12] Enter the EAN code', '1');
      await run.answer('EAN code: ', '5414 4882 0000 0000 23');
      await run.answer('The check digit does not match', '5414.4882.0000.0000.22');
      await run.waitFor('Valid EAN code.');

      await run.waitFor('[Step 5 of 12] Add the EAN code');
      expect((await api.call('POST', '/api/eans', { ean: LETTER_EAN }, session)).status).toBe(201);
      await run.answer('Choose: ', 'add-ean');

      await run.waitFor('[Step 6 of 12] Request the activation');
      const requested = await api.call('POST', `/api/eans/${LETTER_EAN}/request`, { consent: true }, session);
      expect(requested.body.dot).toBe('orange');
      await run.answer('Choose: ', 'request-orange');

      await run.waitFor('Orange dot: requested');
      const [letter] = (await api.call('GET', `/api/outbox?ean=${LETTER_EAN}`)).body;
      expect((await api.call('POST', '/api/letter-code', { ean: LETTER_EAN, code: letter.code })).status).toBe(200);
      await run.answer('Choose: ', 'approve-letter-code');

      await run.waitFor('Green dot: approved');
      const on = await api.call('PUT', `/api/eans/${LETTER_EAN}/port`, { on: true }, session);
      expect(on.body.port).toBe('in-aanvraag');
      await run.answer('Choose: ', 'switch-on');
      await run.answer('Choose: ', 'in-aanvraag');

      await run.waitFor('In aanvraag since');
      await eventually(
        async () => (await api.call('GET', `/api/eans/${LETTER_EAN}`, undefined, session)).body.port === 'open',
      );
      await run.answer('Choose: ', 'port-open');

      await run.waitFor('[Step 11 of 12] Port open');
      await run.waitFor('First valid telegram received');
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill();
    }
    expect(run.output()).toContain('[Step 12 of 12] Done: the module reads your meter');
    const saved = JSON.parse(await readFile(state, 'utf8'));
    expect(saved).toMatchObject({ version: 1, state: 'verified', ean: LETTER_EAN, approvedBy: 'letter-code' });
    expect(Object.keys(saved.since)).toEqual([
      'no-account',
      'registered',
      'email-confirmed',
      'logged-in',
      'ean-entered',
      'ean-added',
      'requested',
      'approved',
      'switched-on',
      'in-aanvraag',
      'open',
      'verified',
    ]);
  });

  it('over TCP: hints at the cable while only garbage arrives, then verifies on a valid telegram', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x80, 0x81, 0x82]));
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const port = (server.address() as { port: number }).port;
    const state = join(dir, 'tcp.json');
    // Start at "Open" so the guide goes straight to watching.
    await writeFile(
      state,
      JSON.stringify({
        version: 1,
        state: 'open',
        ean: LETTER_EAN,
        registeredWith: 'eid',
        requesterIsHolder: true,
        approvedBy: 'holder',
        since: {
          approved: '2025-01-10T10:00:00.000Z',
          'switched-on': '2025-01-10T10:01:00.000Z',
          open: '2025-01-11T08:00:00.000Z',
        },
        lastError: null,
        updatedAt: '2025-01-11T08:00:00.000Z',
      }),
    );
    const run = p1(['activate', '--lang', 'en', '--state', state, '--tcp', `127.0.0.1:${port}`, '--silence-s', '1']);
    try {
      await run.waitFor('The module is listening to the meter');
      await run.waitFor('Data arrives but no valid telegram. Check the cable');
      for (const socket of sockets) socket.write(belgianTelegram());
      await run.waitFor('First valid telegram received');
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill();
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    }
    expect(JSON.parse(await readFile(state, 'utf8')).state).toBe('verified');
  });

  it('stops when the input ends and resumes from the state file in the next run', async () => {
    const state = join(dir, 'resume.json');
    const first = p1(['activate', '--lang', 'nl', '--state', state]);
    first.child.stdin.end('1\n1\n');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Voortgang bewaard');
    expect(JSON.parse(await readFile(state, 'utf8')).state).toBe('email-confirmed');

    const second = p1(['activate', '--lang', 'fr', '--state', state]);
    second.child.stdin.end('q\n');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('[Étape 3 sur 12] Se connecter');
  });

  it('refuses a damaged state file and a bad option with one sentence, exit 2', async () => {
    const state = join(dir, 'broken.json');
    await writeFile(state, '{"version":1,"state":"teleported","since":{}}');
    const broken = p1(['activate', '--state', state]);
    expect(await broken.exited).toBe(2);
    expect(broken.errors().trim()).toBe(`p1: activate: ${state}: field 'state' has unknown value "teleported".`);
    const lang = p1(['activate', '--lang', 'de']);
    expect(await lang.exited).toBe(2);
    expect(lang.errors().trim()).toBe("p1: activate: --lang must be nl, en or fr, not 'de'.");
  });
});
