/**
 * The registry entry of the simulated charger (`chargers[i].driver: simulated`). Written to fit
 * @p1/drivers' `ChargerDriverEntry` without depending on it.
 */
import type { Charger, ChargerCapabilities } from '@p1/balancer/charger-state';
import * as v from 'valibot';

export const simulatedChargerEntry = {
  name: 'simulated' as const,
  summary: 'an in-process charger with a car plugged in (physics from @p1/scenario: lag, ramp, minimum current)',
  options: v.object({}),
  start: async (chargers: { capabilities: ChargerCapabilities }[], context: { now?: () => number }) => {
    const { createSimulatedCharger } = await import('./simulated-charger');
    const started: Charger[] = chargers.map((c) =>
      createSimulatedCharger(c.capabilities, { car: {}, ...(context.now ? { now: context.now } : {}) }),
    );
    return {
      chargers: started,
      close: async () => {
        await Promise.all(started.map((c) => c.stop()));
      },
    };
  },
};
