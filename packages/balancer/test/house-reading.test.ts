import { describe, expect, it } from 'vitest';
import { HouseReading } from '../src/house-reading';
import { LINE_V as V } from '../src/site';

interface Telegram {
  /** The meter's current on L1 (A); L2 and L3 carry nothing. */
  meterA: number;
  /** The car on L1 as its charger's last sample says (A). */
  sampleA: number;
  /** How far the car may have gone up / down since that sample, following a new limit (A). */
  risenA?: number;
  fallenA?: number;
  /** How far a sample taken in the second before the telegram moved (A): the meter may not show it yet. */
  aheadA?: number;
  /** The sum of the charger's sample times: unchanged, no new sample came. */
  sampledAt?: number;
  /** The car follows a new limit though its sample shows it there already (nothing left to move). */
  following?: boolean;
  /** Of `risenA`, what its ramp allows since its sample; how far its sample is above a limit it has followed (A). */
  rampRisenA?: number;
  landedFallA?: number;
}

/** One telegram for a single-phase car on L1 of a 1x230 site: the tally the control loop fills, then `update`. */
function telegram(r: HouseReading, t: Telegram): void {
  r.beginStep();
  r.evOnLine[0] = t.sampleA;
  r.sampledAtLine[0] = t.sampledAt ?? 0;
  const following = (t.risenA ?? 0) > 0 || (t.fallenA ?? 0) > 0 || t.following === true;
  if (following) {
    r.followingLine[0] = r.unknownLine[0] = true;
    r.risenA[0] = t.risenA ?? 0;
    r.fallenA[0] = t.fallenA ?? 0;
    r.risenKw = ((t.risenA ?? 0) * V) / 1000;
    r.fallenKw = ((t.fallenA ?? 0) * V) / 1000;
    r.rampRisenA[0] = t.rampRisenA ?? 0;
  }
  r.landedFallA[0] = t.landedFallA ?? 0;
  if (t.aheadA) {
    r.aheadA[0] = t.aheadA;
    r.aheadKw = (t.aheadA * V) / 1000;
  }
  r.update([t.meterA, 0, 0], (t.meterA * V) / 1000, (t.sampleA * V) / 1000);
}

