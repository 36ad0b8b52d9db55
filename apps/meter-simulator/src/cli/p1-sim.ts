#!/usr/bin/env node
/**
 * The `p1-sim` command line. Each sub-command lives in its own module, loaded only when used,
 * and exports `main(argv): Promise<number>` returning the exit code.
 */

type Command = { summary: string; load: () => Promise<{ main(argv: string[]): Promise<number> }> };

const commands: Record<string, Command> = {
  run: {
    summary: 'run a simulated meter (socat pair, serial device, TCP, stdout or file)',
    load: () => import('./run'),
  },
  models: { summary: 'list the simulated meter models', load: () => import('./models') },
  generate: { summary: 'write N days of telegrams to stdout as fast as possible', load: () => import('./generate') },
  charger: { summary: 'run a simulated OCPP 1.6J charge point', load: () => import('./charger') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const rows = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: p1-sim <command> [options]\n\ncommands:\n${rows.join('\n')}\n\n'p1-sim <command> --help' for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`p1-sim: unknown command '${name}'.\n${usage()}`);
    return 2;
  }
  return (await command.load()).main(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    const e = err as Error & { exitCode?: number };
    if (e?.name === 'UsageError') {
      console.error(`p1-sim: ${e.message}`);
      process.exitCode = e.exitCode ?? 2;
    } else {
      console.error('p1-sim: internal error:', err);
      process.exitCode = 70;
    }
  },
);
