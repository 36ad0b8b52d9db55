/** Configuration fields that several drivers and the module share, with the sentence an owner reads. */
import { z } from 'zod';

/** A host name, an IPv4 address or an IPv6 address (brackets allowed). */
export const hostName = z
  .string()
  .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'must be a host name or IP address')
  .describe('Host name or IP address');
