import { afterEach, describe, expect, it } from 'vitest';
import { type StartedPortal, startPortal } from '../src/index';
import { type Client, client, eventually, startMeterControlStub } from './helpers';

const EMAIL_HOLDER_EAN = '541448820000000015'; // holder houder@example.be gets an e-mail
const LETTER_EAN = '541448820000000022'; // holder without e-mail gets a letter
const OWN_EAN = '541234567890123453'; // the requester is the holder
const UNKNOWN_EAN = '540000000000000001'; // well-formed, not a digital meter
const HOUR = 3_600_000;
const knownMeters = [
  { ean: EMAIL_HOLDER_EAN, holderEmail: 'houder@example.be' },
  { ean: LETTER_EAN, holderEmail: null, holderName: 'Piet Claes' },
  { ean: OWN_EAN, holderEmail: 'eigenaar@example.be' },
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of cleanups.splice(0).reverse()) await stop();
});

async function portalWith(options: Parameters<typeof startPortal>[0]): Promise<{ portal: StartedPortal; api: Client }> {
  const portal = await startPortal({ knownMeters, log: () => {}, tickMs: 20, ...options });
  cleanups.push(() => portal.stop());
  return { portal, api: client(portal.url) };
}

/** Register, confirm through the outbox, log in: returns the session token. */
async function account(api: Client, email = 'eigenaar@example.be'): Promise<string> {
  const registered = await api.call('POST', '/api/register', {
    method: 'itsme',
    email,
    phone: '+32 470 12 34 56',
    password: 'correct horse',
  });
  expect(registered.status).toBe(201);
  const early = await api.call('POST', '/api/login', { email, password: 'correct horse' });
  expect(early.status).toBe(403);
  expect(early.body.error).toBe('email-not-confirmed');
  const [mail] = (await api.call('GET', `/api/outbox?to=${encodeURIComponent(email)}`)).body;
  expect(mail).toMatchObject({ kind: 'email', subject: 'Bevestig je e-mailadres' });
  const token = mail.link.split('/').pop();
  expect((await api.call('POST', `/api/confirm-email/${token}`)).status).toBe(200);
  expect((await api.call('POST', '/api/login', { email, password: 'wrong password' })).status).toBe(401);
  const login = await api.call('POST', '/api/login', { email, password: 'correct horse' });
  expect(login.status).toBe(200);
  return login.body.token;
}

