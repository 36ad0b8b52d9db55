import { createInterface, type Interface } from 'node:readline';

/**
 * Reads answers line by line from any stream. Lines that arrive before a question is asked are
 * queued, so a program piping all answers at once is understood like a person typing them.
 */
export class LineReader {
  private readonly queue: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private ended = false;
  /** Ctrl-C on a terminal: ends the input like end-of-file, and also stops watching the meter. */
  interrupted = false;
  readonly rl: Interface;

  constructor(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, terminal: boolean) {
    this.rl = createInterface({ input, output: terminal ? output : undefined, terminal });
    this.rl.on('line', (line) => this.push(line));
    // Without a listener readline would only pause on Ctrl-C, leaving the owner stuck.
    this.rl.on('SIGINT', () => {
      this.interrupted = true;
      this.rl.close();
    });
    this.rl.on('close', () => {
      this.ended = true;
      this.waiting?.(null);
      this.waiting = null;
    });
  }

  private push(line: string): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(line);
    } else {
      this.queue.push(line);
    }
  }

  /** The next line, or null at end of input. */
  next(): Promise<string | null> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** Gives up a pending next() (answers it with null) without closing the input. */
  cancelPending(): void {
    this.waiting?.(null);
    this.waiting = null;
  }

  close(): void {
    this.rl.close();
  }
}
