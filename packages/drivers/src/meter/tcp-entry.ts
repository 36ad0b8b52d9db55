import { z } from 'zod';
import { hostName } from '../fields';
import { meterSourceEntry, smartyOf } from './source-entry';
import type { TcpMeterConfig } from './tcp-source';

export const tcpMeterEntry = meterSourceEntry({
  name: 'tcp',
  summary: 'raw P1 over TCP: ser2net, network P1 dongles, `p1-sim run --output tcp`, our own `rawP1`',
  options: z.object({
    host: hostName.default('127.0.0.1').describe('Host of the raw P1 TCP server'),
    port: z.int().min(1).max(65535).describe('Port of the raw P1 TCP server'),
  }),
  configure: (o, common): TcpMeterConfig => ({ source: 'tcp', host: o.host, port: o.port, ...smartyOf(common) }),
  open: async (config: TcpMeterConfig) => new (await import('./tcp-source')).TcpMeterSource(config),
});
