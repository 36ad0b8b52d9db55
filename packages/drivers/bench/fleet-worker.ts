/**
 * Runs N simulated charge points in a separate process, so that the bench measures the central
 * system's event loop and not the charge points'. Argument: JSON {url, count, password, tickMs}.
 */
import { createCar } from '@p1/sim';
import { SimulatedChargePoint } from '@p1/sim/charge-point';

const { url, count, password, tickMs } = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  count: number;
  password: string;
  tickMs: number;
};

const points = Array.from(
  { length: count },
  (_, i) =>
    new SimulatedChargePoint({
      url,
      identity: `cp${i}`,
      password,
      tickMs,
      car: createCar({ lagS: 2, rampS: 10, maxA: 32 }, [1, 2, 3]),
    }),
);

// Connect in small batches: 100 handshakes at once is a thundering herd no real site has.
for (let i = 0; i < points.length; i += 10) await Promise.all(points.slice(i, i + 10).map((p) => p.start()));
process.send?.({ ready: true });
process.on('message', async (m: { stop?: boolean }) => {
  if (!m.stop) return;
  await Promise.all(points.map((p) => p.stop()));
  process.exit(0);
});
