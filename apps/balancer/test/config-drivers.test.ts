/** The driver tables: read by the configuration, the factory and the README, and open to one more entry. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHARGER_DRIVERS, type DriverOptions, METER_SOURCES, replayMeterEntry } from '@p1/drivers';
import type { Reading } from '@p1/dsmr';
import { MeterSimulation, simulatedChargerEntry, simulatorMeterEntry } from '@p1/sim';
import * as v from 'valibot';
import { afterAll, describe, expect, it } from 'vitest';
import { configJsonSchema, configSchema, validateConfig } from '../src/config';
import { isRequired } from '../src/config/cross-checks';
import { DRIVERS, type DriverTables } from '../src/drivers';
import { openMeterSource } from '../src/wiring/meter-config';

const dir = mkdtempSync(join(tmpdir(), 'p1-config-drivers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The rows of the README table under `heading`: first cell (a `name`), second, third. */
function readmeRows(heading: string): string[][] {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `README has the heading ${heading}`).toBeGreaterThan(0);
  const rows: string[][] = [];
  let body = false; // the rows after the header's |---| line
  for (const line of readme.slice(start + heading.length + 2).split('\n')) {
    if (line.startsWith('#') || (body && !line.startsWith('|'))) break;
    if (body) rows.push(line.split(' | ').map((cell) => cell.replace(/^\| |\s*\|$/g, '').trim()));
    body ||= line.startsWith('|---');
  }
  return rows;
}

/** How the README names a driver's keys: `key` (required) or `key` (default `x`) or just `key`. */
function keysCell(options: DriverOptions): string {
  return Object.entries(options.entries)
    .map(([key, s]) => {
      if (isRequired(s)) return `\`${key}\` (required)`;
      const fallback = v.parse(s, undefined);
      return fallback === undefined || fallback === null ? `\`${key}\`` : `\`${key}\` (\`${fallback}\`)`;
    })
    .join(', ');
}

describe('the driver tables', () => {
  it("are the README's lists: names, summaries and keys of every meter source and charger driver", () => {
    const expected = (entries: DriverTables['meterSources'] | DriverTables['chargerDrivers']) =>
      entries.map((e) => [`\`${e.name}\``, e.summary, e.options ? keysCell(e.options) || '–' : '–']);
    expect(readmeRows('### Meter sources (`meter.source`)')).toEqual(expected(DRIVERS.meterSources));
    expect(readmeRows('### Charger drivers (`chargers[i].driver`)')).toEqual(expected(DRIVERS.chargerDrivers));
  });

  it("are @p1/drivers' tables, its code-only sources left out, plus @p1/sim's drivers", () => {
    // so a driver of @p1/drivers is one line in its package's table and nowhere else
    for (const entry of METER_SOURCES) expect(DRIVERS.meterSources.includes(entry)).toBe(entry.options !== null);
    expect(DRIVERS.meterSources.map((e) => e.name)).not.toContain('stream');
    expect(DRIVERS.meterSources).toContain(simulatorMeterEntry);
    expect(DRIVERS.meterSources).toHaveLength(METER_SOURCES.filter((e) => e.options !== null).length + 1);
    expect(DRIVERS.chargerDrivers).toEqual([...CHARGER_DRIVERS, simulatedChargerEntry]);
  });

  it('give the configuration its choices and each driver its required keys', () => {
    const r = validateConfig({ version: 1, meter: { source: 'modem' }, chargers: [{ id: 'a', driver: 'modbus' }] });
    expect(!r.ok && r.problems).toEqual([
      `meter.source: must be one of ${DRIVERS.meterSources.map((e) => e.name).join(', ')}`,
      `chargers[0].driver: must be one of ${DRIVERS.chargerDrivers.map((e) => e.name).join(', ')}`,
    ]);
    for (const entry of DRIVERS.meterSources) {
      const options = entry.options as DriverOptions | null;
      const required = Object.entries(options?.entries ?? {}).filter(([, s]) => isRequired(s));
      const res = validateConfig({ version: 1, meter: { source: entry.name } });
      expect(res.ok ? [] : res.problems).toEqual(required.map(([key]) => `meter.${key}: is required`));
    }
  });

  it('take one more meter source with one line, the configuration, its JSON Schema and the factory all follow', async () => {
    // a second, real source: the replay driver under another name, added to the table and nowhere else
    const capture = { ...replayMeterEntry, name: 'capture', summary: 'a capture, under a name of its own' };
    const tables: DriverTables = { ...DRIVERS, meterSources: [...DRIVERS.meterSources, capture] };

    const file = join(dir, 'capture.p1');
    const sim = new MeterSimulation({ model: 'fluvius-3ph', startMs: Date.parse('2025-05-05T08:00:00Z'), seed: 3 });
    writeFileSync(file, Buffer.concat(Array.from({ length: 5 }, () => sim.next().bytes as Uint8Array)));

    expect(validateConfig({ version: 1, meter: { source: 'capture', file } }).ok).toBe(false);
    const r = validateConfig({ version: 1, meter: { source: 'capture', file, speed: 1000 } }, tables);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const missing = validateConfig({ version: 1, meter: { source: 'capture' } }, tables);
    expect(!missing.ok && missing.problems).toEqual(['meter.file: is required']);
    const json = configJsonSchema(tables) as {
      properties: { meter: { anyOf: { properties: { source: { enum: string[] } } }[] } };
    };
    expect(json.properties.meter.anyOf[0]?.properties.source.enum).toContain('capture');

    const source = await openMeterSource(r.config.meter, {}, tables);
    const readings: Reading[] = [];
    source.on('reading', (reading) => readings.push(reading));
    await source.start();
    try {
      await expect.poll(() => readings.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
      expect(readings.slice(0, 5).every((x) => x.ok)).toBe(true);
    } finally {
      await source.stop();
    }
  });

  it('refuse two drivers that mean different things by one key', () => {
    const other = {
      ...replayMeterEntry,
      name: 'other',
      options: v.object({ speed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10)), 2) }),
    };
    expect(() => configSchema({ ...DRIVERS, meterSources: [...DRIVERS.meterSources, other] })).toThrow(
      'meter.speed: drivers replay and other define it differently',
    );
  });
});
