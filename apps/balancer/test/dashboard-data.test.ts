import { createBalancer } from '@p1/balancer';
import { TelegramFramer } from '@p1/dsmr';
import { createSimulatedCharger } from '@p1/sim';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config';
import { LiveState } from '../src/live/live-state';
import { Store } from '../src/store/store';
import { ModuleCore } from '../src/wiring/core';
import { belgianTelegram } from './helpers/telegram';

const Q = 900_000;

/** The module core fed one telegram a second on its own clock, as the meter would. */
function rig() {
  const r = validateConfig({
    version: 1,
    meter: { source: 'serial', device: '/dev/null' },
    site: { connection: '3N400', fuseA: 25 },
    chargers: [{ id: 'cp1', driver: 'simulated', phases: [1, 2, 3], minA: 6, maxA: 16 }],
    store: { path: ':memory:' },
  });
  if (!r.ok) throw new Error(r.problems.join('; '));
  let now = 0;
  const store = new Store(':memory:');
  const charger = createSimulatedCharger(
    { id: 'cp1', phases: [1, 2, 3], minA: 6, maxA: 16, switchPhases: false, safeA: 6 },
    { now: () => now, tickMs: false },
  );
  const core = new ModuleCore({
    config: r.config,
    store,
    live: new LiveState(r.config.site),
    createBalancer,
    chargers: [charger],
    logger: pino({ level: 'silent' }),
    now: () => now,
  });
  const framer = new TelegramFramer();
  /** What the charger measured at each second (its highest line). */
  const measured = new Map<number, number>();
  /** The meter's own count of the running quarter (nothing imported before the test's first telegram). */
  let quarterStart = Number.NaN;
  let quarterKwh = 0;
  /**
   * Telegrams every second from `from` (inclusive) to `to` (exclusive) at `importKw`, with the meter's
   * running quarter average (1-0:1.4.0) as a meter computes it, and its month peak as given.
   */
  const feed = (from: number, to: number, importKw: number, monthPeakKw: number) => {
    for (let t = from; t < to; t += 1000) {
      now = t;
      const start = t - (t % Q);
      if (start !== quarterStart) {
        quarterStart = start;
        quarterKwh = 0;
      }
      quarterKwh += importKw / 3600;
      const quarterAverageKw = t > start ? (quarterKwh * 3_600_000) / (t - start) : importKw;
      measured.set(t, Math.max(...charger.step().currentA.map((a) => a ?? 0)));
      const telegram = belgianTelegram({ at: t, importKw, monthPeakKw, quarterAverageKw });
      for (const f of framer.push(telegram)) core.onReading(f.reading, f.raw);
    }
  };
  return { store, charger, feed, measured };
}

describe('what the charts read, as the module core records it', () => {
  it("keeps each session's highest closed quarter and whether a quarter raised the month peak", () => {
    const { store, charger, feed } = rig();
    const q0 = Date.UTC(2025, 0, 15, 9, 0, 0); // 10:00 on the meter clock
    // the module starts 10 minutes into a quarter: 3 kW for the last 5 minutes is a 1 kW quarter;
    // the meter says the month peak so far is 0.5 kW
    feed(q0 + 600_000, q0 + Q, 3, 0.5);
    feed(q0 + Q, q0 + 2 * Q, 0.5, 0.5); // closes the 1 kW quarter: raised
    feed(q0 + 2 * Q, q0 + 2 * Q + 2000, 0.5, 1); // closes a 0.5 kW quarter: not raised
    const [first] = store.sessions();
    expect(first).toMatchObject({
      chargerId: 'cp1',
      endedAt: null,
      peakKw: expect.closeTo(1, 2),
      raisedMonthPeak: true,
    });

    charger.unplug();
    feed(q0 + 2 * Q + 2000, q0 + 2 * Q + 4000, 0.5, 1);
    charger.plugIn();
    feed(q0 + 2 * Q + 4000, q0 + 3 * Q + 2000, 0.8, 1); // a 0.8 kW quarter under the 1 kW peak
    const [second, ended] = store.sessions();
    expect(ended).toMatchObject({ id: first?.id, peakKw: expect.closeTo(1, 2), raisedMonthPeak: true });
    expect(ended?.endedAt).toBe(q0 + 2 * Q + 2000);
    expect(second).toMatchObject({ endedAt: null, peakKw: expect.closeTo(0.8, 2), raisedMonthPeak: false });
  });

  it("records the charger's current and limit once a second while a car is plugged in", () => {
    const { store, charger, feed, measured } = rig();
    const t0 = Date.UTC(2025, 0, 15, 9, 0, 0);
    feed(t0, t0 + 120_000, 1, 4);
    charger.unplug();
    feed(t0 + 120_000, t0 + 180_000, 1, 4);
    const series = store.chargerSeries('cp1', t0, t0 + 180_000, 1000, t0 + 180_000);
    // one sample per second of the session, none after the car left
    expect(series.ts).toEqual(Array.from({ length: 120 }, (_, i) => t0 + i * 1000));
    expect(series.limitA.every((a) => a === null || (a >= 0 && a <= 16))).toBe(true);
    expect(series.limitA.at(-1)).toBeGreaterThanOrEqual(6);
    // the car follows the limit up: what it draws is what the charger measured
    expect(Math.max(...series.currentA.map((a) => a ?? 0))).toBeGreaterThan(5);
    expect(series.currentA).toEqual(series.ts.map((t) => Math.round((measured.get(t) as number) * 100) / 100));
  });
});
