import type { Logger } from '../logger';
import { type CarSpec, createCar } from './car';
import { type ChargePointFault, SimulatedChargePoint } from './charge-point';
import { createMeterFeed, type MeterFeed } from './meter-feed';

export interface ChargePointRunOptions {
  url: string;
  id: string;
  password?: string;
  phases: 1 | 3;
  maxA: number;
  car: CarSpec | null;
  faults: ChargePointFault[];
  meterControl?: { url: string; token: string };
  tickMs?: number;
  logger: Logger;
}

export interface RunningChargePoint {
  chargePoint: SimulatedChargePoint;
  feed: MeterFeed | null;
  stop(): Promise<void>;
}

/** `p1-sim charger`: a charge point with a car, optionally feeding its power to the meter simulator. */
export async function runChargePoint(o: ChargePointRunOptions): Promise<RunningChargePoint> {
  const wired = o.phases === 3 ? ([1, 2, 3] as const) : ([1] as const);
  const car = o.car ? createCar(o.car, [...wired]) : null;
  const chargePoint = new SimulatedChargePoint({
    url: o.url,
    identity: o.id,
    ...(o.password !== undefined ? { password: o.password } : {}),
    phases: o.phases,
    maxA: o.maxA,
    car,
    faults: o.faults,
    logger: o.logger,
    ...(o.tickMs !== undefined ? { tickMs: o.tickMs } : {}),
  });
  chargePoint.on('connection', (up) => o.logger.info({ chargerId: o.id, connected: up }, 'central system connection'));
  chargePoint.on('profile', (p) =>
    o.logger.info({ chargerId: o.id, offeredA: p.offeredA }, 'charging profile installed'),
  );
  chargePoint.on('transaction', (t) => o.logger.info({ chargerId: o.id, ...t }, 'transaction'));
  await chargePoint.start();
  const feed = o.meterControl
    ? createMeterFeed({
        url: o.meterControl.url,
        token: o.meterControl.token,
        load: `ev-${o.id}`,
        logger: o.logger,
        read: () => {
          const lines = chargePoint.drawnA > 0 && car ? car.lines : wired;
          return { phases: [...lines], kw: chargePoint.drawnA > 0 && car ? car.powerKw : 0 };
        },
      })
    : null;
  return {
    chargePoint,
    feed,
    async stop() {
      await feed?.stop();
      await chargePoint.stop();
    },
  };
}
