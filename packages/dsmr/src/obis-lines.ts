/**
 * The body of a telegram, line by line, into the `obis` map: every OBIS code with its raw value
 * groups, unknown codes included. A line that starts with `(` continues the previous one
 * (DSMR 2.2/3 put the gas value on the line after 0-n:24.3.0).
 */

export interface ObisLines {
  /** OBIS codes in telegram order, and each line's value groups. */
  codes: string[];
  values: string[][];
  /** Lines that are neither an OBIS line nor a continuation, with their 1-based line number. */
  badLines: number[];
}

const OPEN = 0x28; // (
const CR = 0x0d;
const LF = 0x0a;

/**
 * Reads the value groups `(a)(b)…` from `from` (a '(') to the end of the line, into `into`.
 * Returns where the line ends (its '\r', '\n' or `end`), or -1 when a group is not closed on it.
 */
function readLineGroups(text: string, from: number, end: number, into: string[]): number {
  let lf = text.indexOf('\n', from);
  if (lf < 0 || lf > end) lf = end;
  let i = from;
  while (i < lf) {
    const c = text.charCodeAt(i);
    if (c === OPEN) {
      const close = text.indexOf(')', i + 1);
      if (close < 0 || close > lf) return -1;
      into.push(text.slice(i + 1, close));
      i = close + 1;
    } else if (c === CR) return i;
    else if (c === 0x20 || c === 0x09) i++;
    else return -1;
  }
  return lf;
}

/** The separator each numeric field of `A-B:C.D.E*F` ends with; F is optional (EasyMeter writes *255). */
const OBIS_SEPARATORS = [0x2d, 0x3a, 0x2e, 0x2e, 0x2a]; // - : . . *

function isObisCode(text: string, start: number, end: number): boolean {
  // Every field has at least one digit: ':' alone or '1-:.' is noise, not a code.
  let field = 0;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      digits++;
      continue;
    }
    if (digits === 0 || field >= OBIS_SEPARATORS.length || c !== OBIS_SEPARATORS[field]) return false;
    field++;
    digits = 0;
  }
  return digits > 0 && (field === 4 || field === 5);
}

/**
 * Parses the lines of `text` from `start` (just after the identification line) to `end` (the '!').
 * `expected` is the previous telegram's codes: where line k starts with the same code, that
 * (already validated) string is reused instead of cutting and checking a new one.
 */
export function readObisLines(text: string, start: number, end: number, expected: readonly string[] = []): ObisLines {
  const badLines: number[] = [];
  const codes: string[] = [];
  const values: string[][] = [];
  let last: string[] | null = null;
  let lineNo = 2; // line 1 is the identification line
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === LF) {
      lineNo++;
      i++;
      continue;
    }
    if (c === CR) {
      i++;
      continue;
    }
    let next = -1;
    if (c === OPEN) {
      if (last) next = readLineGroups(text, i, end, last);
    } else {
      const known = expected[codes.length];
      const reuse = known !== undefined && text.charCodeAt(i + known.length) === OPEN && text.startsWith(known, i);
      let open = reuse ? i + known.length : text.indexOf('(', i);
      if (!reuse && (open < 0 || open >= end || !isObisCode(text, i, open))) open = -1;
      if (open > i) {
        const groups: string[] = [];
        next = readLineGroups(text, open, end, groups);
        if (next >= 0) {
          codes.push(reuse ? known : text.slice(i, open));
          values.push(groups);
          last = groups;
        }
      }
    }
    if (next < 0) {
      badLines.push(lineNo);
      last = null;
      const eol = text.indexOf('\n', i);
      next = eol < 0 || eol > end ? end : eol;
    }
    i = next;
  }
  return { codes, values, badLines };
}
