/** The real-telegram fixtures of the repository (fixtures/telegrams, see its PROVENANCE.md), read as bytes. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIXTURES = resolve(import.meta.dirname, '../../../fixtures/telegrams');

/** Key of the real encrypted Smarty frame (published with it, see PROVENANCE.md). */
export const SMARTY_FIXTURE_KEY = 'D491470F47126332B07D1923B3504188';

export interface Fixture {
  name: string;
  bytes: Buffer;
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(FIXTURES, d.name)).map((f) => `${d.name}/${f}`))
    .sort();
}

/** The encrypted Smarty frame is stored as one line of hex: decode it to the bytes the meter sends. */
export function fixture(name: string): Buffer {
  const raw = readFileSync(join(FIXTURES, name));
  return name.includes('encrypted') ? Buffer.from(raw.toString('latin1').trim(), 'hex') : raw;
}
