/**
 * The body of a telegram, line by line, into the `obis` map: every OBIS code with its raw value
 * groups, unknown codes included. A line that starts with `(` continues the previous one
 * (DSMR 2.2/3 put the gas value on the line after 0-n:24.3.0).
 */

export interface ObisLines {
  obis: Record<string, string[]>;
  /** The same lines in telegram order, for one pass over them without object lookups. */
  codes: string[];
  values: string[][];
  /** Lines that are neither an OBIS line nor a continuation, with their 1-based line number. */
  badLines: number[];
}

const OPEN = 0x28; // (

/** Reads the value groups `(a)(b)…` of a line starting at `from`; null when a group is not closed. */
function readGroups(text: string, from: number, end: number, into: string[]): boolean {
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === OPEN) {
      const close = text.indexOf(')', i + 1);
      if (close < 0 || close >= end) return false;
      into.push(text.slice(i + 1, close));
      i = close + 1;
    } else if (c === 0x20 || c === 0x09) {
      i++;
    } else {
      return false;
    }
  }
  return true;
}

function isObisCode(text: string, start: number, end: number): boolean {
  // A-B:C.D.E, optionally *F (EasyMeter writes *255): digits, one '-', one ':', dots.
  if (end <= start) return false;
  let colon = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    if (c === 0x2d || c === 0x2e || c === 0x2a) continue; // - . *
    if (c === 0x3a && !colon) {
      colon = true;
      continue;
    }
    return false;
  }
  return colon;
}

/** Parses the lines of `text` from `start` (just after the identification line) to `end` (the '!'). */
export function readObisLines(text: string, start: number, end: number): ObisLines {
  const obis: Record<string, string[]> = {};
  const badLines: number[] = [];
  const codes: string[] = [];
  const values: string[][] = [];
  let last: string[] | null = null;
  let lineNo = 1;
  let i = start;
  while (i < end) {
    let eol = text.indexOf('\n', i);
    if (eol < 0 || eol > end) eol = end;
    let lineEnd = eol;
    if (lineEnd > i && text.charCodeAt(lineEnd - 1) === 0x0d) lineEnd--;
    lineNo++;
    if (lineEnd > i) {
      const open = text.indexOf('(', i);
      if (open === i && last) {
        if (!readGroups(text, i, lineEnd, last)) badLines.push(lineNo);
      } else if (open > i && open < lineEnd && isObisCode(text, i, open)) {
        const code = text.slice(i, open);
        const groups: string[] = [];
        if (readGroups(text, open, lineEnd, groups)) {
          if (obis[code] === undefined) {
            codes.push(code);
            values.push(groups);
          } else values[codes.indexOf(code)] = groups;
          obis[code] = groups;
          last = groups;
        } else {
          badLines.push(lineNo);
          last = null;
        }
      } else {
        badLines.push(lineNo);
        last = null;
      }
    }
    i = eol + 1;
  }
  return { obis, codes, values, badLines };
}
