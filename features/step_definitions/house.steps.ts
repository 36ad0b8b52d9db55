import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineParameterType, Given, Then, When } from '@cucumber/cucumber';
import type { Connection } from '@p1/balancer';
import type { Line, Scenario } from '@p1/scenario';
import { emptyHouse, type Metrics, simulate, simulateFile } from '../support/house-plan';
import { type P1World, remembered } from '../support/world';

// Owners name their supply the way the electrician's label does, not by code.
defineParameterType({
  name: 'supply',
  regexp: /single-phase 230 V|three-phase 230 V without neutral|three-phase 400 V/,
  transformer: (s: string): Connection =>
    s.startsWith('single') ? '1x230' : s.includes('without neutral') ? '3x230' : '3N400',
});

defineParameterType({ name: 'clock', regexp: /\d{2}:\d{2}/, transformer: (s: string) => s });

defineParameterType({
  name: 'lines',
  regexp: /line \d(?: and line \d)?|all three lines/,
  transformer: (s: string): Line[] =>
    s === 'all three lines' ? [1, 2, 3] : ([...s.matchAll(/\d/g)].map((m) => Number(m[0])) as Line[]),
});

function house(world: P1World): Scenario {
  let h = world.plan;
  if (!h) {
    h = emptyHouse();
    h.name =
      world.scenarioName
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 60) || 'feature';
    world.plan = h;
  }
  return h;
}

function metrics(world: P1World, strategy = 'default'): Metrics {
  const m = world.metrics.get(strategy);
  if (!m) throw new Error(`The house has not been simulated with the ${strategy} strategy yet.`);
  return m;
}

Given(
  'a house on a {supply} supply with a {int} A main fuse',
  function (this: P1World, supply: Connection, fuseA: number) {
    const h = house(this);
    h.site.connection = supply;
    h.site.fuseA = fuseA;
  },
);

Given('the house uses {float} kW in the background', function (this: P1World, kw: number) {
  house(this).baseLoadKw = kw;
});

Given(
  'the {word} draws {float} kW on {lines} from {clock} for {int} minutes',
  function (this: P1World, name: string, kw: number, phases: Line[], at: string, minutes: number) {
    house(this).loads.push({ name, phases, kw, at, durationS: minutes * 60, onS: 0, offS: 0 });
  },
);

Given(
  'the {word} draws {float} kW on {lines} from {clock} for {int} minutes, {int} s on and {int} s off',
  function (
    this: P1World,
    name: string,
    kw: number,
    phases: Line[],
    at: string,
    minutes: number,
    onS: number,
    offS: number,
  ) {
    house(this).loads.push({ name, phases, kw, at, durationS: minutes * 60, onS, offS });
  },
);

Given(
  'a car that needs {int} kWh plugs into a {int}-phase charger of {int} to {int} A on {lines} at {clock} and leaves at {clock}',
  function (
    this: P1World,
    needKwh: number,
    carPhases: number,
    minA: number,
    maxA: number,
    phases: Line[],
    arrive: string,
    depart: string,
  ) {
    const h = house(this);
    const n = h.chargers.length + 1;
    h.chargers.push({ id: `cp${n}`, phases, minA, maxA, switchPhases: false });
    h.evs.push({
      name: `car${n}`,
      charger: `cp${n}`,
      phases: carPhases === 1 ? 1 : 3,
      arrive,
      depart,
      needKwh,
      minA,
      maxA,
      lagS: 5,
      rampS: 20,
    });
  },
);

Given('that car only draws {int} % of what it is offered', function (this: P1World, percent: number) {
  const ev = house(this).evs.at(-1);
  assert.ok(ev, 'no car yet');
  ev.drawRatio = percent / 100;
});

Given("the owner's capacity target is {float} kW", function (this: P1World, kw: number) {
  house(this).site.capacityTargetKw = kw;
});

Given("the month's peak so far is {float} kW", function (this: P1World, kw: number) {
  house(this).site.monthPeakKw = kw;
});

Given(
  'solar panels of {float} kWp on {lines} under {word} skies',
  function (this: P1World, peakKw: number, phases: Line[], sky: string) {
    const clouds = sky === 'clear' ? 0 : sky === 'broken' ? 0.4 : 0.8;
    house(this).pv = { peakKw, phases, clouds };
  },
);

Given('the day is {word} {int}, {int}', function (this: P1World, month: string, day: number, year: number) {
  const m = new Date(`${month} 1, 2000`).getMonth() + 1;
  const summer = m >= 4 && m <= 10;
  house(this).start =
    `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}T00:00:00${summer ? '+02:00' : '+01:00'}`;
});

Given('the meter goes silent at {clock} for {int} minutes', function (this: P1World, at: string, minutes: number) {
  house(this).faults.push({ kind: 'meterOutage', at, durationS: minutes * 60 });
});

Given('the cable loses {int} % of the telegrams', function (this: P1World, percent: number) {
  house(this).faults.push({ kind: 'dropTelegrams', rate: percent / 100 });
});

When('the module balances the house for {int} hours', async function (this: P1World, hours: number) {
  const h = house(this);
  h.durationS = hours * 3600;
  this.metrics.set('default', (await simulate(h, this.tmp)).metrics);
});

When('nobody balances the house for {int} hours', async function (this: P1World, hours: number) {
  const h = house(this);
  h.durationS = hours * 3600;
  this.metrics.set('none', (await simulate(h, this.tmp, 'none')).metrics);
});

When('the same house is balanced the way {word} does it', async function (this: P1World, product: string) {
  const strategy = product === 'evcc' ? 'highest-phase-30s' : product === 'SmartEVSE' ? 'quarter-gap-2s' : product;
  this.metrics.set(product, (await simulate(house(this), this.tmp, strategy)).metrics);
});

