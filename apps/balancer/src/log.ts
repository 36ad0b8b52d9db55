import pino, { type Logger } from 'pino';

/** Keys whose values never reach the log, wherever they appear. */
const SECRETS = ['password', 'token', 'smartyKey', 'authorization', 'key'];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const paths = SECRETS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*[*].${k}`, `*.*[*].${k}`]);
  return pino(
    {
      level,
      base: { app: 'p1-balancer' },
      redact: { paths, censor: '[secret]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

export type { Logger };
