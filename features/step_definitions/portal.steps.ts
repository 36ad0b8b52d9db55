import assert from 'node:assert/strict';
import { defineParameterType, Given, Then, When } from '@cucumber/cucumber';
import { Portal, type PortalAnswer } from '../support/portal';
import { type P1World, remembered } from '../support/world';

// The people of the story and their e-mail addresses on the portal; the holder's is the one the portal
// knows for the demo meter 541448820000000015.
const PEOPLE: Record<string, string> = {
  'the contract holder': 'houder@example.be',
  'the tenant': 'huurder@example.be',
  'the owner': 'eigenaar@example.be',
};
const PASSWORD = 'a long enough password';

defineParameterType({
  name: 'person',
  regexp: /the contract holder|the tenant|the owner/,
  transformer: (s: string) => s,
});

export function portalOf(world: P1World): Portal {
  if (!world.portal) throw new Error('The grid operator portal is not up in this scenario.');
  return world.portal;
}

function remember(world: P1World, answer: PortalAnswer): PortalAnswer {
  world.portalAnswer = answer;
  return answer;
}

function expectOk(answer: PortalAnswer, what: string): void {
  if (!answer.ok) assert.fail(`${what}: the portal refused with ${answer.error} (${answer.message})`);
}

function eanOf(world: P1World): string {
  if (!world.ean) throw new Error('No EAN has been added in this scenario.');
  return world.ean;
}

export async function startPortal(world: P1World, openAfter: string): Promise<Portal> {
  const sim = world.simulator;
  const portal = await Portal.start(world, {
    openAfter,
    ...(sim ? { meterControl: { url: sim.controlUrl, token: sim.token } } : {}),
  });
  world.portal = portal;
  return portal;
}

Given(
  "the grid operator's portal opens ports {word} after they are switched on",
  async function (this: P1World, d: string) {
    await startPortal(this, d);
  },
);

Given("the grid operator's portal never opens the port", async function (this: P1World) {
  await startPortal(this, 'never');
});

export async function registerAndLogIn(world: P1World, person: string, method: string): Promise<void> {
  const portal = portalOf(world);
  const email = PEOPLE[person] as string;
  expectOk(
    await portal.call('POST', '/register', {
      method: method.toLowerCase(),
      email,
      phone: '0470 12 34 56',
      password: PASSWORD,
    }),
    'register',
  );
  const [mail] = await portal.outbox({ to: email });
  assert.ok(mail?.link, `no confirmation mail for ${email}`);
  expectOk(await portal.call('POST', `/confirm-email/${mail.link.split('/').pop()}`), 'confirm');
  expectOk(await portal.login(email, PASSWORD), 'login');
}

Given(
  '{person} has an account on the portal, registered with {word}',
  async function (this: P1World, person: string, method: string) {
    await registerAndLogIn(this, person, method);
  },
);

When('{person} registers on the portal with {word}', async function (this: P1World, person: string, method: string) {
  const email = PEOPLE[person] as string;
  remember(
    this,
    await portalOf(this).call('POST', '/register', {
      method: method.toLowerCase(),
      email,
      phone: '0470 12 34 56',
      password: PASSWORD,
    }),
  );
});

When('{person} tries to log in', async function (this: P1World, person: string) {
  remember(this, await portalOf(this).login(PEOPLE[person] as string, PASSWORD));
});

When('{person} adds the EAN {string}', async function (this: P1World, person: string, ean: string) {
  const answer = remember(this, await portalOf(this).as(PEOPLE[person] as string, 'POST', '/eans', { ean }));
  if (answer.ok) this.ean = String(answer.body.ean);
});

When(
  '{person} requests the activation {word} ticking the consent box',
  async function (this: P1World, person: string, how: string) {
    const consent = how === 'after';
    remember(
      this,
      await portalOf(this).as(PEOPLE[person] as string, 'POST', `/eans/${eanOf(this)}/request`, { consent }),
    );
  },
);

When('the contract holder clicks the approval link in the e-mail', async function (this: P1World) {
  const portal = portalOf(this);
  const mail = (await portal.outbox({ ean: eanOf(this) })).find((m) => m.kind === 'email' && m.link);
  assert.ok(mail?.link, 'the holder got no approval e-mail');
  remember(this, await portal.call('POST', `/approvals/${mail.link.split('/').pop()}`));
});

When('the contract holder types the code from the letter', async function (this: P1World) {
  const portal = portalOf(this);
  const letter = (await portal.outbox({ ean: eanOf(this) })).find((m) => m.kind === 'letter');
  assert.ok(letter?.code, 'the holder got no letter');
  remember(this, await portal.call('POST', '/letter-code', { ean: eanOf(this), code: letter.code }));
});

When('the contract holder types the code {string}', async function (this: P1World, code: string) {
  remember(this, await portalOf(this).call('POST', '/letter-code', { ean: eanOf(this), code }));
});

When('{person} switches the port on', async function (this: P1World, person: string) {
  remember(this, await portalOf(this).as(PEOPLE[person] as string, 'PUT', `/eans/${eanOf(this)}/port`, { on: true }));
});

When('{int} hours pass on the portal', async function (this: P1World, hours: number) {
  await portalOf(this).advance(hours);
});

async function eanView(world: P1World, person: string): Promise<Record<string, unknown>> {
  const answer = await portalOf(world).as(PEOPLE[person] as string, 'GET', `/eans/${eanOf(world)}`);
  expectOk(answer, 'look at the EAN');
  return (answer as { body: Record<string, unknown> }).body;
}

Then('{person} sees a(n) {word} dot next to the EAN', async function (this: P1World, person: string, dot: string) {
  const view = await eanView(this, person);
  assert.equal(view.dot, dot, `the dot is ${view.dot}`);
});

Then('{person} sees the port {string}', async function (this: P1World, person: string, port: string) {
  const wanted = port === 'In aanvraag' ? 'in-aanvraag' : port.toLowerCase();
  const view = await eanView(this, person);
  assert.equal(view.port, wanted, `the port is ${view.port}`);
});

Then('{person} is told the wait is overdue', async function (this: P1World, person: string) {
  const view = await eanView(this, person);
  assert.equal(view.overdue, true, `overdue: ${view.overdue}, port ${view.port}`);
});

Then('the portal accepts', function (this: P1World) {
  expectOk(remembered(this.portalAnswer, 'portal answer'), 'the last step');
});

Then('the portal refuses with {string}', function (this: P1World, code: string) {
  const answer = remembered(this.portalAnswer, 'portal answer');
  assert.ok(!answer.ok, `the portal accepted (${answer.status})`);
  assert.equal(answer.error, code, `refused with ${answer.error}: ${answer.message}`);
  assert.ok(answer.message.length > 10, 'the refusal has no readable message');
});
