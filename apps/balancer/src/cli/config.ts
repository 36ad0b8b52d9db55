import { readConfigFile } from './config-file';
import { UsageError } from './errors';

const USAGE = 'usage: p1 config check FILE';

/** `p1 config check FILE`: exit 0 when valid, 2 with one line per problem otherwise. */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    console.log(`${USAGE}\n\nChecks a YAML configuration against schema version 1; prints one line per problem.`);
    return 0;
  }
  const [sub, file, ...extra] = argv;
  if (sub !== 'check' || !file || extra.length > 0) throw new UsageError(`expected 'config check FILE'. ${USAGE}`);
  const result = readConfigFile(file);
  if (result.ok) {
    console.log(`${file}: ok`);
    return 0;
  }
  for (const problem of result.problems) console.error(`${file}: ${problem}`);
  return 2;
}
