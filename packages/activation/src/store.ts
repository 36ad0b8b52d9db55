import { isActivationState, type Progress } from './states';

/** Where progress lives between runs: a JSON file for the terminal guide, SQLite in the app. */
export interface ProgressStore {
  load(): Promise<Progress | null>;
  save(progress: Progress): Promise<void>;
}

export class MemoryProgressStore implements ProgressStore {
  private stored: string | null = null;
  async load(): Promise<Progress | null> {
    // Round-trip through JSON so callers never share mutable objects with the store.
    return this.stored === null ? null : parseProgress(this.stored, 'memory');
  }
  async save(progress: Progress): Promise<void> {
    this.stored = JSON.stringify(progress);
  }
}

/** The part of `node:fs/promises` the file store needs, injected so this package does no I/O of its own. */
export interface TextFileSystem {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: string, encoding: 'utf8'): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
}

/** Keeps progress in one JSON file; writes go to a temporary file first so a crash never leaves half a file. */
export class JsonFileProgressStore implements ProgressStore {
  constructor(
    readonly path: string,
    private readonly fs: TextFileSystem,
  ) {}

  async load(): Promise<Progress | null> {
    let text: string;
    try {
      text = await this.fs.readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return null;
      throw err;
    }
    return parseProgress(text, this.path);
  }

  async save(progress: Progress): Promise<void> {
    const slash = this.path.lastIndexOf('/');
    if (slash > 0) await this.fs.mkdir(this.path.slice(0, slash), { recursive: true });
    const temporary = `${this.path}.tmp`;
    await this.fs.writeFile(temporary, `${JSON.stringify(progress, null, 2)}\n`, 'utf8');
    await this.fs.rename(temporary, this.path);
  }
}

export class ProgressFormatError extends Error {
  override name = 'ProgressFormatError';
}

/** Reads stored progress, refusing anything that is not a version-1 progress with one sentence naming the source. */
export function parseProgress(text: string, source: string): Progress {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ProgressFormatError(`${source} is not valid JSON; delete it to start the activation over`);
  }
  const p = value as Partial<Progress> | null;
  if (!p || typeof p !== 'object' || p.version !== 1) {
    throw new ProgressFormatError(`${source}: field 'version' must be 1`);
  }
  if (!isActivationState(p.state)) {
    throw new ProgressFormatError(`${source}: field 'state' has unknown value ${JSON.stringify(p.state)}`);
  }
  if (!p.since || typeof p.since !== 'object') {
    throw new ProgressFormatError(`${source}: field 'since' must be an object of timestamps`);
  }
  for (const [state, at] of Object.entries(p.since)) {
    if (!isActivationState(state) || typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
      throw new ProgressFormatError(`${source}: field 'since.${state}' must be an ISO timestamp of a known state`);
    }
  }
  return {
    version: 1,
    state: p.state,
    ean: typeof p.ean === 'string' ? p.ean : null,
    registeredWith: p.registeredWith === 'eid' || p.registeredWith === 'itsme' ? p.registeredWith : null,
    requesterIsHolder: typeof p.requesterIsHolder === 'boolean' ? p.requesterIsHolder : null,
    approvedBy: p.approvedBy ?? null,
    since: p.since,
    lastError: p.lastError ?? null,
    updatedAt: typeof p.updatedAt === 'string' ? p.updatedAt : new Date(0).toISOString(),
  };
}
