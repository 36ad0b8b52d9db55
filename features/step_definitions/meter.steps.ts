import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import type { Reading } from '@p1/dsmr';
import type { Received } from '../support/meter-reader';
import { startSimulatedMeter } from '../support/sim-meter';
import type { P1World } from '../support/world';

/** The meter every @any-target scenario uses: the rig's on hil, the default Belgian 3-phase model on sim. */
Given('the meter in the meter cupboard is sending telegrams', async function (this: P1World) {
  if (this.target === 'hil') this.useHilMeter();
  else await startSimulatedMeter(this, { model: 'fluvius-3ph', portOpen: true });
});

Given('a simulated {string} meter whose P1 port is open', async function (this: P1World, model: string) {
  await startSimulatedMeter(this, { model, portOpen: true });
});

Given('a simulated {string} meter whose P1 port is closed', async function (this: P1World, model: string) {
  await startSimulatedMeter(this, { model, portOpen: false });
});

Given(
  'a simulated {string} meter whose every telegram fails its checksum',
  async function (this: P1World, model: string) {
    const meter = await startSimulatedMeter(this, { model, portOpen: true });
    await meter.injectFault({ kind: 'crc', rate: 1 });
  },
);

Given('the house is listening to the meter', async function (this: P1World) {
  const house = await this.connectHouse();
  await house.nextValid(1, this.wallMs(2 * this.requireMeter().cadenceS));
});

// On a real meter five minutes of meter time are five minutes on the wall clock.
const LONG_LISTEN = { timeout: 20 * 60_000 };

When(
  'the house listens to the meter for {int} minutes of meter time',
  LONG_LISTEN,
  async function (this: P1World, minutes: number) {
    await listenFor(this, minutes * 60);
  },
);

When(
  'the house listens to the meter for {int} seconds of meter time',
  LONG_LISTEN,
  async function (this: P1World, seconds: number) {
    await listenFor(this, seconds);
  },
);

When('the house listens to the meter for {int} telegrams', LONG_LISTEN, async function (this: P1World, count: number) {
  const house = this.house ?? (await this.connectHouse());
  await house.nextValid(count, this.wallMs(count * this.requireMeter().cadenceS + 5));
});

When('the house plugs in while a telegram is on its way', async function (this: P1World) {
  const meter = this.requireMeter();
  // Any moment within the interval: on a fast meter the cable is busy for a good part of it.
  await sleep(Math.random() * (meter.cadenceS / meter.speed) * 1000);
  await this.connectHouse();
});

/**
 * Listens until `meterSeconds` of meter clock have passed (telegram timestamps), so an accelerated simulator
 * finishes early and a real meter takes the time it says. A meter without a clock (DSMR 2.2) is timed by the
 * wall clock. Without valid telegrams it waits the wall time.
 */
async function listenFor(world: P1World, meterSeconds: number): Promise<void> {
  const house = world.house ?? (await world.connectHouse());
  const meter = world.requireMeter();
  const wallBudget = world.wallMs(meterSeconds + meter.cadenceS * 2);
  const elapsedMeterS = (): number => meterSpanS(house.valid(), meter.speed);
  const wallStart = Date.now();
  const wallOnly = (meterSeconds / meter.speed) * 1000;
  const none = () => house.valid().length === 0;
  await house
    .until(
      () => elapsedMeterS() >= meterSeconds || (none() && Date.now() - wallStart >= wallOnly),
      wallBudget,
      () => `only ${elapsedMeterS()} s of meter time arrived`,
    )
    .catch(async (err) => {
      // No telegram at all is a result the Then steps judge; a stalled stream is not.
      if (!none()) throw err;
    });
  if (none()) await sleep(Math.max(0, wallOnly - (Date.now() - wallStart)));
}

/** Meter seconds between the first and the last of `frames`: their timestamps, or their arrival times. */
function meterSpanS(frames: Received[], speed: number): number {
  const first = frames[0];
  const last = frames.at(-1);
  if (!first || !last) return 0;
  const a = meterMs(first.reading);
  const b = meterMs(last.reading);
  if (a !== undefined && b !== undefined) return (b - a) / 1000;
  return ((last.atMs - first.atMs) / 1000) * speed;
}