When(
  'the house description has {string} set to {string}',
  async function (this: P1World, field: string, value: string) {
    const h = house(this) as unknown as Record<string, unknown>;
    const parts = field.split('.');
    let target: Record<string, unknown> = h;
    for (const p of parts.slice(0, -1)) target = target[p] as Record<string, unknown>;
    target[parts.at(-1) as string] = JSON.parse(value);
    const file = path.join(this.tmp, 'broken-house.json');
    writeFileSync(file, JSON.stringify(h, null, 2));
    this.refusal = await simulateFile(file);
  },
);

Then('the main fuse is never overloaded for more than {int} seconds in a row', function (this: P1World, s: number) {
  const m = metrics(this);
  assert.ok(m.overloadMaxEventS <= s, `the fuse was overloaded for ${m.overloadMaxEventS} s in a row`);
});

Then('no line ever carries 1.45 times its fuse rating', function (this: P1World) {
  assert.equal(metrics(this).over145Seconds, 0, `${metrics(this).over145Seconds} s above 1.45 × the fuse`);
});

Then('no line ever carries 1.13 times its fuse rating', function (this: P1World) {
  assert.equal(metrics(this).over113Seconds, 0, `${metrics(this).over113Seconds} s above 1.13 × the fuse`);
});

Then('the fuse is overloaded for more than {int} seconds', function (this: P1World, s: number) {
  const m = metrics(this, 'none');
  assert.ok(m.overloadSeconds > s, `unbalanced, the fuse was overloaded only ${m.overloadSeconds} s`);
});

Then('no quarter-hour goes over the target', function (this: P1World) {
  const m = metrics(this);
  assert.equal(
    m.quartersOverTarget,
    0,
    `${m.quartersOverTarget} quarters over target, worst by ${m.maxQuarterOvershootKw} kW`,
  );
});

Then('at least one quarter-hour goes over the target', function (this: P1World) {
  const m = metrics(this, 'none');
  assert.ok(m.quartersOverTarget > 0, 'unbalanced, every quarter stayed under the target anyway');
});

Then(
  'the car gets at least {int} % of the energy the house could have given it',
  function (this: P1World, percent: number) {
    const m = metrics(this);
    assert.ok(
      m.evEnergyRatio >= percent / 100,
      `the car got ${m.evEnergyKwh.toFixed(1)} of ${m.optimalEvEnergyKwh.toFixed(1)} kWh (${(m.evEnergyRatio * 100).toFixed(1)} %)`,
    );
  },
);

Then('the car gets at least {float} kWh', function (this: P1World, kwh: number) {
  const m = metrics(this);
  assert.ok(m.evEnergyKwh >= kwh, `the car got ${m.evEnergyKwh.toFixed(2)} kWh`);
});

Then('the car gets no more than {float} kWh', function (this: P1World, kwh: number) {
  const m = metrics(this);
  assert.ok(m.evEnergyKwh <= kwh, `the car got ${m.evEnergyKwh.toFixed(2)} kWh`);
});

Then('the car gets at least as much energy as with {word}', function (this: P1World, product: string) {
  const ours = metrics(this);
  const theirs = metrics(this, product);
  assert.ok(
    ours.evEnergyKwh >= theirs.evEnergyKwh - 0.05,
    `ours ${ours.evEnergyKwh.toFixed(2)} kWh, ${product} ${theirs.evEnergyKwh.toFixed(2)} kWh`,
  );
});

Then("the car's limit changes no more than {int} times an hour", function (this: P1World, n: number) {
  const m = metrics(this);
  assert.ok(m.setpointChangesPerHour <= n, `${m.setpointChangesPerHour} changes an hour`);
});

Then(
  'every car is down to its safe current within {int} seconds of the meter going silent',
  function (this: P1World, s: number) {
    const m = metrics(this);
    assert.ok(m.failsafeMaxS <= s, `the slowest fail-safe took ${m.failsafeMaxS} s`);
  },
);

Then('the module refuses the house description, naming {string}', function (this: P1World, field: string) {
  const refusal = remembered(this.refusal, 'refused house description');
  assert.equal(refusal.code, 2, `exit ${refusal.code}: ${refusal.stderr}`);
  assert.ok(refusal.stderr.includes(field), `the message does not name ${field}: ${refusal.stderr}`);
  assert.ok(!/\n\s+at /.test(refusal.stderr), `the message is a stack trace: ${refusal.stderr}`);
  assert.equal(refusal.stdout.trim(), '', 'metrics were printed for a refused house');
});

Then('the car gets less energy than on a day the meter keeps talking', async function (this: P1World) {
  const talking = { ...house(this), faults: [] };
  talking.name = `${talking.name}-talking`;
  const { metrics: normal } = await simulate(talking, this.tmp);
  const silent = metrics(this);
  assert.ok(
    silent.evEnergyKwh < normal.evEnergyKwh,
    `silent ${silent.evEnergyKwh.toFixed(2)} kWh, talking ${normal.evEnergyKwh.toFixed(2)} kWh`,
  );
});

Then(
  'no line carries 1.13 times its fuse rating for more than {int} seconds in the day',
  function (this: P1World, s: number) {
    const m = metrics(this);
    assert.ok(m.over113Seconds <= s, `${m.over113Seconds} s above 1.13 × the fuse`);
  },
);

Then('the fuse is overloaded for fewer seconds than with {word}', function (this: P1World, product: string) {
  const ours = metrics(this);
  const theirs = metrics(this, product);
  assert.ok(
    ours.overloadSeconds < theirs.overloadSeconds,
    `ours ${ours.overloadSeconds} s overloaded, ${product} ${theirs.overloadSeconds} s`,
  );
});
