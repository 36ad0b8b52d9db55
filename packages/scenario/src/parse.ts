/**
 * Validates a scenario (packages/scenario/README.md#scenario-format), fills defaults, and names the field at
 * fault in one sentence.
 */
import { parseStart, parseTimeOfDay } from './clock';
import type {
  BreakerKind,
  ChargerSpec,
  Connection,
  EvSpec,
  FaultSpec,
  Line,
  LoadSpec,
  PvSpec,
  Scenario,
  SiteSpec,
} from './scenario';

/** A scenario that does not match the format; the message names the source and the field. */
export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly source: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

type Obj = Record<string, unknown>;

const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));

class Reader {
  constructor(readonly source: string) {}

  fail(field: string, expected: string, got: unknown): never {
    throw new ScenarioError(`${this.source}: ${field} must be ${expected}, got ${show(got)}`, this.source, field);
  }

  object(v: unknown, field: string): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(field, 'an object', v);
    return v as Obj;
  }

  /** Rejects keys the format does not know, so a typo does not silently fall back to a default. */
  known(o: Obj, field: string, keys: readonly string[]): void {
    for (const k of Object.keys(o)) {
      if (!keys.includes(k)) {
        const path = field ? `${field}.${k}` : k;
        throw new ScenarioError(`${this.source}: ${path} is not a known field`, this.source, path);
      }
    }
  }

  number(o: Obj, key: string, field: string, opts: { min?: number; max?: number; def?: number; int?: boolean } = {}) {
    const v = o[key];
    const path = `${field}${key}`;
    if (v === undefined && opts.def !== undefined) return opts.def;
    const range =
      opts.min !== undefined && opts.max !== undefined
        ? ` between ${opts.min} and ${opts.max}`
        : opts.min !== undefined
          ? ` ≥ ${opts.min}`
          : '';
    const what = `${opts.int ? 'an integer' : 'a number'}${range}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(path, what, v);
    if (
      (opts.int && !Number.isInteger(v)) ||
      (opts.min !== undefined && v < opts.min) ||
      (opts.max !== undefined && v > opts.max)
    )
      this.fail(path, what, v);
    return v;
  }

  string(o: Obj, key: string, field: string, def?: string): string {
    const v = o[key];
    if (v === undefined && def !== undefined) return def;
    if (typeof v !== 'string' || v === '') this.fail(`${field}${key}`, 'a non-empty string', v);
    return v;
  }

  boolean(o: Obj, key: string, field: string, def: boolean): boolean {
    const v = o[key];
    if (v === undefined) return def;
    if (typeof v !== 'boolean') this.fail(`${field}${key}`, 'true or false', v);
    return v;
  }

  timeOfDay(o: Obj, key: string, field: string): string {
    const v = o[key];
    if (typeof v !== 'string' || parseTimeOfDay(v) === null) this.fail(`${field}${key}`, '"HH:MM"', v);
    return v;
  }

  array(o: Obj, key: string, field: string): unknown[] {
    const v = o[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(`${field}${key}`, 'an array', v);
    return v;
  }

  lines(o: Obj, key: string, field: string, connection: Connection, what: 'device' | 'load', def?: Line[]): Line[] {
    const v = o[key];
    const path = `${field}${key}`;
    if (v === undefined && def) return def;
    if (
      !Array.isArray(v) ||
      v.length === 0 ||
      v.some((x) => x !== 1 && x !== 2 && x !== 3) ||
      new Set(v).size !== v.length
    )
      this.fail(path, 'a list of distinct grid lines 1–3 such as [1] or [1,2,3]', v);
    const lines = v as Line[];
    if (connection === '1x230' && (lines.length !== 1 || lines[0] !== 1))
      this.fail(path, '[1] on a 1x230 connection', v);
    if (connection === '3x230' && lines.length === 1)
      this.fail(path, `two lines (a single-phase ${what} sits between two lines on 3x230) or [1,2,3]`, v);
    return lines;
  }
}

const CONNECTIONS: readonly Connection[] = ['1x230', '3x230', '3N400'];
const BREAKERS: readonly BreakerKind[] = ['B', 'C', 'gG'];

export const DEFAULT_START = '2025-01-15T00:00:00+01:00';

/** Parses and validates a scenario; throws ScenarioError naming `source` and the field. */
export function parseScenario(json: unknown, source: string): Scenario {
  const r = new Reader(source);
  const root = r.object(json, 'the scenario');
  r.known(root, '', [
    'name',
    'start',
    'durationS',
    'seed',
    'site',
    'baseLoadKw',
    'loads',
    'pv',
    'chargers',
    'evs',
    'faults',
    '$comment',
    'description',
  ]);
  const name = r.string(root, 'name', '', source.replace(/^.*\//, '').replace(/\.json$/, ''));
  const start = r.string(root, 'start', '', DEFAULT_START);
  if (Number.isNaN(parseStart(start)))
    r.fail('start', 'an ISO 8601 date with offset such as "2025-01-15T00:00:00+01:00"', start);
  const durationS = r.number(root, 'durationS', '', { min: 1, max: 31 * 86_400, def: 86_400, int: true });
  const seed = r.number(root, 'seed', '', { def: 1, int: true });

  const siteObj = r.object(root.site, 'site');
  r.known(siteObj, 'site', [
    'connection',
    'fuseA',
    'capacityTargetKw',
    'monthPeakKw',
    'breaker',
    'telegramEveryS',
    'currentDecimals',
  ]);
  const connection = siteObj.connection as Connection;
  if (!CONNECTIONS.includes(connection)) r.fail('site.connection', '"1x230", "3x230" or "3N400"', siteObj.connection);
  const site: SiteSpec = {
    connection,
    fuseA: r.number(siteObj, 'fuseA', 'site.', { min: 6, max: 400 }),
    capacityTargetKw:
      siteObj.capacityTargetKw === null || siteObj.capacityTargetKw === undefined
        ? null
        : r.number(siteObj, 'capacityTargetKw', 'site.', { min: 0.1, max: 1000 }),
    monthPeakKw: r.number(siteObj, 'monthPeakKw', 'site.', { min: 0, def: 0 }),
  };
  if (siteObj.breaker !== undefined) {
    if (!BREAKERS.includes(siteObj.breaker as BreakerKind))
      r.fail('site.breaker', '"B", "C" (IEC 60898-1 breakers) or "gG" (a fuse)', siteObj.breaker);
    site.breaker = siteObj.breaker as BreakerKind;
  }
  if (siteObj.telegramEveryS !== undefined)
    site.telegramEveryS = r.number(siteObj, 'telegramEveryS', 'site.', { min: 1, max: 60, int: true });
  const decimals = siteObj.currentDecimals;
  if (decimals === 0 || decimals === 2) site.currentDecimals = decimals;
  else if (decimals !== undefined)
    r.fail('site.currentDecimals', '0 (whole amperes, Dutch meters) or 2 (Belgian meters)', decimals);
  const baseLoadKw = r.number(root, 'baseLoadKw', '', { min: 0, def: 0.3 });

  const loads: LoadSpec[] = r.array(root, 'loads', '').map((v, i) => {
    const f = `loads[${i}].`;
    const o = r.object(v, `loads[${i}]`);
    r.known(o, `loads[${i}]`, ['name', 'phases', 'kw', 'at', 'durationS', 'onS', 'offS', 'jitter', 'levels']);
    const load: LoadSpec = {
      name: r.string(o, 'name', f, `load${i + 1}`),
      phases: r.lines(o, 'phases', f, connection, 'load'),
      kw: r.number(o, 'kw', f, { min: 0 }),
      at: r.timeOfDay(o, 'at', f),
      durationS: r.number(o, 'durationS', f, { min: 1 }),
      onS: r.number(o, 'onS', f, { min: 0, def: 0 }),
      offS: r.number(o, 'offS', f, { min: 0, def: 0 }),
    };
    if (load.onS > 0 && load.offS <= 0) r.fail(`${f}offS`, 'a number > 0 when onS > 0 (the load cycles)', o.offS);
    if (o.jitter !== undefined) {
      if (load.onS <= 0) r.fail(`${f}jitter`, 'absent on a load that does not cycle (onS 0)', o.jitter);
      load.jitter = r.number(o, 'jitter', f, { min: 0, max: 0.9 });
    }
    if (o.levels !== undefined) {
      if (load.onS <= 0) r.fail(`${f}levels`, 'absent on a load that does not cycle (onS 0)', o.levels);
      const v = o.levels;
      if (
        !Array.isArray(v) ||
        v.length === 0 ||
        v.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x <= 0 || x > load.kw)
      )
        r.fail(`${f}levels`, `a list of powers above 0 and at most kw (${load.kw})`, v);
      load.levels = (v as number[]).slice();
    }
    return load;
  });

  let pv: PvSpec | null = null;
  if (root.pv !== null && root.pv !== undefined) {
    const o = r.object(root.pv, 'pv');
    r.known(o, 'pv', ['peakKw', 'phases', 'clouds']);
    pv = {
      peakKw: r.number(o, 'peakKw', 'pv.', { min: 0 }),
      phases: r.lines(o, 'phases', 'pv.', connection, 'device', connection === '1x230' ? [1] : [1, 2, 3]),
      clouds: r.number(o, 'clouds', 'pv.', { min: 0, max: 1, def: 0 }),
    };
  }

  const chargers: ChargerSpec[] = r.array(root, 'chargers', '').map((v, i) => {
    const f = `chargers[${i}].`;
    const o = r.object(v, `chargers[${i}]`);
    r.known(o, `chargers[${i}]`, ['id', 'phases', 'minA', 'maxA', 'switchPhases', 'priority', 'sampleEveryS']);
    const c: ChargerSpec = {
      id: r.string(o, 'id', f),
      phases: r.lines(o, 'phases', f, connection, 'device', connection === '1x230' ? [1] : [1, 2, 3]),
      minA: r.number(o, 'minA', f, { min: 0, max: 80, def: 6 }),
      maxA: r.number(o, 'maxA', f, { min: 1, max: 80, def: 32 }),
      switchPhases: r.boolean(o, 'switchPhases', f, false),
      priority: r.number(o, 'priority', f, { def: 0 }),
    };
    if (c.maxA < c.minA) r.fail(`${f}maxA`, `at least minA (${c.minA})`, c.maxA);
    if (o.sampleEveryS !== undefined) c.sampleEveryS = r.number(o, 'sampleEveryS', f, { min: 1, max: 60, int: true });
    return c;
  });
  const ids = new Set<string>();
  chargers.forEach((c, i) => {
    if (ids.has(c.id)) r.fail(`chargers[${i}].id`, 'unique', c.id);
    ids.add(c.id);
  });

  const evs: EvSpec[] = r.array(root, 'evs', '').map((v, i) => {
    const f = `evs[${i}].`;
    const o = r.object(v, `evs[${i}]`);
    r.known(o, `evs[${i}]`, [
      'name',
      'charger',
      'phases',
      'arrive',
      'depart',
      'needKwh',
      'minA',
      'maxA',
      'lagS',
      'rampS',
      'drawRatio',
      'minPauseS',
    ]);
    const charger = r.string(o, 'charger', f);
    if (!ids.has(charger))
      r.fail(
        `${f}charger`,
        `the id of a charger in chargers (${[...ids].map((x) => `"${x}"`).join(', ') || 'none'})`,
        charger,
      );
    const phases = o.phases === undefined ? 3 : o.phases;
    if (phases !== 1 && phases !== 3) return r.fail(`${f}phases`, '1 or 3', o.phases);
    const ev: EvSpec = {
      name: r.string(o, 'name', f, `ev${i + 1}`),
      charger,
      phases,
      arrive: r.timeOfDay(o, 'arrive', f),
      depart: r.timeOfDay(o, 'depart', f),
      needKwh: r.number(o, 'needKwh', f, { min: 0, def: 1000 }),
      minA: r.number(o, 'minA', f, { min: 0, max: 80, def: 6 }),
      maxA: r.number(o, 'maxA', f, { min: 1, max: 80, def: 16 }),
      lagS: r.number(o, 'lagS', f, { min: 0, max: 120, def: 5 }),
      rampS: r.number(o, 'rampS', f, { min: 0, max: 600, def: 20 }),
      drawRatio: r.number(o, 'drawRatio', f, { min: 0.05, max: 1, def: 1 }),
    };
    if (o.minPauseS !== undefined) ev.minPauseS = r.number(o, 'minPauseS', f, { min: 0, max: 3600 });
    if (ev.maxA < ev.minA) r.fail(`${f}maxA`, `at least minA (${ev.minA})`, ev.maxA);
    if (ev.arrive === ev.depart) r.fail(`${f}depart`, 'different from arrive', ev.depart);
    return ev;
  });
  evs.forEach((ev, i) => {
    const other = evs.findIndex((e) => e.charger === ev.charger);
    if (other !== i) r.fail(`evs[${i}].charger`, `a charger no other car uses (evs[${other}] uses it)`, ev.charger);
  });

  const faults: FaultSpec[] = r.array(root, 'faults', '').map((v, i) => {
    const f = `faults[${i}].`;
    const o = r.object(v, `faults[${i}]`);
    if (o.kind === 'meterOutage' || o.kind === 'frozenMeter') {
      r.known(o, `faults[${i}]`, ['kind', 'at', 'durationS']);
      return { kind: o.kind, at: r.timeOfDay(o, 'at', f), durationS: r.number(o, 'durationS', f, { min: 1 }) };
    }
    if (o.kind === 'dropTelegrams') {
      r.known(o, `faults[${i}]`, ['kind', 'rate']);
      return { kind: 'dropTelegrams', rate: r.number(o, 'rate', f, { min: 0, max: 1 }) };
    }
    return r.fail(`${f}kind`, '"meterOutage", "dropTelegrams" or "frozenMeter"', o.kind);
  });

  return { name, start, durationS, seed, site, baseLoadKw, loads, pv, chargers, evs, faults };
}
