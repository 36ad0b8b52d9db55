/**
 * Charging sessions across a crash of the module: the session a run left open is closed when the car
 * turns out to have left while the module was down, and goes on (energy included) when it stayed.
 * The module's core on the rig of helpers/core-rig.ts (real balancer, SQLite file, simulated charger).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreRig } from './helpers/core-rig';

const HOUR_MS = 3_600_000;

/** A run that charges the car for `seconds` and then dies without closing anything (kill -9, power cut). */
function runThenCrash(seconds: number) {
  const rig = coreRig();
  for (let i = 0; i < seconds; i++) rig.second();
  const [open] = rig.store.sessions();
  rig.store.close();
  return { dir: rig.dir, lastSecondMs: rig.nowMs(), stored: open };
}

describe('a session left open by a crash', () => {
  it('is closed at the last second its car was seen when the module starts without the car', () => {
    const crashed = runThenCrash(150);
    expect(crashed.stored?.endedAt).toBeNull();
    expect(crashed.stored?.energyKwh).toBeGreaterThan(0);

    const rig = coreRig({ dir: crashed.dir, car: null, startMs: crashed.lastSecondMs + HOUR_MS });
    for (let i = 0; i < 40; i++) rig.second();
    const [closed] = rig.store.sessions();
    expect(closed?.id).toBe(crashed.stored?.id);
    expect(closed?.endedAt).toBe(Math.floor(crashed.lastSecondMs / 1000) * 1000);
    expect(closed?.energyKwh).toBe(crashed.stored?.energyKwh);

    // the next car gets a session of its own, not the old one continued
    rig.charger.plugIn({ lagS: 2, rampS: 4 });
    for (let i = 0; i < 5; i++) rig.second();
    const sessions = rig.store.sessions();
    expect(sessions).toHaveLength(2);
    expect(sessions[0]?.endedAt).toBeNull();
    expect(sessions[0]?.startedAt).toBeGreaterThan(crashed.lastSecondMs + HOUR_MS);
  });

  it('goes on when the car is still plugged, its energy on top of what the crashed run stored', () => {
    const crashed = runThenCrash(150);
    const rig = coreRig({
      dir: crashed.dir,
      startMs: crashed.lastSecondMs + 20_000,
      carPluggedSinceMs: crashed.stored?.startedAt ?? 0,
    });
    for (let i = 0; i < 150; i++) rig.second();
    const sessions = rig.store.sessions();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.endedAt).toBeNull();
    const thisRun = rig.charger.measurement.sessionKwh;
    expect(thisRun).toBeGreaterThan(0);
    // written once a minute: at least what was stored plus this run's first two minutes
    expect(sessions[0]?.energyKwh).toBeGreaterThan((crashed.stored?.energyKwh ?? 0) + thisRun * 0.5);
    expect(sessions[0]?.energyKwh).toBeLessThanOrEqual((crashed.stored?.energyKwh ?? 0) + thisRun);
  });

  it("is closed when the charger says its car plugged in after the crash: that one is another car's", () => {
    const crashed = runThenCrash(150);
    // the charger's session began while the module was down
    const rig = coreRig({ dir: crashed.dir, startMs: crashed.lastSecondMs + HOUR_MS });
    for (let i = 0; i < 5; i++) rig.second();
    const [current, old] = rig.store.sessions();
    expect(old?.id).toBe(crashed.stored?.id);
    expect(old?.endedAt).toBe(Math.floor(crashed.lastSecondMs / 1000) * 1000);
    expect(old?.energyKwh).toBe(crashed.stored?.energyKwh);
    expect(current?.endedAt).toBeNull();
    expect(current?.startedAt).toBeGreaterThan(crashed.lastSecondMs + HOUR_MS);
  });

  it('is closed as soon as the module starts when its charger is no longer configured', () => {
    const crashed = runThenCrash(90);
    const rig = coreRig({ dir: crashed.dir, charger: { id: 'renamed' } });
    const [closed] = rig.store.sessions();
    expect(closed?.chargerId).toBe('sim1');
    expect(closed?.endedAt).toBe(Math.floor(crashed.lastSecondMs / 1000) * 1000);
  });
});

