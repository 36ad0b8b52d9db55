/**
 * Child of physics.bench.ts, bundled with esbuild: runs generated houses as a fleet worker does and prints one
 * JSON line per house with where its time went. Argv: seed, first house, number of houses, strategies….
 *
 * The physics is measured in CPU time, which a busy machine disturbs far less than wall time: the house timeline,
 * then each strategy's run again with its decisions replayed from the first run (a replay costs an array read a
 * second, so the run is all physics, and the same physics as with the strategy: same decisions, same metrics).
 */
import type { BalancerInput, ChargerDecision } from '@p1/balancer';
import { optimalEvEnergyKwh } from '../src/bench/optimal';
import { runScenario } from '../src/bench/runner';
import { strategies } from '../src/bench/strategies';
import { houseTimeline } from '../src/house';
import { generateHouse } from '../src/houses/generate';

type Setpoint = Pick<ChargerDecision, 'id' | 'limitA' | 'phases'>;

/** Every decision of one run, in step order: per step, per charger, the limit and the phases. */
interface Recording {
  limitA: number[];
  phases: Array<1 | 3>;
}

let recording: Recording = { limitA: [], phases: [] };
let recorded = '';

strategies['probe-record'] = (config, scenario) => {
  const inner = strategies[recorded]!(config, scenario);
  return {
    step(input: BalancerInput) {
      const d = inner.step(input);
      for (const c of d.chargers) {
        recording.limitA.push(c.limitA);
        recording.phases.push(c.phases);
      }
      return d;
    },
  };
};

strategies['probe-replay'] = (_config, scenario) => {
  const out: Setpoint[] = scenario.chargers.map((c) => ({ id: c.id, limitA: 0, phases: 3 }));
  const decision = { chargers: out };
  let k = 0;
  return {
    step() {
      for (const c of out) {
        c.limitA = recording.limitA[k]!;
        c.phases = recording.phases[k++]!;
      }
      return decision;
    },
  };
};

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

const [seed, from, count, ...names] = process.argv.slice(2);
for (let i = Number(from); i < Number(from) + Number(count); i++) {
  const scenario = generateHouse(Number(seed), i, 'be');
  let cpu = process.cpuUsage();
  const house = houseTimeline(scenario);
  let physicsCpuMs = cpuMs(cpu);
  const optimalKwh = optimalEvEnergyKwh(scenario, house);
  let physicsMs = 0;
  let strategyMs = 0;
  for (const name of names) {
    recorded = name;
    recording = { limitA: [], phases: [] };
    const real = runScenario(scenario, { strategy: 'probe-record', house, optimalKwh });
    physicsMs += real.timing.physicsMs;
    strategyMs += real.timing.strategyMs;
    cpu = process.cpuUsage();
    const replayed = runScenario(scenario, { strategy: 'probe-replay', house, optimalKwh });
    physicsCpuMs += cpuMs(cpu);
    const same = (m: typeof real.metrics) => JSON.stringify({ ...m, stepP99Us: 0 });
    if (same(real.metrics) !== same(replayed.metrics)) throw new Error(`house ${i}: the replay of ${name} differs`);
  }
  console.log(JSON.stringify({ index: i, physicsCpuMs, physicsMs, strategyMs }));
}
