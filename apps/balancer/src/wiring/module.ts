import { dirname, join } from 'node:path';
import { createBalancer, kwForAmps } from '@p1/balancer';
import { type Charger, type ChargerFleet, createChargers, type MeterSource } from '@p1/drivers';
import { ScenarioError } from '@p1/scenario';
import type { EmbeddedMeter, SimulatedCharger } from '@p1/sim';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/schema';
import { DRIVERS } from '../drivers';
import { isLoopback } from '../http/access';
import { type RunningHttp, startHttp } from '../http/server';
import { LiveState } from '../live/live-state';
import type { MqttPublisher } from '../mqtt/publisher';
import { type RawP1Server, startRawP1Server } from '../rawp1/server';
import { openStore, StoreError } from '../store/open-store';
import type { Store } from '../store/store';
import { ActivationService, SqliteProgressStore } from './activation-service';
import { ModuleCore } from './core';
import { listenProblem } from './listen-problem';
import { openMeterSource } from './meter-config';
import { loadOrCreateToken } from './token';

const TICK_MS = 1000;
const SAFE_CURRENT_TIMEOUT_MS = 5_000;

export interface RunningModule {
  readonly config: AppConfig;
  readonly http: RunningHttp;
  readonly live: LiveState;
  readonly core: ModuleCore;
  readonly store: Store;
  readonly meter: MeterSource;
  readonly chargers: Charger[];
  readonly embedded: EmbeddedMeter | null;
  readonly rawP1: RawP1Server | null;
  readonly tokenFile: string | null;
  /** Chargers to their safe current first, then everything closed. */
  stop(): Promise<void>;
}

/** Start-up failed for a reason the owner can fix; the message is one sentence naming the key. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** Start-up was stopped by the caller (SIGINT/SIGTERM): everything started so far is closed again. */
export class StartupAborted extends Error {
  override name = 'StartupAborted';
}

/** Runs a server's start; a failed bind becomes a StartupError naming the configuration key. */
async function listening<T>(key: string, host: string, port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const problem = listenProblem(err, key, host, port);
    if (problem) throw new StartupError(`${problem}.`);
    throw err;
  }
}

export interface StartOptions {
  /** Aborting ends start-up at the next step and closes what was started. */
  signal?: AbortSignal;
}

