/** Configuration fields that several drivers and the module share, with the sentence an owner reads. */
import * as v from 'valibot';

/** A host name, an IPv4 address or an IPv6 address (brackets allowed). */
export const hostName = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9.\-:[\]]+$/, 'must be a host name or IP address'),
  v.description('Host name or IP address'),
);

/** The keys of one driver: an object schema whose output the driver's factory takes. */
export type DriverOptions = v.ObjectSchema<v.ObjectEntries, undefined>;
