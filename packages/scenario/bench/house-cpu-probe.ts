/** Bundled by house-cpu.bench.ts with one side's sources: a fleet worker's unit of work. */
export { runHouse } from '../src/fleet/house-run';
