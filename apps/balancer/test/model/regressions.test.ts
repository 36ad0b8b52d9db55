/**
 * Sequences the model test found breaking an invariant, shrunk by hand to the fewest events that still do.
 * Each is a named test; `it.fails` marks one whose fix is open (open-bugs.ts): it turns red when the fix
 * lands, and then loses its `.fails`.
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
  it.fails('the overdraw watch cuts a charger on the current the balancer found implausible', async () => {
    const found = await violationsOf({
      start: 'evening',
      capacityTargetKw: null,
      steps: [{ event: { kind: 'bogusCurrent', charger: 'cp1', currentA: 16_000, durationS: 30 }, thenS: 30 }],
    });
    expect(found).toEqual([]);
  }, 120_000);

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
  it.fails('a meter clock a quarter behind stores a month peak the house never reached', async () => {
    const found = await violationsOf({
      start: 'evening',
      capacityTargetKw: 8,
      steps: [{ event: { kind: 'clockJump', offsetS: -900, durationS: 120 }, thenS: 900 }],
    });
    expect(found).toEqual([]);
  }, 300_000);

  // Found by seed 20251130 (#2: a restart, then a frozen meter, at the autumn DST change); neither alone, nor
  // the DST change, is needed. The module restarted 20 s into the run, the meter quiet for 21 s just after:
  // the quarter's stored peak is 2.902 kW where the meter itself (1-0:1.4.0, and our integration of the
  // simulated import) closed it at 2.799 kW, about the silent seconds counted at the power before them.
  it.fails('a restart and then a quiet meter store a month peak above the meter’s own', async () => {
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
});
