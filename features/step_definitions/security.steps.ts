import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Given, Then, When } from '@cucumber/cucumber';
import { Module, networkAddress } from '../support/module';
import type { P1World } from '../support/world';

/** Every endpoint of the module's HTTP API (apps/balancer/README.md), as METHOD and path. */
const API = [
  'GET /api',
  'GET /api/v1/data',
  'GET /api/v1/telegram',
  'GET /api/v1/system',
  'GET /api/v1/state',
  'GET /api/v1/events',
  'GET /api/v1/settings',
  'GET /api/v1/history',
  'GET /api/v1/history/lines',
  'GET /api/v1/history/power',
  'GET /api/v1/history/quarters',
  'GET /api/v1/sessions',
  'GET /api/v1/sessions.csv',
  'GET /api/v1/sessions/1/series',
  'GET /api/v1/activation',
  'GET /metrics',
  'PATCH /api/v1/settings',
  'POST /api/v1/activation',
  'PUT /api/v1/identify',
  'PUT /api/v1/system',
];

function moduleOf(world: P1World): Module {
  if (!world.module) throw new Error('The module is not running in this scenario.');
  return world.module;
}

/** The module as another machine on the network sees it: its network address (127.0.0.1 on a box without one). */
function fromTheNetwork(module: Module): string {
  return `http://${networkAddress() ?? '127.0.0.1'}:${module.httpPort}`;
}

Given("the module is running on the meter's cable, open to the home network", async function (this: P1World) {
  const meter = this.requireMeter();
  this.module = await Module.start(this, {
    device: meter.device,
    baud: meter.baud,
    site: { connection: '3N400', fuseA: 25, capacityTargetKw: 4 },
    chargers: [],
    httpHost: '0.0.0.0',
  });
  // the meter's first telegrams have reached it
  for (let i = 0; i < 40 && (await this.module.state()).reading === null; i++)
    await new Promise((r) => setTimeout(r, 250));
});

When(
  "a client on another machine asks every part of the module's API without the token",
  async function (this: P1World) {
    const base = fromTheNetwork(moduleOf(this));
    for (const entry of API) {
      const [method, path] = entry.split(' ') as [string, string];
      const abort = new AbortController();
      const res = await fetch(`${base}${path}`, {
        method,
        signal: abort.signal,
        ...(method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }),
      });
      this.answers.set(entry, res.status);
      abort.abort(); // an event stream would not end by itself
    }
  },
);

Then('every answer is a refusal', function (this: P1World) {
  assert.equal(this.answers.size, API.length);
  const answered = [...this.answers].filter(([, status]) => status !== 401);
  assert.deepEqual(answered, [], 'these parts of the API answered a client without the token');
});

Then("with the owner's token the same client reads the meter", async function (this: P1World) {
  const module = moduleOf(this);
  const res = await fetch(`${fromTheNetwork(module)}/api/v1/data`, {
    headers: { authorization: `Bearer ${module.token}` },
  });
  assert.equal(res.status, 200);
  const data = (await res.json()) as { active_power_w?: number };
  assert.equal(typeof data.active_power_w, 'number');
});

Then("a web page under another name cannot read the meter through the owner's browser", async function (this: P1World) {
  // DNS rebinding: the page's own name, made to resolve to the module, is what the browser sends as Host.
  const port = moduleOf(this).httpPort;
  for (const path of ['/api/v1/data', '/api/v1/state', '/']) {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, headers: { host: `rebind.evil.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 403, `${path} answered ${status} to a page called rebind.evil.example`);
  }
});
