/**
 * A meter sends the same lines in the same order every second. A layout is what we learn once
 * per sequence of OBIS codes: which field of the reading each line feeds, and a compiled builder
 * of the `obis` object. An object literal with constant keys is built by V8 in one step, where
 * adding 40 computed keys one by one costs more than the rest of the parse.
 */
import { fieldOf } from './normalize';
import { sameStrings } from './same-strings';

export interface Layout {
  /** Per line: the field it feeds (see `fieldOf`), or -1. */
  fields: Int16Array;
  /** The `obis` map from the lines' value groups; a repeated code keeps its last value. */
  build: (values: string[][]) => Record<string, string[]>;
}

/** A handful of layouts per meter at most (telegrams with and without a message, …); bounded anyway. */
const MAX_LAYOUTS = 64;
const layouts = new Map<string, Layout>();
let lastCodes: string[] = [];
let lastLayout: Layout | null = null;

function compile(codes: string[]): Layout {
  const fields = new Int16Array(codes.length);
  const position = new Map<string, number>();
  codes.forEach((code, i) => {
    fields[i] = fieldOf(code);
    position.set(code, i);
  });
  // Keys are validated OBIS codes (digits, '-', ':', '.', '*'), embedded as JSON strings.
  const body = [...position].map(([code, i]) => `${JSON.stringify(code)}: v[${i}]`).join(', ');
  return { fields, build: new Function('v', `return { ${body} };`) as Layout['build'] };
}

/** The codes of the last telegram: the likely codes of the next one (see readObisLines). */
export function expectedCodes(): readonly string[] {
  return lastCodes;
}

export function layoutOf(codes: string[]): Layout {
  if (lastLayout && sameStrings(codes, lastCodes)) return lastLayout;
  const key = codes.join('\n');
  let layout = layouts.get(key);
  if (!layout) {
    layout = compile(codes);
    if (layouts.size >= MAX_LAYOUTS) layouts.clear();
    layouts.set(key, layout);
  }
  lastCodes = codes;
  lastLayout = layout;
  return layout;
}
