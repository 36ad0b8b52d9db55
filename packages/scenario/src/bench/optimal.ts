/**
 * The perfect-foresight bound: the most energy the cars could get knowing the house's future, under the same
 * fuse (no margin), quarter target and car limits. Per second each car takes what the fuse leaves (greedy, 0
 * below its minimum), the cars in the scenario's order or in the order that gives the most power that second (a
 * three-phase car first may take three times what a single-phase one leaves it), whichever gets more over the
 * day; per quarter the energy that would import is capped by the target's budget, spread freely over the
 * quarter (pulses at or above the minimum are allowed); energy from export surplus is free. Car lag and ramps
 * are ignored, so the bound is optimistic.
 */
import { type Connection, kwForAmps, linesInUse, QUARTER_MS } from '@p1/balancer';
import { inDailyWindow, LocalClock, parseStart, parseTimeOfDay } from '../clock';
import { type HouseTimeline, houseTimeline } from '../house';
import type { Line, Scenario } from '../scenario';
import { quarterTarget } from './metrics';

interface CarModel {
  lines3: number[];
  lines1: number[];
  canSwitch: boolean;
  kwPerA3: number;
  kwPerA1: number;
  minA: number;
  maxA: number;
  need: number;
  arrive: number;
  depart: number;
}

export function optimalEvEnergyKwh(scenario: Scenario, house: HouseTimeline = houseTimeline(scenario)): number {
  const { connection } = scenario.site;
  const cars: CarModel[] = [];
  for (const ev of scenario.evs) {
    const ch = scenario.chargers.find((c) => c.id === ev.charger)!;
    const natural: 1 | 3 = connection !== '1x230' && ch.phases.length === 3 && ev.phases === 3 ? 3 : 1;
    const l3 = linesInUse(connection as Connection, ch.phases as Line[], natural).map((l) => l - 1);
    const l1 = linesInUse(connection as Connection, ch.phases as Line[], 1).map((l) => l - 1);
    const ratio = ev.drawRatio ?? 1;
    const offerMax = Math.min(ev.maxA, ch.maxA);
    const offerMin = Math.max(ev.minA, ch.minA);
    cars.push({
      lines3: l3,
      lines1: l1,
      canSwitch: ch.switchPhases && natural === 3,
      kwPerA3: kwForAmps(connection, l3.length, 1),
      kwPerA1: kwForAmps(connection, l1.length, 1),
      minA: offerMin * ratio,
      maxA: offerMax >= offerMin ? offerMax * ratio : 0,
      need: ev.needKwh,
      arrive: parseTimeOfDay(ev.arrive) ?? 0,
      depart: parseTimeOfDay(ev.depart) ?? 0,
    });
  }
  // Either order may give more over the day: serving the car with the most power first can fill it early and
  // leave the lines to a car that takes less of them.
  const first = Array.from({ length: cars.length }, (_, i) => i);
  const inOrder = schedule(scenario, house, cars, [first]);
  return cars.length < 2 ? inOrder : Math.max(inOrder, schedule(scenario, house, cars, carOrders(cars.length)));
}

