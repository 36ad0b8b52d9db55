/**
 * The module's core with a real balancer, a real SQLite store and the in-process simulated charger, on a
 * clock the test moves; telegrams are real e-MUCS bytes parsed by @p1/dsmr. The charger's capabilities
 * come from the configuration, as the module's wiring gives them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBalancer, type Phase } from '@p1/balancer';
import { parseTelegram } from '@p1/dsmr';
import { type CarSpec, createSimulatedCharger } from '@p1/sim';
import pino from 'pino';
import { onTestFinished } from 'vitest';
import { LiveState } from '../../src/live/live-state';
import { Store } from '../../src/store/store';
import { ModuleCore } from '../../src/wiring/core';
import { testConfig } from './module';
import { belgianTelegram } from './telegram';

export const RIG_FUSE_A = 25;
/** The house's own current on L1, L2, L3 (A) when nothing is added. */
export const RIG_HOUSE_A: readonly [number, number, number] = [5, 6, 7];

export interface CoreRigOptions {
  /** Keys of `site` over connection 3N400 and fuseA 25. */
  site?: Record<string, unknown>;
  /** Keys of the one charger over `sim1`, simulated, [1, 2, 3], 6–16 A. */
  charger?: Record<string, unknown>;
  /** Top-level sections of the configuration (e.g. `timing`). */
  sections?: Record<string, unknown>;
  /** The simulated car (default: 3-phase 16 A, 2 s lag, 4 s ramp); null: no car plugged. */
  car?: CarSpec | null;
  /** false: a DSMR 5 meter that sends no 1-0:1.4.0. */
  withQuarterAverage?: boolean;
  /** The directory of an earlier rig: the module starting again on its SQLite file. */
  dir?: string;
  /** The clock at start (epoch ms); default 2025-01-15 18:00 in Brussels. */
  startMs?: number;
  /** The car has been plugged in since then (epoch ms; default: it plugs in at start). */
  carPluggedSinceMs?: number;
  /** The charger tells when its session began this long after it reports the car (s; default 0). */
  sessionStartLateS?: number;
}

export function coreRig(o: CoreRigOptions = {}) {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'p1-core-'));
  // The fuse rule alone (no room for an unseen appliance), so the limits read as fuse − margin − house.
  const config = testConfig(dir, {
    site: { connection: '3N400', fuseA: RIG_FUSE_A, ...o.site },
    margins: { unseenStepKw: 0 },
    chargers: [{ id: 'sim1', driver: 'simulated', phases: [1, 2, 3], minA: 6, maxA: 16, ...o.charger }],
    ...o.sections,
  });
  const store = new Store(config.store.path);
  onTestFinished(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let now = o.startMs ?? Date.parse('2025-01-15T18:00:00+01:00');
  const c = config.chargers[0];
  if (!c) throw new Error('the rig needs one charger');
  const charger = createSimulatedCharger(
    { id: c.id, phases: c.phases as Phase[], minA: c.minA, maxA: c.maxA, switchPhases: c.switchPhases, safeA: c.safeA },
    {
      car: o.car === null ? null : { lagS: 2, rampS: 4, ...o.car },
      now: () => now,
      tickMs: false,
      ...(o.carPluggedSinceMs !== undefined ? { pluggedSinceMs: o.carPluggedSinceMs } : {}),
      sessionStartLateMs: (o.sessionStartLateS ?? 0) * 1000,
    },
  );
  const core = new ModuleCore({
    config,
    store,
    live: new LiveState(config.site),
    createBalancer,
    chargers: [charger],
    logger: pino({ level: 'silent' }),
    now: () => now,
  });
  const wired = c.phases as Phase[];
  /**
   * One second of the house: the car moves, the meter measures house + extra + car on each line, the
   * module steps. `extraA`: amperes on L1, or on L1, L2, L3. The car counts on the lines it draws from
   * (one after a switch to 1 phase).
   */
  const second = (extraA: number | readonly [number, number, number] = 0) => {
    now += 1000;
    const carA = charger.step().currentA;
    const extra = typeof extraA === 'number' ? [extraA, 0, 0] : extraA;
    const onLine = (l: 0 | 1 | 2) => RIG_HOUSE_A[l] + (extra[l] ?? 0) + (carA[wired.indexOf((l + 1) as Phase)] ?? 0);
    const currentsA: [number, number, number] = [onLine(0), onLine(1), onLine(2)];
    const importKw = (currentsA[0] + currentsA[1] + currentsA[2]) * 0.23;
    const raw = belgianTelegram({ at: now, importKw, currentsA, quarterAverageKw: 1.5 });
    const reading = parseTelegram(raw);
    if (o.withQuarterAverage === false) reading.capacity = null;
    core.onReading(reading, raw);
    core.tick();
    return currentsA;
  };
  const silentSecond = () => {
    now += 1000;
    charger.step();
    core.tick();
  };
  return { core, charger, config, store, dir, second, silentSecond, nowMs: () => now };
}
