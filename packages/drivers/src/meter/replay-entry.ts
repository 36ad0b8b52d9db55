import { z } from 'zod';
import type { ReplayMeterConfig } from './replay-source';
import { meterSourceEntry, smartyOf } from './source-entry';

export const replayMeterEntry = meterSourceEntry({
  name: 'replay',
  summary: 'a capture of raw P1 bytes, replayed in a loop at the pace of its timestamps',
  options: z.object({
    file: z.string().min(1).describe('Raw P1 capture, e.g. from `p1-sim generate` or `cat /dev/ttyUSB0`'),
    speed: z.number().min(0.01).max(100000).default(1).describe('Clock speed: 1 = real time, larger is faster'),
  }),
  configure: (o, common): ReplayMeterConfig => ({
    source: 'replay',
    file: o.file,
    speed: o.speed,
    loop: true,
    ...smartyOf(common),
  }),
  open: async (config: ReplayMeterConfig) => new (await import('./replay-source')).ReplayMeterSource(config),
});
