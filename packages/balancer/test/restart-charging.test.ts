/**
 * The module restarts while a car charges. The charger still holds the limit the run before set, and for a
 * moment tells neither what its car draws nor what it offers: its first samples come a second or two after the
 * meter's first telegram, possibly late. This run must not steer it as a charger it never offered anything
 * (0 A: a pause of a car that charges), nor take the car's current, once sampled, for a sudden move of its own
 * (a phantom house load that cuts it), and must still cut it where the fuse has no room.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_UNSEEN_STEP_KW } from '../src/house-model';
import { ampsForKw, createBalancer } from '../src/index';
import { charger, input, reading, step, T0 } from './helpers';

/** The step kept for an appliance not seen yet, on one line. */
const UNSEEN_STEP_A = ampsForKw('3N400', 1, DEFAULT_UNSEEN_STEP_KW);

interface Restart {
  fuseA: number;
  houseA: number;
  /** What the car draws on each line at the limit the run before left (A). */
  carA: number;
  /** Telegrams before the charger is back on line, and before its first sample; how old that is (ms). */
  offlineSteps?: number;
  blindSteps: number;
  sampleAgeMs: number;
}

function restart(r: Restart, seconds = 6): { limitA: number; reason: string }[] {
  const b = createBalancer({ site: { connection: '3N400', fuseA: r.fuseA } });
  const cap = charger();
  const out: { limitA: number; reason: string }[] = [];
  for (let s = 0; s < seconds; s++) {
    const now = T0 + s * 1000;
    const known = s >= r.blindSteps;
    const c = input(cap, known ? r.carA : cap.phases.map(() => null as unknown as number));
    if (known) c.measurement.at = now - r.sampleAgeMs;
    if (s < (r.offlineSteps ?? 0)) c.measurement.connected = false;
    const line = r.houseA + r.carA;
    const d = b.step(step(now, reading(now, [line, line, line]), [c]));
    const mine = d.chargers[0];
    if (mine) out.push({ limitA: mine.limitA, reason: mine.reason });
  }
  return out;
}

describe('a car that charges while the module restarts', () => {
  it('keeps its safe current while unmeasured, then the limit it charges at', () => {
    const steps = restart({ fuseA: 25, houseA: 3, carA: 16, blindSteps: 2, sampleAgeMs: 0 });
    expect(steps.slice(0, 2).map((x) => x.limitA)).toEqual([6, 6]);
    expect(steps.slice(2).every((x) => x.limitA === 16)).toBe(true);
  });

  it('is cut at once where the fuse has no room, measured or not', () => {
    const steps = restart({ fuseA: 16, houseA: 11, carA: 10, blindSteps: 2, sampleAgeMs: 0 });
    expect(steps[0]?.limitA).toBe(0);
    expect(steps.every((x) => x.limitA <= 5)).toBe(true);
  });

  it('is never paused, nor held below what it draws, where the fuse has room for it (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          fuseA: fc.constantFrom(16, 20, 25, 32),
          houseA: fc.integer({ min: 0, max: 8 }),
          carA: fc.integer({ min: 6, max: 16 }),
          offlineSteps: fc.integer({ min: 0, max: 2 }),
          blindSteps: fc.integer({ min: 0, max: 3 }),
          sampleAgeMs: fc.constantFrom(0, 400, 1500, 4000),
        }),
        (r) => {
          // room under the fuse for the car as it charges, and for the unseen step kept under 1.45 × In
          fc.pre(r.houseA + r.carA <= r.fuseA - 2 && r.houseA + r.carA + UNSEEN_STEP_A + 1 <= 1.45 * r.fuseA);
          const blind = Math.max(r.blindSteps, r.offlineSteps);
          const steps = restart({ ...r, blindSteps: blind });
          const online = steps.slice(r.offlineSteps);
          const story = JSON.stringify(steps);
          expect(Math.min(...online.map((x) => x.limitA)), story).toBeGreaterThanOrEqual(6);
          expect(Math.min(...steps.slice(blind).map((x) => x.limitA)), story).toBeGreaterThanOrEqual(r.carA);
        },
      ),
      { numRuns: 300, seed: 1202 },
    );
  });
});
