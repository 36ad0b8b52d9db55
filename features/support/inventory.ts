import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './processes';

/** An HTTP call that switches a rig device (a relay, or in the rehearsal the simulator's control API). */
export interface RigCall {
  method: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What the hardware-in-the-loop rig has: the meter, and optionally a load it can switch and a charger. */
export interface Inventory {
  rig: string;
  meter: {
    model: string;
    description?: string;
    headerPrefix?: string;
    protocol?: 'emucs' | 'dsmr' | 'smarty' | 'other';
    device: string;
    baud: number;
    cadenceS: number;
    phases: number;
    /** Luxembourg Smarty: the meter's decryption key (32 hex digits), from the grid operator. */
    smartyKey?: string;
  };
  load: { name: string; phase: number; kw: number; on: RigCall; off: RigCall } | null;
  charger: { id: string; phases: number[]; maxA: number } | null;
}

/** Reads the inventory named by P1_INVENTORY (default hil/inventory.json); P1_DEVICE overrides the device. */
export function loadInventory(env: NodeJS.ProcessEnv = process.env): Inventory {
  const file = path.resolve(repoRoot, env.P1_INVENTORY ?? 'hil/inventory.json');
  let parsed: Inventory;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Inventory;
  } catch (err) {
    throw new Error(`The rig inventory ${file} could not be read: ${(err as Error).message}`);
  }
  const meter = parsed.meter;
  for (const key of ['model', 'device', 'baud', 'cadenceS'] as const) {
    if (meter?.[key] === undefined) throw new Error(`The rig inventory ${file} has no meter.${key}.`);
  }
  return {
    ...parsed,
    load: parsed.load ?? null,
    charger: parsed.charger ?? null,
    meter: { ...meter, device: env.P1_DEVICE ?? meter.device, baud: Number(env.P1_BAUD ?? meter.baud) },
  };
}

export async function callRig(call: RigCall): Promise<void> {
  const res = await fetch(call.url, {
    method: call.method,
    headers: { ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}), ...call.headers },
    body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
  });
  if (!res.ok) throw new Error(`The rig device at ${new URL(call.url).host} answered ${res.status}.`);
}
