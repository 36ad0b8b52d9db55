/**
 * The embedded default (`pnpm start`) once its owner sets a capacity target on the dashboard: its own
 * simulated meter, demo household and simulated charger with its car, the real module, on a virtual clock
 * for an hour of quarters. Only the ports, the store and the clock move out of the way.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUARTER_MS } from '@p1/balancer';
import type { SimulatedCharger } from '@p1/sim';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { embeddedDefaultConfig } from '../src/config';
import type { StateSnapshot } from '../src/live/live-state';
import { type RunningModule, startModule } from '../src/wiring/module';
import { setCapacityTarget } from './helpers/module';
import { VirtualClock } from './model/virtual-clock';

const dir = mkdtempSync(join(tmpdir(), 'p1-default-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A January day on the meter clock at 12:14 in Brussels (some sun), and the same evening at 18:14 (none). */
const MIDDAY_MS = Date.UTC(2026, 0, 14, 11, 14, 0);
const EVENING_MS = Date.UTC(2026, 0, 14, 17, 14, 0);
/** After the quarter running at start: the first full one, then three more. */
const WHOLE_QUARTERS = 4;
/** Energy a run of a few seconds gives the car (kWh): less counts as not charged. */
const CHARGED_KWH = 0.01;

interface Quarter {
  startMs: number;
  /** The meter's own average import over the quarter (what its 1-0:1.4.0 ends on). */
  meterKw: number;
  /** Energy the car took during the quarter, as its charger counts it. */
  carKwh: number;
  /** Seconds into the quarter at which the car drew current, as runs [from, to). */
  runs: [number, number][];
  /** The month's peak on the meter when the quarter began: the target may rise to it at no cost. */
  peakBeforeKw: number;
  /** The reasons the balancer gave the charger during the quarter, with the seconds each held. */
  reasons: Record<string, number>;
}

interface Run {
  targetKw: number;
  /** The whole quarters, the one running at start left out. */
  quarters: Quarter[];
  /** The quarters the module closed in its SQLite store. */
  stored: { startTs: number; avgKw: number; targetKw: number | null }[];
  /** `/api/v1/state`'s quarter block in the last whole quarter. */
  block: StateSnapshot['quarter'];
}

/**
 * Starts the embedded default on a virtual clock. socat is hidden from PATH while it starts: a pty pair's
 * bytes travel in real time, which a virtual clock would outrun, so the meter's telegrams take the
 * in-process path `pnpm start` takes on a machine without socat (same framer and parser).
 */
async function startDefault(clock: VirtualClock, name: string): Promise<RunningModule> {
  const base = embeddedDefaultConfig();
  const config = {
    ...base,
    http: { ...base.http, port: 0 },
    rawP1: null,
    store: { path: join(dir, name, 'p1-balancer.db') },
  };
  const path = process.env.PATH;
  process.env.PATH = join(dir, 'no-socat');
  try {
    const start: { module?: RunningModule; error?: unknown; done: boolean } = { done: false };
    void startModule(config, pino({ level: 'silent' })).then(
      (module) => Object.assign(start, { module, done: true }),
      (error: unknown) => Object.assign(start, { error, done: true }),
    );
    // start-up waits on timers (the socat probe), so the virtual clock moves while it runs
    while (!start.done) await clock.advance(20);
    if (!start.module) throw start.error;
    return start.module;
  } finally {
    process.env.PATH = path;
  }
}

async function runUnderTarget(targetKw: number, startMs: number): Promise<Run> {
  const clock = new VirtualClock(startMs);
  try {
    const module = await startDefault(clock, `target-${targetKw}-${startMs}`);
    try {
      const embedded = module.embedded;
      if (!embedded) throw new Error('the embedded default has no embedded meter');
      const charger = module.chargers[0] as SimulatedCharger;
      // the owner's way: the token the default wrote to its store directory, then the dashboard's PATCH
      const token = readFileSync(module.tokenFile as string, 'utf8').trim();
      await setCapacityTarget(module, token, targetKw);

      const registers = embedded.simulation.registers;
      const quarters: Quarter[] = [];
      let completed = registers.quartersCompleted;
      let quarterStart = registers.quarterStartMs;
      let carAtStart = charger.measurement.sessionKwh;
      let peakBeforeKw = registers.monthPeakKw;
      let runs: [number, number][] = [];
      let reasons: Record<string, number> = {};
      let block: StateSnapshot['quarter'] = null;
      let lastSecond = clock.nowMs;
      const firstWholeMs = Math.ceil(startMs / QUARTER_MS) * QUARTER_MS;
      const endMs = firstWholeMs + WHOLE_QUARTERS * QUARTER_MS + 5_000;
      while (clock.nowMs < endMs) {
        await clock.advance(1000);
        const reason = module.live.chargers[0]?.reason ?? 'none';
        reasons[reason] = (reasons[reason] ?? 0) + (clock.nowMs - lastSecond) / 1000;
        lastSecond = clock.nowMs;
        const intoS = Math.round((clock.nowMs - quarterStart) / 1000);
        if ((charger.car?.powerKw ?? 0) > 0) {
          const last = runs.at(-1);
          if (last && last[1] >= intoS - 1) last[1] = intoS;
          else runs.push([intoS - 1, intoS]);
        }
        if (registers.quartersCompleted !== completed) {
          completed = registers.quartersCompleted;
          const carKwh = charger.measurement.sessionKwh;
          // the meter's average stays on the completed quarter until its next second
          const meterKw = registers.quarterAverageKw;
          quarters.push({ startMs: quarterStart, meterKw, carKwh: carKwh - carAtStart, runs, peakBeforeKw, reasons });
          quarterStart = registers.quarterStartMs;
          carAtStart = carKwh;
          peakBeforeKw = registers.monthPeakKw;
          reasons = {};
          runs = [];
        }
        const elapsed = clock.nowMs - firstWholeMs - (WHOLE_QUARTERS - 1) * QUARTER_MS;
        if (block === null && elapsed > QUARTER_MS / 2) {
          block = ((await (await fetch(`${module.http.url}/api/v1/state`)).json()) as StateSnapshot).quarter;
        }
      }
      const stored = module.store.quartersSince(firstWholeMs);
      return { targetKw, quarters: quarters.filter((q) => q.startMs >= firstWholeMs), stored, block };
    } finally {
      const stopping = module.stop();
      while (!(await Promise.race([stopping.then(() => true), clock.advance(100).then(() => false)]))) {}
    }
  } finally {
    clock.uninstall();
  }
}

