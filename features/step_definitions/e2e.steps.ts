import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Given, Then, When } from '@cucumber/cucumber';
import type { Line, Scenario } from '@p1/scenario';
import { emptyHouse } from '../support/house-plan';
import { Module, type ModuleState } from '../support/module';
import { P1_SIM_CLI, startChild, tsxArgs } from '../support/processes';
import { startSimulatedMeter } from '../support/sim-meter';
import { type P1World, remembered } from '../support/world';
import { portalOf, registerAndLogIn } from './portal.steps';

const EAN = '541448820000000015';
const CHARGER_PASSWORD = 'cp-password-for-the-features';

function moduleOf(world: P1World): Module {
  if (!world.module) throw new Error('The module is not running in this scenario.');
  return world.module;
}

function houseOf(world: P1World): Scenario {
  return world.plan ?? emptyHouse();
}

/** Polls the module's state until `check` returns true; the last state is kept for the failure message. */
async function until(
  world: P1World,
  seconds: number,
  check: (s: ModuleState) => boolean,
  what: string,
): Promise<ModuleState> {
  const module = moduleOf(world);
  const started = Date.now();
  const deadline = started + seconds * 1000;
  let last: ModuleState | undefined;
  // every change of a charger's decision while waiting: a failure then shows why, not only where it ended
  const trail: string[] = [];
  let previous = '';
  for (;;) {
    last = await module.state();
    if (check(last)) return last;
    const decisions = last.chargers.map((c) => `${c.id} ${c.limitA ?? '-'} A (${c.reason})`).join(', ');
    if (decisions !== previous) trail.push(`${((Date.now() - started) / 1000).toFixed(1)} s: ${decisions}`);
    previous = decisions;
    if (Date.now() > deadline) {
      assert.fail(
        `${what} did not happen within ${seconds} s; the module says ${JSON.stringify(summary(last))}; ` +
          `its decisions meanwhile: ${trail.join('; ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function summary(s: ModuleState): unknown {
  return {
    meter: s.meter.diagnosis,
    activation: s.activation?.state,
    lines: s.lines.map((l) => l.currentA),
    chargers: s.chargers.map((c) => ({ id: c.id, limitA: c.limitA, currentA: c.currentA, reason: c.reason })),
    quarter: s.quarter,
  };
}

Given('the meter in the meter cupboard still has its P1 port closed', async function (this: P1World) {
  // The house as described, at the start of an evening quarter-hour, in real time (the module and the car do
  // not run on an accelerated clock).
  const house: Scenario = { ...houseOf(this), start: '2025-01-15T18:00:00+01:00', loads: [], chargers: [], evs: [] };
  const file = path.join(this.tmp, 'house.json');
  writeFileSync(file, JSON.stringify(house, null, 2));
  await startSimulatedMeter(this, { model: 'fluvius-3ph', portOpen: false, speed: 1, scenarioFile: file });
});

Given('the meter in the meter cupboard is talking in real time', async function (this: P1World) {
  const house: Scenario = { ...houseOf(this), start: '2025-01-15T18:00:00+01:00', loads: [], chargers: [], evs: [] };
  const file = path.join(this.tmp, 'house.json');
  writeFileSync(file, JSON.stringify(house, null, 2));
  await startSimulatedMeter(this, { model: 'fluvius-3ph', portOpen: true, speed: 1, scenarioFile: file });
});

Given(
  "the module is running on the meter's cable with a charger {string} of {int} to {int} A on {lines}",
  async function (this: P1World, id: string, minA: number, maxA: number, phases: Line[]) {
    const meter = this.requireMeter();
    const site = houseOf(this).site;
    const module = await Module.start(this, {
      device: meter.device,
      baud: meter.baud,
      site: { connection: site.connection, fuseA: site.fuseA, capacityTargetKw: site.capacityTargetKw },
      chargers: [{ id, phases, minA, maxA, password: CHARGER_PASSWORD }],
    });
    this.module = module;
  },
);

When(
  "the contract holder opens the P1 port on the portal, telling the module's assistant each step",
  async function (this: P1World) {
    const portal = portalOf(this);
    const module = moduleOf(this);
    await registerAndLogIn(this, 'the contract holder', 'itsme');
    for (const action of ['register-itsme', 'confirm-email', 'login']) await module.tellAssistant(action);
    const added = await portal.as('houder@example.be', 'POST', '/eans', { ean: EAN });
    assert.ok(added.ok, 'the portal did not add the EAN');
    this.ean = EAN;
    await module.tellAssistant('enter-ean', EAN);
    await module.tellAssistant('add-ean');
    const requested = await portal.as('houder@example.be', 'POST', `/eans/${EAN}/request`, { consent: true });
    assert.ok(requested.ok && requested.body.dot === 'green', 'the holder did not get the green dot at once');
    await module.tellAssistant('request-green');
    const on = await portal.as('houder@example.be', 'PUT', `/eans/${EAN}/port`, { on: true });
    assert.ok(on.ok && on.body.port === 'in-aanvraag', 'the port is not "In aanvraag"');
    await module.tellAssistant('switch-on');
    await module.tellAssistant('in-aanvraag');
  },
);

Then("the module's assistant is at {string}", async function (this: P1World, state: string) {
  await until(this, 5, (s) => s.activation?.state === state, `the assistant reaching "${state}"`);
});

Then("the module's assistant is not at {string}", async function (this: P1World, state: string) {
  const s = await moduleOf(this).state();
  assert.notEqual(s.activation?.state, state);
});

Then('the module has not heard a single telegram yet', async function (this: P1World) {
  const s = await moduleOf(this).state();
  assert.equal(s.meter.counters.goodFrames, 0, `the module has ${s.meter.counters.goodFrames} telegrams`);
  assert.equal(s.reading, null);
});

Then('the meter shows the arrow above GP', async function (this: P1World) {
  // The portal tells the meter right after the port opens, over the network: give it a moment.
  const sim = this.requireSimulator();
  for (let i = 0; i < 40; i++) {
    const state = (await sim.state()) as { port: { gpArrow: boolean } };
    if (state.port.gpArrow) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail('the arrow above GP did not light up within 10 s of the portal saying "Open"');
});

Then('the meter does not show the arrow above GP', async function (this: P1World) {
  const state = (await this.requireSimulator().state()) as { port: { gpArrow: boolean } };
  assert.equal(state.port.gpArrow, false);
});

Then('the module marks the port verified within {int} seconds', async function (this: P1World, seconds: number) {
  await until(this, seconds, (s) => s.activation?.state === 'verified', 'the port being verified');
});

Given(
  'the charger drops its connection every {int} seconds for {int} seconds',
  function (this: P1World, every: number, down: number) {
    this.chargerFaults = [`disconnect:${every}:${down}`];
  },
);

When('a car plugs into charger {string}', async function (this: P1World, id: string) {
  const sim = this.requireSimulator();
  const args = [
    'charger',
    '--id',
    id,
    '--password',
    CHARGER_PASSWORD,
    '--url',
    moduleOf(this).ocppUrl,
    '--phases',
    '3',
    '--car-max-a',
    '16',
    // A car that ramps up quickly keeps the scenario short; the 5 s it takes to follow a cut stays.
    '--ramp-s',
    '8',
    ...this.chargerFaults.flatMap((f) => ['--fault', f]),
    '--meter-control-url',
    sim.controlUrl,
    '--meter-control-token',
    sim.token,
  ];
  this.chargePoint = this.track(startChild(`charger ${id}`, process.execPath, tsxArgs(P1_SIM_CLI, args)));
  this.chargerId = id;
});

function chargerOf(world: P1World, s: ModuleState) {
  return s.chargers.find((c) => c.id === world.chargerId);
}

Then('the car is charging within {int} seconds', async function (this: P1World, seconds: number) {
  await until(
    this,
    seconds,
    (st) => {
      const c = chargerOf(this, st);
      return !!c && c.connected && (c.limitA ?? 0) >= 6 && c.currentA.some((a) => (a ?? 0) >= 5);
    },
    'the car drawing current',
  );
  // The limit the balancer settles on before the oven: the same for 6 s (it raises at most every 5 s).
  let settled = -1;
  let since = Date.now();
  await until(
    this,
    seconds,
    (st) => {
      const limit = chargerOf(this, st)?.limitA ?? -1;
      if (limit !== settled) {
        settled = limit;
        since = Date.now();
      }
      return Date.now() - since >= 6_000;
    },
    "the car's limit settling",
  );
  this.limitBeforeOvenA = settled;
});

When('the oven turns on with {float} kW on line {int}', async function (this: P1World, kw: number, line: number) {
  await this.requireSimulator().setLoad('oven', [line], kw);
});

Then("the car's limit drops within {int} seconds", async function (this: P1World, seconds: number) {
  const before = remembered(this.limitBeforeOvenA, "car's limit before the oven");
  const s = await until(
    this,
    seconds,
    (st) => (chargerOf(this, st)?.limitA ?? before) < before,
    `the limit dropping below ${before} A`,
  );
  const c = chargerOf(this, s);
  this.attach(`limit ${before} A → ${c?.limitA} A after the oven: ${c?.reason}`, 'text/plain');
});

Then(
  'over the next {int} seconds line {int} is above its fuse for no more than {int} seconds',
  async function (this: P1World, window: number, line: number, allowed: number) {
    const module = moduleOf(this);
    const over = new Set<string>();
    const quarterAverages: number[] = [];
    const end = Date.now() + window * 1000;
    while (Date.now() < end) {
      const s = await module.state();
      const l = s.lines.find((x) => x.phase === line);
      const at = s.reading?.timestamp ?? '';
      if (l?.currentA != null && l.currentA > l.fuseA) over.add(at);
      const avg = s.reading?.capacity?.quarterAverageKw;
      if (typeof avg === 'number') quarterAverages.push(avg);
      await new Promise((r) => setTimeout(r, 300));
    }
    this.quarterAverages = quarterAverages;
    assert.ok(over.size <= allowed, `line ${line} was above its fuse in ${over.size} telegrams`);
  },
);

Then("over the same time the quarter-hour's running average stays under the target", function (this: P1World) {
  const target = houseOf(this).site.capacityTargetKw;
  assert.ok(target !== null, 'the owner set no target');
  const averages = this.quarterAverages;
  assert.ok(averages.length > 0, 'the meter sent no quarter-hour average');
  const worst = Math.max(...averages);
  assert.ok(worst <= target, `the running average reached ${worst} kW, the target is ${target} kW`);
});

Then(
  "the car's limit drops within {int} seconds, for the fuse on line {int}",
  async function (this: P1World, seconds: number, line: number) {
    const before = remembered(this.limitBeforeOvenA, "car's limit before the oven");
    const s = await until(
      this,
      seconds,
      (st) => (chargerOf(this, st)?.limitA ?? before) < before,
      `the limit dropping below ${before} A`,
    );
    const reason = chargerOf(this, s)?.reason ?? '';
    assert.ok(reason.includes(`L${line} fuse`), `the limit dropped for "${reason}"`);
  },
);

When('the meter goes silent for {int} seconds', async function (this: P1World, seconds: number) {
  await this.requireSimulator().injectFault({ kind: 'outage', durationS: seconds });
  this.silentAt = Date.now();
});

Then(
  'within {int} seconds of the silence the car is down to its safe current of {int} A',
  async function (this: P1World, seconds: number, safeA: number) {
    const silentAt = remembered(this.silentAt, 'silence');
    const s = await until(
      this,
      seconds + 2,
      (st) => (chargerOf(this, st)?.limitA ?? Number.POSITIVE_INFINITY) <= safeA,
      `the car's limit falling to ${safeA} A`,
    );
    const tookS = (Date.now() - silentAt) / 1000;
    assert.ok(tookS <= seconds, `the fail-safe took ${tookS.toFixed(1)} s`);
    this.attach(`fail-safe after ${tookS.toFixed(1)} s: ${chargerOf(this, s)?.reason}`, 'text/plain');
  },
);

Then('the car charges above its safe current again once the meter talks', async function (this: P1World) {
  await until(this, 90, (st) => (chargerOf(this, st)?.limitA ?? 0) > 6, 'charging resuming');
});

Then(
  'after the charger comes back the module gives it its limit again within {int} seconds',
  async function (this: P1World, seconds: number) {
    // within its limit's lease a dropped charger is held (its problem says so), after it offline
    await until(this, 40, (st) => dropped(chargerOf(this, st)), 'the charger dropping');
    const s = await until(
      this,
      seconds + 10,
      (st) => {
        const c = chargerOf(this, st);
        return !!c && !dropped(c) && c.limitA !== null && c.appliedLimitA === c.limitA;
      },
      'the limit being applied again',
    );
    assert.ok(chargerOf(this, s)?.connected);
  },
);

function dropped(c: ModuleState['chargers'][number] | undefined): boolean {
  return !!c && (!c.connected || (c.problem ?? '').startsWith('connection lost'));
}

Then(
  'the car keeps charging at its limit while the charger drops out {int} times',
  async function (this: P1World, drops: number) {
    const chargePoint = remembered(this.chargePoint, 'simulated charge point');
    const mark = chargePoint.mark();
    const seen: { limitA: number | null; reason: string; connected: boolean; dropped: boolean }[] = [];
    let episodes = 0;
    let away = false;
    await until(
      this,
      drops * 30,
      (st) => {
        const c = chargerOf(this, st);
        if (!c) return false;
        seen.push({ limitA: c.limitA, reason: c.reason, connected: c.connected, dropped: dropped(c) });
        if (dropped(c) && !away) episodes++;
        away = dropped(c);
        return episodes >= drops && !away;
      },
      `${drops} drops of the charger's connection and its return`,
    );
    // back on the link: the car's own currents again, at the limit the module decided
    const back = await until(
      this,
      15,
      (st) => {
        const c = chargerOf(this, st);
        return !!c && c.appliedLimitA === c.limitA && c.currentA.some((a) => (a ?? 0) >= 5);
      },
      'the charger reporting the car drawing its limit again',
    );
    const paused = seen.filter((x) => x.limitA === 0 || /offline|pause/.test(x.reason) || !x.connected);
    assert.deepEqual(paused, [], 'the module paused the car or took the charger for offline');
    assert.ok(seen.filter((x) => x.dropped).length > 0, 'the drops were not seen');
    // the charge point itself: never told less than the car's minimum while this went on
    const profiles = chargePoint
      .output()
      .slice(mark)
      .split('\n')
      .filter((l) => l.includes('charging profile installed'))
      .map((l) => Number(/"offeredA":([\d.]+)/.exec(l)?.[1]));
    assert.ok(
      profiles.every((a) => a >= 6),
      `the charge point was offered ${profiles.join(', ')} A`,
    );
    assert.ok((chargerOf(this, back)?.limitA ?? 0) >= 6);
  },
);