/** The energy the cars get when, each second, they take the fuse's room in the order (of `orders`) giving the most. */
function schedule(scenario: Scenario, house: HouseTimeline, cars: CarModel[], orders: number[][]): number {
  const { fuseA, capacityTargetKw } = scenario.site;
  const startMs = parseStart(scenario.start);
  const localClock = new LocalClock(startMs);
  const n = cars.length;
  const remaining = new Float64Array(n);
  for (let e = 0; e < n; e++) remaining[e] = cars[e]!.need;
  const wasPlugged = new Uint8Array(n);
  let monthPeak = scenario.site.monthPeakKw;
  let total = 0;

  // One quarter's worth of per-second car power (row-major, n per second), flushed at each quarter boundary.
  const powers = new Float64Array(900 * Math.max(1, n));
  const freeKw = new Float64Array(900);
  const got = new Float64Array(n);
  let rows = 0;
  let houseImportKws = 0;
  let quarter = Number.NaN;

  const rowSum = (k: number) => {
    let sum = 0;
    for (let e = 0; e < n; e++) sum += powers[k * n + e]!;
    return sum;
  };

  const flush = () => {
    if (rows === 0) return;
    const houseAvg = houseImportKws / 900;
    const target = capacityTargetKw === null ? Infinity : quarterTarget(capacityTargetKw, monthPeak);
    const budgetKws = Math.max(0, target * 900 - houseImportKws);
    let paidAvail = 0;
    for (let k = 0; k < rows; k++) paidAvail += Math.max(0, rowSum(k) - freeKw[k]!);
    const f = paidAvail <= 0 ? 1 : Math.min(1, budgetKws / paidAvail);
    got.fill(0);
    for (let k = 0; k < rows; k++) {
      const sum = rowSum(k);
      if (sum <= 0) continue;
      const usable = Math.min(sum, freeKw[k]!) + f * Math.max(0, sum - freeKw[k]!);
      for (let e = 0; e < n; e++) got[e]! += ((powers[k * n + e]! / sum) * usable) / 3600;
    }
    for (let e = 0; e < n; e++) {
      const take = Math.min(got[e]!, remaining[e]!);
      remaining[e]! -= take;
      total += take;
    }
    if (capacityTargetKw !== null) monthPeak = Math.max(monthPeak, houseAvg);
    rows = 0;
    houseImportKws = 0;
  };

  const take = (c: CarModel, lines: number[]) => {
    let a = c.maxA;
    for (const l of lines) a = Math.min(a, avail[l]!);
    return a >= c.minA ? a : 0;
  };
  const avail = [0, 0, 0];
  const best = new Float64Array(n);
  const trial = new Float64Array(n);
  const [kw0, kw1, kw2] = house.lineKw;
  for (let t = 0; t < scenario.durationS; t++) {
    const ms = startMs + t * 1000;
    const q = Math.floor(ms / QUARTER_MS);
    if (q !== quarter) {
      flush();
      quarter = q;
    }
    const net = kw0![t]! + kw1![t]! + kw2![t]!;
    houseImportKws += Math.max(0, net);
    freeKw[rows] = Math.max(0, -net);
    const tod = localClock.timeOfDay(t);
    let waiting = 0;
    for (let e = 0; e < n; e++) {
      const plugged = inDailyWindow(tod, cars[e]!.arrive, cars[e]!.depart);
      if (plugged && !wasPlugged[e]) remaining[e] = cars[e]!.need;
      wasPlugged[e] = plugged ? 1 : 0;
      if (plugged && remaining[e]! > 0) waiting++;
    }
    best.fill(0);
    let bestKw = -1;
    // The order matters only where two cars or more may charge.
    for (let k = 0; k < (waiting > 1 ? orders.length : Math.min(1, waiting)); k++) {
      const order = orders[k]!;
      for (let l = 0; l < 3; l++) avail[l] = fuseA - house.lineA[l]![t]!;
      let sum = 0;
      for (const e of order) {
        trial[e] = 0;
        const c = cars[e]!;
        if (!wasPlugged[e] || remaining[e]! <= 0) continue;
        let a = take(c, c.lines3);
        let lines = c.lines3;
        let kwPerA = c.kwPerA3;
        if (a === 0 && c.canSwitch) {
          a = take(c, c.lines1);
          lines = c.lines1;
          kwPerA = c.kwPerA1;
        }
        for (const l of lines) avail[l]! -= a;
        trial[e] = a * kwPerA;
        sum += trial[e]!;
      }
      if (sum > bestKw) {
        bestKw = sum;
        best.set(trial);
      }
    }
    const row = rows * n;
    for (let e = 0; e < n; e++) powers[row + e] = best[e]!;
    rows++;
  }
  flush();
  return total;
}

/** Every order of n cars (a home has one to three; beyond five only the scenario's order and its rotations). */
function carOrders(n: number): number[][] {
  const first = Array.from({ length: n }, (_, i) => i);
  if (n > 5) return first.map((_, r) => first.map((i) => (i + r) % n));
  const out: number[][] = [];
  const permute = (done: number[], rest: number[]) => {
    if (rest.length === 0) out.push(done);
    for (let k = 0; k < rest.length; k++) permute([...done, rest[k]!], [...rest.slice(0, k), ...rest.slice(k + 1)]);
  };
  permute([], first);
  return out;
}
