import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_MIN_CHARGE_S,
  DEFAULT_MIN_PAUSE_S,
  DEFAULT_PHASE_SWITCH_DELAY_S,
  DEFAULT_PHASE_SWITCH_HOLD_S,
} from '@p1/balancer';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedDefaultConfig, parseConfigText, validateConfig } from '../src/config';
import { balancerConfigOf } from '../src/wiring/core';

const CONTRACT_EXAMPLE = `
version: 1
meter:
  source: serial
  device: /dev/ttyUSB0
  baud: 115200
  host: 127.0.0.1
  port: 2000
  file: capture.p1
site:
  connection: 3N400
  fuseA: 25
  capacityTargetKw: 4.0
chargers:
  - id: cp1
    driver: ocpp
    phases: [1, 2, 3]
    minA: 6
    maxA: 16
    password: change-me
http:  { host: 127.0.0.1, port: 8080, token: change-me }
ocpp:  { host: 127.0.0.1, port: 9000 }
mqtt:  { url: mqtt://127.0.0.1:1883 }
`;

describe('configuration schema v1', () => {
  it('accepts the example configuration and fills in defaults', () => {
    const r = parseConfigText(CONTRACT_EXAMPLE);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.chargers[0]).toMatchObject({ id: 'cp1', driver: 'ocpp', minA: 6, maxA: 16, safeA: 6, priority: 0 });
    expect(r.config.mqtt).toMatchObject({
      url: 'mqtt://127.0.0.1:1883',
      topic: 'p1',
      discoveryPrefix: 'homeassistant',
    });
    expect(r.config.site.capacityTargetKw).toBe(4);
    expect(r.config.log.level).toBe('info');
  });

  it('names every wrong key by its path, all at once', () => {
    const r = parseConfigText(`
version: 1
meter: { source: usb }
site: { fuseA: 25, colour: red }
chargers:
  - id: cp1
    maxA: 100
  - id: cp1
    phases: [1, 4]
http: { port: 99999 }
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      'meter.source: must be one of serial, tcp, replay, http, simulator',
      'site.colour: unknown key (expected one of connection, fuseA, capacityTargetKw, solar, neverRaiseMonthPeak)',
      'chargers[0].maxA: must be a number between 6 and 80',
      "chargers[1].id: duplicates another charger's id 'cp1'",
      'chargers[1].phases: must be a list of distinct lines 1, 2 or 3, e.g. [1, 2, 3]',
      'http.port: must be an integer between 0 and 65535',
    ]);
  });

  it('refuses a list where a mapping belongs, once, at the list (an empty one too)', () => {
    const r = validateConfig({ version: 1, http: [], chargers: [[1]], ocpp: { overdraw: ['graceS'] } });
    expect(!r.ok && r.problems).toEqual([
      'chargers[0]: must be a mapping of keys',
      'http: must be a mapping of keys',
      'ocpp.overdraw: must be a mapping of keys',
    ]);
    expect(validateConfig([]).ok).toBe(false);
  });

  it('requires the version and refuses other versions with a pointer to the upgrade note', () => {
    const missing = validateConfig({});
    expect(!missing.ok && missing.problems[0]).toMatch(/^version: is required/);
    const future = validateConfig({ version: 2 });
    expect(!future.ok && future.problems[0]).toMatch(/^version: must be 1 .*upgrade note/);
  });

  it('requires what each meter source needs', () => {
    for (const [source, key] of [
      ['serial', 'meter.device'],
      ['tcp', 'meter.port'],
      ['replay', 'meter.file'],
      ['http', 'meter.url'],
    ]) {
      const r = validateConfig({ version: 1, meter: { source } });
      expect(!r.ok && r.problems).toContain(`${key}: is required`);
    }
  });

  it('reports YAML syntax errors with their line', () => {
    const r = parseConfigText('version: 1\nsite: [\n');
    expect(!r.ok && r.problems[0]).toMatch(/^line \d+: /);
  });

  it('refuses a YAML alias bomb (billion laughs) in one sentence, before expanding it', () => {
    const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < 9; i++) {
      const [prev, name] = [String.fromCharCode(96 + i), String.fromCharCode(97 + i)];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    const r = parseConfigText(`version: 1\n${levels.join('\n')}\n`); // 9^9 = 387 million "lol"s
    expect(!r.ok && r.problems).toEqual([
      'its aliases (*name) expand too far: a configuration needs at most 100 of them',
    ]);
    // aliases within the bound are fine (the YAML is read, then the schema speaks)
    const small = parseConfigText('version: 1\nhttp: &h { host: 127.0.0.1 }\nrawP1: *h\n');
    expect(small.ok).toBe(true);
  });

  it('words every problem of any document for an owner: one line, a path, no developer text (property)', () => {
    const value = fc.oneof(
      fc.constantFrom(null, true, 0, -1, 1e9, '', 'x', [], {}, [1, 4], { a: 1 }),
      fc.string({ maxLength: 4 }),
      fc.double(),
    );
    const keys = [
      'version',
      'meter',
      'site',
      'timing',
      'chargers',
      'http',
      'ocpp',
      'mqtt',
      'rawP1',
      'store',
      'log',
      'extra',
    ];
    const inner = [
      'source',
      'device',
      'port',
      'host',
      'fuseA',
      'connection',
      'url',
      'id',
      'minA',
      'phases',
      'level',
      'carMinA',
      'minPauseS',
    ];
    const section = fc.oneof(
      value,
      fc.dictionary(fc.constantFrom(...inner), value),
      fc.array(fc.dictionary(fc.constantFrom(...inner), value), { maxLength: 2 }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), section), (doc) => {
        const r = validateConfig(doc);
        if (r.ok) return true;
        return r.problems.every(
          (p) =>
            /^[A-Za-z][\w.[\]]*: [^\n]+$/.test(p) &&
            !/Invalid|expected [a-z]+, received|Too (big|small)|\u0000/.test(p),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('names the path of any out-of-range charger current (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ min: -1000, max: 5.99 }), fc.double({ min: 80.01, max: 1e6 }), fc.string()),
        (maxA) => {
          const r = validateConfig({ version: 1, chargers: [{ id: 'a', maxA }] });
          return !r.ok && r.problems.includes('chargers[0].maxA: must be a number between 6 and 80');
        },
      ),
    );
  });

  it('hands the balancer its margins: the balancer defaults when omitted, the owner’s when given', () => {
    const omitted = parseConfigText('version: 1\nsite: { fuseA: 16 }\n');
    const given = parseConfigText('version: 1\nsite: { fuseA: 16 }\nmargins: { unseenStepKw: 0, fuseA: 1 }\n');
    const bad = parseConfigText('version: 1\nmargins: { unseenStepKw: 40 }\n');
    if (!omitted.ok || !given.ok || bad.ok) throw new Error('unexpected parse result');
    const settings = { capacityTargetKw: null, solar: 'off' as const };
    expect(balancerConfigOf(omitted.config, settings, 0).margins).toEqual({
      fuseA: 0.5,
      capacityKw: 0.02,
      unseenStepKw: 3,
    });
    expect(balancerConfigOf(given.config, settings, 0).margins).toEqual({
      fuseA: 1,
      capacityKw: 0.02,
      unseenStepKw: 0,
    });
    expect(bad.problems).toEqual(['margins.unseenStepKw: must be a number between 0 and 15']);
  });

  it('accepts the example configuration shipped in deploy/', () => {
    const text = readFileSync(join(import.meta.dirname, '..', 'deploy', 'config.example.yaml'), 'utf8');
    const r = parseConfigText(text);
    expect(r.ok && r.config.chargers[0]?.driver).toBe('ocpp');
  });

  it('has a valid embedded default', () => {
    const c = embeddedDefaultConfig();
    expect(c.meter.source).toBe('simulator');
    expect(c.http).toMatchObject({ host: '127.0.0.1', port: 8080 });
    expect(c.chargers).toHaveLength(1);
  });
});

describe('what the car tolerates: carMinA, carMaxA, minPauseS, timing, neverRaiseMonthPeak', () => {
  const settings = { capacityTargetKw: null, solar: 'off' as const };
  const problems = (doc: Record<string, unknown>) => {
    const r = validateConfig({ version: 1, ...doc });
    return r.ok ? [] : r.problems;
  };
  const one = (charger: Record<string, unknown>) => ({ chargers: [{ id: 'cp1', ...charger }] });

  it('hands the balancer each key as written', () => {
    const r = parseConfigText(`
version: 1
site: { fuseA: 25, capacityTargetKw: 5, neverRaiseMonthPeak: true }
timing: { minPauseS: 90, minChargeS: 600 }
chargers:
  - { id: cp1, carMinA: 8, carMaxA: 13.5, minPauseS: 300, priority: 2 }
`);
    if (!r.ok) throw new Error(r.problems.join('; '));
    const b = balancerConfigOf(r.config, settings, 0);
    expect(b.site.neverRaiseMonthPeak).toBe(true);
    expect([b.minPauseS, b.minChargeS]).toEqual([90, 600]);
    expect(b.chargers).toEqual([{ id: 'cp1', priority: 2, safeA: 6, carMinA: 8, carMaxA: 13.5, minPauseS: 300 }]);
  });

  it("leaves them to the balancer's defaults when omitted", () => {
    const r = parseConfigText('version: 1\nchargers: [{ id: cp1 }]\n');
    if (!r.ok) throw new Error(r.problems.join('; '));
    const b = balancerConfigOf(r.config, settings, 0);
    expect(b.site.neverRaiseMonthPeak).toBe(false);
    expect([b.minPauseS, b.minChargeS]).toEqual([DEFAULT_MIN_PAUSE_S, DEFAULT_MIN_CHARGE_S]);
    expect(b.chargers?.[0]).toMatchObject({ carMinA: undefined, carMaxA: undefined, minPauseS: undefined });
    expect(validateConfig({ version: 1, timing: null }).ok).toBe(true);
  });

  it('names a value out of range in one sentence', () => {
    expect(problems(one({ carMinA: 5 }))).toEqual(['chargers[0].carMinA: must be a number between 6 and 80']);
    expect(problems(one({ carMaxA: 81 }))).toEqual(['chargers[0].carMaxA: must be a number between 6 and 80']);
    expect(problems(one({ carMinA: '8' }))).toEqual(['chargers[0].carMinA: must be a number between 6 and 80']);
    expect(problems(one({ minPauseS: 3601 }))).toEqual([
      'chargers[0].minPauseS: must be an integer between 0 and 3600',
    ]);
    expect(problems(one({ minPauseS: 2.5 }))).toEqual(['chargers[0].minPauseS: must be an integer between 0 and 3600']);
    expect(problems({ timing: { minPauseS: -1, minChargeS: 7200 } })).toEqual([
      'timing.minPauseS: must be an integer between 0 and 3600',
      'timing.minChargeS: must be an integer between 0 and 3600',
    ]);
    expect(problems({ timing: { minPause: 60 } })).toEqual([
      'timing.minPause: unknown key (expected one of minPauseS, minChargeS, phaseSwitch)',
    ]);
    expect(problems({ site: { neverRaiseMonthPeak: 'yes' } })).toEqual([
      'site.neverRaiseMonthPeak: must be true or false',
    ]);
  });

  it("refuses a car range that is upside down or misses the charger's, naming the charger and the keys", () => {
    expect(problems(one({ carMinA: 10, carMaxA: 8 }))).toEqual([
      "chargers[0].carMinA: must not exceed carMaxA (8) on charger 'cp1'",
    ]);
    expect(problems(one({ maxA: 10, carMinA: 12 }))).toEqual([
      "chargers[0].carMinA: must not exceed maxA (10): charger 'cp1' cannot offer the car its minimum",
    ]);
    expect(problems(one({ minA: 10, carMaxA: 8 }))).toEqual([
      "chargers[0].carMaxA: must be at least minA (10): charger 'cp1' offers no less than that",
    ]);
    // a wrong key beside them is its own line, never a second one about the range
    expect(problems(one({ maxA: 100, carMinA: 12 }))).toEqual(['chargers[0].maxA: must be a number between 6 and 80']);
  });

  it('refuses a car minimum above the main fuse, naming the charger, the key and the fuse', () => {
    expect(problems({ site: { fuseA: 10 }, ...one({ carMinA: 12 }) })).toEqual([
      "chargers[0].carMinA: must not exceed site.fuseA (10): charger 'cp1' could never start the car",
    ]);
    // the charger's own minimum has its check already; a car minimum under both passes
    expect(problems({ site: { fuseA: 10 }, ...one({ minA: 12 }) })).toEqual([
      "chargers[0].minA: must not exceed site.fuseA (10): charger 'cp1' could never start a car",
    ]);
    expect(problems({ site: { fuseA: 10 }, ...one({ carMinA: 10 }) })).toEqual([]);
    // above maxA and the fuse at once: one line, about the charger
    expect(problems({ site: { fuseA: 10 }, ...one({ maxA: 11, carMinA: 12 }) })).toEqual([
      "chargers[0].carMinA: must not exceed maxA (11): charger 'cp1' cannot offer the car its minimum",
    ]);
    // a fuse that failed its own check is not compared with
    expect(problems({ site: { fuseA: 2 }, ...one({ carMinA: 12 }) })).toEqual([
      'site.fuseA: must be a number between 6 and 250',
    ]);
  });

  it('accepts a car range exactly when it is in order, meets the charger’s and fits the fuse (property)', () => {
    const amps = fc.integer({ min: 6, max: 80 });
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 100 }),
        amps,
        amps,
        fc.option(amps, { nil: undefined }),
        fc.option(amps, { nil: undefined }),
        (fuseA, minA, maxA, carMinA, carMaxA) => {
          fc.pre(minA <= maxA && minA <= fuseA);
          const r = validateConfig({ version: 1, site: { fuseA }, ...one({ minA, maxA, carMinA, carMaxA }) });
          const fits =
            (carMinA === undefined || (carMinA <= maxA && carMinA <= fuseA)) &&
            (carMaxA === undefined || carMaxA >= minA) &&
            (carMinA === undefined || carMaxA === undefined || carMinA <= carMaxA);
          return r.ok === fits && (r.ok || r.problems.length === 1);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('timing.phaseSwitch: when a charger may change between 1 and 3 phases', () => {
  const settings = { capacityTargetKw: null, solar: 'off' as const };
  const problems = (timing: unknown) => {
    const r = validateConfig({ version: 1, timing });
    return r.ok ? [] : r.problems;
  };
  const phaseSwitchOf = (yaml: string) => {
    const r = parseConfigText(`version: 1\n${yaml}`);
    if (!r.ok) throw new Error(r.problems.join('; '));
    return balancerConfigOf(r.config, settings, 0).phaseSwitch;
  };

  it('hands the balancer delayS and holdS as written, one without the other too', () => {
    expect(phaseSwitchOf('timing: { phaseSwitch: { delayS: 0, holdS: 600 } }\n')).toEqual({ delayS: 0, holdS: 600 });
    expect(phaseSwitchOf('timing:\n  phaseSwitch:\n    holdS: 3600\n')).toEqual({
      delayS: DEFAULT_PHASE_SWITCH_DELAY_S,
      holdS: 3600,
    });
    expect(phaseSwitchOf('timing: { minPauseS: 90, phaseSwitch: { delayS: 120 } }\n')).toEqual({
      delayS: 120,
      holdS: DEFAULT_PHASE_SWITCH_HOLD_S,
    });
  });

  it("leaves them to the balancer's defaults when omitted or null", () => {
    const defaults = { delayS: DEFAULT_PHASE_SWITCH_DELAY_S, holdS: DEFAULT_PHASE_SWITCH_HOLD_S };
    expect(phaseSwitchOf('')).toEqual(defaults);
    expect(phaseSwitchOf('timing: null\n')).toEqual(defaults);
    expect(phaseSwitchOf('timing: { phaseSwitch: null }\n')).toEqual(defaults);
  });

  it('names a value out of range, a wrong key or a list in one sentence each', () => {
    expect(problems({ phaseSwitch: { holdS: 59 } })).toEqual([
      'timing.phaseSwitch.holdS: must be an integer between 60 and 3600',
    ]);
    expect(problems({ phaseSwitch: { holdS: 3601, delayS: -1 } })).toEqual([
      'timing.phaseSwitch.delayS: must be an integer between 0 and 3600',
      'timing.phaseSwitch.holdS: must be an integer between 60 and 3600',
    ]);
    expect(problems({ phaseSwitch: { delayS: 7.5 } })).toEqual([
      'timing.phaseSwitch.delayS: must be an integer between 0 and 3600',
    ]);
    expect(problems({ phaseSwitch: { holdS: '600' } })).toEqual([
      'timing.phaseSwitch.holdS: must be an integer between 60 and 3600',
    ]);
    expect(problems({ phaseSwitch: { hold: 600 } })).toEqual([
      'timing.phaseSwitch.hold: unknown key (expected one of delayS, holdS)',
    ]);
    expect(problems({ phaseSwitchHoldS: 600 })).toEqual([
      'timing.phaseSwitchHoldS: unknown key (expected one of minPauseS, minChargeS, phaseSwitch)',
    ]);
    expect(problems({ phaseSwitch: [600] })).toEqual(['timing.phaseSwitch: must be a mapping of keys']);
  });

  it('accepts exactly the integers 0–3600 s for delayS and 60–3600 s for holdS (property)', () => {
    const value = fc.oneof(fc.integer({ min: -100, max: 3700 }), fc.double({ min: 0, max: 3600, noNaN: true }));
    fc.assert(
      fc.property(value, value, (delayS, holdS) => {
        const r = validateConfig({ version: 1, timing: { phaseSwitch: { delayS, holdS } } });
        const fine = (x: number, min: number) => Number.isInteger(x) && x >= min && x <= 3600;
        return r.ok === (fine(delayS, 0) && fine(holdS, 60));
      }),
      { numRuns: 300 },
    );
  });
});

describe('p1 config check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p1-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tsx = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
  const p1 = join(import.meta.dirname, '..', 'src', 'cli', 'p1.ts');
  const run = (...args: string[]) => spawnSync(tsx, [p1, 'config', 'check', ...args], { encoding: 'utf8' });

  it('exits 0 for a valid file and 2 with one line per problem', () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, CONTRACT_EXAMPLE);
    const ok = run(good);
    expect(ok.status).toBe(0);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nsite: { fuseA: 3 }\nchargers: [{ id: cp1, minA: 2 }]\n');
    const r = run(bad);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `${bad}: site.fuseA: must be a number between 6 and 250`,
      `${bad}: chargers[0].minA: must be a number between 6 and 80`,
    ]);
    const missing = run(join(dir, 'nope.yaml'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml/);
    expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/);
  }, 30_000);
});
