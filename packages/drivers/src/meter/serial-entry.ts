import { z } from 'zod';
import type { SerialMeterConfig } from './serial-source';
import { meterSourceEntry, smartyOf } from './source-entry';

export const serialMeterEntry = meterSourceEntry({
  name: 'serial',
  summary: 'a P1 cable on a serial port (USB adapter); 9600 baud means DSMR 2.2/3 (7E1)',
  options: z.object({
    device: z.string().min(1).describe('Serial port of the P1 cable, e.g. /dev/ttyUSB0'),
    baud: z.int().min(300).max(921600).default(115200).describe('115200 (8N1); 9600 for DSMR 2.2/3 (7E1)'),
  }),
  configure: (o, common): SerialMeterConfig => ({
    source: 'serial',
    device: o.device,
    baud: o.baud,
    ...smartyOf(common),
  }),
  open: async (config: SerialMeterConfig) => new (await import('./serial-source')).SerialMeterSource(config),
});
