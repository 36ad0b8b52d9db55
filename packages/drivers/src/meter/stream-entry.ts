import { meterSourceEntry } from './source-entry';
import type { StreamMeterConfig } from './stream-source';

/** Any byte stream, given in code (`open()` returns a Readable); nothing a configuration file can name. */
export const streamMeterEntry = meterSourceEntry({
  name: 'stream',
  summary: 'any byte stream given in code (`open()` returns a Readable), e.g. the in-process simulated meter',
  options: null,
  configure: null,
  open: async (config: StreamMeterConfig) => new (await import('./stream-source')).StreamMeterSource(config),
});
