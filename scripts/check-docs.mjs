#!/usr/bin/env node
/**
 * `node scripts/check-docs.mjs`: the repository documents itself, so a clone alone must be enough.
 *   1. No tracked file points at documentation or data outside the repository (the workplace's shared
 *      folder or its contracts file, which a clone does not have).
 *   2. Every relative link in every tracked Markdown file leads to a tracked file, and its #anchor to a
 *      heading of that file, by GitHub's rules for heading ids.
 * One line per problem (file:line), exit 1; otherwise one summary line, exit 0. Part of `pnpm test`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// Spelled in pieces so that this file does not name them itself.
const FORBIDDEN = [['..', 'shared'].join('/'), ['CONTRACTS', 'md'].join('.'), `${'CONTRACTS'} §`];

function trackedFiles() {
  const r = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error || r.status !== 0) {
    console.error(`check-docs: git could not list the tracked files (${r.error?.message ?? r.stderr.trim()}).`);
    process.exit(2);
  }
  return r.stdout.split('\0').filter((f) => f !== '' && !f.split('/').includes('node_modules'));
}

/** GitHub's heading id: lower case, punctuation and symbols dropped, each space a hyphen. */
function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The text a heading renders to: code spans, links, emphasis and HTML tags reduced to their words. */
function headingText(markdown) {
  // Odd pieces are code spans: their text stays as it is, `<token>` included.
  return markdown
    .replace(/\s+#+\s*$/, '')
    .split(/`+/)
    .map((piece, i) =>
      i % 2 === 1
        ? piece
        : piece
            .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/<[^>]+>/g, '')
            .replace(/\*+/g, ''),
    )
    .join('')
    .trim();
}

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(text) {
  const out = [];
  let fence = null;
  text.split('\n').forEach((line, i) => {
    const m = line.match(/^\s{0,3}(`{3,}|~{3,})/);
    if (m) {
      if (fence === null) fence = m[1][0].repeat(m[1].length);
      else if (m[1].startsWith(fence)) fence = null;
      return;
    }
    if (fence === null) out.push({ line, n: i + 1 });
  });
  return out;
}

function anchorsOf(text) {
  const ids = new Set();
  const seen = new Map();
  const add = (heading) => {
    const base = slug(headingText(heading));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    ids.add(count === 0 ? base : `${base}-${count}`);
  };
  const lines = proseLines(text);
  lines.forEach(({ line }, i) => {
    const atx = line.match(/^\s{0,3}#{1,6}\s+(.*)$/);
    if (atx) add(atx[1]);
    else if (/^\s{0,3}(=+|-+)\s*$/.test(line) && i > 0 && /^\s{0,3}[^\s|#>*+-]/.test(lines[i - 1].line))
      add(lines[i - 1].line);
    for (const a of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) ids.add(a[1]);
  });
  return ids;
}

/** Link targets on one line of prose: inline links and images, autolinks aside, and reference definitions. */
function linkTargets(line) {
  const prose = line.replace(/`+[^`]*`+/g, (code) => ' '.repeat(code.length));
  const targets = [];
  for (const m of prose.matchAll(/!?\[[^\]]*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)/g)) {
    targets.push(m[1].replace(/^<|>$/g, ''));
  }
  const ref = prose.match(/^\s{0,3}\[[^\]]+\]:\s+(\S+)/);
  if (ref) targets.push(ref[1]);
  for (const m of prose.matchAll(/href="([^"]+)"/g)) targets.push(m[1]);
  return targets;
}

const files = trackedFiles();
const tracked = new Set(files);
const dirs = new Set(
  files.flatMap((f) =>
    f
      .split('/')
      .slice(0, -1)
      .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
  ),
);
const problems = [];
const anchorCache = new Map();
const anchorsFor = (file) => {
  if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(readFileSync(join(root, file), 'utf8')));
  return anchorCache.get(file);
};

for (const file of files) {
  const path = join(root, file);
  if (!existsSync(path)) continue;
  const text = readFileSync(path, 'utf8');
  for (const word of FORBIDDEN) {
    const at = text.indexOf(word);
    if (at >= 0) {
      const line = text.slice(0, at).split('\n').length;
      problems.push(
        `${file}:${line}: names '${word}', which a clone of the repository does not have; point at the repository's own docs`,
      );
    }
  }
}

let links = 0;
const markdown = files.filter((f) => f.endsWith('.md') && existsSync(join(root, f)));
for (const file of markdown) {
  for (const { line, n } of proseLines(readFileSync(join(root, file), 'utf8'))) {
    for (const target of linkTargets(line)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      links++;
      const [rawPath, anchor] = target.split('#', 2);
      let resolved = file;
      if (rawPath !== '') {
        let decoded;
        try {
          decoded = decodeURIComponent(rawPath);
        } catch {
          decoded = rawPath;
        }
        const joined = decoded.startsWith('/') ? decoded.slice(1) : posix.join(posix.dirname(file), decoded);
        resolved = posix.normalize(joined).replace(/\/$/, '');
        if (resolved.startsWith('..')) {
          problems.push(`${file}:${n}: link '${target}' leads outside the repository`);
          continue;
        }
        if (!tracked.has(resolved) && !dirs.has(resolved)) {
          const why = existsSync(join(root, resolved)) ? 'is not tracked by git' : 'does not exist';
          problems.push(`${file}:${n}: link '${target}': ${resolved} ${why}`);
          continue;
        }
      }
      if (anchor !== undefined && resolved.endsWith('.md') && !anchorsFor(resolved).has(anchor)) {
        problems.push(`${file}:${n}: link '${target}': ${resolved} has no heading with the id '${anchor}'`);
      }
    }
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(p);
  console.error(`check-docs: ${problems.length} problem${problems.length === 1 ? '' : 's'}.`);
  process.exit(1);
}
console.log(
  `check-docs: ${links} relative links in ${markdown.length} Markdown files resolve; ${files.length} files name nothing outside the repository.`,
);
