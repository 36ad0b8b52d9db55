/**
 * Runs N simulated charge points in a separate process, so that the bench measures the central
 * system's event loop and not the charge points'. Argument: JSON {url, count, password, tickMs}.
 */
import { type FleetOptions, startChargePointFleet } from '@p1/sim/charge-point';

const fleet = await startChargePointFleet(JSON.parse(process.argv[2] ?? '{}') as FleetOptions);
process.send?.({ ready: true });
process.on('message', async (m: { stop?: boolean }) => {
  if (!m.stop) return;
  await fleet.stop();
  process.exit(0);
});
