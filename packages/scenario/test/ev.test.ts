import { describe, expect, it } from 'vitest';
import { createEv } from '../src/index';
import type { EvSpec } from '../src/scenario';

const spec = (over: Partial<EvSpec> = {}): EvSpec => ({
  name: 'car',
  charger: 'cp1',
  phases: 3,
  arrive: '00:00',
  depart: '23:00',
  needKwh: 100,
  minA: 6,
  maxA: 16,
  lagS: 5,
  rampS: 16,
  ...over,
});

function run(ev: ReturnType<typeof createEv>, offers: (t: number) => number, until: number): number[] {
  const out: number[] = [];
  for (let t = 0; t <= until; t++) out.push(ev.step(1, offers(t), t));
  return out;
}

describe('EV physics', () => {
  it('follows a setpoint after its lag and ramps up over rampS', () => {
    const a = run(createEv(spec()), () => 16, 30);
    expect(a.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(a[5]).toBeCloseTo(1, 6);
    expect(a[20]).toBeCloseTo(16, 6);
  });

  it('cuts after its lag without ramping, and stops below its minimum', () => {
    const a = run(createEv(spec({ rampS: 0 })), (t) => (t < 20 ? 16 : t < 40 ? 10 : 5), 60);
    expect(a[19]).toBe(16);
    expect(a[24]).toBe(16);
    expect(a[25]).toBe(10);
    expect(a[45]).toBe(0);
  });

  it('draws less than offered with drawRatio', () => {
    const a = run(createEv(spec({ rampS: 0, drawRatio: 0.5 })), () => 16, 10);
    expect(a[10]).toBe(8);
  });

  it('charges only while plugged (depart before arrive = next day) and stops when its need is met', () => {
    const ev = createEv(spec({ arrive: '23:59', depart: '00:01', needKwh: 0.5, rampS: 0 }), {
      start: '2025-01-15T00:00:00+01:00',
    });
    expect(ev.plugged(0)).toBe(true);
    expect(ev.plugged(60)).toBe(false);
    expect(ev.plugged(86_340)).toBe(true);
    const drawn = run(ev, () => 16, 59);
    expect(drawn[10]).toBe(16);
    // 16 A × 3 × 230 V = 11.04 kW; 0.5 kWh after ~163 s of charging, but the car leaves at 00:01.
    expect(ev.sessionKwh).toBeLessThan(0.5);
    expect(ev.step(1, 16, 60)).toBe(0);
  });

  it('stops at needKwh', () => {
    const ev = createEv(spec({ needKwh: 0.1, rampS: 0, lagS: 0 }));
    const a = run(ev, () => 16, 60);
    expect(a[30]).toBeCloseTo(16);
    expect(a[60]).toBe(0);
    expect(ev.sessionKwh).toBeGreaterThanOrEqual(0.1);
    expect(ev.sessionKwh).toBeLessThan(0.1 + 11.04 / 3600 + 1e-9);
  });
});
