/**
 * `p1-sim run`: the live meter simulator. Outputs (socat pair, serial device, TCP, stdout, file),
 * time (real, ×N, as fast as possible), the control API and fault injection.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { serialSettings } from '@p1/drivers';
import { SocatMissingError } from '@p1/sim';
import { createControlApi, listen } from '../control-api';
import type { Output } from '../outputs/output';
import { SerialOutput } from '../outputs/serial-output';
import { SocatOutput } from '../outputs/socat-output';
import { StreamOutput } from '../outputs/stream-output';
import { TcpOutput } from '../outputs/tcp-output';
import { createMeterInstance, type MeterInstance, SimulatorRuntime } from '../runtime';
import { METER_HELP, meterOptions, number, parse, simulationOptions } from './options';
import { UsageError } from './usage-error';

const OUTPUTS = ['socat', 'serial', 'tcp', 'stdout', 'file'] as const;
type OutputKind = (typeof OUTPUTS)[number];

const HELP = `usage: p1-sim run [options]

Runs a simulated meter and sends its telegrams to one or more outputs.

${METER_HELP}
  --output LIST        comma-separated: socat (default), serial, tcp, stdout, file
  --link PATH          socat: the path a reader opens (default a new temp dir/ttyP1)
  --device PATH        serial: a real serial device (HIL rig)
  --baud N             serial/socat line speed; default the model's (9600 means 7E1)
  --tcp-host HOST      tcp: address to listen on (default 127.0.0.1)
  --tcp-port N         tcp: port (default 2000; 0 = any free port)
  --file PATH          file: append telegrams to this file
  --meters N           tcp only: N independent meters on ports tcp-port … tcp-port+N−1 (load tests)
  --speed N|max        meter clock speed: 1 real time (default), N = ×N, max = as fast as possible
  --duration S         stop after S meter seconds
  --port open|closed   P1 port at start (default open); closed sends nothing until opened via the API
  --api-port N         control API port on --api-host (default 8081; 0 = any free port)
  --api-host HOST      default 127.0.0.1
  --no-api             no control API
  --token TOKEN        bearer token for state-changing API calls (else env P1_SIM_TOKEN, else generated)

On start, one JSON line on stdout (stderr when --output includes stdout) tells where to connect:
  {"ready":true,"link":"/tmp/p1-sim-…/ttyP1","tcp":"127.0.0.1:2000","api":"http://127.0.0.1:8081",…}`;

export async function main(argv: string[]): Promise<number> {
  const values = parse(argv, {
    ...meterOptions,
    output: { type: 'string' },
    link: { type: 'string' },
    device: { type: 'string' },
    baud: { type: 'string' },
    'tcp-host': { type: 'string' },
    'tcp-port': { type: 'string' },
    file: { type: 'string' },
    meters: { type: 'string' },
    speed: { type: 'string' },
    duration: { type: 'string' },
    port: { type: 'string' },
    'api-port': { type: 'string' },
    'api-host': { type: 'string' },
    'no-api': { type: 'boolean' },
    token: { type: 'string' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const kinds = ((values.output as string | undefined) ?? 'socat').split(',').map((s) => s.trim());
  for (const k of kinds) {
    if (!(OUTPUTS as readonly string[]).includes(k))
      throw new UsageError(`--output "${k}" is not one of ${OUTPUTS.join(', ')}.`);
  }
  const outputs = new Set(kinds as OutputKind[]);
  if (outputs.has('serial') && values.device === undefined)
    throw new UsageError('--output serial needs --device PATH.');
  if (outputs.has('file') && values.file === undefined) throw new UsageError('--output file needs --file PATH.');
  const meters = number(
    values,
    'meters',
    1,
    (n) => Number.isInteger(n) && n >= 1 && n <= 10_000,
    'an integer from 1 to 10000',
  );
  if (meters > 1 && (outputs.size !== 1 || !outputs.has('tcp')))
    throw new UsageError('--meters above 1 works with --output tcp only.');
  const speedRaw = (values.speed as string | undefined) ?? '1';
  const speed =
    speedRaw === 'max' ? 'max' : number(values, 'speed', 1, (n) => n > 0 && n <= 100_000, 'a factor above 0 or "max"');
  const durationS =
    values.duration === undefined ? undefined : number(values, 'duration', 0, (n) => n > 0, 'seconds above 0');
  const portState = (values.port as string | undefined) ?? 'open';
  if (portState !== 'open' && portState !== 'closed')
    throw new UsageError(`--port must be open or closed, not "${portState}".`);
  const tcpHost = (values['tcp-host'] as string | undefined) ?? '127.0.0.1';
  const tcpPort = number(
    values,
    'tcp-port',
    2000,
    (n) => Number.isInteger(n) && n >= 0 && n + meters - 1 <= 65535,
    'a TCP port',
  );
  if (meters > 1 && tcpPort === 0) throw new UsageError('--meters above 1 needs a fixed --tcp-port.');
  const apiPort = number(values, 'api-port', 8081, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a TCP port');
  const apiHost = (values['api-host'] as string | undefined) ?? '127.0.0.1';

  const base = await simulationOptions(values);
  base.portOpen = portState === 'open';
  const log = (line: string) => process.stderr.write(`p1-sim: ${line}\n`);

  const instances: MeterInstance[] = [];
  for (let i = 0; i < meters; i++) {
    const options = { ...base, seed: (base.seed ?? base.scenario?.seed ?? 1) + i };
    let instance: MeterInstance;
    try {
      instance = createMeterInstance(i, options, []);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const model = instance.sim.model;
    const baud = number(values, 'baud', model.serial.baudRate, (n) => Number.isInteger(n) && n > 0, 'a baud rate');
    const line = { baudRate: baud, ...serialSettings(baud) };
    const list: Output[] = [];
    if (outputs.has('socat'))
      list.push(new SocatOutput({ ...(values.link ? { link: values.link as string } : {}), line }));
    if (outputs.has('serial')) list.push(new SerialOutput(values.device as string, line));
    if (outputs.has('tcp')) list.push(new TcpOutput(tcpHost, tcpPort === 0 ? 0 : tcpPort + i));
    if (outputs.has('stdout')) list.push(new StreamOutput({ stdout: process.stdout }));
    if (outputs.has('file')) list.push(new StreamOutput({ file: values.file as string }));
    instance.outputs.push(...list);
    instances.push(instance);
  }
  const runtime = new SimulatorRuntime(instances, { speed, ...(durationS !== undefined ? { durationS } : {}), log });

  let server: Server | null = null;
  let apiUrl: string | null = null;
  let token: string | null = null;
  if (!values['no-api']) {
    token = (values.token as string | undefined) ?? process.env.P1_SIM_TOKEN ?? null;
    if (!token) {
      token = randomBytes(16).toString('hex');
      log(`control API token (shown once): ${token}`);
    }
    try {
      ({ server, url: apiUrl } = await listen(createControlApi(runtime, token), apiHost, apiPort));
    } catch (err) {
      throw new UsageError(`cannot listen on ${apiHost}:${apiPort} for the control API: ${(err as Error).message}.`);
    }
  }
  try {
    await runtime.start();
  } catch (err) {
    server?.close();
    await runtime.stop();
    const message = (err as Error).message;
    log(err instanceof SocatMissingError ? `${message}, or choose another --output (tcp, stdout, file)` : message);
    return 2;
  }

  const first = instances[0] as MeterInstance;
  const addressOf = (kind: string) => first.outputs.find((o) => o.kind === kind)?.address ?? null;
  const ready = {
    ready: true,
    model: first.sim.model.name,
    connection: first.sim.connection,
    link: addressOf('socat'),
    device: addressOf('serial'),
    tcp: meters > 1 ? `${tcpHost}:${tcpPort}-${tcpPort + meters - 1}` : addressOf('tcp'),
    file: addressOf('file'),
    api: apiUrl,
    meters,
    port: portState,
    // The demo key is no secret; a key the user gave is not echoed.
    ...(first.sim.key && !base.smartyKey ? { smartyKey: first.sim.key } : {}),
  };
  const readyLine = `${JSON.stringify(ready)}\n`;
  if (outputs.has('stdout')) process.stderr.write(readyLine);
  else process.stdout.write(readyLine);
  log(
    `${first.sim.model.name} (${first.sim.connection}) running at ${speed === 'max' ? 'full speed' : `×${speed}`}` +
      (ready.link ? `; open ${ready.link}` : '') +
      (ready.tcp ? `; connect to ${ready.tcp}` : '') +
      (apiUrl ? `; control API ${apiUrl}` : ''),
  );

  const stop = () => void runtime.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await runtime.done;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  }
  return 0;
}
