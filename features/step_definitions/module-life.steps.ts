import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import type { Line } from '@p1/scenario';
import { carOn, startVirtualHouse, virtualHouseOf, within } from '../support/virtual-house';
import { type P1World, remembered } from '../support/world';

/** The physics of every second a step watched: line currents (A) and each charger's pilot (A). */
interface Watched {
  lineA: number[][];
  offeredA: Map<string, number[]>;
}

const windows = new WeakMap<P1World, Watched>();

/** Runs the house for `seconds`, keeping each second's physics for the steps that judge the same window. */
async function watch(world: P1World, seconds: number, each?: () => void): Promise<Watched> {
  const rig = virtualHouseOf(world);
  const w: Watched = { lineA: [], offeredA: new Map(rig.chargers.map((c) => [c.setup.id, []])) };
  await rig.run(seconds, () => {
    w.lineA.push([rig.lineA(1), rig.lineA(2), rig.lineA(3)]);
    for (const c of rig.chargers) w.offeredA.get(c.setup.id)?.push(c.cp.offeredA);
    each?.();
  });
  windows.set(world, w);
  return w;
}

function lastWindow(world: P1World): Watched {
  return remembered(windows.get(world), 'window of house time watched by an earlier step');
}

function fuseOf(world: P1World): number {
  return remembered(world.virtualFuseA, 'main fuse of the house on a virtual clock');
}

function chargerOf(world: P1World, id: string) {
  return virtualHouseOf(world).charger(id);
}

Given(
  'a house on a three-phase 400 V supply with a {int} A main fuse, run by the module on a virtual clock',
  function (this: P1World, fuseA: number) {
    this.virtualFuseA = fuseA;
  },
);

Given(
  'a car charges at {int} A on a three-phase charger {string}',
  async function (this: P1World, amps: number, id: string) {
    const rig = await startVirtualHouse(this, [carOn(id, [1, 2, 3])]);
    const cp = rig.charger(id).cp;
    await within(rig, 90, () => cp.offeredA >= amps && cp.drawnA >= amps - 0.5, `the car charging at ${amps} A`);
  },
);

Given(
  'a car charges on a three-phase charger {string} and another on a single-phase charger {string} on line {int}',
  async function (this: P1World, three: string, single: string, line: number) {
    const rig = await startVirtualHouse(this, [carOn(three, [1, 2, 3]), carOn(single, [line as Line])]);
    const cars = [rig.charger(three).cp, rig.charger(single).cp];
    await within(rig, 120, () => cars.every((cp) => cp.drawnA >= 6), 'both cars charging');
    // settled: the limits the module shares the line by, before anything happens
    await watch(this, 30);
  },
);

When('the oven comes on with {float} kW on line {int}', function (this: P1World, kw: number, line: number) {
  virtualHouseOf(this).setLoad('oven', [line as Line], kw);
});

When('a moment later the owner saves a {float} kW target on the dashboard', async function (this: P1World, kw: number) {
  const rig = virtualHouseOf(this);
  await rig.clock.advance(200);
  // the dashboard's Save sends both fields
  await rig.patchSettings({ capacityTargetKw: kw, solar: 'off' });
});

Then('line {int} is back under its fuse within {int} seconds', async function (this: P1World, line: number, s: number) {
  const rig = virtualHouseOf(this);
  const fuseA = fuseOf(this);
  const took = await within(rig, s, () => rig.lineA(line as Line) <= fuseA, `line ${line} back under ${fuseA} A`);
  this.attach(`line ${line} under its fuse after ${took} s`, 'text/plain');
});

Then(
  'for the next {int} minutes line {int} stays under its fuse',
  async function (this: P1World, minutes: number, line: number) {
    const w = await watch(this, minutes * 60);
    const worst = Math.max(...w.lineA.map((l) => l[line - 1] ?? 0));
    assert.ok(worst <= fuseOf(this), `line ${line} reached ${worst.toFixed(1)} A on a ${fuseOf(this)} A fuse`);
  },
);

Then('charger {string} offers what the module decided', async function (this: P1World, id: string) {
  const rig = virtualHouseOf(this);
  const cp = chargerOf(this, id).cp;
  const decided = rig.decidedA(id);
  assert.notEqual(decided, null, 'the module has decided nothing');
  assert.ok(
    Math.abs(cp.offeredA - (decided as number)) <= 0.05,
    `the charger offers ${cp.offeredA} A, the module decided ${decided} A`,
  );
});

Then(
  'charger {string} offers {int} A within {int} seconds',
  async function (this: P1World, id: string, amps: number, s: number) {
    const cp = chargerOf(this, id).cp;
    await within(
      virtualHouseOf(this),
      s,
      () => Math.abs(cp.offeredA - amps) <= 0.05,
      `charger ${id} offering ${amps} A`,
    );
  },
);

Then(
  'for the next {int} minutes charger {string} keeps offering {int} A, long past its {int}-minute OCPP lease',
  async function (this: P1World, minutes: number, id: string, amps: number, leaseMinutes: number) {
    assert.equal(virtualHouseOf(this).running().config.ocpp.failsafeLeaseS, leaseMinutes * 60, 'the lease configured');
    const w = await watch(this, minutes * 60);
    const offered = w.offeredA.get(id) ?? [];
    const other = offered.findIndex((a) => Math.abs(a - amps) > 0.05);
    assert.equal(other, -1, `after ${other + 1} s the charger offered ${offered[other]} A`);
  },
);

