import { embeddedDefaultConfig } from '../config';
import { isLoopback } from '../http/access';
import { createLogger } from '../log';
import { StartupAborted, StartupError, startModule } from '../wiring/module';
import { readConfigFile } from './config-file';
import { UsageError } from './errors';

const USAGE = `usage: p1 run [--config FILE]

Runs the load balancing module. Without --config: the embedded default (a simulated meter on a
virtual serial pair, or in-process without socat; one simulated charger; the dashboard on
http://127.0.0.1:8080).`;

/** Said once when the embedded meter cannot have its virtual serial pair. */
const NO_SOCAT =
  'socat not found: the simulated meter feeds the module in-process (same framing and parsing); ' +
  'for a virtual serial pair read by the serial driver, as a P1 cable is, install socat (apt-get install socat).';

/** `p1 run [--config FILE]`; `pnpm start` is `p1 run` with the embedded default. Runs until SIGINT/SIGTERM. */
export async function main(argv: string[]): Promise<number> {
  let file: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return 0;
    }
    if (arg === '--config' || arg === '-c') {
      file = argv[++i] ?? null;
      if (!file) throw new UsageError('--config needs a file name.');
    } else if (arg?.startsWith('--config=')) file = arg.slice('--config='.length);
    else throw new UsageError(`unknown option '${arg}'. ${USAGE.split('\n')[0]}`);
  }

  let config = embeddedDefaultConfig();
  if (file) {
    const result = readConfigFile(file);
    if (!result.ok) {
      for (const problem of result.problems) console.error(`${file}: ${problem}`);
      return 2;
    }
    config = result.config;
  }
  const logger = createLogger(config.log.level);
  // Signals are taken from the start: one arriving during start-up ends it at the next step, closing
  // what was started (a socat pair, a listening port) instead of waiting for start-up to finish.
  let stopRequested: ((signal: string) => void) | null = null;
  const startup = new AbortController();
  const onSignal = (signal: string): void => {
    if (stopRequested) stopRequested(signal);
    else startup.abort(signal);
  };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  let module: Awaited<ReturnType<typeof startModule>>;
  try {
    module = await startModule(config, logger, { signal: startup.signal });
  } catch (err) {
    if (err instanceof StartupError) throw new UsageError(err.message);
    if (err instanceof StartupAborted) {
      console.error(`p1-balancer: stopped by ${String(startup.signal.reason)} during start-up.`);
      logger.flush();
      return 0;
    }
    throw err;
  }
  if (startup.signal.aborted) {
    // the signal came during the last step: a normal stop
    await module.stop();
    logger.flush();
    return 0;
  }
  if (module.embedded && module.embedded.device === null) console.error(`p1-balancer: ${NO_SOCAT}`);
  console.error(`p1-balancer: dashboard on ${module.http.url}/`);
  if (module.tokenFile) console.error(`p1-balancer: the API token for settings is in ${module.tokenFile}`);
  const { host, openHomeWizardApi } = config.http;
  if (!isLoopback(host)) {
    console.error(
      `p1-balancer: WARNING: http.host ${host} is reachable from other machines: every endpoint needs the ` +
        `access token (the dashboard asks for it at /login.html)${openHomeWizardApi ? '' : '.'}` +
        (openHomeWizardApi
          ? ', except the HomeWizard API, which anyone on the network can read (http.openHomeWizardApi).'
          : ''),
    );
  }

  await new Promise<void>((resolve) => {
    stopRequested = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      module.stop().then(resolve, resolve);
    };
  });
  logger.flush();
  return 0;
}
