import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, runScenario } from '@p1/scenario';
const dir = process.argv[2] ?? 'packages/scenario/scenarios';
const strategies = (process.argv[3] ?? 'default').split(',');
const keys = ['over145Seconds', 'overloadMaxEventS', 'overloadSeconds', 'quartersOverTarget', 'maxQuarterOvershootKw', 'evEnergyRatio', 'setpointChangesPerHour', 'pauses', 'failsafeMaxS', 'stepP99Us'] as const;
console.log(['scenario', 'strategy', ...keys.map((k) => k.replace('Seconds', 'S').replace('overload', 'ovl'))].join('\t'));
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const sc = loadScenario(join(dir, f));
  for (const st of strategies) {
    const r = runScenario(sc, { strategy: st });
    console.log([sc.name.slice(0, 28), st.slice(0, 8), ...keys.map((k) => r.metrics[k])].join('\t'));
  }
}
