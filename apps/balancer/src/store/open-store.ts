/**
 * Opens the store at `store.path`, or says in one sentence why it cannot. The path is checked first:
 * a database under /proc made the module hang in a recursive mkdir (a loop inside Node, deaf even to
 * SIGTERM). A store that fails to open leaves nothing behind that this start created.
 */
import { accessSync, constants, mkdirSync, rmdirSync, rmSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Store } from './store';

/** Linux pseudo file systems (statfs f_type): they hold no data, and some hang or lie when written to. */
const PSEUDO_FS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0x6165676c, 'pstore'],
  [0xde5e81e4, 'efivarfs'],
  [0x65735543, 'fusectl'],
  [0x42494e4d, 'binfmt_misc'],
  [0x19800202, 'mqueue'],
]);

export class StoreError extends Error {
  override name = 'StoreError';
}

const EXAMPLE = 'use a path on a disk, such as /var/lib/p1-balancer/state.db';

/** Whether `p` exists; a path through a file (ENOTDIR) does not. */
function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The nearest part of `path` that exists (itself, or a parent directory). */
function existingPart(path: string): string {
  let p = path;
  while (!exists(p)) {
    const up = dirname(p);
    if (up === p) break;
    p = up;
  }
  return p;
}

/** Why `path` cannot hold the store, as a sentence after "store.path: "; null when it can. */
export function storePathProblem(path: string): string | null {
  if (path === ':memory:') return null;
  const full = resolve(path);
  const existing = existingPart(full);
  const st = statSync(existing);
  if (existing === full && !st.isFile()) return `${path} is not a regular file`;
  if (existing !== full && !st.isDirectory()) return `${existing} is not a directory`;
  if (process.platform === 'linux') {
    const fs = PSEUDO_FS.get(statfsSync(existing).type);
    if (fs) return `${path} is on the ${fs} pseudo file system, which holds no data: ${EXAMPLE}`;
  }
  try {
    accessSync(existing, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EROFS') return `${path} is on a read-only file system: ${EXAMPLE}`;
    return `no permission to write ${existing === full ? path : `in ${existing}`} (${code})`;
  }
  return null;
}

/** Bytes free for us on the file system holding `path` (null when unknown). */
function bytesFree(path: string): number | null {
  try {
    const s = statfsSync(existingPart(resolve(path)));
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

/** Why the store at `path` could not be opened, as a sentence after "store.path: ". */
export function openProblem(err: unknown, path: string): string {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const full =
    code === 'SQLITE_FULL' || code === 'ENOSPC' || (code.startsWith('SQLITE_IOERR') && bytesFree(path) === 0);
  if (full) return `the disk holding ${path} is full (${code}): free some space or choose another store.path`;
  if (code === 'SQLITE_NOTADB') return `${path} is not a SQLite database (is it another file?)`;
  if (code === 'SQLITE_CORRUPT') return `${path} is damaged; move it aside and the module starts a new one`;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return `${path} is in use by another process (another p1 run?)`;
  if (code === 'SQLITE_READONLY' || code === 'EACCES' || code === 'EPERM') return `no permission to write ${path}`;
  return `cannot open ${path}: ${e.message ?? String(err)}${code ? ` (${code})` : ''}`;
}

/** Directories above `path` that do not exist yet, outermost first. */
function missingDirs(path: string): string[] {
  const out: string[] = [];
  for (let d = dirname(resolve(path)); !exists(d); d = dirname(d)) {
    out.unshift(d);
    if (dirname(d) === d) break;
  }
  return out;
}

/**
 * Checks the path, creates its directory and opens the store. Throws a StoreError with one sentence;
 * on failure removes the database files and directories this call created (never an existing store).
 */
export function openStore(path: string): Store {
  const problem = storePathProblem(path);
  if (problem) throw new StoreError(problem);
  if (path === ':memory:') return new Store(path);
  const existed = exists(path);
  const dirs = missingDirs(path);
  try {
    for (const d of dirs) mkdirSync(d);
    return new Store(path);
  } catch (err) {
    if (!existed) {
      for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
      for (const d of dirs.reverse()) {
        try {
          rmdirSync(d);
        } catch {
          // not empty: something else is in it now
        }
      }
    }
    throw new StoreError(openProblem(err, path));
  }
}
