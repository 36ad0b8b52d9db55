/**
 * A charger whose samples come once a minute (a MeterValueSampleInterval the charger keeps at 60 s): between
 * samples its data is older than the balancer uses. Without a car it draws nothing whatever its sample's age,
 * so the house's steps on its lines must still be learned. Fleet house 7070707/702 (3N400 16 A): an oven cycling
 * 51 s on, 63 s off while a car plugs in; when an idle charger's old sample hid its lines, the oven's rhythm went
 * unlearned, the car was raised into the oven's room at each rest and the line went above 1.45 × In at 18 of its
 * returns.
 */
import { describe, expect, test } from 'vitest';
import { fleetHouse, runScenario } from '../src/index';

describe('chargers sampling once a minute', () => {
  test("an idle charger's old sample does not hide a cycler from learning", () => {
    const scenario = fleetHouse(7070707, 702, 'be');
    for (const c of scenario.chargers) c.sampleEveryS = 60;
    const m = runScenario(scenario, { skipOptimal: true }).metrics;
    expect(m.over145RepeatMax).toBeLessThanOrEqual(1);
    expect(m.over145Seconds).toBe(0);
    // Still charging: the cars get what they got with samples every second (74.2 kWh).
    expect(m.evEnergyKwh).toBeGreaterThan(72);
  });
});
