/**
 * What the meter measures per phase, from the net power on each grid line (kW, + import, − export).
 * Currents always equal |power| / voltage of the same phase (power factor 1), so the telegram holds
 * together. A 3×230 V supply has no neutral: the meter is a two-element (Aron) meter measuring
 * L1–L2 and L3–L2, so it reports L2 with 0 V and no current, and the line-2 power shared by both
 * elements.
 */
import type { Connection } from '@p1/balancer';
import type { Random } from './random';

export interface PhaseValues {
  voltageV: number;
  currentA: number;
  importKw: number;
  exportKw: number;
}

export interface Electrical {
  importKw: number;
  exportKw: number;
  /** Index 0..2 = L1..L3; a 1×230 supply has only L1. */
  phases: PhaseValues[];
}

/** Grid impedance seen by the house: voltage drops with import and rises with export. */
const LINE_OHM = 0.03;

export class VoltageModel {
  private readonly offsets: number[];
  private drift = 0;

  constructor(private readonly random: Random) {
    this.offsets = [random() * 4 - 2, random() * 4 - 2, random() * 4 - 2];
  }

  /** Voltage of one phase given the current through it (signed: + import). */
  voltage(phase: number, signedA: number): number {
    return 230 + (this.offsets[phase] as number) + this.drift - LINE_OHM * signedA;
  }

  /** Slow random walk of the grid voltage, called once per simulated second. */
  step(): void {
    this.drift += (this.random() - 0.5) * 0.2;
    if (this.drift > 6) this.drift = 6;
    if (this.drift < -6) this.drift = -6;
  }
}

function phaseFromKw(kw: number, voltageV: number): PhaseValues {
  return {
    voltageV,
    currentA: (Math.abs(kw) * 1000) / voltageV,
    importKw: Math.max(kw, 0),
    exportKw: kw < 0 ? -kw : 0,
  };
}

export function measure(connection: Connection, lineKw: readonly number[], voltages: VoltageModel): Electrical {
  const l1 = lineKw[0] ?? 0;
  const l2 = lineKw[1] ?? 0;
  const l3 = lineKw[2] ?? 0;
  const net = l1 + l2 + l3;
  let phases: PhaseValues[];
  if (connection === '1x230') {
    phases = [phaseFromKw(net, voltages.voltage(0, (net * 1000) / 230))];
  } else if (connection === '3x230') {
    const e1 = l1 + l2 / 2;
    const e3 = l3 + l2 / 2;
    phases = [
      phaseFromKw(e1, voltages.voltage(0, (e1 * 1000) / 230)),
      { voltageV: 0, currentA: 0, importKw: 0, exportKw: 0 },
      phaseFromKw(e3, voltages.voltage(2, (e3 * 1000) / 230)),
    ];
  } else {
    phases = [l1, l2, l3].map((kw, i) => phaseFromKw(kw, voltages.voltage(i, (kw * 1000) / 230)));
  }
  return { importKw: Math.max(net, 0), exportKw: net < 0 ? -net : 0, phases };
}
