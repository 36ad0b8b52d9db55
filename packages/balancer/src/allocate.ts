/**
 * Shares the headroom between chargers: higher priority first, then equal currents (water-filling),
 * under per-line current limits and one power limit; a charger that cannot get its minimum gets 0. Which
 * car is admitted first where not every minimum fits: `leadGain` finds the one that makes most of the lines.
 */

export interface AllocItem {
  /** Line indices 0..2 the charger loads, 1 A per A offered. */
  lines: readonly number[];
  kwPerA: number;
  minA: number;
  maxA: number;
  priority: number;
  /** Already charging: admitted before newcomers of the same priority, against flapping. */
  incumbent: boolean;
  /**
   * Admitted before the incumbents of its priority: the balancer found that the lines give clearly more power
   * with this car at its minimum than with the cars that hold them now (see `leadGain`).
   */
  lead?: boolean;
  /**
   * The power (kW) the car took when it last took less than offered, or more since (Infinity or undefined: it
   * follows its offer). Power, not amperes: `kwPerA` is per ampere offered, and a car drawing 91 % of its offer
   * at its own pace would otherwise count 9 % short.
   */
  ownKw?: number;
  /**
   * A car that takes clearly less than it is offered: its offer stays `fixedA` and only `reserveA` (what it
   * draws plus a little) is held for it, so the rest goes to the others.
   */
  fixedA?: number;
  reserveA?: number;
}

export interface AllocLimits {
  /** Amperes available to EVs per line (Infinity for a line that does not exist). */
  lineA: [number, number, number];
  /** kW available to all EVs together (Infinity without a power limit). */
  powerKw: number;
  /** Why the power is limited ("quarter budget", "solar surplus"). */
  powerReason: string;
  /**
   * kW a car that is not charging (`incumbent` false) must find in `powerKw` above its minimum to be admitted: a
   * second car started at the edge of a quarter's early share has it taken back by the house's next flicker.
   */
  startMarginKw?: number;
}

export interface AllocResult {
  a: number[];
  /** The constraint that holds each charger where it is: "L1 fuse", the power reason, or "max". */
  binding: string[];
}

const EPS = 1e-6;
const LINE_NAMES = ['L1 fuse', 'L2 fuse', 'L3 fuse'];

/** A result to fill in place: the balancer allocates several times a second, garbage costs more than the sums. */
export const newAllocResult = (): AllocResult => ({ a: [], binding: [] });

export function allocate(items: readonly AllocItem[], limits: AllocLimits, out = newAllocResult()): AllocResult {
  const n = items.length;
  const { a, binding } = out;
  if (a.length !== n) a.length = n;
  if (binding.length !== n) binding.length = n;
  if (n === 0) return out;
  if (n === 1) {
    allocateOne(items[0]!, limits, out);
    return out;
  }
  a.fill(0);
  binding.fill('max');
  const remLine = scratch.remLine;
  remLine[0] = limits.lineA[0];
  remLine[1] = limits.lineA[1];
  remLine[2] = limits.lineA[2];
  let remPower = limits.powerKw;

  // Reserve for cars that draw less than offered, unless even that does not fit (then share as usual).
  ensureScratch(n);
  const fixed = scratch.fixed;
  let anyFixed = false;
  for (let i = 0; i < n; i++) {
    const f = items[i]!.fixedA !== undefined && items[i]!.reserveA !== undefined;
    fixed[i] = f ? 1 : 0;
    if (f) anyFixed = true;
  }
  if (anyFixed) remPower = reserveFixed(items, fixed, remLine, remPower, out);

  const order = scratch.order;
  let nOrder = 0;
  for (let i = 0; i < n; i++) if (fixed[i] === 0) order[nOrder++] = i;
  sortByRank(items, order, nOrder);

  // Admission at minimum current, in priority order.
  const admitted = scratch.admitted;
  let nAdmitted = 0;
  for (let k = 0; k < nOrder; k++) {
    const i = order[k]!;
    const it = items[i]!;
    if (it.maxA < it.minA || it.maxA <= 0) continue;
    let blocked: string | null = null;
    for (const l of it.lines) if (remLine[l]! < it.minA - EPS && blocked === null) blocked = LINE_NAMES[l]!;
    const marginKw = it.incumbent ? 0 : (limits.startMarginKw ?? 0);
    if (blocked === null && remPower < it.minA * it.kwPerA + marginKw - EPS) blocked = limits.powerReason;
    if (blocked !== null) {
      binding[i] = blocked;
      continue;
    }
    a[i] = it.minA;
    for (const l of it.lines) remLine[l]! -= it.minA;
    remPower -= it.minA * it.kwPerA;
    admitted[nAdmitted++] = i;
  }

  // Progressive filling per priority group: raise a common level until a constraint is tight, freeze
  // the chargers it holds, continue with the rest.
  const active = scratch.active;
  let g = 0;
  while (g < nAdmitted) {
    const prio = items[admitted[g]!]!.priority;
    let end = g;
    while (end < nAdmitted && items[admitted[end]!]!.priority === prio) end++;
    let nActive = 0;
    for (let k = g; k < end; k++) active[nActive++] = admitted[k]!;
    g = end;
    for (let round = 0; nActive > 0 && round <= n; round++) {
      let hi = 0;
      for (let k = 0; k < nActive; k++) hi = Math.max(hi, items[active[k]!]!.maxA);
      let x: number;
      if (fits(items, a, active, nActive, hi, remLine, remPower)) x = hi;
      else {
        // From the lowest current up: chargers below the level rise, those above wait.
        let lo = Infinity;
        for (let k = 0; k < nActive; k++) lo = Math.min(lo, a[active[k]!]!);
        for (let k = 0; k < 50 && hi - lo > 1e-5; k++) {
          const mid = (lo + hi) / 2;
          if (fits(items, a, active, nActive, mid, remLine, remPower)) lo = mid;
          else hi = mid;
        }
        x = lo;
      }
      for (let k = 0; k < nActive; k++) {
        const i = active[k]!;
        const e = extraFor(items, a, i, x);
        a[i]! += e;
        for (const l of items[i]!.lines) remLine[l]! -= e;
        remPower -= e * items[i]!.kwPerA;
      }
      const tightPower = remPower <= 0.01;
      const tight0 = remLine[0]! <= 0.01;
      const tight1 = remLine[1]! <= 0.01;
      const tight2 = remLine[2]! <= 0.01;
      // Freeze the chargers a constraint holds, keeping the others in order.
      let kept = 0;
      for (let k = 0; k < nActive; k++) {
        const i = active[k]!;
        const it = items[i]!;
        let why: string | null = a[i]! >= it.maxA - EPS ? 'max' : null;
        for (const l of it.lines)
          if (why === null && (l === 0 ? tight0 : l === 1 ? tight1 : tight2)) why = LINE_NAMES[l]!;
        if (why === null && tightPower) why = limits.powerReason;
        if (why !== null) binding[i] = why;
        else active[kept++] = i;
      }
      const frozen = nActive - kept;
      nActive = kept;
      if (frozen === 0) break;
    }
  }
  return out;
}

