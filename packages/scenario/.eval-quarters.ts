// Per-quarter trace of a run: which quarters end over target, and the seconds of one quarter.
import { createBalancer } from '@p1/balancer';
import { loadScenario, runScenario, strategies } from '@p1/scenario';
const sc = loadScenario(process.argv[2]!);
const watchQ = process.argv[3] ?? '';
const rows: string[] = [];
strategies.probe = (config) => {
  const b = createBalancer(config);
  return {
    step(input) {
      const d = b.step(input);
      const q = d.quarter;
      const iso = input.reading?.timestamp ?? '';
      if (watchQ && q.quarterStart === watchQ) {
        const c = d.chargers[0]!;
        const m = input.chargers[0]!.measurement;
        rows.push(`${iso.slice(11, 19)} imp=${input.reading?.power.importKw ?? '-'} exp=${input.reading?.power.exportKw ?? '-'} ev=${m.currentA[0]?.toFixed(1)} lim=${c.limitA} ${c.reason} used=${q.usedKwh.toFixed(4)} allowed=${q.allowedKw?.toFixed(2)} rest=${q.houseRestKwh.toFixed(3)}`);
      }
      return d;
    },
  };
};
const r = runScenario(sc, { strategy: 'probe', trace: true });
console.log(JSON.stringify(r.metrics));
for (const q of r.trace!.quarters) {
  if (q.targetKw !== null && q.avgKw > q.targetKw + 1e-3) {
    const start = new Date(Date.parse(sc.start) + q.startS * 1000 + 3600e3).toISOString().slice(11, 19);
    console.log(`over: start +${q.startS}s (${start} local?) avg=${q.avgKw.toFixed(3)} house=${q.houseAvgKw.toFixed(3)} target=${q.targetKw}`);
  }
}
console.log(rows.join('\n'));
