/**
 * A raise sent while a cut is still landing reaches the car only after its lag: the car first falls to the cut's
 * limit. Fleet house 1/863 (3x230 32 A, a car sampled every 10 s): cut to 8 A, raised to 11.4 a second before the
 * cut landed; the car fell to 8, and meter less its old sample, read against the raised limit, hid 3.4 A of a
 * kettle that came on then: 14 s over the fuse.
 */
import { describe, expect, it } from 'vitest';
import { createBalancer } from '../src/index';
import { charger, followingCar, input, reading, step, T0 } from './helpers';

const HOUSE_A = 8;

/**
 * 1x230 32 A, no room kept for an appliance not seen yet: a car (lag 6 s, at once to its limit) sampled every 5 s.
 * A 12 A load from 100 s to 103 s cuts it; the raise back comes at 105 s, a second before the cut lands; a 16 A load
 * comes on at 106 s, as the car falls. Returns the second the car was first cut after that load, the longest run
 * over the fuse after it, and the limits second by second.
 */
function kettleAsCutLands() {
  const b = createBalancer({ site: { connection: '1x230', fuseA: 32 }, margins: { unseenStepKw: 0 } });
  const cap = charger({ phases: [1], maxA: 32 });
  const car = followingCar(cap, 6);
  const drawn: number[] = [];
  let cutAtS = Number.NaN;
  let runS = 0;
  let longestS = 0;
  for (let s = 0; s < 160; s++) {
    const a = car.drawA(s);
    drawn.push(a);
    const load = (s >= 100 && s < 103 ? 12 : 0) + (s >= 106 ? 16 : 0);
    const line = HOUSE_A + load + a;
    const sampleS = s - (s % 5);
    const sample = input(cap, drawn[sampleS]!);
    sample.measurement.at = T0 + sampleS * 1000;
    const ms = T0 + s * 1000;
    const limitA = b.step(step(ms, reading(ms, [line]), [sample])).chargers[0]!.limitA;
    if (s >= 106 && Number.isNaN(cutAtS) && limitA < car.offers.at(-1)!) cutAtS = s;
    car.offers.push(limitA);
    runS = s >= 106 && line > 32 ? runS + 1 : 0;
    longestS = Math.max(longestS, runS);
  }
  return { cutAtS, longestS, offers: car.offers };
}

describe('a raise sent while a cut lands', () => {
  it('counts the car as falling to the cut first: a load then is seen at once', () => {
    const { cutAtS, longestS, offers } = kettleAsCutLands();
    // The scene as it should be: cut at 100 s, raised back at 105 s as the cut landed.
    expect(offers[100]!).toBeLessThan(offers[99]!);
    expect(offers[105]!).toBeGreaterThan(offers[104]!);
    // The 16 A load is seen in the telegram that shows it: the line is over the fuse until the raise and then that
    // cut land (6 s), not until the car's next sample shows where it went and a cut after that lands (10 s).
    expect(cutAtS).toBeLessThanOrEqual(107);
    expect(longestS).toBeLessThanOrEqual(6);
  });
});
