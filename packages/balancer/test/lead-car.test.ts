import { describe, expect, it } from 'vitest';
import type { AllocItem, AllocLimits } from '../src/allocate';
import type { ChargerRecord } from '../src/charger-record';
import { LeadChoice } from '../src/lead-car';

/** The part of a charger's record that choosing the car that goes first reads and writes. */
function record(item: number): ChargerRecord {
  return {
    item,
    lead: false,
    leadTrial: false,
    leadOver: null,
    leadTriedMs: Number.NaN,
    phasesSeen: false,
    resting: false,
  } as unknown as ChargerRecord;
}

// L1 leaves the cars 8 A (the kitchen is on it), L2 and L3 16 A. A single-phase car charges on L1; a
// three-phase car's 6 A minimum does not fit beside it.
const limits: AllocLimits = { lineA: [8, 16, 16], powerKw: Infinity, powerReason: 'quarter budget' };
const onePhase = (): AllocItem => ({ lines: [0], kwPerA: 0.23, minA: 6, maxA: 16, priority: 0, incumbent: true });
const threePhase = (): AllocItem => ({
  lines: [0, 1, 2],
  kwPerA: 0.69,
  minA: 6,
  maxA: 16,
  priority: 0,
  incumbent: false,
});
const MIN = 60_000;

describe('which car goes first', () => {
  it('lets a three-phase car take over a line a single-phase car holds, and hands it back when the trial fails', () => {
    const one = record(0);
    const three = record(1);
    const sts = [one, three];
    const items = [onePhase(), threePhase()];
    const leads = new LeadChoice();
    // 8 A on three phases is 5.5 kW where the single-phase car takes 1.8: the three-phase car goes first, on
    // trial until its phases are seen, in place of the single-phase car.
    leads.choose(sts, items, sts, limits, Infinity, 0);
    expect(three.lead).toBe(true);
    expect(items[1]!.lead).toBe(true);
    expect(three.leadTrial).toBe(true);
    expect(three.leadOver).toBe(one);
    // The car charges on one phase only: going first it makes no more of L1 than the other car did.
    three.phasesSeen = true;
    items[1] = { ...onePhase(), incumbent: false, lead: true };
    leads.choose(sts, items, sts, limits, Infinity, 5_000);
    expect(one.lead).toBe(true);
    expect(three.lead).toBe(false);
    expect(items[1]!.lead).toBe(false);
    // Seen on three phases again (a load had failed its start), it is not tried for 15 minutes, then it is.
    items[1] = threePhase();
    leads.choose(sts, items, sts, limits, Infinity, 10 * MIN);
    expect(three.lead).toBe(false);
    leads.choose(sts, items, sts, limits, Infinity, 16 * MIN);
    expect(three.lead).toBe(true);
  });

  it('lets no car go first where the capacity target leaves no more than the car charging takes', () => {
    const sts = [record(0), record(1)];
    const items = [onePhase(), threePhase()];
    new LeadChoice().choose(sts, items, sts, limits, 1.8, 0);
    expect(sts.map((st) => st.lead)).toEqual([false, false]);
  });

  it('does not try a car resting its minimum pause', () => {
    const sts = [record(0), record(1)];
    sts[1]!.resting = true;
    const items = [onePhase(), threePhase()];
    new LeadChoice().choose(sts, items, sts, limits, Infinity, 0);
    expect(sts[1]!.lead).toBe(false);
  });
});
