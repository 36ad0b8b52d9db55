import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/index';

// biome-ignore lint/suspicious/noExplicitAny: the tests mutate arbitrary JSON into bad shapes
type Loose = any;

const valid = {
  name: 'x',
  start: '2025-01-15T00:00:00+01:00',
  site: { connection: '3N400', fuseA: 25 },
  chargers: [{ id: 'cp1', phases: [1, 2, 3] }],
  evs: [{ charger: 'cp1', arrive: '17:30', depart: '07:30' }],
};

function messageOf(mutate: (s: Loose) => void): string {
  const s = structuredClone(valid) as Loose;
  mutate(s);
  try {
    parseScenario(s, 'scenario.json');
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('parseScenario', () => {
  it('fills defaults', () => {
    const s = parseScenario(valid, 'scenario.json');
    expect(s.durationS).toBe(86_400);
    expect(s.site.capacityTargetKw).toBeNull();
    expect(s.chargers[0]).toMatchObject({ minA: 6, maxA: 32, switchPhases: false, priority: 0 });
    expect(s.evs[0]).toMatchObject({ phases: 3, minA: 6, maxA: 16, lagS: 5, rampS: 20, drawRatio: 1 });
    expect(s.faults).toEqual([]);
  });

  it.each([
    [(s: Loose) => (s.evs[0].arrive = '25:00'), 'scenario.json: evs[0].arrive must be "HH:MM", got "25:00"'],
    [
      (s: Loose) => (s.site.connection = '3x400'),
      'scenario.json: site.connection must be "1x230", "3x230" or "3N400", got "3x400"',
    ],
    [(s: Loose) => (s.site.fuseA = 'big'), 'scenario.json: site.fuseA must be a number between 6 and 400, got "big"'],
    [(s: Loose) => delete s.site, 'scenario.json: site must be an object, got nothing'],
    [
      (s: Loose) => (s.evs[0].charger = 'cp9'),
      'scenario.json: evs[0].charger must be the id of a charger in chargers ("cp1"), got "cp9"',
    ],
    [
      (s: Loose) => (s.chargers[0].phases = [4]),
      'scenario.json: chargers[0].phases must be a list of distinct grid lines 1–3 such as [1] or [1,2,3], got [4]',
    ],
    [
      (s: Loose) => (s.faults = [{ kind: 'fire' }]),
      'scenario.json: faults[0].kind must be "meterOutage", "dropTelegrams" or "frozenMeter", got "fire"',
    ],
    [
      (s: Loose) => (s.faults = [{ kind: 'dropTelegrams', rate: 2 }]),
      'scenario.json: faults[0].rate must be a number between 0 and 1, got 2',
    ],
    [(s: Loose) => (s.evs[0].phases = 2), 'scenario.json: evs[0].phases must be 1 or 3, got 2'],
    [
      (s: Loose) => (s.start = 'yesterday'),
      'scenario.json: start must be an ISO 8601 date with offset such as "2025-01-15T00:00:00+01:00", got "yesterday"',
    ],
    [(s: Loose) => (s.site.fuseAmps = 25), 'scenario.json: site.fuseAmps is not a known field'],
    [
      (s: Loose) => (s.loads = [{ phases: [1], kw: 2, at: '18:00', durationS: 60, onS: 10 }]),
      'scenario.json: loads[0].offS must be a number > 0 when onS > 0 (the load cycles), got nothing',
    ],
    [(s: Loose) => (s.chargers[0].maxA = 4), 'scenario.json: chargers[0].maxA must be at least minA (6), got 4'],
    [
      (s: Loose) => (s.chargers[0].sampleEveryS = 2.5),
      'scenario.json: chargers[0].sampleEveryS must be an integer between 1 and 60, got 2.5',
    ],
    [
      (s: Loose) => (s.loads = [{ phases: [1], kw: 2, at: '18:00', durationS: 60, jitter: 0.2 }]),
      'scenario.json: loads[0].jitter must be absent on a load that does not cycle (onS 0), got 0.2',
    ],
    [
      (s: Loose) => (s.loads = [{ phases: [1], kw: 2, at: '18:00', durationS: 60, onS: 9, offS: 9, jitter: 1.5 }]),
      'scenario.json: loads[0].jitter must be a number between 0 and 0.9, got 1.5',
    ],
    [
      (s: Loose) => (s.loads = [{ phases: [1], kw: 2, at: '18:00', durationS: 60, onS: 9, offS: 9, levels: [1, 3] }]),
      'scenario.json: loads[0].levels must be a list of powers above 0 and at most kw (2), got [1,3]',
    ],
    [
      (s: Loose) => (s.faults = [{ kind: 'frozenMeter', at: '18:00' }]),
      'scenario.json: faults[0].durationS must be a number ≥ 1, got nothing',
    ],
    [
      (s: Loose) => (s.site.breaker = 'D'),
      'scenario.json: site.breaker must be "B", "C" (IEC 60898-1 breakers) or "gG" (a fuse), got "D"',
    ],
    [
      (s: Loose) => (s.site.telegramEveryS = 0.5),
      'scenario.json: site.telegramEveryS must be an integer between 1 and 60, got 0.5',
    ],
    [
      (s: Loose) => (s.site.currentDecimals = 1),
      'scenario.json: site.currentDecimals must be 0 (whole amperes, Dutch meters) or 2 (Belgian meters), got 1',
    ],
    [
      (s: Loose) => (s.evs[0].minPauseS = -1),
      'scenario.json: evs[0].minPauseS must be a number between 0 and 3600, got -1',
    ],
  ])('names the field: %#', (mutate, message) => {
    expect(messageOf(mutate)).toBe(message);
  });

  it('keeps the optional fields it was given and adds none to a file without them', () => {
    const s = parseScenario(
      {
        ...valid,
        site: { connection: '3N400', fuseA: 25, breaker: 'gG', telegramEveryS: 10, currentDecimals: 0 },
        loads: [{ phases: [1], kw: 2, at: '18:00', durationS: 600, onS: 90, offS: 60, jitter: 0.3, levels: [1, 2] }],
        evs: [{ charger: 'cp1', arrive: '17:30', depart: '07:30', minPauseS: 120 }],
        faults: [{ kind: 'frozenMeter', at: '18:00', durationS: 30 }],
      },
      'scenario.json',
    );
    expect(s.site.breaker).toBe('gG');
    expect(s.site.telegramEveryS).toBe(10);
    expect(s.site.currentDecimals).toBe(0);
    expect(s.loads[0]).toMatchObject({ jitter: 0.3, levels: [1, 2] });
    expect(s.evs[0]!.minPauseS).toBe(120);
    expect(s.faults).toEqual([{ kind: 'frozenMeter', at: '18:00', durationS: 30 }]);
    const plain = parseScenario(valid, 'scenario.json');
    expect(
      'breaker' in plain.site ||
        'telegramEveryS' in plain.site ||
        'currentDecimals' in plain.site ||
        'minPauseS' in plain.evs[0]!,
    ).toBe(false);
  });

  it('requires two lines for a single-phase device on 3x230', () => {
    expect(
      messageOf((s) => {
        s.site.connection = '3x230';
        s.chargers[0].phases = [1];
      }),
    ).toBe(
      'scenario.json: chargers[0].phases must be two lines (a single-phase device sits between two lines on 3x230) or [1,2,3], got [1]',
    );
  });
});