/**
 * The multi-charger pass's working lists (charger indices, with a count kept beside them), reused from call
 * to call: the balancer allocates several times a second, and allocate calls nothing that could call it back.
 */
const scratch = {
  remLine: [0, 0, 0],
  line: [0, 0, 0],
  fixed: new Uint8Array(8),
  order: new Int32Array(8),
  admitted: new Int32Array(8),
  active: new Int32Array(8),
  lead: new Uint8Array(8),
  held: [0, 0, 0, 0, 0, 0, 0, 0],
};

function ensureScratch(n: number): void {
  if (scratch.order.length >= n) return;
  scratch.fixed = new Uint8Array(2 * n);
  scratch.order = new Int32Array(2 * n);
  scratch.admitted = new Int32Array(2 * n);
  scratch.active = new Int32Array(2 * n);
}

/** Holds the reserves of the fixed cars when all of them fit; else unmarks them. Returns the power left. */
function reserveFixed(
  items: readonly AllocItem[],
  fixed: Uint8Array,
  remLine: number[],
  remPower: number,
  out: AllocResult,
): number {
  const line = scratch.line;
  line[0] = remLine[0]!;
  line[1] = remLine[1]!;
  line[2] = remLine[2]!;
  let power = remPower;
  for (let i = 0; i < items.length; i++) {
    if (fixed[i] === 0) continue;
    const it = items[i]!;
    for (const l of it.lines) line[l]! -= it.reserveA!;
    power -= it.reserveA! * it.kwPerA;
  }
  if (!(line[0]! >= -EPS && line[1]! >= -EPS && line[2]! >= -EPS && power >= -EPS)) {
    fixed.fill(0, 0, items.length);
    return remPower;
  }
  for (let i = 0; i < items.length; i++) {
    if (fixed[i] === 0) continue;
    out.a[i] = items[i]!.fixedA!;
    out.binding[i] = 'car limit';
  }
  remLine[0] = line[0]!;
  remLine[1] = line[1]!;
  remLine[2] = line[2]!;
  return power;
}

/**
 * Higher priority first, then the car marked to go first, then those already charging, then input order. A
 * stable insertion sort: a home has a handful of chargers, and Array.prototype.sort would allocate its work
 * array and a comparator each call.
 */
function sortByRank(items: readonly AllocItem[], order: Int32Array, count: number): void {
  for (let k = 1; k < count; k++) {
    const i = order[k]!;
    let m = k;
    while (m > 0 && ranksAfter(items, order[m - 1]!, i)) {
      order[m] = order[m - 1]!;
      m--;
    }
    order[m] = i;
  }
}

/** Whether charger i ranks after charger j. */
function ranksAfter(items: readonly AllocItem[], i: number, j: number): boolean {
  const x = items[i]!;
  const y = items[j]!;
  return (
    (y.priority - x.priority ||
      Number(y.lead === true) - Number(x.lead === true) ||
      Number(y.incumbent) - Number(x.incumbent) ||
      i - j) > 0
  );
}

