import { createCar } from './car';
import { SimulatedChargePoint } from './charge-point';

export interface FleetOptions {
  url: string;
  count: number;
  password: string;
  /** MeterValues and car steps of every charge point. */
  tickMs: number;
}

export interface ChargePointFleet {
  readonly points: SimulatedChargePoint[];
  stop(): Promise<void>;
}

/**
 * N charge points `cp0`…`cpN-1` with a car each, connected to one central system (load tests and the
 * drivers' bench). They connect ten at a time: a hundred handshakes at once is a herd no real site has.
 */
export async function startChargePointFleet(o: FleetOptions): Promise<ChargePointFleet> {
  const points = Array.from(
    { length: o.count },
    (_, i) =>
      new SimulatedChargePoint({
        url: o.url,
        identity: `cp${i}`,
        password: o.password,
        tickMs: o.tickMs,
        car: createCar({ lagS: 2, rampS: 10, maxA: 32 }, [1, 2, 3]),
      }),
  );
  for (let i = 0; i < points.length; i += 10) await Promise.all(points.slice(i, i + 10).map((p) => p.start()));
  return {
    points,
    async stop() {
      await Promise.all(points.map((p) => p.stop()));
    },
  };
}