Then(
  'for the same {int} minutes line {int} stays under its fuse',
  function (this: P1World, minutes: number, line: number) {
    const w = lastWindow(this);
    assert.ok(w.lineA.length >= minutes * 60, `only ${w.lineA.length} s were watched`);
    const worst = Math.max(...w.lineA.map((l) => l[line - 1] ?? 0));
    assert.ok(worst <= fuseOf(this), `line ${line} reached ${worst.toFixed(1)} A on a ${fuseOf(this)} A fuse`);
  },
);

When('the dongle freezes, repeating its last telegram for {int} seconds', function (this: P1World, seconds: number) {
  const rig = virtualHouseOf(this);
  for (const c of rig.chargers) this.offeredBeforeA.set(c.setup.id, c.cp.offeredA);
  rig.meterFault({ kind: 'freeze', durationS: seconds });
});

Then(
  'within {int} seconds charger {string} offers no more than its safe current of {int} A',
  async function (this: P1World, s: number, id: string, safeA: number) {
    const rig = virtualHouseOf(this);
    const cp = chargerOf(this, id).cp;
    const before = remembered(this.offeredBeforeA.get(id), 'limit before the fault');
    let raised = 0;
    const took = await within(
      rig,
      s,
      () => {
        raised = Math.max(raised, cp.offeredA);
        return cp.offeredA <= safeA;
      },
      `charger ${id} down to ${safeA} A`,
    );
    assert.ok(raised <= before, `the charger was raised to ${raised} A on a frozen meter (it had ${before} A)`);
    this.attach(`down to its safe current after ${took} s`, 'text/plain');
  },
);

Then("the dashboard says the meter's data are stale", async function (this: P1World) {
  const state = await virtualHouseOf(this).state();
  assert.equal(state.meter.control.data, 'stale', `the dashboard says ${JSON.stringify(state.meter.control)}`);
  assert.equal(state.meter.control.failsafe, true, 'the dashboard does not show the fail-safe');
});

Then(
  'charger {string} gets no more than {int} A until the dongle recovers',
  async function (this: P1World, id: string, safeA: number) {
    const rig = virtualHouseOf(this);
    const cp = chargerOf(this, id).cp;
    let worst = 0;
    for (let s = 0; s < 600 && rig.meterSilent(); s++) {
      // the telegram that ends the freeze is fresh data: what the module does on it is no longer blind
      await rig.run(1, () => {
        if (rig.meterSilent()) worst = Math.max(worst, cp.offeredA);
      });
    }
    assert.equal(rig.meterSilent(), false, 'the dongle did not recover');
    assert.ok(worst <= safeA, `the charger was offered ${worst} A while the dongle was frozen`);
  },
);

Then(
  'the car on {string} charges above its safe current again within {int} minutes',
  async function (this: P1World, id: string, minutes: number) {
    const cp = chargerOf(this, id).cp;
    await within(virtualHouseOf(this), minutes * 60, () => cp.offeredA > 6 && cp.drawnA > 6, 'charging above 6 A');
  },
);

When('charger {string} reports {int} A on its line for a minute', function (this: P1World, id: string, amps: number) {
  const rig = virtualHouseOf(this);
  for (const c of rig.chargers) this.offeredBeforeA.set(c.setup.id, c.cp.offeredA);
  rig.charger(id).cp.injectFault({ kind: 'misreport-current', currentA: amps });
});

Then(
  "within {int} seconds the dashboard says charger {string}'s measurement is implausible",
  async function (this: P1World, s: number, id: string) {
    const rig = virtualHouseOf(this);
    let said = '';
    for (let t = 0; t <= s; t++) {
      const state = await rig.state();
      said = state.chargers.find((c) => c.id === id)?.measurement ?? 'nothing';
      if (said === 'implausible') return;
      await rig.run(1);
    }
    assert.fail(`after ${s} s the dashboard says the measurement is "${said}"`);
  },
);

Then(
  'for the rest of that minute, while the car on {string} still draws, charger {string} is not offered more than before',
  async function (this: P1World, drawing: string, id: string) {
    const rig = virtualHouseOf(this);
    const before = remembered(this.offeredBeforeA.get(id), 'limit before the fault');
    const cp = chargerOf(this, id).cp;
    const other = chargerOf(this, drawing).cp;
    let worst = 0;
    // once the other car really draws less (the physics, not its report), the room it left may be shared
    await watch(this, 50, () => {
      if (other.drawnA > 0) worst = Math.max(worst, cp.offeredA);
    });
    assert.ok(
      worst <= before + 0.05,
      `charger ${id} was raised from ${before} A to ${worst} A while ${drawing} still drew`,
    );
    for (const c of rig.chargers) c.cp.clearFault('misreport-current');
  },
);

Then('during that minute line {int} stayed under its fuse', function (this: P1World, line: number) {
  const worst = Math.max(...lastWindow(this).lineA.map((l) => l[line - 1] ?? 0));
  assert.ok(worst <= fuseOf(this), `line ${line} reached ${worst.toFixed(1)} A on a ${fuseOf(this)} A fuse`);
});