/** One charger (most homes): the tightest of its lines, the power limit and its maximum. */
function allocateOne(it: AllocItem, limits: AllocLimits, out: AllocResult): void {
  let a = it.maxA;
  let binding = 'max';
  if (it.maxA < it.minA || it.maxA <= 0) {
    out.a[0] = 0;
    out.binding[0] = binding;
    return;
  }
  for (const l of it.lines) {
    if (limits.lineA[l]! < a - EPS) {
      a = limits.lineA[l]!;
      binding = LINE_NAMES[l]!;
    }
  }
  const byPower = limits.powerKw / it.kwPerA;
  if (byPower < a - EPS) {
    a = byPower;
    binding = limits.powerReason;
  }
  if (a < it.minA - EPS) a = 0;
  out.a[0] = Math.max(0, a);
  out.binding[0] = binding;
}

/**
 * The power (kW) the cars take (`takenKw`) with charger `lead` admitted first in its priority (none: -1), counted up
 * to `capKw` (what a capacity target leaves the cars over a quarter: beyond it, more of the lines is no more energy);
 * the other chargers' `lead` marks are set aside for it. `out` holds the allocation afterwards.
 */
export function kwWithLead(
  items: AllocItem[],
  limits: AllocLimits,
  lead: number,
  out = newAllocResult(),
  capKw = Number.POSITIVE_INFINITY,
): number {
  if (scratch.lead.length < items.length) scratch.lead = new Uint8Array(2 * items.length);
  for (let i = 0; i < items.length; i++) {
    scratch.lead[i] = items[i]!.lead === true ? 1 : 0;
    items[i]!.lead = i === lead;
  }
  allocate(items, limits, out);
  for (let i = 0; i < items.length; i++) items[i]!.lead = scratch.lead[i] === 1;
  return Math.min(capKw, takenKw(items, out));
}

/** The power (kW) the cars take from an allocation: what each is offered, or its own pace where it showed one. */
export function takenKw(items: readonly AllocItem[], result: AllocResult): number {
  let kw = 0;
  for (let i = 0; i < items.length; i++) kw += Math.min(result.a[i]! * items[i]!.kwPerA, items[i]!.ownKw ?? Infinity);
  return kw;
}

/**
 * A charger the lines hold out (its minimum does not fit beside the cars admitted before it) that would make
 * more of them if it went first: a three-phase car whose 6 A per line a single-phase car's current leaves no
 * room for takes three times the power at the same current. Tries at most `tries` of them, in rank order,
 * skipping those `skip` names; returns the best and the power it gains over no car going first (kW), or -1.
 * `baseA`, when given, receives what each charger gets with no car going first. Totals count up to `capKw`, as in
 * `kwWithLead`.
 */
export function leadGain(
  items: AllocItem[],
  limits: AllocLimits,
  tries: number,
  skip: (i: number) => boolean,
  out = newAllocResult(),
  baseA?: number[],
  capKw = Number.POSITIVE_INFINITY,
): { index: number; gainKw: number } {
  const baseKw = kwWithLead(items, limits, -1, out, capKw);
  if (baseA) for (let i = 0; i < items.length; i++) baseA[i] = out.a[i]!;
  const held = scratch.held;
  let count = 0;
  const most = Math.min(tries, held.length);
  for (let i = 0; i < items.length && count < most; i++)
    if (out.a[i] === 0 && out.binding[i]!.endsWith(' fuse') && items[i]!.fixedA === undefined && !skip(i))
      held[count++] = i;
  const best = { index: -1, gainKw: 0 };
  for (let k = 0; k < count; k++) {
    const i = held[k]!;
    const gain = kwWithLead(items, limits, i, out, capKw) - baseKw;
    if (gain > best.gainKw) {
      best.index = i;
      best.gainKw = gain;
    }
  }
  return best;
}

function extraFor(items: readonly AllocItem[], a: number[], i: number, x: number): number {
  return Math.max(0, Math.min(x, items[i]!.maxA) - a[i]!);
}

/** Whether raising the first `count` active chargers to level x fits the remaining line and power limits. */
function fits(
  items: readonly AllocItem[],
  a: number[],
  active: Int32Array,
  count: number,
  x: number,
  remLine: number[],
  remPower: number,
) {
  let p = 0;
  let u0 = 0;
  let u1 = 0;
  let u2 = 0;
  for (let k = 0; k < count; k++) {
    const i = active[k]!;
    const e = extraFor(items, a, i, x);
    if (e === 0) continue;
    const it = items[i]!;
    for (const l of it.lines) {
      if (l === 0) u0 += e;
      else if (l === 1) u1 += e;
      else u2 += e;
    }
    p += e * it.kwPerA;
  }
  return p <= remPower + EPS && u0 <= remLine[0]! + EPS && u1 <= remLine[1]! + EPS && u2 <= remLine[2]! + EPS;
}
