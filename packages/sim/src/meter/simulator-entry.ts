/**
 * The registry entry of the simulated meter (`meter.source: simulator`), the module's embedded
 * default. Written to fit @p1/drivers' `MeterSourceEntry` without depending on it: the module reads
 * the meter's bytes with its own drivers, through `context.read`.
 */
import type { Connection } from '@p1/balancer';
import * as v from 'valibot';
import type { EmbeddedMeter, EmbeddedMeterLink } from './embedded-meter';
import { METER_MODELS } from './models';
import type { MeterSimulation } from './simulation';

export interface SimulatorMeterConfig {
  source: 'simulator';
  model: string;
  speed: number;
  /** A scenario file (JSON, @p1/scenario's format) for the house's loads; default the built-in day. */
  scenario?: string;
  smartyKey?: string;
}

/** What the module gives the simulated meter. */
export interface SimulatorContext<Source> {
  /** Reads the meter's bytes with the module's drivers: `serial` on the socat pair, `stream` in-process. */
  read(link: EmbeddedMeterLink & { smartyKey?: string }): Promise<Source>;
  /** The site's supply: the meter measures what the balancer assumes, when the model has that supply. */
  connection?: Connection;
  /** Runs before every telegram (the module's simulated cars show up in the meter's load). */
  beforeTelegram?: (simulation: MeterSimulation) => void;
  /** Told the running meter, before it is read: the module stops it, and shows its device. */
  started?: (meter: EmbeddedMeter) => void;
}

const MODEL_NAMES = METER_MODELS.map((m) => m.name) as [string, ...string[]];

export const simulatorMeterEntry = {
  name: 'simulator' as const,
  summary: 'the embedded simulated meter, on a socat serial pair (in-process without socat)',
  options: v.object({
    model: v.optional(
      v.pipe(v.picklist(MODEL_NAMES), v.description('Meter model (`p1-sim models` lists them)')),
      'fluvius-3ph',
    ),
    speed: v.optional(
      v.pipe(
        v.number(),
        v.minValue(0.01),
        v.maxValue(100000),
        v.description('Clock speed: 1 = real time, larger is faster'),
      ),
      1,
    ),
    scenario: v.nullish(
      v.pipe(v.string(), v.minLength(1), v.description("Scenario file (JSON) for the house's loads")),
    ),
  }),
  configure: (
    o: { model: string; speed: number; scenario?: string | null | undefined },
    common: { smartyKey?: string },
  ): SimulatorMeterConfig => ({
    source: 'simulator',
    model: o.model,
    speed: o.speed,
    ...(o.scenario ? { scenario: o.scenario } : {}),
    ...(common.smartyKey ? { smartyKey: common.smartyKey } : {}),
  }),
  open: async <Source>(config: SimulatorMeterConfig, context: SimulatorContext<Source>): Promise<Source> => {
    const { startEmbeddedMeter } = await import('./embedded-meter');
    const { loadScenario } = await import('@p1/scenario');
    const model = METER_MODELS.find((m) => m.name === config.model);
    const { connection } = context;
    const meter = await startEmbeddedMeter({
      model: config.model,
      ...(connection && model?.connections.includes(connection) ? { connection } : {}),
      speed: config.speed,
      ...(config.scenario ? { scenario: loadScenario(config.scenario) } : {}),
      ...(context.beforeTelegram ? { beforeTelegram: context.beforeTelegram } : {}),
    });
    try {
      context.started?.(meter);
      // the simulated Smarty meter encrypts with its own demo key unless one is configured
      const smartyKey = config.smartyKey ?? meter.simulation.key;
      return await context.read({ ...meter.source, ...(smartyKey ? { smartyKey } : {}) });
    } catch (err) {
      await meter.stop();
      throw err;
    }
  },
};
