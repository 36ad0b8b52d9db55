import * as v from 'valibot';
import { hostName } from '../fields';
import { meterSourceEntry, smartyOf } from './source-entry';
import type { TcpMeterConfig } from './tcp-source';

export const tcpMeterEntry = meterSourceEntry({
  name: 'tcp',
  summary: 'raw P1 over TCP: ser2net, network P1 dongles, `p1-sim run --output tcp`, our own `rawP1`',
  options: v.object({
    host: v.optional(v.pipe(hostName, v.description('Host of the raw P1 TCP server')), '127.0.0.1'),
    port: v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.maxValue(65535),
      v.description('Port of the raw P1 TCP server'),
    ),
  }),
  configure: (o, common): TcpMeterConfig => ({ source: 'tcp', host: o.host, port: o.port, ...smartyOf(common) }),
  open: async (config: TcpMeterConfig) => new (await import('./tcp-source')).TcpMeterSource(config),
});
