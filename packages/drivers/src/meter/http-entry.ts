import * as v from 'valibot';
import type { HttpMeterConfig } from './http-source';
import { meterSourceEntry, smartyOf } from './source-entry';

export const httpMeterEntry = meterSourceEntry({
  name: 'http',
  summary: 'a HomeWizard-style P1 meter on the network, polled at `<url>/api/v1/telegram`',
  options: v.object({
    url: v.pipe(
      v.string(),
      v.regex(/^https?:\/\/\S+$/, 'must start with http:// or https://'),
      v.description('Base URL of the meter, e.g. http://192.168.1.20'),
    ),
  }),
  configure: (o, common): HttpMeterConfig => ({ source: 'http', url: o.url, ...smartyOf(common) }),
  open: async (config: HttpMeterConfig) => new (await import('./http-source')).HttpMeterSource(config),
});
