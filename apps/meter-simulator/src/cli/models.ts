/** `p1-sim models`: one model name a line; `--verbose` adds what each is. */
import { METER_MODELS } from '@p1/sim';
import { parse } from './options';

export async function main(argv: string[]): Promise<number> {
  const values = parse(argv, { verbose: { type: 'boolean', short: 'v' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    console.log('usage: p1-sim models [--verbose]\n\nLists the simulated meter models, one name a line.');
    return 0;
  }
  for (const m of METER_MODELS) {
    console.log(values.verbose ? `${m.name}\t${m.description}; supplies ${m.connections.join(', ')}` : m.name);
  }
  return 0;
}
