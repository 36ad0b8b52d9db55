/**
 * `p1-sim charger`: a simulated OCPP 1.6J charge point with a car behind it, connecting to the
 * module's central system over a real websocket; optionally feeds the car's power to the meter
 * simulator's control API so the meter sees what the balancer caused.
 */
import { OCPP16 } from '@p1/ocpp16';
import { type CarSpec, type ChargePointFault, jsonLineLogger, loadChargePointSimulator } from '@p1/sim';
import { number, parse } from './options';
import { UsageError } from './usage-error';

const HELP = `usage: p1-sim charger --id ID [options]

Runs a simulated OCPP 1.6J charge point (subprotocol ${OCPP16}) with a car plugged in.

  --id ID                   charge point identity (the central system's allowlist)
  --password PW             security profile 1 basic-auth password (else env P1_SIM_CHARGER_PASSWORD)
  --url URL                 central system, without the identity (default ws://127.0.0.1:9000)
  --phases 1|3              charger phases (default 3)
  --max-a N                 charger rating: offered when no profile applies (default 32)
  --car-max-a N             the car's maximum current (default 16)
  --car-phases 1|3          the car's on-board charger phases (default 3)
  --lag-s S                 seconds before the car follows a new limit (default 5)
  --ramp-s S                seconds to ramp from 0 to the car's maximum (default 20)
  --no-car                  start with nothing plugged in
  --wait S                  keep retrying a refused connection for S seconds (default 60)
  --meter-control-url URL   meter simulator control API, e.g. http://127.0.0.1:8081
  --meter-control-token T   its bearer token (else env P1_SIM_TOKEN)
  --fault F                 repeatable: disconnect[:EVERY_S[:DOWN_S]] (default 60:5), reject-profile,
                            ignore-profile, slow-ack[:MS] (default 2000)

Logs are JSON lines on stderr; passwords and tokens are never printed. Stops on SIGINT/SIGTERM.`;

export function parseFault(text: string): ChargePointFault {
  const [kind, ...args] = text.split(':');
  const nums = args.map(Number);
  const positive = nums.every((n) => Number.isFinite(n) && n > 0);
  if (kind === 'reject-profile' || kind === 'ignore-profile') {
    if (args.length === 0) return { kind };
  } else if (kind === 'disconnect' && args.length <= 2 && positive) {
    return { kind, everyS: nums[0] ?? 60, downS: nums[1] ?? 5 };
  } else if (kind === 'slow-ack' && args.length <= 1 && positive) {
    return { kind, delayMs: nums[0] ?? 2000 };
  }
  throw new UsageError(
    `--fault "${text}" is not one of disconnect[:EVERY_S[:DOWN_S]], reject-profile, ignore-profile, slow-ack[:MS].`,
  );
}

export async function main(argv: string[]): Promise<number> {
  const values = parse(argv, {
    id: { type: 'string' },
    password: { type: 'string' },
    url: { type: 'string' },
    phases: { type: 'string' },
    'max-a': { type: 'string' },
    'car-max-a': { type: 'string' },
    'car-phases': { type: 'string' },
    'lag-s': { type: 'string' },
    'ramp-s': { type: 'string' },
    'no-car': { type: 'boolean' },
    wait: { type: 'string' },
    'meter-control-url': { type: 'string' },
    'meter-control-token': { type: 'string' },
    fault: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const id = values.id as string | undefined;
  if (!id) throw new UsageError('--id ID is required (the charge point identity).');
  const url = (values.url as string | undefined) ?? 'ws://127.0.0.1:9000';
  if (!/^wss?:\/\/[^/\s]+(\/[^\s]*)?$/.test(url))
    throw new UsageError(`--url must be a ws:// or wss:// URL, not "${url}".`);
  const oneOrThree = (n: number) => n === 1 || n === 3;
  const phases = number(values, 'phases', 3, oneOrThree, '1 or 3') as 1 | 3;
  const maxA = number(values, 'max-a', 32, (n) => n >= 6 && n <= 80, 'between 6 and 80 amperes');
  const car: CarSpec | null = values['no-car']
    ? null
    : {
        maxA: number(values, 'car-max-a', 16, (n) => n >= 6 && n <= 80, 'between 6 and 80 amperes'),
        phases: number(values, 'car-phases', 3, oneOrThree, '1 or 3') as 1 | 3,
        lagS: number(values, 'lag-s', 5, (n) => n >= 0 && n <= 600, 'between 0 and 600 seconds'),
        rampS: number(values, 'ramp-s', 20, (n) => n >= 0 && n <= 600, 'between 0 and 600 seconds'),
      };
  const waitS = number(values, 'wait', 60, (n) => n >= 0, 'a number of seconds >= 0');
  const faults = ((values.fault as string[] | undefined) ?? []).map(parseFault);
  const password = (values.password as string | undefined) ?? process.env.P1_SIM_CHARGER_PASSWORD;
  const controlUrl = values['meter-control-url'] as string | undefined;
  const controlToken = (values['meter-control-token'] as string | undefined) ?? process.env.P1_SIM_TOKEN;
  if (controlUrl !== undefined) {
    if (!/^https?:\/\/\S+$/.test(controlUrl)) {
      throw new UsageError(`--meter-control-url must be an http:// URL, not "${controlUrl}".`);
    }
    if (!controlToken) throw new UsageError('--meter-control-url needs --meter-control-token (or env P1_SIM_TOKEN).');
  }

  const logger = jsonLineLogger();
  const { runChargePoint } = await loadChargePointSimulator();
  const options = {
    url,
    id,
    ...(password !== undefined ? { password } : {}),
    phases,
    maxA,
    car,
    faults,
    ...(controlUrl !== undefined && controlToken ? { meterControl: { url: controlUrl, token: controlToken } } : {}),
    logger,
  };
  // The module may start after its chargers (as on a real site): keep trying while nobody listens,
  // but give up at once when the central system answers with a refusal (wrong password, unknown id).
  let stopRequested = false;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      stopRequested = true;
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const deadline = Date.now() + waitS * 1000;
  let running: Awaited<ReturnType<typeof runChargePoint>>;
  for (;;) {
    try {
      running = await runChargePoint(options);
      break;
    } catch (err) {
      const message = (err as Error).message;
      if (!/ECONNREFUSED|ECONNRESET/.test(message) || Date.now() >= deadline) {
        console.error(`p1-sim charger: cannot connect to ${url}/${id}: ${message}`);
        return 1;
      }
      logger.warn({ chargerId: id, err: message }, 'central system not reachable yet; retrying in 2 s');
      await Promise.race([new Promise((r) => setTimeout(r, 2000)), stopped]);
      if (stopRequested) return 0;
    }
  }
  console.log(
    JSON.stringify({ ready: true, id, url: `${url.replace(/\/+$/, '')}/${id}`, faults: faults.map((f) => f.kind) }),
  );
  await stopped;
  await running.stop();
  return 0;
}
