/**
 * The checks that read more than one key: a driver's required keys, unique charger ids, minA within
 * maxA and the fuse, a single-phase site's chargers. They run even when other keys are wrong (all
 * problems at once) but only on keys that passed their own check, so one mistake is one line.
 */
import type { z } from 'zod';
import type { DriverTables } from '../drivers';

type Issues = z.core.$RefinementCtx['issues'];
type Path = PropertyKey[];

function isPrefix(prefix: readonly PropertyKey[], path: readonly PropertyKey[]): boolean {
  return prefix.every((segment, i) => path[i] === segment);
}

/** The value at `path` when it was given and passed its own check; undefined otherwise. */
function valid(root: unknown, issues: Issues, path: Path): unknown {
  // an unknown key spoils nothing beside it
  const spoiling = issues.filter((issue) => issue.code !== 'unrecognized_keys');
  if (spoiling.some((issue) => isPrefix(path, issue.path ?? []) || isPrefix(issue.path ?? [], path))) {
    return undefined;
  }
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/** Whether a key must be given (it has neither a default nor `optional`). */
export function isRequired(schema: z.ZodType): boolean {
  return !schema.safeParse(undefined).success;
}

/** A driver's keys that must be given when it is selected; absent and null both count as missing. */
function requireDriverKeys(
  value: unknown,
  issues: Issues,
  at: Path,
  discriminator: string,
  entries: readonly { name: string; options: z.ZodObject | null }[],
  add: (path: Path, message: string) => void,
): void {
  const name = valid(value, issues, [...at, discriminator]);
  const entry = entries.find((e) => e.name === name);
  const item = valid(value, [], at) as Record<string, unknown> | undefined;
  if (!entry?.options || !item || typeof item !== 'object') return;
  for (const [key, schema] of Object.entries(entry.options.shape)) {
    if (isRequired(schema as z.ZodType) && (item[key] === undefined || item[key] === null))
      add([...at, key], 'is required');
  }
}

export function crossChecks(tables: DriverTables) {
  return (value: unknown, ctx: z.core.$RefinementCtx): void => {
    const issues = [...ctx.issues];
    const add = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message, input: undefined });
    if (value === null || typeof value !== 'object') return;

    requireDriverKeys(value, issues, ['meter'], 'source', tables.meterSources, add);
    const chargers = valid(value, [], ['chargers']);
    if (!Array.isArray(chargers)) return;
    const connection = valid(value, issues, ['site', 'connection']);
    const fuseA = valid(value, issues, ['site', 'fuseA']);
    const seen = new Set<unknown>();
    chargers.forEach((_, i) => {
      const at = ['chargers', i];
      requireDriverKeys(value, issues, at, 'driver', tables.chargerDrivers, add);
      const id = valid(value, issues, [...at, 'id']);
      if (typeof id === 'string') {
        if (seen.has(id)) add([...at, 'id'], `duplicates another charger's id '${id}'`);
        seen.add(id);
      }
      const minA = valid(value, issues, [...at, 'minA']);
      const maxA = valid(value, issues, [...at, 'maxA']);
      if (typeof minA === 'number' && typeof maxA === 'number' && minA > maxA) {
        add([...at, 'minA'], `must not exceed maxA (${maxA})`);
      }
      const phases = valid(value, issues, [...at, 'phases']);
      if (connection === '1x230' && Array.isArray(phases) && phases.some((line) => line !== 1)) {
        add([...at, 'phases'], 'must be [1] on a 1x230 connection');
      }
      if (typeof minA === 'number' && typeof fuseA === 'number' && minA > fuseA) {
        add([...at, 'minA'], `must not exceed site.fuseA (${fuseA})`);
      }
    });
  };
}
