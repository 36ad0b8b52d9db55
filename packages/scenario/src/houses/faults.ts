/**
 * Meter faults of a generated house: dropped telegrams, a P1 outage, a frozen meter. A stress mix chosen so
 * that every fault occurs often in a fleet of 1,000, not a statistic of real meters (see the README).
 */
import { formatTimeOfDay } from '../clock';
import type { FaultSpec } from '../scenario';
import { type Draw, roundTo } from './draw';

export function drawFaults(draw: Draw): FaultSpec[] {
  const faults: FaultSpec[] = [];
  const drops = draw.weighted([
    [0, 60],
    [draw.uniform(0.001, 0.01), 30],
    [draw.uniform(0.01, 0.05), 10],
  ] as const);
  if (drops > 0) faults.push({ kind: 'dropTelegrams', rate: roundTo(drops, 0.0001) });
  // Half of the outages and freezes fall in the evening, when cars charge beside the cooking.
  const when = () => formatTimeOfDay(draw.chance(0.5) ? draw.uniform(17 * 3600, 23 * 3600) : draw.uniform(0, 86_400));
  if (draw.chance(0.15)) faults.push({ kind: 'meterOutage', at: when(), durationS: draw.int(20, 300) });
  if (draw.chance(0.05)) faults.push({ kind: 'frozenMeter', at: when(), durationS: draw.int(20, 120) });
  return faults;
}
