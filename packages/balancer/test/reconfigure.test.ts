import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, input, reading, step, T0 } from './helpers';

const site = { connection: '3N400' as const, fuseA: 25 };
/** The fuse rule alone, so that the limits read as fuse − margin − house. */
const margins = { unseenStepKw: 0 };

describe('reconfigure', () => {
  it('keeps what each charger was told, so the next cut is a change', () => {
    const b = createBalancer({ site, margins });
    const cap = charger();
    let d = b.step(step(T0, reading(T0, [5, 6, 7]), [input(cap, 0)]));
    expect(d.chargers[0]?.limitA).toBe(16);
    b.reconfigure({ site, margins, solar: { mode: 'off' } });
    // an oven on L1 after the change: the cut to 0 is a change from 16, not "unchanged"
    d = b.step(step(T0 + 1000, reading(T0 + 1000, [16 + 5 + 19.6, 22, 23]), [input(cap, 16)]));
    expect(d.chargers[0]).toMatchObject({ limitA: 0, changed: true });
  });

  it('keeps the quarter’s energy and applies the new target', () => {
    const b = createBalancer({ site: { ...site, capacityTargetKw: 8 } });
    const cap = charger();
    let d = b.step(step(T0, reading(T0, [10, 10, 10]), [input(cap, 0, false)]));
    for (let s = 1; s <= 120; s++)
      d = b.step(step(T0 + s * 1000, reading(T0 + s * 1000, [10, 10, 10]), [input(cap, 0, false)]));
    const used = d.quarter.usedKwh;
    expect(used).toBeGreaterThan(0.2);
    b.reconfigure({ site: { ...site, capacityTargetKw: 6 } });
    d = b.step(step(T0 + 121_000, reading(T0 + 121_000, [10, 10, 10]), [input(cap, 0, false)]));
    expect(d.quarter.usedKwh).toBeGreaterThan(used);
    expect(d.quarter.targetKw).toBe(6);
  });

  it('never lowers the month’s peak it has seen', () => {
    const b = createBalancer({ site: { ...site, capacityTargetKw: 4, monthPeakKw: 5.5 } });
    b.reconfigure({ site: { ...site, capacityTargetKw: 3, monthPeakKw: 0 } });
    const d = b.step(step(T0, reading(T0, [5, 5, 5]), [input(charger(), 0, false)]));
    expect(d.quarter.targetKw).toBe(5.5);
  });

  it('applies a new car range to an input the caller reuses and updates in place', () => {
    const config = { site, margins, chargers: [{ id: 'cp1', carMinA: 6, carMaxA: 13 }] };
    const b = createBalancer(config);
    const c = input(charger({ maxA: 32 }), 0);
    const at = (ms: number, drawnA: number) => {
      c.measurement.at = ms;
      c.measurement.currentA = c.measurement.currentA.map(() => drawnA);
      return step(ms, reading(ms, [2 + drawnA, 2 + drawnA, 2 + drawnA]), [c]);
    };
    expect(b.step(at(T0, 0)).chargers[0]?.limitA).toBe(13);
    expect(b.step(at(T0 + 10_000, 13)).chargers[0]?.limitA).toBe(13);
    b.reconfigure({ ...config, chargers: [{ id: 'cp1', carMinA: 6, carMaxA: 20 }] });
    expect(b.step(at(T0 + 20_000, 13)).chargers[0]?.limitA).toBe(20);
    // Without the charger for a step, then with it again: its range still holds.
    expect(b.step(step(T0 + 21_000, reading(T0 + 21_000, [2, 2, 2]), [])).chargers).toEqual([]);
    expect(b.step(at(T0 + 30_000, 20)).chargers[0]?.limitA).toBe(20);
  });
});
