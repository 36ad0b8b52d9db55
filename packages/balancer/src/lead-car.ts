/**
 * Which car goes first: admitted before the others of its priority, a car that makes clearly more of the lines
 * than the cars holding them (a three-phase car where a single-phase one holds the line its minimum needs) takes
 * them over, on trial until its phases are seen; a trial that gains nothing hands the lines back and is not
 * repeated for a while. The gain must pay for the pause of the car it displaces; the choice then holds until another
 * gains as much over it. The loop asks every few seconds (`LeadChoice.choose`); each step it reads `goesFirst`.
 */
import { type AllocItem, type AllocLimits, kwWithLead, leadGain, newAllocResult } from './allocate';
import type { ChargerRecord } from './charger-record';

/** A car goes first in place of others when that gives this much more power (kW): a pause of theirs costs. */
const LEAD_MIN_GAIN_KW = 1;
/**
 * A car whose trial first made no more of the lines is tried again after this long (ms). A load that came on as
 * it started (a hob, an oven heating up) may have failed it: banned for the session, a three-phase car stayed out
 * all evening at 2.1 kW where the lines gave 6.3 (fleet house 555/709). Sooner, a switch that gains nothing
 * would cost the other car a pause again. A car seen on one phase is weighed on that phase from then on: it goes
 * first again only where that phase gains.
 */
const LEAD_RETRY_MS = 15 * 60_000;
/** At most this many cars held out are tried first (a site with dozens of chargers). */
const LEAD_TRIES = 4;

/** A car that goes first but rests its pause would hold the lines for nothing: the others use them meanwhile. */
export const goesFirst = (st: ChargerRecord) => st.lead && !st.resting;

export class LeadChoice {
  /** Scratch: what each charger gets with a car first, and with none. */
  private readonly res = newAllocResult();
  private readonly baseA: number[] = [];
  /** The check being made: its time and the record behind each item (read by `skip`). */
  private nowMs = 0;
  private itemOwner: readonly ChargerRecord[] = [];
  /**
   * A car that went first on trial and made no more of the lines is not tried again for a while; one resting its
   * minimum pause is not tried until it can start.
   */
  private readonly skip = (item: number) =>
    this.nowMs - this.itemOwner[item]!.leadTriedMs < LEAD_RETRY_MS || this.itemOwner[item]!.resting;

  /**
   * Weighs which car goes first, at `nowMs`: `sts` the chargers' records, `items` the allocation's items of the
   * plugged ones (`itemOwner` the record behind each), `limits` the lines' room.
   *
   * Under a capacity target the cars average no more than the house leaves of it (`roomKw`), whatever the lines
   * give: where that binds, a car that goes first gains nothing and would only take over the quarter's run from
   * another. Up to it, each counts at what the lines give it, not at what fits the room steadily: the quarter plan
   * runs a car at that power for part of the quarter (a three-phase car whose 4.1 kW minimum is above the room).
   */
  choose(
    sts: readonly ChargerRecord[],
    items: AllocItem[],
    itemOwner: readonly ChargerRecord[],
    limits: AllocLimits,
    roomKw: number,
    nowMs: number,
  ): void {
    let lead: ChargerRecord | null = null;
    for (const st of sts) if (st.lead && st.item >= 0) lead = st;
    if (lead?.leadTrial && lead.phasesSeen) {
      lead.leadTrial = false;
      const over = lead.leadOver;
      if (over !== null && over.item >= 0) {
        const gain =
          kwWithLead(items, limits, lead.item, this.res, roomKw) -
          kwWithLead(items, limits, over.item, this.res, roomKw);
        if (gain < LEAD_MIN_GAIN_KW) {
          lead.leadTriedMs = nowMs;
          setLead(sts, items, over, null);
          return;
        }
      }
    }
    this.nowMs = nowMs;
    this.itemOwner = itemOwner;
    const { index, gainKw } = leadGain(items, limits, LEAD_TRIES, this.skip, this.res, this.baseA, roomKw);
    if (index < 0 || gainKw < LEAD_MIN_GAIN_KW || itemOwner[index]!.lead) return;
    // The car it displaces: admitted without it, held out with it.
    kwWithLead(items, limits, index, this.res);
    let over: ChargerRecord | null = null;
    for (const st of sts) if (st.item >= 0 && this.baseA[st.item]! > 0 && this.res.a[st.item] === 0) over ??= st;
    setLead(sts, items, itemOwner[index]!, over);
  }
}

/** `lead` goes first; on trial where it displaces `over` until its phases are seen. */
function setLead(sts: readonly ChargerRecord[], items: AllocItem[], lead: ChargerRecord, over: ChargerRecord | null) {
  for (const st of sts) {
    st.lead = st === lead;
    if (st.item >= 0) items[st.item]!.lead = goesFirst(st);
  }
  lead.leadTrial = over !== null && !lead.phasesSeen;
  lead.leadOver = over;
}