describe('simulated portal over HTTP', () => {
  it('walks from registration to an open port approved by letter code, and opens the meter', async () => {
    const meter = await startMeterControlStub('meter-secret');
    cleanups.push(meter.stop);
    const { api } = await portalWith({
      speed: 3600, // one simulated hour per real second
      openDelayMs: 2 * HOUR,
      meterControlUrl: meter.url,
      meterControlToken: 'meter-secret',
    });
    const session = await account(api);

    expect((await api.call('GET', '/api/me')).status).toBe(401);
    const bad = await api.call('POST', '/api/eans', { ean: '5414 4882 0000 0000 23' }, session);
    expect(bad).toMatchObject({ status: 400, body: { error: 'ean-invalid-format' } });
    expect(bad.body.message).toContain('check digit');
    const unknown = await api.call('POST', '/api/eans', { ean: UNKNOWN_EAN }, session);
    expect(unknown).toMatchObject({ status: 422, body: { error: 'ean-unknown' } });
    expect(unknown.body.message).toContain('niet als digitale meter');

    const added = await api.call('POST', '/api/eans', { ean: '5414.4882.0000.0000.22' }, session);
    expect(added).toMatchObject({ status: 201, body: { ean: LETTER_EAN, dot: 'none', port: 'closed' } });
    expect((await api.call('POST', '/api/eans', { ean: LETTER_EAN }, session)).status).toBe(409);

    const noConsent = await api.call('POST', `/api/eans/${LETTER_EAN}/request`, { consent: false }, session);
    expect(noConsent).toMatchObject({ status: 400, body: { error: 'consent-missing' } });
    const requested = await api.call('POST', `/api/eans/${LETTER_EAN}/request`, { consent: true }, session);
    expect(requested).toMatchObject({ status: 200, body: { dot: 'orange', approval: 'letter-code' } });

    const early = await api.call('PUT', `/api/eans/${LETTER_EAN}/port`, { on: true }, session);
    expect(early).toMatchObject({ status: 409, body: { error: 'impossible-transition' } });
    expect(early.body.message).toContain('after approval');

    const [letter] = (await api.call('GET', `/api/outbox?ean=${LETTER_EAN}`)).body;
    expect(letter).toMatchObject({ kind: 'letter', to: 'Piet Claes' });
    expect(letter.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const wrongCode = letter.code.startsWith('A') ? 'BBBB-BBBB' : 'AAAA-AAAA';
    const wrong = await api.call('POST', '/api/letter-code', { ean: LETTER_EAN, code: wrongCode });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'wrong-letter-code' } });
    expect((await api.call('GET', `/api/eans/${LETTER_EAN}`, undefined, session)).body.dot).toBe('orange');
    const right = await api.call('POST', '/api/letter-code', {
      ean: LETTER_EAN,
      code: ` ${letter.code.toLowerCase()} `,
    });
    expect(right).toMatchObject({ status: 200, body: { ean: LETTER_EAN, approved: true } });
    expect((await api.call('GET', `/api/eans/${LETTER_EAN}`, undefined, session)).body).toMatchObject({
      dot: 'green',
      port: 'closed',
      approvedBy: 'letter-code',
    });

    const on = await api.call('PUT', `/api/eans/${LETTER_EAN}/port`, { on: true }, session);
    expect(on).toMatchObject({ status: 200, body: { port: 'in-aanvraag', overdue: false } });
    // The wait counts from switching on; "In aanvraag" follows on the portal's (accelerated) clock.
    expect(Date.parse(on.body.deadline) - Date.parse(on.body.switchedOnAt)).toBe(72 * HOUR);
    expect(Date.parse(on.body.inAanvraagSince)).toBeGreaterThanOrEqual(Date.parse(on.body.switchedOnAt));
    expect(meter.calls).toEqual([]);

    await meter.called();
    const opened = await eventually(async () => {
      const view = (await api.call('GET', `/api/eans/${LETTER_EAN}`, undefined, session)).body;
      return view.meterNotified === 'ok' && view;
    });
    expect(opened).toMatchObject({ port: 'open', status: 'open' });
    expect(Date.parse(opened.openedAt) - Date.parse(opened.inAanvraagSince)).toBeGreaterThanOrEqual(2 * HOUR);
    expect(meter.calls).toEqual([
      { method: 'PUT', path: '/api/port', authorization: 'Bearer meter-secret', body: { open: true } },
    ]);
  });

  it('approves by the e-mail link sent to the holder, and at once when the requester is the holder', async () => {
    const { api } = await portalWith({ openDelayMs: 0 });
    const session = await account(api);
    await api.call('POST', '/api/eans', { ean: EMAIL_HOLDER_EAN }, session);
    await api.call('POST', '/api/eans', { ean: OWN_EAN }, session);

    const own = await api.call('POST', `/api/eans/${OWN_EAN}/request`, { consent: true }, session);
    expect(own.body).toMatchObject({ dot: 'green', approvedBy: 'holder', approval: null });

    const other = await api.call('POST', `/api/eans/${EMAIL_HOLDER_EAN}/request`, { consent: true }, session);
    expect(other.body).toMatchObject({ dot: 'orange', approval: 'email-link' });
    const [mail] = (await api.call('GET', '/api/outbox?to=houder@example.be')).body;
    expect(mail).toMatchObject({ kind: 'email', ean: EMAIL_HOLDER_EAN });
    expect((await api.call('POST', '/api/approvals/not-a-token')).status).toBe(404);
    const approved = await api.call('POST', `/api/approvals/${mail.link.split('/').pop()}`);
    expect(approved).toMatchObject({ status: 200, body: { approved: true } });
    const twice = await api.call('POST', `/api/approvals/${mail.link.split('/').pop()}`);
    expect(twice).toMatchObject({ status: 409, body: { error: 'impossible-transition' } });

    // With no delay the port opens on switching on; no meter simulator configured is reported, not fatal.
    const on = await api.call('PUT', `/api/eans/${EMAIL_HOLDER_EAN}/port`, { on: true }, session);
    expect(on.body.port).toBe('open');
    const me = (await api.call('GET', '/api/me', undefined, session)).body;
    expect(me.eans.map((e: { ean: string; port: string }) => [e.ean, e.port])).toEqual([
      [EMAIL_HOLDER_EAN, 'open'],
      [OWN_EAN, 'closed'],
    ]);
    expect(me.eans[0].meterNotified).toBe('not-configured');
  });

  it('turns overdue after 72 hours "In aanvraag" on the accelerated clock, and shows the help line', async () => {
    // 72 simulated hours in about 1.3 real seconds.
    const { api, portal } = await portalWith({ speed: 200_000, openDelayMs: Number.POSITIVE_INFINITY });
    const session = await account(api);
    await api.call('POST', '/api/eans', { ean: OWN_EAN }, session);
    await api.call('POST', `/api/eans/${OWN_EAN}/request`, { consent: true }, session);
    const on = await api.call('PUT', `/api/eans/${OWN_EAN}/port`, { on: true }, session);
    expect(on.body).toMatchObject({ port: 'in-aanvraag', overdue: false });
    const late = await eventually(async () => {
      const view = (await api.call('GET', `/api/eans/${OWN_EAN}`, undefined, session)).body;
      return view.overdue && view;
    });
    expect(late).toMatchObject({ status: 'overdue', port: 'in-aanvraag', dot: 'green' });
    const clock = (await api.call('GET', '/api/clock')).body;
    expect(Date.parse(clock.now) - Date.parse(late.inAanvraagSince)).toBeGreaterThanOrEqual(72 * HOUR);
    expect(portal.portal.messages({ ean: OWN_EAN })).toEqual([]);
  });

  it('jumps the clock only with the admin token, and a jump past the delay opens the port', async () => {
    const { api } = await portalWith({ openDelayMs: 80 * HOUR, adminToken: 'qa-admin' });
    const session = await account(api);
    await api.call('POST', '/api/eans', { ean: OWN_EAN }, session);
    await api.call('POST', `/api/eans/${OWN_EAN}/request`, { consent: true }, session);
    await api.call('PUT', `/api/eans/${OWN_EAN}/port`, { on: true }, session);
    expect((await api.call('POST', '/api/admin/clock', { advanceMs: HOUR })).status).toBe(401);
    expect((await api.call('POST', '/api/admin/clock', { advanceMs: 'soon' }, 'qa-admin')).body.field).toBe(
      'advanceMs',
    );
    await api.call('POST', '/api/admin/clock', { advanceMs: 73 * HOUR }, 'qa-admin');
    expect((await api.call('GET', `/api/eans/${OWN_EAN}`, undefined, session)).body).toMatchObject({
      status: 'overdue',
      overdue: true,
    });
    await api.call('POST', '/api/admin/clock', { advanceMs: 8 * HOUR }, 'qa-admin');
    expect((await api.call('GET', `/api/eans/${OWN_EAN}`, undefined, session)).body).toMatchObject({
      status: 'open',
      overdue: false,
      port: 'open',
    });
  });

  it('locks the letter code after five wrong tries', async () => {
    const { api } = await portalWith({});
    const session = await account(api);
    await api.call('POST', '/api/eans', { ean: LETTER_EAN }, session);
    await api.call('POST', `/api/eans/${LETTER_EAN}/request`, { consent: true }, session);
    const [letter] = (await api.call('GET', `/api/outbox?ean=${LETTER_EAN}`)).body;
    const wrongCode = letter.code.startsWith('A') ? 'BBBB-BBBB' : 'AAAA-AAAA';
    for (let i = 0; i < 5; i++) {
      expect((await api.call('POST', '/api/letter-code', { ean: LETTER_EAN, code: wrongCode })).status).toBe(400);
    }
    const locked = await api.call('POST', '/api/letter-code', { ean: LETTER_EAN, code: letter.code });
    expect(locked).toMatchObject({ status: 429, body: { error: 'too-many-attempts' } });
    const view = (await api.call('GET', `/api/eans/${LETTER_EAN}`, undefined, session)).body;
    expect(view.dot).toBe('orange');
  });

  it('answers bad requests with one sentence naming the field', async () => {
    const { api, portal } = await portalWith({});
    const missing = await api.call('POST', '/api/register', { method: 'fax', email: 'x@y.be' });
    expect(missing).toMatchObject({ status: 400, body: { error: 'bad-request', field: 'method' } });
    const short = await api.call('POST', '/api/register', {
      method: 'eid',
      email: 'x@y.be',
      phone: '0470123456',
      password: 'short',
    });
    expect(short.body.field).toBe('password');
    const response = await fetch(`${portal.url}/api/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/^the request body is not valid JSON/);
    expect((await api.call('GET', '/api/nothing')).status).toBe(404);
  });
});
