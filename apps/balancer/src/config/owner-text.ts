/**
 * From zod's issues to the sentences an owner reads: `path: what is wrong`, one line per path, in the
 * order of the schema. A key's sentence comes from what its schema accepts ("must be a number between
 * 6 and 80"), from the message its check was given ("must be a host name or IP address"), or from
 * `ownerText` where neither says it well.
 */
import { z } from 'zod';

export interface OwnerText {
  /** The sentence, after `path: `. */
  problem: string | ((input: unknown) => string);
  /** Report every problem inside (a list's items) once, at this key. */
  whole?: boolean;
}

export const ownerText = z.registry<OwnerText>();

/** Marks the issues whose check gave no message of its own (zod's default messages are for developers). */
const UNWORDED = '\u0000';
export const unworded = () => UNWORDED;

type Path = readonly PropertyKey[];
type Def = {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
};

const def = (schema: z.ZodType): Def => schema._zod.def as unknown as Def;
const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional']);

/** The schema itself and what it wraps, outermost first. */
function layers(schema: z.ZodType): z.ZodType[] {
  const out = [schema];
  let s = schema;
  for (;;) {
    const d = def(s);
    const next = WRAPPERS.has(d.type) ? d.innerType : d.type === 'pipe' ? d.in : undefined;
    if (!next) return out;
    out.push(next);
    s = next;
  }
}

const core = (schema: z.ZodType): z.ZodType => layers(schema).at(-1) as z.ZodType;

function child(schema: z.ZodType, segment: PropertyKey): z.ZodType | undefined {
  const d = def(core(schema));
  if (d.type === 'object' && typeof segment === 'string') return d.shape?.[segment];
  if (d.type === 'array' && typeof segment === 'number') return d.element;
  return undefined;
}

function registered(schema: z.ZodType): OwnerText | undefined {
  for (const layer of layers(schema)) {
    const text = ownerText.get(layer);
    if (text) return text;
  }
  return undefined;
}

function joinPath(path: Path): string {
  let out = '';
  for (const segment of path)
    out += typeof segment === 'number' ? `[${segment}]` : out ? `.${String(segment)}` : String(segment);
  return out;
}

/** What the schema accepts, in an owner's words. */
function expectation(schema: z.ZodType): string {
  const s = core(schema);
  if (s instanceof z.ZodNumber) {
    const kind = s.isInt ? 'an integer' : 'a number';
    const { minValue: min, maxValue: max } = s;
    if (min !== null && max !== null && Number.isFinite(min) && Number.isFinite(max))
      return `must be ${kind} between ${min} and ${max}`;
    return `must be ${kind}`;
  }
  if (s instanceof z.ZodEnum) return `must be one of ${s.options.join(', ')}`;
  if (s instanceof z.ZodLiteral) return `must be ${s.values.values().next().value}`;
  if (s instanceof z.ZodBoolean) return 'must be true or false';
  if (s instanceof z.ZodString) return 'must be a non-empty text';
  if (s instanceof z.ZodObject) return 'must be a mapping of keys';
  if (s instanceof z.ZodArray) return 'must be a list';
  return 'is not valid';
}

interface Problem {
  path: Path;
  text: string;
  order: number[];
}

/** The position of a path in the schema: top-level key, item, key… (an unknown key comes before its section's keys). */
function order(root: z.ZodType, path: Path): number[] {
  const out: number[] = [];
  let schema: z.ZodType | undefined = root;
  for (const segment of path) {
    const d = schema ? def(core(schema)) : undefined;
    if (typeof segment === 'number') out.push(segment);
    else out.push(d?.type === 'object' ? Object.keys(d.shape ?? {}).indexOf(String(segment)) : -1);
    schema = schema ? child(schema, segment) : undefined;
  }
  return out;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

function describe(root: z.ZodType, issue: z.core.$ZodIssue): Problem[] {
  if (issue.message !== UNWORDED) return [{ path: issue.path, text: issue.message, order: order(root, issue.path) }];
  if (issue.code === 'unrecognized_keys') {
    const known = Object.keys(def(core(schemaAt(root, issue.path) ?? root)).shape ?? {});
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      return { path, text: `unknown key (expected one of ${known.join(', ')})`, order: order(root, path) };
    });
  }
  // a registered key whose sentence covers everything inside reports it once, at itself
  let schema: z.ZodType | undefined = root;
  for (let i = 0; i <= issue.path.length && schema; i++) {
    const text = registered(schema);
    const path = issue.path.slice(0, i);
    if (text && (text.whole || i === issue.path.length)) {
      const problem = typeof text.problem === 'function' ? text.problem(issue.input) : text.problem;
      return [{ path, text: problem, order: order(root, path) }];
    }
    schema = i < issue.path.length ? child(schema, issue.path[i] as PropertyKey) : undefined;
  }
  const at = schemaAt(root, issue.path);
  const text =
    issue.input === undefined && issue.code === 'invalid_type' ? 'is required' : at ? expectation(at) : 'is not valid';
  return [{ path: issue.path, text, order: order(root, issue.path) }];
}

function schemaAt(root: z.ZodType, path: Path): z.ZodType | undefined {
  let schema: z.ZodType | undefined = root;
  for (const segment of path) schema = schema ? child(schema, segment) : undefined;
  return schema;
}

/** One line per path and problem, in schema order; a path's duplicate sentence is dropped. */
export function problemsOf(root: z.ZodType, issues: readonly z.core.$ZodIssue[]): string[] {
  const problems = issues.flatMap((issue) => describe(root, issue));
  problems.sort((a, b) => compare(a.order, b.order));
  const lines = problems.map((p) => (p.path.length ? `${joinPath(p.path)}: ${p.text}` : `the configuration ${p.text}`));
  return [...new Set(lines)];
}
