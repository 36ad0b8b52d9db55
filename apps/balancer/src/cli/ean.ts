/**
 * `p1 ean CODE`: validates a Belgian electricity EAN code. Prints {"valid":bool,"reason":string|null};
 * exit 0 valid, 1 invalid, 2 usage. A code copied with spaces may be passed as several arguments.
 */
import { validateEan } from '@p1/activation';
import { UsageError } from './errors';

const USAGE = 'usage: p1 ean CODE   (18 digits starting with 54; spaces and dots are accepted)';

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const option = argv.find((a) => a.startsWith('-'));
  if (option) throw new UsageError(`ean: unknown option '${option}'.\n${USAGE}`);
  if (argv.length === 0) throw new UsageError(`ean: missing CODE.\n${USAGE}`);
  const { valid, reason } = validateEan(argv.join(' '));
  console.log(JSON.stringify({ valid, reason }));
  return valid ? 0 : 1;
}
