import type { Logger } from '../logger';

export interface MeterFeedOptions {
  /** Base URL of the meter simulator's control API, e.g. http://127.0.0.1:8081 */
  url: string;
  token: string;
  /** The load's name in the simulator; the charge point uses `ev-<id>`. */
  load: string;
  /** What the car draws now: grid lines and power. */
  read: () => { phases: readonly number[]; kw: number };
  intervalMs?: number;
  logger: Logger;
}

export interface MeterFeed {
  /** Sends the current value now; resolves false when the simulator did not take it. */
  push(): Promise<boolean>;
  /** Stops the timer and tells the simulator the load is off. */
  stop(): Promise<void>;
}

/**
 * Closes the loop: the car's power appears in the simulated meter's telegrams, so the balancer
 * sees the consequence of its own setpoints.
 */
export function createMeterFeed(options: MeterFeedOptions): MeterFeed {
  const endpoint = `${options.url.replace(/\/+$/, '')}/api/loads/${encodeURIComponent(options.load)}`;
  let failing = false;
  let timer: NodeJS.Timeout | null = null;

  const send = async (body: { phases: readonly number[]; kw: number }): Promise<boolean> => {
    try {
      const res = await fetch(endpoint, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify({ phases: body.phases, kw: Math.round(body.kw * 1000) / 1000 }),
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      if (failing) options.logger.info({ load: options.load }, 'meter simulator takes the load again');
      failing = false;
      return true;
    } catch (err) {
      // One line per outage, not one per second.
      if (!failing) {
        options.logger.warn(
          { load: options.load, endpoint, err: (err as Error).message },
          'meter simulator did not take the load; retrying every interval',
        );
      }
      failing = true;
      return false;
    }
  };

  // Sends still on their way when the feed stops: the "off" must land after them, not be overtaken.
  const inFlight = new Set<Promise<boolean>>();
  const sendNow = (): Promise<boolean> => {
    const sending = send(options.read());
    inFlight.add(sending);
    void sending.finally(() => inFlight.delete(sending));
    return sending;
  };

  timer = setInterval(() => void sendNow(), options.intervalMs ?? 1000);
  timer.unref();
  return {
    push: sendNow,
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.all(inFlight);
      await send({ phases: options.read().phases, kw: 0 });
    },
  };
}
