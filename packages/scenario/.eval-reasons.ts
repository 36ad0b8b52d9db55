import { createBalancer } from '@p1/balancer';
import { loadScenario, runScenario, strategies } from '@p1/scenario';
const sc = loadScenario(process.argv[2]!);
const counts = new Map<string, number>();
let learned: unknown = null;
strategies.probe = (config) => {
  const b = createBalancer(config);
  let last = 0;
  return {
    step(input) {
      const d = b.step(input);
      for (const c of d.chargers) {
        const m = input.chargers.find((x) => x.capabilities.id === c.id)!.measurement;
        if (m.vehiclePlugged) counts.set(c.reason, (counts.get(c.reason) ?? 0) + 1);
      }
      last = input.nowMs;
      learned = b.learnedLoads(last);
      return d;
    },
  };
};
const r = runScenario(sc, { strategy: 'probe' });
console.log(JSON.stringify(r.metrics));
console.log([...counts.entries()].sort((a, b) => b[1] - a[1]));
console.log(JSON.stringify(learned, null, 0));