describe('the house as meter less the cars', () => {
  it('is the meter less the samples while the car is in step with them', () => {
    const r = new HouseReading();
    telegram(r, { meterA: 8, sampleA: 6 });
    expect(r.houseA[0]).toBe(2);
    expect(r.houseKw).toBeCloseTo(0.46, 6);
    expect(r.quiet[0]).toBe(false);
  });

  it('does not read a car ramping to a raise its sample does not show yet as a house load', () => {
    const r = new HouseReading();
    telegram(r, { meterA: 8, sampleA: 6 });
    // Raised to 16 A: the car is at 12 A by the next telegram, its sample still says 6. Meter less sample
    // would be an 8 A load; the cut it calls for would pause the car it just raised.
    telegram(r, { meterA: 14, sampleA: 6, risenA: 10 });
    expect(r.houseA[0]).toBe(2);
    expect(r.houseKw).toBeCloseTo(0.46, 6);
    // Nor is it learned from: the line is out of step now and for one telegram after.
    expect(r.quiet[0]).toBe(true);
    telegram(r, { meterA: 18, sampleA: 16 });
    expect(r.houseA[0]).toBe(2);
    expect(r.quiet[0]).toBe(true);
    telegram(r, { meterA: 18, sampleA: 16 });
    expect(r.quiet[0]).toBe(false);
  });

  it('sees a kettle that switches on while the car ramps, at least as far as the ramp cannot explain it', () => {
    const r = new HouseReading();
    telegram(r, { meterA: 8, sampleA: 6 });
    // The car at 12 A and an 11 A kettle: meter 2 + 11 + 12 = 25 A. The car may be anywhere up to 16 A, so the
    // house is at least 25 − 16 = 9 A: the fuse loop cuts for that at once rather than wait for the next sample.
    telegram(r, { meterA: 25, sampleA: 6, risenA: 10 });
    expect(r.houseA[0]).toBe(9);
    // The 7 A above the 2 A before, for the house model: a step, though the line is out of step.
    expect(r.roseA[0]).toBe(7);
    // And holds it while the samples are still behind: the car's further rise (to 13 A: meter 26) would hide the
    // kettle again, meter less what the car may draw reading 10 A, no more than the car's move explains.
    telegram(r, { meterA: 26, sampleA: 6, risenA: 10 });
    expect(r.houseA[0]).toBe(9);
    expect(r.roseA[0]).toBe(0);
    // In step again (the car at 16 A, sampled): the whole kettle.
    telegram(r, { meterA: 29, sampleA: 16 });
    expect(r.houseA[0]).toBe(13);
  });

  it('takes what a falling car may hide as house while a cut lands', () => {
    const r = new HouseReading();
    telegram(r, { meterA: 18, sampleA: 16 });
    // Cut to 6 A; the car has fallen to 10 by the telegram, its sample says 16, and a 13 A load came on: meter
    // 2 + 10 + 13 = 25. Meter less sample is 9, but the car may be as low as 6: the house may be 19.
    telegram(r, { meterA: 25, sampleA: 16, fallenA: 10 });
    expect(r.houseA[0]).toBe(19);
  });

  it('does not take a sample newer than the telegram for the house, whether or not the meter shows it yet', () => {
    // The charger sampled the car at 16 A in the second before the telegram; the meter measured it at 6 still.
    const lagging = new HouseReading();
    telegram(lagging, { meterA: 8, sampleA: 6 });
    telegram(lagging, { meterA: 8, sampleA: 16, aheadA: 10 });
    expect(lagging.houseA[0]).toBe(2);
    expect(lagging.houseKw).toBeCloseTo(0.46, 6);
    // The meter shows it already, and a 1 A load went off meanwhile: meter less sample is the house, the move is
    // not added back (that would hold the house at 2 A).
    const shown = new HouseReading();
    telegram(shown, { meterA: 8, sampleA: 6 });
    telegram(shown, { meterA: 17, sampleA: 16, aheadA: 10 });
    expect(shown.houseA[0]).toBe(1);
  });

  it("gives a load's off-step beside a car that can only rise, for the house model to learn", () => {
    const r = new HouseReading();
    // A 10 A load on beside the car at 6 A.
    telegram(r, { meterA: 18, sampleA: 6, sampledAt: 1000 });
    expect(r.houseA[0]).toBe(12);
    // Raised, the car can only go up, and no new sample came; the load switches off: the meter falls by 8 A
    // though the car rose 2. The fall is the house's own: the car cannot have fallen.
    telegram(r, { meterA: 10, sampleA: 6, risenA: 10, sampledAt: 1000 });
    expect(r.fellA[0]).toBe(-8);
    // The house itself is held as last in step until the samples catch up (a fall is never a reason to raise).
    expect(r.houseA[0]).toBe(12);
    // A new sample: the fall may be the sample's move, not the house's.
    const other = new HouseReading();
    telegram(other, { meterA: 18, sampleA: 6, sampledAt: 1000 });
    telegram(other, { meterA: 10, sampleA: 6, risenA: 10, sampledAt: 2000 });
    expect(other.fellA[0]).toBe(0);
  });

  it('gives no rise where the meter did not rise: a sample catching up with a car that stopped by itself', () => {
    const r = new HouseReading();
    telegram(r, { meterA: 18, sampleA: 16 });
    // The car stops by itself: the meter falls by 16, its sample still says 16 (the house reads −14 A).
    telegram(r, { meterA: 2, sampleA: 16 });
    // The sample catches up while the car follows a raise: meter less sample rises by 16, the meter not at all.
    telegram(r, { meterA: 2, sampleA: 0, risenA: 4 });
    expect(r.roseA[0]).toBe(0);
  });

  it('gives a rise while the car follows a new limit its sample already shows it at', () => {
    // The line is quiet (the car's last sample moved), but the car has nothing left to move: an oven's 14.8 A.
    const r = new HouseReading();
    telegram(r, { meterA: 18, sampleA: 16 });
    telegram(r, { meterA: 32.8, sampleA: 16, following: true });
    expect(r.roseA[0]).toBeCloseTo(14.8, 6);
  });

  it("bounds the house by the cars' physics: a ramp takes time, and a landed limit caps the car", () => {
    const r = new HouseReading();
    telegram(r, { meterA: 20, sampleA: 8 });
    // A load of 10 A and the car's ramp together lift the meter 12 A. The car may rise 8 A to its limit, which the
    // reading credits it (the house taken as 16 A, or as last in step); its ramp allows 2 A since its sample, which
    // is all the bound credits: meter 32 - sample 8 - 2 = 22.
    telegram(r, { meterA: 32, sampleA: 8, risenA: 8, rampRisenA: 2 });
    expect(r.boundedA[0]).toBeCloseTo(22, 6);
    expect(r.houseA[0]).toBeLessThan(r.boundedA[0]!);
    // A cut to 6 A landed; the sample still shows 11 A: the car is at 6 at most, so the house at least 30 - 6.
    telegram(r, { meterA: 30, sampleA: 11, fallenA: 5, landedFallA: 5 });
    expect(r.boundedA[0]).toBeCloseTo(24, 6);
  });
});