function meterMs(reading: Reading | undefined): number | undefined {
  return reading?.timestamp ? Date.parse(reading.timestamp) : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

Then('a valid telegram arrived at least once per meter interval', function (this: P1World) {
  const meter = this.requireMeter();
  const frames = this.requireHouse().valid();
  assert.ok(frames.length >= 2, `only ${frames.length} valid telegrams arrived`);
  const clockless = frames.some((f) => meterMs(f.reading) === undefined);
  // Meter timestamps are exact; arrival times (a meter without a clock) carry the reader's own jitter.
  const allowed = clockless ? meter.cadenceS * 1.5 : meter.cadenceS;
  let worst = 0;
  for (let i = 1; i < frames.length; i++) {
    worst = Math.max(worst, meterSpanS([frames[i - 1] as Received, frames[i] as Received], meter.speed));
  }
  assert.ok(
    worst <= allowed,
    `the meter sends every ${meter.cadenceS} s but once ${worst.toFixed(1)} s passed between valid telegrams`,
  );
});

Then('no telegram failed its checksum', function (this: P1World) {
  const house = this.requireHouse();
  const failed = house.frames.filter((f) => f.reading.crc === 'invalid' || f.reading.error?.code === 'crc_mismatch');
  assert.equal(failed.length, 0, `${failed.length} of ${house.frames.length} telegrams failed their checksum`);
});

Then('the next telegram is read normally', async function (this: P1World) {
  const house = this.requireHouse();
  const [next] = await house.nextValid(1, this.wallMs(3 * this.requireMeter().cadenceS));
  assert.ok(next?.reading.ok, 'no valid telegram followed');
  assert.ok(next.reading.phases.length > 0 || next.reading.power.importKw !== null, 'the telegram carried no power');
});

Then('each telegram is newer than the one before', async function (this: P1World) {
  const house = this.requireHouse();
  await house.nextValid(1, this.wallMs(3 * this.requireMeter().cadenceS));
  const [a, b] = house.valid().slice(-2);
  assert.ok(a && b, 'fewer than two telegrams');
  const [ta, tb] = [meterMs(a.reading), meterMs(b.reading)];
  if (ta !== undefined && tb !== undefined)
    assert.ok(tb > ta, `meter time went from ${a.reading.timestamp} to ${b.reading.timestamp}`);
  // A meter without a clock: its registers never go back.
  else
    assert.ok((b.reading.energy.importKwh ?? 0) >= (a.reading.energy.importKwh ?? 0), 'the import register went back');
});

Then(
  'every telegram was understood as a {string} meter with checksum {string}',
  function (this: P1World, protocol: string, checksum: string) {
    const house = this.requireHouse();
    const valid = house.valid();
    assert.ok(valid.length > 0, 'no valid telegram');
    assert.equal(house.rejected().length, 0, `rejected: ${house.rejected().map((f) => f.reading.error?.code)}`);
    for (const { reading } of valid) {
      assert.equal(reading.protocol, protocol);
      assert.equal(reading.crc, checksum);
    }
  },
);

Then(
  'the house sees {int} phases with their current, and their voltage: {word}',
  function (this: P1World, count: number, voltage: string) {
    const reading = this.requireHouse().latest();
    assert.ok(reading, 'no valid telegram');
    assert.equal(reading.phases.length, count, `phases: ${JSON.stringify(reading.phases)}`);
    for (const phase of reading.phases) {
      assert.ok(phase.currentA !== null && phase.currentA >= 0, `L${phase.phase} has no current`);
      // DSMR 4 meters and older leave the voltage out; the others must send a plausible one.
      if (voltage === 'yes') {
        assert.ok(
          phase.voltageV !== null && phase.voltageV > 180 && phase.voltageV < 260,
          `L${phase.phase} voltage ${phase.voltageV}`,
        );
      } else {
        assert.equal(phase.voltageV, null, `L${phase.phase} has a voltage the model does not send`);
      }
    }
  },
);

Then('the meter introduces itself the way its model does', function (this: P1World) {
  const prefix = this.requireMeter().headerPrefix;
  assert.ok(prefix, 'the model has no known identification line');
  for (const { reading } of this.requireHouse().valid()) {
    assert.ok(reading.header?.startsWith(prefix), `identification "${reading.header}", expected "${prefix}…"`);
  }
});

Then("the meter's energy registers only go up", function (this: P1World) {
  const totals = this.requireHouse()
    .valid()
    .map((f) => f.reading.energy.importKwh ?? 0);
  for (let i = 1; i < totals.length; i++) {
    assert.ok((totals[i] ?? 0) >= (totals[i - 1] ?? 0), `import went from ${totals[i - 1]} to ${totals[i]} kWh`);
  }
});

Then("the house knows the running quarter-hour average and the month's peak", function (this: P1World) {
  const reading = this.requireHouse().latest();
  assert.ok(reading?.capacity, 'the telegram carried no capacity figures');
  assert.equal(typeof reading.capacity.quarterAverageKw, 'number');
  assert.equal(typeof reading.capacity.monthPeakKw, 'number');
});

When('the cable damages a telegram with a flipped bit', async function (this: P1World) {
  await damageOne(this, 'crc');
});

When('the cable damages a telegram with a cut-off tail', async function (this: P1World) {
  await damageOne(this, 'truncate');
});

When('the cable adds noise between telegrams', async function (this: P1World) {
  await damageOne(this, 'noise');
});

async function damageOne(world: P1World, kind: 'crc' | 'truncate' | 'noise'): Promise<void> {
  const meter = world.requireSimulator();
  const house = world.requireHouse();
  const rejectedBefore = house.rejected().length;
  world.rejectedBefore = rejectedBefore;
  await meter.injectFault({ kind, count: 1 });
  // The damaged telegram is the next one out; wait for it and the one after.
  await house.nextValid(1, world.wallMs(3 * world.requireMeter().cadenceS));
}

Then('the house throws that telegram away as {string}', async function (this: P1World, code: string) {
  const house = this.requireHouse();
  const before = this.rejectedBefore;
  await house.until(
    () => house.rejected().length > before,
    this.wallMs(3 * this.requireMeter().cadenceS),
    () => 'the damaged telegram was not thrown away',
  );
  const thrown = house.rejected().slice(before);
  assert.ok(
    thrown.some((f) => f.reading.error?.code === code),
    `thrown away as ${thrown.map((f) => f.reading.error?.code).join(', ')}, expected ${code}`,
  );
});

Then('the house has no valid reading', function (this: P1World) {
  const house = this.requireHouse();
  assert.equal(house.valid().length, 0, `${house.valid().length} telegrams were valid`);
});

Then('the house says it gets bytes but no valid telegram', async function (this: P1World) {
  const house = this.requireHouse();
  await house.until(
    () => house.diagnosis === 'bytes-no-telegram',
    this.wallMs(10),
    () => `the house says "${house.diagnosis}"`,
  );
});

Then('the house says it gets no bytes at all', async function (this: P1World) {
  const house = this.requireHouse();
  await house.until(
    () => house.diagnosis === 'no-bytes',
    this.wallMs(10),
    () => `the house says "${house.diagnosis}"`,
  );
});

Then('not a single byte reached the house', function (this: P1World) {
  assert.equal(this.requireHouse().counters?.bytes ?? 0, 0);
});
