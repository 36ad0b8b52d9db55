import * as v from 'valibot';
import type { ReplayMeterConfig } from './replay-source';
import { meterSourceEntry, smartyOf } from './source-entry';

export const replayMeterEntry = meterSourceEntry({
  name: 'replay',
  summary: 'a capture of raw P1 bytes, replayed in a loop at the pace of its timestamps',
  options: v.object({
    file: v.pipe(
      v.string(),
      v.minLength(1),
      v.description('Raw P1 capture, e.g. from `p1-sim generate` or `cat /dev/ttyUSB0`'),
    ),
    speed: v.optional(
      v.pipe(
        v.number(),
        v.minValue(0.01),
        v.maxValue(100000),
        v.description('Clock speed: 1 = real time, larger is faster'),
      ),
      1,
    ),
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