/** The target the quarter had to end under: the owner's, or the month's peak once the house alone set one above it. */
const allowedKw = (run: Run, q: Quarter) => Math.max(run.targetKw, q.peakBeforeKw);

function story(run: Run): string {
  return run.quarters
    .map(
      (q) =>
        `${new Date(q.startMs).toISOString().slice(11, 16)}Z: meter ${q.meterKw.toFixed(3)} kW (allowed ` +
        `${allowedKw(run, q).toFixed(2)}), car ${q.carKwh.toFixed(3)} kWh in ${q.runs.map(([a, b]) => `${a}–${b}`).join(' ') || 'no run'} s; ` +
        Object.entries(q.reasons)
          .map(([r, s]) => `${r} ${Math.round(s)} s`)
          .join(', '),
    )
    .join('\n');
}

/**
 * What holds in every run, whatever the house does: the module closed the same quarters as the meter, and
 * each whole quarter either gave the car energy and ended at or under its allowed average, or ended over
 * it with the car kept off all quarter (the house alone was over: nothing the balancer controls).
 */
function expectEveryQuarterUnderOrCarOff(run: Run): void {
  const text = story(run);
  expect(run.quarters.length, text).toBe(WHOLE_QUARTERS);
  expect(
    run.stored.map((q) => q.startTs),
    text,
  ).toEqual(run.quarters.map((q) => q.startMs));
  for (const [i, q] of run.quarters.entries()) {
    expect(run.stored[i]?.avgKw, text).toBeCloseTo(q.meterKw, 1);
    if (q.meterKw > allowedKw(run, q) + 1e-6) expect(q.carKwh, text).toBeLessThan(CHARGED_KWH);
    else expect(q.carKwh, text).toBeGreaterThanOrEqual(CHARGED_KWH);
  }
}

describe('the embedded default under a capacity target set on the dashboard', () => {
  it('4 kW at midday: every quarter ends under 4 kW and the car charges in each, at its end', async () => {
    const run = await runUnderTarget(4, MIDDAY_MS);
    const text = story(run);
    console.log(`embedded default, 4 kW from 12:14 local:\n${text}`);
    expectEveryQuarterUnderOrCarOff(run);
    for (const q of run.quarters) {
      expect(q.meterKw, text).toBeLessThanOrEqual(4);
      expect(q.carKwh, text).toBeGreaterThanOrEqual(CHARGED_KWH);
      expect(Object.keys(q.reasons), text).toContain('quarter plan');
      // one run at the quarter's end: it starts in the second half and lasts until the last seconds
      const [from, to] = q.runs.at(-1) ?? [0, 0];
      expect(from, text).toBeGreaterThanOrEqual(450);
      expect(to, text).toBeGreaterThanOrEqual(870);
    }
    expect(run.stored.map((q) => q.targetKw)).toEqual(run.quarters.map(() => 4));
    // the dashboard's quarter block: the owner's target and the plan for the rest of the quarter
    expect(run.block?.targetKw).toBe(4);
    expect(run.block?.allowedKw).toEqual(expect.any(Number));
    expect(run.block?.houseRestKw).toEqual(expect.any(Number));
    expect(run.block?.meterAverageKw).toEqual(expect.any(Number));
  }, 60_000);

  it('4 kW in the evening: the car is kept off only in the quarter the house alone takes over 4 kW', async () => {
    const run = await runUnderTarget(4, EVENING_MS);
    console.log(`embedded default, 4 kW from 18:14 local:\n${story(run)}`);
    expectEveryQuarterUnderOrCarOff(run);
  }, 60_000);

  it('2.5 kW (the Fluvius minimum) at midday: under, or the car off, and the car gets what is left', async () => {
    const run = await runUnderTarget(2.5, MIDDAY_MS);
    const carKwh = run.quarters.reduce((sum, q) => sum + q.carKwh, 0);
    console.log(`embedded default, 2.5 kW from 12:14 local (car ${carKwh.toFixed(2)} kWh in all):\n${story(run)}`);
    expectEveryQuarterUnderOrCarOff(run);
  }, 60_000);
});
