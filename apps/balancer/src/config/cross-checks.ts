/**
 * The checks that read more than one key: a driver's required keys, unique charger ids, minA within
 * maxA and the fuse, the car's range in order, meeting the charger's and under the fuse, a single-phase
 * site's chargers. They run even when other keys are wrong (all problems at once) but only on keys that
 * passed their own check, so one mistake is one line.
 */
import type { DriverOptions } from '@p1/drivers';
import * as v from 'valibot';
import type { DriverTables } from '../drivers';

type Path = readonly PropertyKey[];

/** Whether a key must be given (it has neither a default nor `optional`). */
export function isRequired(schema: v.GenericSchema): boolean {
  return !v.safeParse(schema, undefined).success;
}

/** An issue's path as keys and indexes. */
export function keysOf(issue: v.BaseIssue<unknown>): PropertyKey[] {
  return (issue.path ?? []).map((item) => item.key as PropertyKey);
}

function isPrefix(prefix: Path, path: Path): boolean {
  return prefix.every((segment, i) => path[i] === segment);
}

function at(root: unknown, path: Path): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

export function crossChecks<T>(tables: DriverTables) {
  return ({ dataset, addIssue }: v.RawCheckContext<T>): void => {
    const root: unknown = dataset.value;
    if (root === null || typeof root !== 'object') return;
    // an unknown key spoils nothing beside it
    const spoiled = (dataset.issues ?? []).filter((i) => !(i.type === 'strict_object' && i.expected === 'never'));
    const paths = spoiled.map(keysOf);
    /** The value at `path` when it passed its own check; undefined otherwise. */
    const valid = (path: Path): unknown =>
      paths.some((p) => isPrefix(path, p) || isPrefix(p, path)) ? undefined : at(root, path);
    const add = (path: Path, message: string) =>
      addIssue({
        message,
        path: path.map((key, i) => ({
          type: typeof key === 'number' ? 'array' : 'object',
          origin: 'value',
          input: at(root, path.slice(0, i)),
          key,
          value: at(root, path.slice(0, i + 1)),
        })) as unknown as [v.IssuePathItem, ...v.IssuePathItem[]],
      });

    /** A driver's keys that must be given when it is selected; absent and null both count as missing. */
    const requireDriverKeys = (
      item: Path,
      discriminator: string,
      entries: readonly { name: string; options: DriverOptions | null }[],
    ) => {
      const entry = entries.find((e) => e.name === valid([...item, discriminator]));
      const given = at(root, item);
      if (!entry?.options || given === null || typeof given !== 'object') return;
      for (const [key, schema] of Object.entries(entry.options.entries)) {
        const value = (given as Record<string, unknown>)[key];
        if (isRequired(schema) && (value === undefined || value === null)) add([...item, key], 'is required');
      }
    };

    /**
     * The car's range must meet the charger's: the balancer offers within both, so a car minimum above the
     * charger's maximum would be offered more than the charger is set up for. A car minimum above the main
     * fuse can never be offered at all: the car would wait for good.
     */
    const checkCarRange = (c: Path, charger: string, minA: unknown, maxA: unknown, fuseA: unknown) => {
      const carMinA = valid([...c, 'carMinA']);
      const carMaxA = valid([...c, 'carMaxA']);
      if (typeof carMinA === 'number' && typeof carMaxA === 'number' && carMinA > carMaxA) {
        add([...c, 'carMinA'], `must not exceed carMaxA (${carMaxA}) on ${charger}`);
        return;
      }
      if (typeof carMinA === 'number' && typeof maxA === 'number' && carMinA > maxA) {
        add([...c, 'carMinA'], `must not exceed maxA (${maxA}): ${charger} cannot offer the car its minimum`);
      } else if (typeof carMinA === 'number' && typeof fuseA === 'number' && carMinA > fuseA) {
        add([...c, 'carMinA'], `must not exceed site.fuseA (${fuseA}): ${charger} could never start the car`);
      }
      if (typeof carMaxA === 'number' && typeof minA === 'number' && carMaxA < minA) {
        add([...c, 'carMaxA'], `must be at least minA (${minA}): ${charger} offers no less than that`);
      }
    };

    requireDriverKeys(['meter'], 'source', tables.meterSources);
    const chargers = at(root, ['chargers']);
    if (!Array.isArray(chargers)) return;
    const connection = valid(['site', 'connection']);
    const fuseA = valid(['site', 'fuseA']);
    const seen = new Set<unknown>();
    chargers.forEach((_, i) => {
      const c = ['chargers', i];
      requireDriverKeys(c, 'driver', tables.chargerDrivers);
      const id = valid([...c, 'id']);
      if (typeof id === 'string') {
        if (seen.has(id)) add([...c, 'id'], `duplicates another charger's id '${id}'`);
        seen.add(id);
      }
      const minA = valid([...c, 'minA']);
      const maxA = valid([...c, 'maxA']);
      if (typeof minA === 'number' && typeof maxA === 'number' && minA > maxA) {
        add([...c, 'minA'], `must not exceed maxA (${maxA})`);
      }
      const charger = typeof id === 'string' ? `charger '${id}'` : 'the charger';
      checkCarRange(c, charger, minA, maxA, fuseA);
      const phases = valid([...c, 'phases']);
      if (connection === '1x230' && Array.isArray(phases) && phases.some((line) => line !== 1)) {
        add([...c, 'phases'], 'must be [1] on a 1x230 connection');
      }
      if (typeof minA === 'number' && typeof fuseA === 'number' && minA > fuseA) {
        add([...c, 'minA'], `must not exceed site.fuseA (${fuseA}): ${charger} could never start a car`);
      }
    });
  };
}