/** One run of the module: the car at start, the seconds at which it is plugged or unplugged, how it ends. */
const runArb = fc
  .record({
    carAtStart: fc.boolean(),
    /** A car plugged at start after a crash with a car: another one (true) or the same one still there. */
    swapped: fc.boolean(),
    toggles: fc.uniqueArray(fc.integer({ min: 2, max: 119 }), { maxLength: 3 }).map((t) => t.sort((a, b) => a - b)),
    seconds: fc.integer({ min: 40, max: 120 }),
    end: fc.constantFrom('crash', 'stop'),
    downS: fc.integer({ min: 5, max: 7200 }),
    /** The charger tells when a session began this long after it reports the car (an OCPP start it queued). */
    startLateS: fc.constantFrom(0, 5),
  })
  // each car stays until its charger has told when its session began (a car gone before that is not covered)
  .filter((r) => r.toggles.every((t, i) => t > r.startLateS + 1 && t - (r.toggles[i - 1] ?? 0) > r.startLateS));

describe('sessions over any order of plugs, crashes and clean stops (property)', () => {
  it('one session per stay of the car: never two open, never overlapping, no stored energy lost', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(runArb, { minLength: 2, maxLength: 4 }), async (runs) => {
        let dir: string | undefined;
        /** The cars' stays so far: each plug-in, and each car found at a start that is not the one left there. */
        let stays = 0;
        let startMs = Date.parse('2025-01-15T18:00:00+01:00');
        const energySeen = new Map<number, number>();
        /** When the car still plugged at a crash plugged in. */
        let pluggedSince: number | null = null;
        for (const run of runs) {
          const stayed = run.carAtStart && !run.swapped && pluggedSince !== null;
          const rig = coreRig({
            ...(dir ? { dir } : {}),
            car: run.carAtStart ? {} : null,
            startMs,
            ...(stayed && pluggedSince !== null ? { carPluggedSinceMs: pluggedSince } : {}),
            sessionStartLateS: run.startLateS,
          });
          dir = rig.dir;
          let plugged = run.carAtStart;
          if (!stayed) pluggedSince = plugged ? startMs : null;
          if (plugged && !stayed) stays++;
          for (let t = 1; t <= run.seconds; t++) {
            if (run.toggles.includes(t)) {
              if (plugged) rig.charger.unplug();
              else rig.charger.plugIn({});
              plugged = !plugged;
              pluggedSince = plugged ? rig.nowMs() : null;
              if (plugged) stays++;
            }
            rig.second();
          }
          if (run.end === 'stop') pluggedSince = null;
          if (run.end === 'stop') await rig.core.toSafeCurrent();
          const sessions = rig.store.sessions(100);
          expect(sessions).toHaveLength(stays);
          const open = sessions.filter((x) => x.endedAt === null);
          expect(open.length).toBeLessThanOrEqual(1);
          // 30 s after the start the module knows whether the car stayed: a session is open iff a car is there
          if (run.end === 'crash') expect(open.length).toBe(plugged ? 1 : 0);
          else expect(open).toEqual([]);
          const byAge = [...sessions].reverse();
          byAge.forEach((x, i) => {
            if (x.endedAt !== null) expect(x.endedAt).toBeGreaterThanOrEqual(x.startedAt);
            const next = byAge[i + 1];
            if (next) expect(next.startedAt).toBeGreaterThanOrEqual(x.endedAt ?? Number.POSITIVE_INFINITY);
            expect(x.energyKwh).toBeGreaterThanOrEqual(energySeen.get(x.id) ?? 0);
            energySeen.set(x.id, x.energyKwh);
          });
          rig.store.close();
          startMs = rig.nowMs() + run.downS * 1000;
        }
      }),
      { numRuns: 30 },
    );
  });
});
