/** The logging surface the drivers need; pino's `logger.info(obj, msg)` signature fits it as is. */
export interface Logger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** One JSON line per entry on stderr: enough for the simulator CLI, where pino is not a dependency. */
export function jsonLineLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  const write = (level: string) => (obj: Record<string, unknown>, msg: string) => {
    stream.write(`${JSON.stringify({ level, time: new Date().toISOString(), ...obj, msg })}\n`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
