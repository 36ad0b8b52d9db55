import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The API token when the configuration gives none: generated once, kept in a file readable by
 * the owner only (never logged), reused on every start.
 */
export function loadOrCreateToken(path: string): string {
  if (existsSync(path)) {
    const token = readFileSync(path, 'utf8').trim();
    if (token.length >= 8) return token;
  }
  mkdirSync(dirname(path), { recursive: true });
  const token = randomBytes(18).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
  return token;
}
