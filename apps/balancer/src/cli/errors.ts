/** An error whose message is meant for the user as is (bad input, missing file): no stack trace. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Prints an error as one sentence for the user; a stack trace only for real bugs. Returns the exit code. */
export function reportFatal(program: string, err: unknown): number {
  if (err instanceof UsageError) {
    console.error(`${program}: ${err.message}`);
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && typeof e.path === 'string') {
    console.error(`${program}: cannot read ${e.path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}.`);
    return 2;
  }
  console.error(`${program}: internal error:`, err);
  return 70;
}
