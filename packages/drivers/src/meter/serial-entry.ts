import * as v from 'valibot';
import type { SerialMeterConfig } from './serial-source';
import { meterSourceEntry, smartyOf } from './source-entry';

export const serialMeterEntry = meterSourceEntry({
  name: 'serial',
  summary: 'a P1 cable on a serial port (USB adapter); 9600 baud means DSMR 2.2/3 (7E1)',
  options: v.object({
    device: v.pipe(v.string(), v.minLength(1), v.description('Serial port of the P1 cable, e.g. /dev/ttyUSB0')),
    baud: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(300),
        v.maxValue(921600),
        v.description('115200 (8N1); 9600 for DSMR 2.2/3 (7E1)'),
      ),
      115200,
    ),
  }),
  configure: (o, common): SerialMeterConfig => ({
    source: 'serial',
    device: o.device,
    baud: o.baud,
    ...smartyOf(common),
  }),
  open: async (config: SerialMeterConfig) => new (await import('./serial-source')).SerialMeterSource(config),
});
