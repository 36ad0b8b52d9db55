import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentState } from '../src/machine';
import { JsonFileProgressStore, MemoryProgressStore, ProgressFormatError, type ProgressStore } from '../src/store';
import { HOUR, reach } from './helpers';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'p1-activation-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const stores: [string, () => ProgressStore][] = [
  ['memory', () => new MemoryProgressStore()],
  ['json file', () => new JsonFileProgressStore(join(dir, 'nested', 'activation.json'), fs)],
];

describe.each(stores)('%s store', (name, make) => {
  it('is empty at first, then returns what was saved', async () => {
    const store = make();
    expect(await store.load()).toBeNull();
    const { progress } = reach('requested');
    await store.save(progress);
    expect(await store.load()).toEqual(progress);
  });

  it('keeps the 72 h deadline across a restart', async () => {
    const { progress, clock } = reach('in-aanvraag');
    const writer = make();
    await writer.save(progress);
    clock.advance(71 * HOUR);
    // A new file store stands for a restarted process; the memory store lives only as long as itself.
    const reloaded = await (name === 'memory' ? writer : make()).load();
    if (!reloaded) throw new Error('nothing reloaded');
    expect(currentState(reloaded, clock.now())).toBe('in-aanvraag');
    clock.advance(2 * HOUR);
    expect(currentState(reloaded, clock.now())).toBe('overdue');
    expect(reloaded.since['in-aanvraag']).toBe(progress.since['in-aanvraag']);
  });
});

describe('json file store', () => {
  it('names the file when it is not JSON, and the field when it is not progress', async () => {
    const path = join(dir, 'bad.json');
    const store = new JsonFileProgressStore(path, fs);
    await fs.writeFile(path, '{ not json');
    await expect(store.load()).rejects.toThrow(
      new ProgressFormatError(`${path} is not valid JSON; delete it to start the activation over`),
    );
    await fs.writeFile(path, JSON.stringify({ version: 1, state: 'flying', since: {} }));
    await expect(store.load()).rejects.toThrow(/field 'state' has unknown value "flying"/);
    await fs.writeFile(path, JSON.stringify({ version: 2 }));
    await expect(store.load()).rejects.toThrow(/field 'version' must be 1/);
    await fs.writeFile(path, JSON.stringify({ version: 1, state: 'open', since: { open: 'yesterday' } }));
    await expect(store.load()).rejects.toThrow(/since.open/);
  });

  it('writes through a temporary file and leaves none behind', async () => {
    const path = join(dir, 'activation.json');
    await new JsonFileProgressStore(path, fs).save(reach('approved').progress);
    expect(await fs.readdir(dir)).toEqual(['activation.json']);
    expect(JSON.parse(await fs.readFile(path, 'utf8')).state).toBe('approved');
  });
});
