/** A fleet worker thread: runs the houses the main thread hands it, one at a time, and sends back the outcome. */
import { parentPort, workerData } from 'node:worker_threads';
import type { Profile } from '../houses/sites';
import { type HouseVariant, type Margins, runHouse } from './house-run';

const { seed, profile, strategies, variant, margins } = workerData as {
  seed: number;
  profile: Profile;
  strategies: string[];
  variant: HouseVariant;
  margins: Margins;
};
const port = parentPort!;
port.on('message', (index: number | null) => {
  if (index === null) {
    port.close();
    return;
  }
  try {
    port.postMessage({ outcome: runHouse(seed, index, profile, strategies, variant, margins) });
  } catch (e) {
    port.postMessage({ index, error: e instanceof Error ? e.message : String(e) });
  }
});
port.postMessage({ ready: true });
