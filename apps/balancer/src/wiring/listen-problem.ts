/**
 * Why a server could not listen on `host`:`port` of configuration section `section`, as one
 * sentence naming the key to change; null when the error is not about the address.
 */
export function listenProblem(err: unknown, section: string, host: string, port: number): string | null {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `${section}.port: ${where} is already in use (another p1 run, or another program on that port)`;
    case 'EACCES':
      return `${section}.port: port ${port} needs privileges this process does not have (use a port above 1023)`;
    case 'EADDRNOTAVAIL':
      return `${section}.host: ${host} is not an address of this machine (use 127.0.0.1, 0.0.0.0 or one of its own)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return `${section}.host: the name '${host}' does not resolve to an address`;
    case 'EAFNOSUPPORT':
      return `${section}.host: this machine has no networking for ${host}`;
    default:
      return null;
  }
}
