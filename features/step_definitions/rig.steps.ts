import assert from 'node:assert/strict';
import path from 'node:path';
import { Given, Then, When } from '@cucumber/cucumber';
import type { Reading } from '@p1/dsmr';
import { callRig } from '../support/inventory';
import { type P1World, remembered } from '../support/world';

// --- the cable: pulled out, quiet, not plugged in ---

When('the cable is pulled out for {int} seconds of meter time', async function (this: P1World, seconds: number) {
  const sim = this.requireSimulator();
  const mark = sim.logMark();
  await sim.injectFault({ kind: 'unplug', durationS: seconds });
  await sim.waitForLog(/unplugged/, this.wallMs(sim.cadenceS * 3), mark);
  this.unplugLogMark = mark;
});

When('the meter goes quiet for {int} seconds of meter time', async function (this: P1World, seconds: number) {
  await this.requireSimulator().injectFault({ kind: 'outage', durationS: seconds });
});

Then('the house says the meter is disconnected', async function (this: P1World) {
  const house = this.requireHouse();
  await house.until(
    () => house.diagnosis === 'disconnected',
    15_000,
    () => `the house says "${house.diagnosis}"`,
  );
});

Then(
  'valid telegrams flow again within {int} seconds of the cable being back',
  async function (this: P1World, s: number) {
    const sim = this.requireSimulator();
    const house = this.requireHouse();
    const before = house.valid().length;
    await sim.waitForLog(/plugged back in/, this.wallMs(120), remembered(this.unplugLogMark, 'pulled cable'));
    const backAt = Date.now();
    await house.nextValid(1, s * 1000 + 2_000);
    const first = house.valid()[before];
    assert.ok(first, 'no telegram after the cable came back');
    const delayS = (first.atMs - backAt) / 1000;
    assert.ok(delayS <= s, `the first telegram came ${delayS.toFixed(1)} s after the cable was back`);
  },
);

Then('the house reconnected once, without a restart', function (this: P1World) {
  const counters = this.requireHouse().counters;
  assert.equal(counters?.reconnects, 1, `reconnects: ${counters?.reconnects}`);
});

Then('the house has had no new reading for {int} seconds', async function (this: P1World, seconds: number) {
  const house = this.requireHouse();
  const count = house.valid().length;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  assert.equal(house.valid().length, count, 'readings arrived while the cable was out');
});

When('the house connects to a P1 cable that is not plugged in', async function (this: P1World) {
  const meter = this.useHilMeter();
  // The rig's device name with nothing behind it: what the house sees when the USB cable is out.
  this.meter = { ...meter, device: path.join(this.tmp, 'usb-p1-cable-not-plugged-in') };
  await this.connectHouse();
});

// --- the rig's inventory ---

Then('the meter speaks the protocol and reports the phases the inventory lists', function (this: P1World) {
  const { meter } = this.inventory;
  const reading = this.requireHouse().latest() as Reading;
  assert.ok(reading, 'no valid telegram');
  if (meter.protocol) assert.equal(reading.protocol, meter.protocol);
  if (meter.headerPrefix) assert.ok(reading.header?.startsWith(meter.headerPrefix), `header ${reading.header}`);
  assert.equal(reading.phases.length, meter.phases, `the meter reports ${reading.phases.length} phases`);
});

Given('the rig has a load the house can switch', function (this: P1World) {
  if (!this.inventory.load) return 'skipped';
});

/** The power on one line; a meter that reports no lines (DSMR 2.2) shows the load in its total. */
function linePowerKw(reading: Reading | undefined, phase: number): number {
  if (reading && reading.phases.length === 0) return (reading.power.importKw ?? 0) - (reading.power.exportKw ?? 0);
  const p = reading?.phases.find((x) => x.phase === phase);
  return (p?.importKw ?? 0) - (p?.exportKw ?? 0);
}

async function expectLineChange(world: P1World, sign: 1 | -1, telegrams: number): Promise<void> {
  const load = world.inventory.load;
  assert.ok(load, 'the rig has no switchable load');
  const house = world.requireHouse();
  const baseline = remembered(world.baselineKw, 'line power before the load');
  const meter = world.requireMeter();
  // Other loads in the house move too: the load must explain most of the change.
  const wanted = 0.7 * load.kw;
  await house.until(
    () => sign * (linePowerKw(house.latest(), load.phase) - baseline) >= (sign > 0 ? wanted : -wanted * 0.3),
    world.wallMs(telegrams * meter.cadenceS + 5),
    () => `L${load.phase} is at ${linePowerKw(house.latest(), load.phase)} kW, was ${baseline} kW`,
  );
}

When('the rig switches the load on', async function (this: P1World) {
  const load = this.inventory.load;
  assert.ok(load);
  this.baselineKw = linePowerKw(this.requireHouse().latest(), load.phase);
  this.defer(() => callRig(load.off));
  await callRig(load.on);
});

When('the rig switches the load off', async function (this: P1World) {
  const load = this.inventory.load;
  assert.ok(load);
  await callRig(load.off);
});

Then("the meter shows the load's power on its line within {int} telegrams", async function (this: P1World, n: number) {
  await expectLineChange(this, 1, n);
});

Then('the meter shows the load gone from its line within {int} telegrams', async function (this: P1World, n: number) {
  await expectLineChange(this, -1, n);
});
