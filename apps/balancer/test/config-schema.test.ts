/** The published JSON Schema: fresh, read by an independent validator (ajv), and in step with our checks. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REASON_TEXTS } from '@p1/balancer';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_SCHEMA_FILE, configJsonSchema, parseConfigText, validateConfig } from '../src/config';

const published = JSON.parse(readFileSync(CONFIG_SCHEMA_FILE, 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const ajvValid = ajv.compile(published);
const EXAMPLE = join(import.meta.dirname, '..', 'deploy', 'config.example.yaml');

describe('config.schema.json', () => {
  it('is the one the definition gives (run `pnpm --filter @p1/app-balancer config-schema` when this fails)', () => {
    expect(published).toEqual(configJsonSchema());
  });

  it('validates the example configuration, as our loader does, and the example points editors at it', () => {
    const text = readFileSync(EXAMPLE, 'utf8');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../config.schema.json');
    expect(ajvValid(parse(text)), JSON.stringify(ajvValid.errors)).toBe(true);
    const ours = parseConfigText(text);
    expect(ours.ok && ours.config.chargers[0]?.driver).toBe('ocpp');
  });

  it('refuses what our checks refuse key by key: unknown keys, ranges, enums, a source without its keys', () => {
    for (const doc of [
      { version: 1, ocpp: { prot: 9000 } },
      { version: 1, site: { fuseA: 300 } },
      { version: 1, meter: { source: 'usb' } },
      { version: 1, meter: { source: 'serial' } },
      { version: 1, meter: { source: 'tcp', host: 'x', port: null } },
      { version: 1, chargers: [{ id: 'cp1', driver: 'ocpp', phases: [1, 1] }] },
      { version: 2 },
      {},
    ]) {
      expect(ajvValid(doc), JSON.stringify(doc)).toBe(false);
      expect(validateConfig(doc).ok, JSON.stringify(doc)).toBe(false);
    }
  });

  // Documents from a space of right and wrong values: whatever we accept, the published schema accepts;
  // what we alone refuse is refused by a check across keys (unique ids, minA within maxA and the fuse).
  it('agrees with our checks key by key (property)', () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    /** Mostly right, sometimes wrong: so that whole documents come out valid often enough. */
    const pick = (right: unknown[], wrong: unknown[]) =>
      fc.oneof(
        { arbitrary: fc.constantFrom(...right), weight: 12 },
        { arbitrary: fc.constantFrom(...wrong), weight: 1 },
      );
    const between = (min: number, max: number, integer = false) =>
      fc.oneof(
        { arbitrary: integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true }), weight: 12 },
        { arbitrary: fc.constantFrom(min - 1, max + 1, 0.5, '7'), weight: 1 },
      );
    const record = <T extends Record<string, fc.Arbitrary<unknown>>>(model: T) =>
      fc.record(model, { requiredKeys: [] });
    const doc = record({
      version: pick([1], [2, '1']),
      meter: maybe(
        record({
          source: pick(['serial', 'tcp', 'replay', 'http', 'simulator'], ['usb']),
          device: pick(['/dev/ttyUSB0'], ['', null]),
          baud: between(300, 921600, true),
          host: pick(['127.0.0.1', 'meter.local'], ['a b']),
          port: between(1, 65535, true),
          file: pick(['capture.p1'], [null]),
          speed: between(0.01, 100000),
          url: pick(['http://10.0.0.2'], ['ftp://x']),
          model: pick(['fluvius-3ph', 'smarty'], ['acme']),
          smartyKey: pick(['000102030405060708090A0B0C0D0E0F'], ['zz']),
          colour: pick([undefined], ['red']),
        }),
      ),
      site: maybe(
        record({
          connection: pick(['1x230', '3x230', '3N400'], ['2x400']),
          fuseA: between(6, 250),
          capacityTargetKw: fc.oneof(between(2.5, 1000), fc.constant(null)),
          solar: pick(['off', 'surplus', 'min+surplus'], ['sunny']),
          neverRaiseMonthPeak: pick([true, false], ['no']),
        }),
      ),
      timing: maybe(
        record({
          minPauseS: between(0, 3600, true),
          minChargeS: between(0, 3600, true),
          phaseSwitch: maybe(record({ delayS: between(0, 3600, true), holdS: between(60, 3600, true) })),
        }),
      ),
      chargers: maybe(
        fc.array(
          fc.record(
            {
              id: pick(['cp1', 'sim1'], ['cp 2']),
              driver: pick(['ocpp', 'simulated'], ['modbus']),
              phases: pick([[1, 2, 3], [1], [2, 3]], [[2, 2], [4], []]),
              minA: between(6, 80),
              maxA: between(6, 80),
              safeA: between(0, 80),
              switchPhases: pick([true, false], ['yes']),
              priority: between(-100, 100, true),
              carMinA: between(6, 80),
              carMaxA: between(6, 80),
              minPauseS: between(0, 3600, true),
              password: pick(['secret', null], ['']),
            },
            { requiredKeys: ['id'] },
          ),
          { maxLength: 2 },
        ),
      ),
      http: maybe(
        fc.oneof(
          { arbitrary: record({ port: between(0, 65535, true), token: pick(['long-enough'], ['short']) }), weight: 12 },
          { arbitrary: fc.constant([]), weight: 1 },
        ),
      ),
      mqtt: maybe(fc.record({ url: pick(['mqtt://h:1883'], ['h:1883']), topic: pick(['p1'], ['p1/#']) })),
      log: maybe(record({ level: pick(['info', 'silent'], ['loud']) })),
    });
    const CROSS_KEY = /duplicates another charger's id|must not exceed|must be at least minA|must be \[1\] on a 1x230/;
    const seen = { accepted: 0, refused: 0, crossKey: 0 };
    fc.assert(
      fc.property(doc, (d) => {
        const clean = JSON.parse(JSON.stringify(d));
        const ours = validateConfig(clean);
        const theirs = ajvValid(clean);
        if (ours.ok) seen.accepted++;
        else if (!theirs) seen.refused++;
        else seen.crossKey++;
        if (ours.ok) return theirs;
        // refused by us alone: only for a check across keys
        return !theirs || ours.problems.every((p) => CROSS_KEY.test(p));
      }),
      { numRuns: 3000, seed: 1205 },
    );
    // the space holds all three outcomes, so the property is not vacuous
    expect(Math.min(seen.accepted, seen.refused, seen.crossKey)).toBeGreaterThan(0);
  });

  it('has every setting that an owner-facing reason names, so the dashboard never points at a key that is gone', () => {
    const named = Object.values(REASON_TEXTS).flatMap(
      (text) => text.match(/\b(?:site|margins|timing)\.[A-Za-z.]*[A-Za-z]/g) ?? [],
    );
    expect(named).toContain('margins.unseenStepKw');
    for (const path of named) expect(schemaHas(published, path.split('.')), path).toBe(true);
  });
});

/** Whether a JSON Schema object (or one of its `anyOf` alternatives) has the property path `keys`. */
function schemaHas(schema: Record<string, unknown>, keys: string[]): boolean {
  if (keys.length === 0) return true;
  const alternatives = (schema.anyOf as Array<Record<string, unknown>> | undefined) ?? [schema];
  return alternatives.some((alt) => {
    const next = (alt.properties as Record<string, Record<string, unknown>> | undefined)?.[keys[0]!];
    return next !== undefined && schemaHas(next, keys.slice(1));
  });
}
