/** Opening the store: the path is judged before anything is created, and a failure leaves nothing behind. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openProblem, openStore, StoreError, storePathProblem } from '../src/store/open-store';

const dir = mkdtempSync(join(tmpdir(), 'p1-store-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('store.path', () => {
  it.runIf(process.platform === 'linux')('a path on a pseudo file system is refused before any mkdir', () => {
    expect(storePathProblem('/proc/p1/state.db')).toMatch(/is on the proc pseudo file system/);
    expect(storePathProblem('/sys/kernel/p1.db')).toMatch(/is on the sysfs pseudo file system/);
    expect(() => openStore('/proc/p1/state.db')).toThrow(StoreError);
    expect(existsSync('/proc/p1')).toBe(false);
  });

  it('a directory, or a file where a directory should be, is named', () => {
    mkdirSync(join(dir, 'd.db'));
    writeFileSync(join(dir, 'plain'), 'x');
    expect(storePathProblem(join(dir, 'd.db'))).toBe(`${join(dir, 'd.db')} is not a regular file`);
    expect(storePathProblem(join(dir, 'plain', 'state.db'))).toBe(`${join(dir, 'plain')} is not a directory`);
    expect(storePathProblem(join(dir, 'new', 'deeper', 'state.db'))).toBeNull();
  });

  it('a file that is not a database fails in one sentence and is left as it was', () => {
    const path = join(dir, 'not-a-db.db');
    writeFileSync(path, 'this is a text file, not SQLite, and long enough to have a header page......');
    expect(() => openStore(path)).toThrow(`${path} is not a SQLite database (is it another file?)`);
    expect(existsSync(path)).toBe(true);
  });

  it('a new store opens, creating its directories', () => {
    const path = join(dir, 'a', 'b', 'state.db');
    const store = openStore(path);
    store.close();
    expect(existsSync(path)).toBe(true);
  });

  it('SQLITE_FULL (a real one, from SQLite’s own page limit) reads as a full disk', () => {
    const path = join(dir, 'tiny.db');
    const db = new Database(path);
    db.pragma('max_page_count = 2');
    let err: unknown = null;
    try {
      db.exec('CREATE TABLE t (x BLOB)');
      for (let i = 0; i < 100; i++) db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(4096));
    } catch (e) {
      err = e;
    } finally {
      db.close();
    }
    expect((err as { code?: string }).code).toBe('SQLITE_FULL');
    expect(openProblem(err, path)).toBe(
      `the disk holding ${path} is full (SQLITE_FULL): free some space or choose another store.path`,
    );
  });
});