/** The whole module: meter → balancer → chargers, with store, HTTP/SSE, MQTT and the raw P1 re-serve. */
export async function startModule(
  config: AppConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningModule> {
  /** Between start-up steps: stop here when asked to; `done` names the step just finished. */
  const step = (done: string): void => {
    if (options.signal?.aborted) throw new StartupAborted('stopped during start-up');
    logger.debug({ step: done }, 'start-up step done');
  };
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'error while shutting down');
      }
    }
  };
  try {
    step('begin');
    let store: Store;
    try {
      store = openStore(config.store.path);
    } catch (err) {
      if (err instanceof StoreError) throw new StartupError(`store.path: ${err.message}.`);
      throw err;
    }
    closers.push(() => store.close());
    const tokenFile = config.http.token ? null : join(dirname(config.store.path), 'http-token');
    let token: string;
    try {
      token = config.http.token ?? loadOrCreateToken(tokenFile as string);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new StartupError(`http.token: cannot keep a generated token in ${tokenFile} (${code}); set http.token.`);
    }
    const live = new LiveState(config.site);

    // the chargers' own keys (ocpp: password) go to their driver, which checks them with its schema
    const fleet: ChargerFleet = await listening('ocpp', config.ocpp.host, config.ocpp.port, () =>
      createChargers(config.chargers, { ocpp: config.ocpp, logger, drivers: DRIVERS.chargerDrivers }),
    );
    closers.push(() => fleet.close());
    step('chargers');

    let core: ModuleCore | null = null;
    // the simulator tells us its running meter through `started` (the source's factory makes it)
    const simulator: { meter: EmbeddedMeter | null } = { meter: null };
    const simulated = fleet.chargers.filter((c): c is SimulatedCharger => 'plugIn' in c);
    let meter: MeterSource;
    try {
      meter = await openMeterSource(config.meter, {
        connection: config.site.connection,
        beforeTelegram: (simulation) => {
          // close the loop: what the simulated cars draw shows up in the meter's next telegram
          for (const c of simulated) {
            if (!core) return;
            const m = core.measurementOf(c);
            const lines = c.capabilities.phases.filter((_, i) => (m.currentA[i] ?? 0) > 0);
            const amps = Math.max(0, ...m.currentA.map((a) => a ?? 0));
            simulation.setLoad(`ev-${c.capabilities.id}`, lines, kwForAmps(simulation.connection, lines.length, amps));
          }
        },
        started: (running) => {
          simulator.meter = running;
          closers.push(() => running.stop());
          step('embedded meter');
        },
      });
    } catch (err) {
      if (err instanceof ScenarioError) throw new StartupError(`meter.scenario: ${err.message}`);
      throw err;
    }
    step('meter source');
    const embedded = simulator.meter;

    // the simulated Smarty meter encrypts with its own demo key unless one is configured
    const smartyKey = config.meter.smartyKey ?? embedded?.simulation.key ?? null;
    const meterConfig = { ...config.meter, smartyKey };
    live.meter.source =
      config.meter.source === 'simulator' ? `simulator (${embedded?.device ?? 'in-process'})` : config.meter.source;
    live.meter.counters = meter.counters;

    core = new ModuleCore({
      config: { ...config, meter: meterConfig },
      store,
      live,
      createBalancer,
      chargers: fleet.chargers,
      logger,
    });
    const control: ModuleCore = core;
    const activation = await ActivationService.open({
      progressStore: new SqliteProgressStore(store),
      meter,
      logger,
      onChange: () => {
        live.activation = activation.summary();
        live.publish();
      },
    });
    live.activation = activation.summary();
    closers.push(() => activation.stop());
    step('activation');

    const raw = config.rawP1;
    const rawP1 = raw ? await listening('rawP1', raw.host, raw.port, () => startRawP1Server(raw.host, raw.port)) : null;
    if (rawP1) closers.push(() => rawP1.close());
    step('raw P1');

    meter.on('reading', (reading, raw) => {
      control.onReading(reading, raw);
      rawP1?.broadcast(reading, raw);
    });
    meter.on('diagnosis', (diagnosis) => {
      live.meter.diagnosis = diagnosis;
      logger.info({ diagnosis }, 'meter diagnosis');
      live.publish();
    });
    meter.on('error', (err) => logger.warn({ err: err.message }, 'meter source error'));

    const http = await listening('http', config.http.host, config.http.port, () =>
      startHttp(
        {
          live,
          token,
          logger,
          settings: { get: () => control.settings, update: (patch) => control.updateSettings(patch) },
          activation,
          store,
          history: () => ({
            months: store.monthPeaks(13),
            quarters: store.quartersSince(Date.now() - 86_400_000),
            decisions: store.recentDecisions(50),
            sessions: store.sessions(20),
          }),
          exposure: { openHomeWizardApi: config.http.openHomeWizardApi, allowedHosts: config.http.allowedHosts },
        },
        config.http.host,
        config.http.port,
      ),
    );
    closers.push(() => http.close());
    if (!isLoopback(config.http.host)) {
      logger.warn(
        { host: config.http.host, openHomeWizardApi: config.http.openHomeWizardApi },
        'HTTP reachable from the network: every endpoint needs the token',
      );
    }
    step('http');

    let mqttPublisher: MqttPublisher | null = null;
    if (config.mqtt) {
      // loaded only when configured: the MQTT client is ~12 MB of resident memory
      const { startMqtt } = await import('../mqtt/publisher');
      mqttPublisher = await startMqtt(config.mqtt, live, logger);
      closers.push(() => mqttPublisher?.stop());
      step('mqtt');
    }

    const timer = setInterval(() => {
      try {
        control.tick();
      } catch (err) {
        logger.error({ err }, 'control tick failed');
      }
    }, TICK_MS);
    closers.push(() => clearInterval(timer));

    await meter.start();
    closers.push(() => meter.stop());
    step('meter started');
    logger.info(
      {
        dashboard: http.url,
        meter: live.meter.source,
        chargers: config.chargers.map((c) => `${c.id} (${c.driver})`),
        rawP1: rawP1 ? `${config.rawP1?.host}:${rawP1.port}` : null,
        ocpp: fleet.ocpp ? `ws://${config.ocpp.host}:${config.ocpp.port}/<id>` : null,
        mqtt: config.mqtt ? 'on' : 'off',
      },
      'p1-balancer running',
    );

    let stopping: Promise<void> | null = null;
    return {
      config,
      http,
      live,
      core: control,
      store,
      meter,
      chargers: fleet.chargers,
      embedded,
      rawP1,
      tokenFile,
      stop: () => {
        stopping ??= (async () => {
          clearInterval(timer);
          await Promise.race([control.toSafeCurrent(), new Promise((r) => setTimeout(r, SAFE_CURRENT_TIMEOUT_MS))]);
          logger.info({}, 'chargers set to their safe current; stopping');
          await closeAll();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
