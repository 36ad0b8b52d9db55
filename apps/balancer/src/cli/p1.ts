#!/usr/bin/env node
/**
 * The `p1` command line. Each sub-command lives in its own module, loaded only when used,
 * and exports `main(argv): Promise<number>` returning the exit code.
 */
import { reportFatal } from './errors';

type Command = { summary: string; load: () => Promise<{ main(argv: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  parse: { summary: 'parse telegrams from a file, stdin or a serial port (JSON Lines)', load: () => import('./parse') },
  ean: { summary: 'validate a Belgian electricity EAN code', load: () => import('./ean') },
  activate: {
    summary: 'guide the P1-port activation at the grid operator (interactive)',
    load: () => import('./activate'),
  },
  simulate: { summary: 'run the balancer against a scenario and print metrics', load: () => import('./simulate') },
  bench: { summary: 'the fleet bench: p1 bench houses (generated houses × 24 h)', load: () => import('./bench') },
  run: { summary: 'run the load balancing module (embedded default without --config)', load: () => import('./run') },
  config: { summary: 'check a configuration file: p1 config check FILE', load: () => import('./config') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: p1 <command> [options]\n\ncommands:\n${rows.join('\n')}\n\n'p1 <command> --help' for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`p1: unknown command '${name}'.\n${usage()}`);
    return 2;
  }
  const mod = await command.load();
  return mod.main(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = reportFatal('p1', err);
  },
);
