import type { Phase } from '@p1/balancer/charger-state';
import type { MeterValue, SampledValue } from '@p1/ocpp16';

/** One MeterValues sample reduced to what the balancer needs. */
export interface MeterSample {
  /** Current.Import by the charger's own phase (L1..L3); `any` = reported without a phase. */
  currentA: { L1?: number; L2?: number; L3?: number; any?: number };
  /** Energy.Active.Import.Register in Wh; null when absent. */
  energyWh: number | null;
  /** Epoch ms of the sample's timestamp (or of receipt when unparseable). */
  at: number;
  /** Current.Import values left out: not a number, or in a unit other than A (`value unit`). */
  unusable: string[];
}

function phaseKey(phase: string | undefined): 'L1' | 'L2' | 'L3' | 'any' | null {
  if (phase === undefined) return 'any';
  if (phase === 'L1' || phase === 'L1-N') return 'L1';
  if (phase === 'L2' || phase === 'L2-N') return 'L2';
  if (phase === 'L3' || phase === 'L3-N') return 'L3';
  return null; // N or line-to-line: not a line current we can use
}

function number(sv: SampledValue): number | null {
  if (sv.format === 'SignedData') return null;
  const n = Number(sv.value);
  return Number.isFinite(n) ? n : null;
}

/** Reads the latest entry of a MeterValues / StopTransaction transactionData list. */
export function readMeterValues(values: MeterValue[], receivedAt: number): MeterSample | null {
  const last = values.at(-1);
  if (!last) return null;
  const parsed = Date.parse(last.timestamp);
  const sample: MeterSample = {
    currentA: {},
    energyWh: null,
    at: Number.isFinite(parsed) ? parsed : receivedAt,
    unusable: [],
  };
  for (const sv of last.sampledValue) {
    const measurand = sv.measurand ?? 'Energy.Active.Import.Register'; // the spec's default
    const n = number(sv);
    if (measurand === 'Current.Import' && (n === null || (sv.unit ?? 'A') !== 'A')) {
      // a unit is never guessed: 16000 "A" may be mA, but only the balancer's physics can say it is wrong
      if (sv.format !== 'SignedData') sample.unusable.push(`${sv.value.slice(0, 16)} ${sv.unit ?? ''}`.trim());
      continue;
    }
    if (n === null) continue;
    if (measurand === 'Current.Import') {
      const key = phaseKey(sv.phase);
      if (key) sample.currentA[key] = n;
    } else if (measurand === 'Energy.Active.Import.Register' && sv.phase === undefined) {
      const unit = sv.unit ?? 'Wh';
      if (unit === 'Wh') sample.energyWh = n;
      else if (unit === 'kWh') sample.energyWh = n * 1000;
    }
  }
  return sample;
}

/**
 * Maps the charger's L1..L3 onto the grid lines it is wired to (`phases`, in order). A 1-phase charger
 * on a 3x230 supply lists two lines: its single current flows through both.
 */
export function lineCurrents(sample: MeterSample, wired: Phase[]): (number | null)[] {
  const c = sample.currentA;
  if (wired.length === 3) return [c.L1 ?? c.any ?? null, c.L2 ?? c.any ?? null, c.L3 ?? c.any ?? null];
  const single = c.L1 ?? c.any ?? null;
  return wired.map(() => single);
}
