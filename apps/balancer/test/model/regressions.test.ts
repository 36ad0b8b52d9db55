/**
 * Sequences the model test found breaking an invariant, shrunk by hand to the fewest events that still do.
 * Each is a named test; `it.fails` marks one whose fix is open (open-bugs.ts): it turns red when the fix
 * lands, and then loses its `.fails`. The comments tell what each found; all are fixed today: the overdraw
 * watch and the balancer share one plausibility rule (isPlausibleCurrent), a charger away within its lease
 * is counted at its limit (the OCPP driver), and a quarter the meter barely covered or whose clock was set
 * anew is no month peak, the meter's own count replacing the guess after a gap (QuarterBudget).
 */
import { describe, expect, it } from 'vitest';
import type { Sequence } from './events';
import { runSequence } from './run';

async function violationsOf(sequence: Sequence): Promise<string[]> {
  const { violations } = await runSequence(sequence);
  return violations.map((v) => `${v.atS} s ${v.invariant}: ${v.message}`);
}

describe('model-test regressions', () => {
  // Found by seed 1 (#0). The OCPP driver's overdraw watch reads the 16,000 A the balancer discarded as
  // implausible: 15 s later it cuts cp1 to 0 A and then remote-stops the session, while the module's decision
  // and the dashboard still say 12 A (issue 14 §4 half done: the watch needs the same range check).
  it('the overdraw watch ignores a current the balancer finds implausible', async () => {
    const found = await violationsOf({
      start: 'evening',
      capacityTargetKw: null,
      steps: [{ event: { kind: 'bogusCurrent', charger: 'cp1', currentA: 16_000, durationS: 30 }, thenS: 30 }],
    });
    expect(found).toEqual([]);
  }, 120_000);

  // Found by soak seed 99 (shrunk from 18 events to 8, then by hand to 5): the same cut behind the module's
  // back, and then the fuse pays. The module believes cp1 draws its 11.9 A; when the oven comes on it first
  // lowers cp2 to 10.2 A only (L1 stays at 27.7 A) and pauses it a decision later: 7 s over the fuse, 6 s
  // being the bound.
  it('a charger reporting 16,000 A before the oven comes on: the other car is cut in time', async () => {
    const found = await violationsOf({
      start: 'evening',
      capacityTargetKw: null,
      steps: [
        { event: { kind: 'plugIn', charger: 'cp1' }, thenS: 60 },
        { event: { kind: 'appliance', name: 'oven', on: false }, thenS: 60 },
        { event: { kind: 'restart', downS: 0 }, thenS: 1 },
        { event: { kind: 'bogusCurrent', charger: 'cp1', currentA: 16_000, durationS: 21 }, thenS: 20 },
        { event: { kind: 'appliance', name: 'oven', on: true }, thenS: 20 },
      ],
    });
    expect(found.filter((v) => v.includes(' fuse: '))).toEqual([]);
  }, 300_000);

  // The same charge point reporting −500 A: the watch sees no overdraw, the limit stays applied.
  it('a charger reporting −500 A keeps the limit the module decided', async () => {
    const found = await violationsOf({
      start: 'evening',
      capacityTargetKw: null,
      steps: [{ event: { kind: 'bogusCurrent', charger: 'cp1', currentA: -500, durationS: 30 }, thenS: 30 }],
    });
    expect(found).toEqual([]);
  }, 120_000);

  // Found by seed 1 (#5, a +15 min jump at the year's end) and by an earlier exploration (−15 min for 2 min).
  // A meter clock running a quarter behind for two minutes while both cars charge: the store's month peak for
  // the quarter of 18:00 comes out about 0.9 kW above any quarter the house really averaged (issue 14 §5:
  // a jump must never be stored as a peak).
  it('a meter clock a quarter behind stores no month peak the house never reached', async () => {
    const found = await violationsOf({
      start: 'evening',
      capacityTargetKw: 8,
      steps: [{ event: { kind: 'clockJump', offsetS: -900, durationS: 120 }, thenS: 900 }],
    });
    expect(found).toEqual([]);
  }, 300_000);

  // Found by seed 20251130 (#2: a restart, then a 21 s frozen meter) and by soak seed 77 (frozen 41 s, then
  // silent 23 s); one event is enough. The meter quiet for 41 s in the quarter of 23:30: the store keeps
  // 2.902 kW for it where the meter itself (1-0:1.4.0, and our integration of the simulated import) closed
  // it at 2.736 kW. The stored value is what the quarter would have averaged had the cars kept their
  // current through the gap: the quiet seconds are counted at the power before them, though the fail-safe
  // cut the cars to 6 A meanwhile. The meter's energy register after the gap has the truth.
  it('a quiet meter’s seconds do not raise the stored month peak above the meter’s own', async () => {
    const found = await violationsOf({
      start: 'monthEnd',
      capacityTargetKw: null,
      steps: [{ event: { kind: 'meterSilent', durationS: 41 }, thenS: 300 }],
    });
    expect(found).toEqual([]);
  }, 300_000);

  // The same with a shorter gap just after a restart (21 s alone stays within the 0.05 kW tolerance).
  it('a restart and then a 21 s quiet meter store no month peak above the meter’s own', async () => {
    const found = await violationsOf({
      start: 'monthEnd',
      capacityTargetKw: null,
      steps: [
        { event: { kind: 'restart', downS: 0 }, thenS: 4 },
        { event: { kind: 'meterSilent', durationS: 21 }, thenS: 300 },
      ],
    });
    expect(found).toEqual([]);
  }, 300_000);

  // Found by soak seed 77 (shrunk from 19 events). cp1's network drops for 30 s while it charges at 12 A; it
  // keeps its installed profile (12 A, the lease has 60 s to run) and its car keeps drawing. 5 s later the
  // oven comes on, 3.5 kW on line 1: the module cuts cp2 only to 8.6 A, as if the unreachable cp1 drew the
  // 0 A it now decides for it ("charger offline"). L1 stays at 36.4 A on a 25 A fuse (146 %, above
  // 1.45 × In) for as long as cp1 is away. Counting cp1 at the limit it last acknowledged until that lease
  // runs out, the module would pause cp2: L1 at 27.8 A (house 15.8 A + cp1 12 A), which it cannot lower.
  it('a charger whose network is down is counted at the limit it keeps', async () => {
    const found = await violationsOf({
      start: 'evening',
      capacityTargetKw: null,
      steps: [
        { event: { kind: 'chargerDrop', charger: 'cp1', downS: 30 }, thenS: 5 },
        { event: { kind: 'appliance', name: 'oven', on: true }, thenS: 25 },
      ],
    });
    expect(found).toEqual([]);
  }, 300_000);
  // Found by seed 20251130 once the open bugs were fixed: at year end a meter clock a day ahead for two
  // minutes filed the meter's own December peak (1-0:1.6.0) under January, a month the house had not used.
  it('a meter clock a day ahead at year end files no peak under the new year', async () => {
    const found = await violationsOf({
      start: 'yearEnd',
      capacityTargetKw: null,
      steps: [
        { event: { kind: 'appliance', name: 'sauna', on: true }, thenS: 219 },
        { event: { kind: 'clockJump', offsetS: 86_400, durationS: 120 }, thenS: 300 },
      ],
    });
    expect(found.filter((v) => v.includes('month-peak'))).toEqual([]);
  }, 300_000);
});
