import * as v from 'valibot';
import { chargerDriverEntry } from '../driver-entry';

/** Real chargers over OCPP 1.6J; loaded only when configured: no websocket server without an OCPP charger. */
export const ocppChargerEntry = chargerDriverEntry({
  name: 'ocpp',
  summary:
    'a real charger (Alfen, ABB, Wallbox, Easee, Peblar, …) that connects to the module, its OCPP 1.6J central system',
  options: v.object({
    password: v.nullish(
      v.pipe(v.string(), v.minLength(1), v.description('OCPP security profile 1 (basic auth) password; never logged')),
    ),
  }),
  start: async (chargers, context) => {
    const { OcppCentralSystem } = await import('./central-system');
    const ocpp = await OcppCentralSystem.start({
      ...context.ocpp,
      logger: context.logger,
      ...(context.now ? { now: context.now } : {}),
      chargers: chargers.map((c) => ({
        capabilities: c.capabilities,
        ...(c.options.password ? { password: c.options.password } : {}),
      })),
    });
    return { chargers: ocpp.chargers(), ocpp, close: () => ocpp.close() };
  },
});
