import { afterEach, expect, it } from 'vitest';
import { type StartedPortal, startPortal } from '../src/index';

let portal: StartedPortal;
afterEach(async () => {
  await portal?.stop();
});

/** A browser in miniature: keeps the session cookie and posts forms. */
function browser(base: string) {
  let cookie = '';
  const go = async (path: string, form?: Record<string, string>) => {
    const response = await fetch(base + path, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    return { status: response.status, location: response.headers.get('location'), text: await response.text() };
  };
  return { go };
}

it('lets a person click through the whole activation on the HTML pages', async () => {
  portal = await startPortal({
    knownMeters: [{ ean: '541448820000000015', holderEmail: 'houder@example.be' }],
    adminToken: 'qa',
    log: () => {},
    openDelayMs: Number.POSITIVE_INFINITY,
  });
  const owner = browser(portal.url);
  expect((await owner.go('/registreer')).text).toContain('Met itsme');
  expect((await owner.go('/registreer/identiteit', { method: 'eid' })).text).toContain('Officiële gegevens (eID');
  const registered = await owner.go('/registreer', {
    method: 'eid',
    name: 'Els <script>Maes',
    phone: '0470 12 34 56',
    email: 'els@example.be',
    password: 'een lang wachtwoord',
  });
  expect(registered.text).toContain('We stuurden een mail naar els@example.be');

  const mailbox = (await owner.go('/mailbox')).text;
  expect(mailbox).toContain('Els &lt;script&gt;Maes');
  expect(mailbox).not.toContain('<script>');
  const confirm = /href="(\/bevestig\/[^"]+)"/.exec(mailbox)![1]!;
  expect((await owner.go(confirm)).text).toContain('Je account is actief');

  const refused = await owner.go('/inloggen', { email: 'els@example.be', password: 'fout fout fout' });
  expect(refused.status).toBe(401);
  const login = await owner.go('/inloggen', { email: 'els@example.be', password: 'een lang wachtwoord' });
  expect(login).toMatchObject({ status: 303, location: '/overzicht' });

  const unknown = await owner.go('/overzicht/ean', { ean: '540000000000000001' });
  expect(unknown.status).toBe(422);
  expect(unknown.text).toContain('Het portaal kent deze EAN-code niet als digitale meter');
  expect((await owner.go('/overzicht/ean', { ean: '5414 4882 0000 0000 15' })).status).toBe(303);
  const list = (await owner.go('/overzicht')).text;
  expect(list).toContain('5414 4882 0000 0000 15');
  expect(list).toContain('Aanvragen');

  const noConsent = await owner.go('/overzicht/541448820000000015/aanvragen', {});
  expect(noConsent.text).toContain('Vink eerst het akkoord-vakje aan');
  await owner.go('/overzicht/541448820000000015/aanvragen', { consent: 'yes' });
  expect((await owner.go('/overzicht')).text).toContain('dot orange');

  const holderMail = portal.portal.messages({ to: 'houder@example.be' })[0]!;
  const holder = browser(portal.url);
  expect((await holder.go(holderMail.link!)).text).toContain('Ik keur goed');
  expect((await holder.go(holderMail.link!, {})).text).toContain('is goedgekeurd');

  const green = (await owner.go('/overzicht')).text;
  expect(green).toContain('href="/poort/541448820000000015"');
  expect((await owner.go('/poort/541448820000000015')).text).toContain('gesloten');
  expect((await owner.go('/poort/541448820000000015/aan', {})).status).toBe(303);
  expect((await owner.go('/poort/541448820000000015')).text).toContain('<strong>In aanvraag</strong>');

  portal.clock.advance(73 * 3_600_000);
  const late = (await owner.go('/poort/541448820000000015')).text;
  expect(late).toContain('Dit duurt langer dan 72 uur. Bel 078 35 35 34.');

  const wrongCode = await browser(portal.url).go('/activatiecode', { ean: '541448820000000015', code: 'XXXX-XXXX' });
  expect(wrongCode.status).toBe(404); // that request was approved by e-mail: no letter code waits for it
});

it('refuses a wrong letter code on the page with the portal message', async () => {
  portal = await startPortal({ knownMeters: [{ ean: '541448820000000022', holderEmail: null }], log: () => {} });
  const owner = browser(portal.url);
  portal.portal.register({ method: 'itsme', email: 'a@b.be', phone: '0470123456', password: 'wachtwoord' });
  const token = portal.portal.messages({ to: 'a@b.be' })[0]!.link!.split('/').pop()!;
  portal.portal.confirmEmail(token);
  await owner.go('/inloggen', { email: 'a@b.be', password: 'wachtwoord' });
  await owner.go('/overzicht/ean', { ean: '541448820000000022' });
  await owner.go('/overzicht/541448820000000022/aanvragen', { consent: 'yes' });
  const letter = portal.portal.messages({ ean: '541448820000000022' })[0]!;
  const wrong = await browser(portal.url).go('/activatiecode', { ean: '541448820000000022', code: 'ZZZZ-ZZZ2' });
  expect(wrong.status).toBe(400);
  expect(wrong.text).toContain('De activatiecode is fout');
  const right = await browser(portal.url).go('/activatiecode', { ean: '5414 4882 0000 0000 22', code: letter.code! });
  expect(right.text).toContain('is goedgekeurd');
  expect((await owner.go('/overzicht')).text).toContain('dot green');
});
