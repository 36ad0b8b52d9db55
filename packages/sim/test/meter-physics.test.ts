/**
 * Physics invariants of the simulated meter, checked on what a reader sees: the telegrams, parsed
 * by @p1/dsmr. A generated month: energy = ∫power, QUARTER_AVERAGE restarts at every quarter, the month
 * peak is the largest quarter and rolls into PEAK_HISTORY at month change; currents agree with powers.
 */
import { OBIS, parseTelegram, type Reading, TelegramFramer } from '@p1/dsmr';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_SMARTY_KEY, METER_MODELS, MeterSimulation } from '../src/index';

const START = Date.parse('2025-01-31T00:00:00+01:00');

function read(sim: MeterSimulation): Reading {
  const out = sim.next();
  if (!out.bytes) throw new Error('silent');
  return parseTelegram(out.bytes, { smartyKey: DEMO_SMARTY_KEY });
}

describe('simulated meter physics', () => {
  it('every model and supply gives telegrams that parse with a valid CRC (or none for DSMR 2.2)', () => {
    for (const model of METER_MODELS) {
      for (const connection of model.connections) {
        const sim = new MeterSimulation({ model, connection, startMs: START, seed: 7 });
        for (let i = 0; i < 30; i++) {
          const r = read(sim);
          expect(r.ok, `${model.name} ${connection}: ${r.error?.message}`).toBe(true);
          expect(r.crc).toBe(model.crc ? 'valid' : 'absent');
        }
        const r = read(sim);
        const phases = connection === '1x230' ? 1 : 3;
        if (model.name !== 'dsmr22') expect(r.phases).toHaveLength(phases);
        if (connection === '3x230' && model.name !== 'dsmr4' && model.name !== 'dsmr22') {
          // No neutral: the meter measures L1–L2 and L3–L2 and reports L2 with 0 V.
          expect(r.phases[1]?.voltageV).toBe(0);
          expect(r.phases[0]?.voltageV).toBeGreaterThan(200);
        }
      }
    }
  });

  it('over a simulated day every telegram parses through the streaming framer with zero CRC errors', () => {
    const sim = new MeterSimulation({ model: 'fluvius-3ph', startMs: START, seed: 11 });
    const framer = new TelegramFramer();
    let good = 0;
    let bad = 0;
    for (let i = 0; i < 86_400; i++) {
      for (const f of framer.push(sim.next().bytes as Uint8Array)) {
        if (f.reading.ok) good++;
        else bad++;
      }
    }
    for (const f of framer.end()) if (!f.reading.ok) bad++;
    expect(bad).toBe(0);
    expect(good).toBeGreaterThanOrEqual(86_399);
  }, 120_000);

  it('over a generated month: energy integrates power, 1.4.0 restarts each quarter, peaks roll over', () => {
    // Jan 31 → Mar 1 (two month changes), stepped per second; telegrams parsed at the moments that matter.
    const sim = new MeterSimulation({ model: 'fluvius-3ph', startMs: START, seed: 42 });
    const parse = (): Reading => parseTelegram(sim.telegram());
    let integratedKwh = 0;
    let quarterKwh = 0;
    let maxFebQuarterKw = 0;
    const first = parse();
    let previous = first;
    const rolled: Reading[] = [];
    const seconds = 29 * 86_400 + 3600;
    for (let i = 1; i <= seconds; i++) {
      sim.step();
      const importKw = sim.electrical.importKw;
      integratedKwh += importKw / 3600;
      quarterKwh += importKw / 3600;
      const at = sim.nowMs;
      if (at % 900_000 === 0) {
        const r = parse();
        expect(r.ok).toBe(true);
        // The telegram at the boundary shows the completed quarter's average (it started mid-quarter only at t=0).
        if (i > 900) expect(r.capacity?.quarterAverageKw).toBeCloseTo(quarterKwh * 4, 2);
        if (at > Date.parse('2025-02-01T00:00:00+01:00')) maxFebQuarterKw = Math.max(maxFebQuarterKw, quarterKwh * 4);
        if (r.capacity && previous.capacity && r.capacity.history.length !== previous.capacity.history.length)
          rolled.push(r);
        if (r.capacity && previous.capacity && (r.capacity.monthPeakKw ?? 0) < (previous.capacity.monthPeakKw ?? 0)) {
          // Only a month change lowers the peak.
          expect(r.timestamp?.slice(8, 19)).toBe('01T00:00:00');
        }
        previous = r;
        quarterKwh = 0;
      } else if (at % 900_000 === 1000) {
        // One second into a quarter: the running average is that second alone.
        const r = parse();
        expect(r.capacity?.quarterAverageKw).toBeCloseTo(r.power.importKw ?? 0, 2);
      } else if (i % 7_919 === 0) {
        const r = parse();
        // Currents agree with power and voltage on every phase; phases add up to the total.
        for (const p of r.phases) {
          const kw = Math.max(p.importKw ?? 0, p.exportKw ?? 0);
          expect(Math.abs((p.currentA ?? 0) - (kw * 1000) / (p.voltageV ?? 230))).toBeLessThan(0.02);
        }
        const sum = r.phases.reduce((s, p) => s + (p.importKw ?? 0) - (p.exportKw ?? 0), 0);
        expect(Math.abs(sum - ((r.power.importKw ?? 0) - (r.power.exportKw ?? 0)))).toBeLessThan(0.003);
        // Energy registers (Wh resolution) equal the integral of the power so far.
        expect(Math.abs((r.energy.importKwh ?? 0) - (first.energy.importKwh ?? 0) - integratedKwh)).toBeLessThan(0.002);
      }
    }
    const last = parse();
    expect(rolled.map((r) => r.timestamp)).toEqual(['2025-02-01T00:00:00+01:00', '2025-03-01T00:00:00+01:00']);
    const feb = last.capacity?.history.at(-1);
    expect(feb?.periodAt).toBe('2025-03-01T00:00:00+01:00');
    // February's peak is its largest quarter, stamped with that quarter's start.
    expect(feb?.peakKw).toBeCloseTo(maxFebQuarterKw, 2);
    expect(feb?.peakAt?.startsWith('2025-02')).toBe(true);
    expect(last.capacity?.history.at(-2)?.periodAt).toBe('2025-02-01T00:00:00+01:00');
    const gas = (r: Reading) => r.mbus.find((m) => m.kind === 'gas')?.value ?? 0;
    const water = (r: Reading) => r.mbus.find((m) => m.kind === 'water')?.value ?? 0;
    expect(gas(last)).toBeGreaterThan(gas(first) + 30);
    expect(water(last)).toBeGreaterThan(water(first) + 1);
  }, 120_000);

  it('is deterministic for a seed, and the seed matters', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom(...METER_MODELS.map((m) => m.name)),
        (seed, model) => {
          const a = new MeterSimulation({ model, startMs: START, seed });
          const b = new MeterSimulation({ model, startMs: START, seed });
          const c = new MeterSimulation({ model, startMs: START, seed: seed + 1 });
          let same = true;
          let differs = false;
          for (let i = 0; i < 20; i++) {
            const x = Buffer.from(a.next().bytes as Uint8Array);
            same &&= x.equals(Buffer.from(b.next().bytes as Uint8Array));
            differs ||= !x.equals(Buffer.from(c.next().bytes as Uint8Array));
          }
          expect(same).toBe(true);
          expect(differs).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('follows an offered EV current with lag and ramp, and adds external loads', () => {
    // 20:00 local: the default car is plugged in.
    const sim = new MeterSimulation({
      model: 'fluvius-3ph',
      startMs: Date.parse('2025-01-15T20:00:00+01:00'),
      seed: 3,
    });
    sim.setEvOffered('car1', 0);
    for (let i = 0; i < 30; i++) sim.next();
    const base = read(sim).power.importKw ?? 0;
    sim.setEvOffered('car1', 16);
    for (let i = 0; i < 3; i++) sim.next();
    const car = () => (sim.evStates()[0]?.currentA as number) ?? 0;
    expect(car()).toBe(0); // still within the car's 5 s lag
    for (let i = 0; i < 10; i++) sim.next();
    expect(car()).toBeGreaterThan(0);
    expect(car()).toBeLessThan(16); // ramping
    for (let i = 0; i < 30; i++) sim.next();
    expect(car()).toBe(16);
    const charging = read(sim);
    expect((charging.power.importKw ?? 0) - base).toBeGreaterThan(9);
    sim.setLoad('ev-cp9', [1], 3.7);
    const withLoad = read(sim);
    expect((withLoad.phases[0]?.importKw ?? 0) - (charging.phases[0]?.importKw ?? 0)).toBeGreaterThan(3.3);
    sim.setLoad('ev-cp9', [1], 0);
    expect(sim.loads()).toEqual([]);
  });

  it('logs a long power failure and counts a short one; the unset clock sends a placeholder', () => {
    const sim = new MeterSimulation({ model: 'dsmr5', startMs: START, seed: 5 });
    const before = read(sim).powerFailures;
    sim.startPowerFailure(600);
    let silent = 0;
    while (sim.next().silence === 'power-failure') silent++;
    expect(silent).toBeGreaterThanOrEqual(599);
    const after = read(sim).powerFailures;
    expect(after?.longCount).toBe((before?.longCount ?? 0) + 1);
    expect(after?.log.at(-1)?.durationS).toBe(600);
    sim.startPowerFailure(5);
    for (let i = 0; i < 6; i++) sim.next();
    expect(read(sim).powerFailures?.count).toBe((before?.count ?? 0) + 1);
    sim.clockSet = false;
    const unset = read(sim);
    expect(unset.ok).toBe(true);
    expect(unset.timestamp).toBeNull();
  });

  it('keeps its clock across the autumn DST change: 02:59:59 S is followed by 02:00:00 W', () => {
    const sim = new MeterSimulation({ model: 'dsmr5', startMs: Date.parse('2025-10-26T00:59:55Z'), seed: 2 });
    const readings = Array.from({ length: 10 }, () => read(sim));
    const raw = readings.map((r) => r.obis[OBIS.TIMESTAMP]?.[0]);
    expect(raw.slice(3, 6)).toEqual(['251026025959S', '251026020000W', '251026020001W']);
    const instants = readings.map((r) => Date.parse(r.timestamp as string));
    // Strictly one second apart in real time although the local clock went back an hour.
    expect(instants.slice(1).map((t, i) => t - (instants[i] as number))).toEqual(Array(9).fill(1000));
  });
});
