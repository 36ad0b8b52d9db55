import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { type RunResult, runScenario, secondsUntilTimeOfDay } from '@p1/scenario';
import { type P1World, remembered } from '../support/world';

/** The balancer's run of the plan in this process, with its per-second trace (the CLI prints only metrics). */
const runs = new WeakMap<P1World, RunResult>();

function runOf(world: P1World): RunResult {
  return remembered(runs.get(world), 'run of the house watched second by second');
}

When(
  'the module balances the house for {int} hours, watched second by second',
  function (this: P1World, hours: number) {
    const plan = remembered(this.plan, 'house described by the Given steps');
    plan.durationS = hours * 3600;
    const run = runScenario(plan, { trace: true });
    runs.set(this, run);
    this.metrics.set('default', run.metrics);
  },
);

Then('no quarter-hour goes over the target that the house alone kept under it', function (this: P1World) {
  const { metrics, trace } = runOf(this);
  const quarters = remembered(trace, 'trace').quarters;
  // the runner counts only quarters the house alone kept under the target; the trace lets us see it did
  const overByTheCar = quarters.filter(
    (q) => q.targetKw !== null && q.houseAvgKw <= q.targetKw && q.avgKw > q.targetKw + 1e-6,
  );
  assert.equal(metrics.quartersOverTarget, overByTheCar.length, 'the runner and its trace disagree');
  assert.equal(
    overByTheCar.length,
    0,
    `quarters over the target: ${overByTheCar.map((q) => `${q.avgKw.toFixed(3)} kW at ${q.startS} s`).join(', ')}`,
  );
  assert.ok(quarters.length >= 90, `only ${quarters.length} quarters were closed`);
});

Then('no line goes above 1.45 times its fuse rating twice from the same appliance', function (this: P1World) {
  const { metrics, over145Events } = runOf(this);
  assert.ok(
    metrics.over145RepeatMax <= 1,
    `above 1.45 × the fuse: ${over145Events.map((e) => `${e.cause} at ${e.atS} s for ${e.seconds} s`).join(', ')}`,
  );
});

Then(
  'after its first two cycles the car is not raised while the {word} is off, into its next on-step',
  function (this: P1World, name: string) {
    const plan = remembered(this.plan, 'house');
    const load = plan.loads.find((l) => l.name === name);
    assert.ok(load && load.onS > 0, `the ${name} does not cycle`);
    const limitA = remembered(runOf(this).trace, 'trace').limitA;
    const firstS = secondsUntilTimeOfDay(Date.parse(plan.start), load.at);
    const periodS = load.onS + load.offS;
    const raised: string[] = [];
    // each off-time: the cars' limit as it switched off, and as it switches on again
    for (let k = 2; (k + 1) * periodS <= load.durationS; k++) {
      const offS = firstS + k * periodS + load.onS;
      const nextOnS = firstS + (k + 1) * periodS;
      const atOff = limitA[offS] ?? 0;
      const atOn = limitA[nextOnS - 1] ?? 0;
      if (atOn > atOff + 0.05) raised.push(`${atOff.toFixed(1)} → ${atOn.toFixed(1)} A before ${nextOnS} s`);
    }
    assert.deepEqual(raised, [], `the car was raised into the ${name}'s on-step: ${raised.join(', ')}`);
  },
);

Then('both cars charge', function (this: P1World) {
  const plan = remembered(this.plan, 'house');
  assert.equal(plan.evs.length, 2, 'the house has two cars');
  const { metrics } = runOf(this);
  // the bound gives each car its share; both together above one car's need shows the second one charged too
  assert.ok(
    metrics.evEnergyKwh > (plan.evs[0]?.needKwh ?? 0),
    `the cars got ${metrics.evEnergyKwh.toFixed(2)} kWh together`,
  );
});

Then(
  'the car gets more than {int} kWh and at least {int} % of the energy the house could have given it',
  function (this: P1World, kwh: number, percent: number) {
    const { metrics } = runOf(this);
    assert.ok(metrics.evEnergyKwh > kwh, `the car got ${metrics.evEnergyKwh.toFixed(2)} kWh`);
    assert.ok(
      metrics.evEnergyRatio >= percent / 100,
      `the car got ${metrics.evEnergyKwh.toFixed(2)} of ${metrics.optimalEvEnergyKwh.toFixed(2)} kWh (${(metrics.evEnergyRatio * 100).toFixed(1)} %)`,
    );
  },
);
