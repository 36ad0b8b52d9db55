/**
 * From valibot's issues to the sentences an owner reads: `path: what is wrong`, one line per path, in
 * the order of the schema. A key's sentence comes from what its schema accepts ("must be a number
 * between 6 and 80"), from the message its check was given ("must be a host name or IP address"),
 * or from `worded` where neither says it well.
 */
import type * as v from 'valibot';
import { keysOf } from './cross-checks';

export interface OwnerText {
  /** The sentence, after `path: `. */
  problem: string | ((input: unknown) => string);
  /** Report every problem inside (a list's items) once, at this key. */
  whole?: boolean;
}

const texts = new WeakMap<object, OwnerText>();

/** Gives a schema its own sentence. */
export function worded<T extends v.GenericSchema>(schema: T, text: OwnerText): T {
  texts.set(schema, text);
  return schema;
}

/** Marks the issues whose check gave no message of its own (valibot's default messages are for developers). */
const UNWORDED = '\u0000';
export const unworded = () => UNWORDED;

type Path = readonly PropertyKey[];
/** What the sentences read of a schema: its kind, what it wraps or holds, and its checks. */
interface Node {
  type: string;
  wrapped?: Node;
  entries?: Record<string, Node>;
  item?: Node;
  pipe?: readonly { kind: string; type: string; requirement?: unknown }[];
  options?: readonly unknown[];
  literal?: unknown;
}

const WRAPPERS = new Set(['optional', 'exact_optional', 'nullish', 'nullable', 'undefinedable', 'non_optional']);

/** The schema itself and what it wraps or pipes from, outermost first. */
function layers(schema: Node): Node[] {
  const out: Node[] = [];
  let s: Node | undefined = schema;
  while (s && !out.includes(s)) {
    out.push(s);
    const base = s.pipe?.[0] as Node | undefined;
    s = WRAPPERS.has(s.type) ? s.wrapped : base !== s ? base : undefined;
  }
  return out;
}

const core = (schema: Node): Node => layers(schema).at(-1) as Node;
const requirement = (schema: Node, type: string): unknown =>
  layers(schema)
    .flatMap((l) => l.pipe ?? [])
    .find((a) => a.kind === 'validation' && a.type === type)?.requirement;
const has = (schema: Node, type: string): boolean =>
  layers(schema).some((l) => l.pipe?.some((a) => a.kind === 'validation' && a.type === type));

function child(schema: Node, segment: PropertyKey): Node | undefined {
  const c = core(schema);
  if (c.entries && typeof segment === 'string') return c.entries[segment];
  if (c.type === 'array' && typeof segment === 'number') return c.item;
  return undefined;
}

function schemaAt(root: Node, path: Path): Node | undefined {
  let schema: Node | undefined = root;
  for (const segment of path) schema = schema ? child(schema, segment) : undefined;
  return schema;
}

function joinPath(path: Path): string {
  let out = '';
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : out ? `.${String(s)}` : String(s);
  return out;
}

/** What the schema accepts, in an owner's words. */
function expectation(schema: Node): string {
  const c = core(schema);
  switch (c.type) {
    case 'number': {
      const kind = has(schema, 'integer') ? 'an integer' : 'a number';
      const [min, max] = [requirement(schema, 'min_value'), requirement(schema, 'max_value')];
      return min !== undefined && max !== undefined ? `must be ${kind} between ${min} and ${max}` : `must be ${kind}`;
    }
    case 'picklist':
      return `must be one of ${(c.options ?? []).join(', ')}`;
    case 'literal':
      return `must be ${String(c.literal)}`;
    case 'boolean':
      return 'must be true or false';
    case 'string':
      return 'must be a non-empty text';
    case 'array':
      return 'must be a list';
    default:
      return c.entries ? 'must be a mapping of keys' : 'is not valid';
  }
}

interface Problem {
  path: Path;
  text: string;
}

function describe(root: Node, issue: v.BaseIssue<unknown>): Problem {
  const path = keysOf(issue);
  if (issue.message !== UNWORDED) return { path, text: issue.message };
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    const known = Object.keys(core(schemaAt(root, path.slice(0, -1)) ?? root).entries ?? {});
    return { path, text: `unknown key (expected one of ${known.join(', ')})` };
  }
  // a worded key's sentence; one that covers everything inside reports it once, at itself
  let schema: Node | undefined = root;
  for (let i = 0; i <= path.length && schema; i++) {
    const text = layers(schema)
      .map((l) => texts.get(l))
      .find(Boolean);
    if (text && (text.whole || i === path.length)) {
      return {
        path: path.slice(0, i),
        text: typeof text.problem === 'function' ? text.problem(issue.input) : text.problem,
      };
    }
    schema = i < path.length ? child(schema, path[i] as PropertyKey) : undefined;
  }
  const at = schemaAt(root, path);
  if (issue.kind === 'schema' && issue.input === undefined) return { path, text: 'is required' };
  return { path, text: at ? expectation(at) : 'is not valid' };
}

/** The position of a path in the schema: top-level key, item, key… (an unknown key comes before its section's keys). */
function order(root: Node, path: Path): number[] {
  const out: number[] = [];
  let schema: Node | undefined = root;
  for (const segment of path) {
    const entries = schema ? core(schema).entries : undefined;
    out.push(typeof segment === 'number' ? segment : entries ? Object.keys(entries).indexOf(String(segment)) : -1);
    schema = schema ? child(schema, segment) : undefined;
  }
  return out;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

/**
 * The lists where the schema wants a mapping. valibot reads a list there as a mapping whose keys are
 * 0, 1, … (an empty list passes as an empty mapping): that is one problem, at the list.
 */
export function listsForMappings(schema: v.GenericSchema, doc: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  const node = core(schema as unknown as Node);
  if (node.entries) {
    if (Array.isArray(doc)) return [path];
    if (doc === null || typeof doc !== 'object') return [];
    return Object.entries(node.entries).flatMap(([key, entry]) =>
      listsForMappings(entry as unknown as v.GenericSchema, (doc as Record<string, unknown>)[key], [...path, key]),
    );
  }
  if (node.type === 'array' && node.item && Array.isArray(doc)) {
    return doc.flatMap((item, i) => listsForMappings(node.item as unknown as v.GenericSchema, item, [...path, i]));
  }
  return [];
}

/** `path` is `outer` or inside it. */
const within = (outer: Path, path: Path) => path.length >= outer.length && outer.every((k, i) => path[i] === k);

/** One line per path and problem, in schema order; a path's repeated sentence is dropped. */
export function problemsOf(
  schema: v.GenericSchema,
  issues: readonly v.BaseIssue<unknown>[],
  listPaths: readonly Path[] = [],
): string[] {
  const root = schema as unknown as Node;
  const lists = listPaths.map((path) => ({ path, text: 'must be a mapping of keys' }));
  const problems = [
    ...lists,
    ...issues.map((issue) => describe(root, issue)).filter((p) => !lists.some((l) => within(l.path, p.path))),
  ].map((p) => ({ ...p, order: order(root, p.path) }));
  problems.sort((a, b) => compare(a.order, b.order));
  const lines = problems.map((p) => (p.path.length ? `${joinPath(p.path)}: ${p.text}` : `the configuration ${p.text}`));
  return [...new Set(lines)];
}
