/**
 * The reason an owner reads holds while the limit does. A car the quarter's budget holds just under its charger's
 * 16 A sat at one limit while the reason took turns between "quarter budget" and "charger max" every second or two
 * (the budget's room swings about 16 A with the house's noise): fleet house 1/0, 60 such flips in a day.
 */
import { describe, expect, it } from 'vitest';
import { createBalancer, type Reason } from '../src/index';
import { charger, followingCar, input, reading, step, T0 } from './helpers';

describe('the reason shown at an unchanged limit', () => {
  it('does not take turns between two ceilings that bind about equally', () => {
    // 1x230 40 A under a 4 kW target: with the house at 0.3 kW the budget leaves the car 3.68 kW, its charger's
    // 16 A; the house swings ±50 W around that (a fridge, the router, the meter's own rounding).
    const b = createBalancer({ site: { connection: '1x230', fuseA: 40, capacityTargetKw: 4 } });
    const cap = charger({ phases: [1], maxA: 16 });
    const car = followingCar(cap, 2, 2);
    let seed = 7;
    const noise = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const shown: Array<[number, Reason]> = [];
    for (let s = 0; s < 3600; s++) {
      const ms = T0 + s * 1000;
      const a = car.drawA(s);
      const houseA = (300 + 100 * noise()) / 230;
      const d = b.step(step(ms, reading(ms, [houseA + a]), [input(cap, a)]));
      car.offers.push(d.chargers[0]!.limitA);
      shown.push([d.chargers[0]!.limitA, d.chargers[0]!.reason]);
    }
    // A → B → A within 10 s at one limit: a flip the owner sees as noise.
    let flips = 0;
    for (let i = 0; i < shown.length; i++) {
      const [limit, reason] = shown[i]!;
      let j = i + 1;
      while (j < shown.length && shown[j]![0] === limit && shown[j]![1] !== reason) j++;
      if (j > i + 1 && j - i <= 10 && j < shown.length && shown[j]![0] === limit && shown[j]![1] === reason) flips++;
    }
    expect(shown.some(([, r]) => r === 'quarter budget')).toBe(true);
    expect(flips).toBe(0);
    // A ceiling that binds for good is shown: the target raised to 8 kW, the charger's 16 A is what holds the car.
    b.reconfigure({ site: { connection: '1x230', fuseA: 40, capacityTargetKw: 8 } });
    let reason: Reason | undefined;
    for (let s = 3600; s < 3615; s++) {
      const ms = T0 + s * 1000;
      const a = car.drawA(s);
      const d = b.step(step(ms, reading(ms, [300 / 230 + a]), [input(cap, a)]));
      car.offers.push(d.chargers[0]!.limitA);
      reason = d.chargers[0]!.reason;
    }
    expect(reason).toBe('charger max');
  });
});
