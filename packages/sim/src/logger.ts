/** Where the simulators log: pino's `logger.info(obj, msg)` fits, and so does the JSON-lines logger below. */
export interface Logger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** One JSON line per entry (stderr by default): enough for the simulator CLI, where pino is not a dependency. */
export function jsonLineLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string) => (obj: Record<string, unknown>, msg: string) => {
    stream.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...obj, msg })}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string;
}

/** Keeps every entry, for tests that check what was (and was not) logged. */
export function memoryLogger(): Logger & { lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (obj: Record<string, unknown>, msg: string) => {
    lines.push({ level, obj, msg });
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), text: () => JSON.stringify(lines) };
}
