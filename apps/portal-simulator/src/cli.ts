#!/usr/bin/env node
/** `portal-simulator`: runs the simulated grid-operator portal on 127.0.0.1 until interrupted. */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isLang, validateEan } from '@p1/activation';
import { DEFAULT_KNOWN_METERS, type KnownMeter, parseDuration, startPortal } from './index';

const USAGE = `usage: portal-simulator [options]

  --host HOST                  listen address (default 127.0.0.1)
  --port N                     listen port (default 8090; 0 = any free port)
  --speed N                    simulated clock runs N times faster (default 1)
  --open-after DURATION        from switching on to "Open": 6h (default), 90m, 30s, never
  --known-ean EAN[:EMAIL]      a digital meter the portal knows, with its contract holder's e-mail
                               (no e-mail: the holder gets a letter with a code); repeatable
  --meters FILE                the same as a JSON array of {"ean","holderEmail","holderName"}
  --meter-control-url URL      meter simulator to open the port on (PUT URL/api/port)
  --meter-control-token TOKEN  its bearer token (or env P1_METER_CONTROL_TOKEN)
  --admin-token TOKEN          enables POST /api/admin/clock (or env P1_PORTAL_ADMIN_TOKEN)
  --lang nl|en|fr              language of error messages (default nl)`;

function fail(message: string): never {
  console.error(`portal-simulator: ${message}`);
  process.exit(2);
}

function knownMetersFrom(values: { 'known-ean'?: string[]; meters?: string }): KnownMeter[] {
  const meters: KnownMeter[] = [];
  if (values.meters) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(values.meters, 'utf8'));
    } catch (err) {
      fail(`--meters ${values.meters}: ${(err as Error).message}`);
    }
    if (!Array.isArray(parsed)) fail(`--meters ${values.meters}: expected a JSON array of meters`);
    parsed.forEach((m, i) => {
      if (!m || typeof m.ean !== 'string') fail(`--meters ${values.meters}: entry ${i} needs a string field 'ean'`);
      meters.push(m as KnownMeter);
    });
  }
  for (const spec of values['known-ean'] ?? []) {
    const [ean = '', email] = spec.split(':');
    meters.push({ ean, holderEmail: email || null });
  }
  for (const m of meters) {
    const check = validateEan(m.ean);
    if (!check.valid) fail(`known meter '${m.ean}': ${check.reason}`);
  }
  return meters.length ? meters : DEFAULT_KNOWN_METERS;
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8090' },
        speed: { type: 'string', default: '1' },
        'open-after': { type: 'string', default: '6h' },
        'known-ean': { type: 'string', multiple: true },
        meters: { type: 'string' },
        'meter-control-url': { type: 'string' },
        'meter-control-token': { type: 'string' },
        'admin-token': { type: 'string' },
        lang: { type: 'string', default: 'nl' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
}

async function main(): Promise<void> {
  // `pnpm … start -- --port 1` passes the separator through; it is not an argument.
  const args = process.argv.slice(2);
  const values = parseOptions(args[0] === '--' ? args.slice(1) : args);
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const speed = Number(values.speed);
  if (!(speed > 0)) fail(`--speed must be a positive number, not '${values.speed}'`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535, not '${values.port}'`);
  let openDelayMs: number;
  try {
    openDelayMs = parseDuration(values['open-after']);
  } catch (err) {
    fail(`--open-after: ${(err as Error).message}`);
  }
  if (!isLang(values.lang)) fail(`--lang must be nl, en or fr`);
  const meterControlToken = values['meter-control-token'] ?? process.env.P1_METER_CONTROL_TOKEN;
  const adminToken = values['admin-token'] ?? process.env.P1_PORTAL_ADMIN_TOKEN;
  const portal = await startPortal({
    host: values.host,
    port,
    speed,
    openDelayMs,
    knownMeters: knownMetersFrom(values),
    lang: values.lang,
    ...(values['meter-control-url'] ? { meterControlUrl: values['meter-control-url'] } : {}),
    ...(meterControlToken ? { meterControlToken } : {}),
    ...(adminToken ? { adminToken } : {}),
  }).catch((err: Error) => fail(`cannot listen on ${values.host}:${port}: ${err.message}`));
  console.log(`portal-simulator: listening on ${portal.url} (clock ×${speed}, opens after ${values['open-after']})`);
  const shutdown = () => {
    void portal.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

void main();
