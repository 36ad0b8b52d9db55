/** Where the simulated meter's bytes go: a socat pair, a serial device, TCP clients, stdout or a file. */
export interface Output {
  readonly kind: 'socat' | 'serial' | 'tcp' | 'stdout' | 'file';
  /** What a reader opens or connects to (path, host:port, file), once started. */
  readonly address: string;
  start(): Promise<void>;
  /** Queues bytes; never blocks. A link nobody reads drops them, as a real P1 line would. */
  write(chunk: Uint8Array): void;
  /** A promise while the output is above its buffer limit (used when running as fast as possible). */
  backpressure(): Promise<void> | null;
  /** The cable is pulled: readers see the link disappear. */
  unplug(): Promise<void>;
  replug(): Promise<void>;
  stop(): Promise<void>;
  stats(): Record<string, unknown>;
}
