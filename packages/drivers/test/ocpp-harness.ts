import type { EventEmitter } from 'node:events';
import type { ChargerCapabilities } from '@p1/balancer/charger-state';
import { OCPP16 } from '@p1/ocpp16';
import { createCar, memoryLogger } from '@p1/sim';
import { SimulatedChargePoint, type SimulatedChargePointOptions } from '@p1/sim/charge-point';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { OcppCentralSystem, type OcppCentralSystemOptions } from '../src/charger/ocpp/central-system';

export { memoryLogger };

export function capabilities(id: string, over: Partial<ChargerCapabilities> = {}): ChargerCapabilities {
  return { id, phases: [1, 2, 3], minA: 6, maxA: 32, switchPhases: false, safeA: 6, ...over };
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0)
    await cleanups
      .pop()?.()
      .catch(() => {});
});

export async function startSystem(
  options: Partial<OcppCentralSystemOptions> & Pick<OcppCentralSystemOptions, 'chargers'>,
): Promise<{ system: OcppCentralSystem; logger: ReturnType<typeof memoryLogger> }> {
  const logger = memoryLogger();
  // The charge points sample every tick (100 ms) unless a test asks for the module's own interval.
  const system = await OcppCentralSystem.start({
    port: 0,
    bootWaitMs: 200,
    logger,
    meterValueSampleIntervalS: null,
    ...options,
  });
  cleanups.push(() => system.close());
  return { system, logger };
}

/**
 * A bare websocket to the central system as charge point `id`, with its Basic-auth password and the OCPP 1.6
 * subprotocol: for tests that write frames no library would (malformed ones, or none at all).
 */
export function rawSocket(url: string, id = 'cp1', password = 'pw'): WebSocket {
  const ws = new WebSocket(`${url}/${id}`, OCPP16, {
    headers: { authorization: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}` },
  });
  cleanups.push(async () => ws.terminate());
  return ws;
}

/** A charge point with a car that follows at once (lag 0, 1 s ramp) unless told otherwise. */
export function chargePoint(
  url: string,
  identity: string,
  over: Partial<SimulatedChargePointOptions> = {},
): SimulatedChargePoint {
  const cp = new SimulatedChargePoint({
    url,
    identity,
    tickMs: 100,
    car: createCar({ lagS: 0, rampS: 1, maxA: 32 }, [1, 2, 3]),
    reconnectBackoffMs: { initial: 50, max: 500 },
    ...over,
  });
  cleanups.push(() => cp.stop());
  return cp;
}

/** Resolves on the first event that satisfies `test`; generous timeout for a loaded CI machine. */
export function waitForEvent<A extends unknown[]>(
  emitter: EventEmitter,
  event: string,
  test: (...args: A) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<A> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out waiting for '${event}'`));
    }, timeoutMs);
    const listener = (...args: unknown[]) => {
      if (!test(...(args as A))) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args as A);
    };
    emitter.on(event, listener);
  });
}

export async function until(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
