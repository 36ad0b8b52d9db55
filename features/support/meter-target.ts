import type { Inventory } from './inventory';

/**
 * The meter a scenario talks to, hidden behind one shape: the simulator on a socat pair (@sim) or the real
 * meter on the rig (@hil). `device` is where the house reads it.
 */
export interface MeterTarget {
  readonly kind: 'sim' | 'hil';
  readonly model: string;
  readonly device: string;
  readonly baud: number;
  /** Meter seconds between telegrams. */
  readonly cadenceS: number;
  /** How many meter seconds pass per wall second (1 on a real meter). */
  readonly speed: number;
  /** Identification line prefix the model sends (e.g. `FLU5\`), when known. */
  readonly headerPrefix: string | undefined;
  stop(): Promise<void>;
}

/** The real meter of the rig: nothing to start, it has been sending since it was wired. */
export function hilMeter(inventory: Inventory): MeterTarget {
  return {
    kind: 'hil',
    model: inventory.meter.model,
    device: inventory.meter.device,
    baud: inventory.meter.baud,
    cadenceS: inventory.meter.cadenceS,
    speed: 1,
    headerPrefix: inventory.meter.headerPrefix,
    stop: async () => {},
  };
}
