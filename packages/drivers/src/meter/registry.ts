/**
 * One factory for every meter source, chosen by configuration (`meter.source`); each driver module
 * is loaded only when used, so a Raspberry Pi without serial hardware never loads serialport.
 */
import type { HttpMeterConfig } from './http-source';
import type { MeterSource } from './meter-source';
import type { ReplayMeterConfig } from './replay-source';
import type { SerialMeterConfig } from './serial-source';
import type { StreamMeterConfig } from './stream-source';
import type { TcpMeterConfig } from './tcp-source';

export type MeterSourceConfig =
  | SerialMeterConfig
  | TcpMeterConfig
  | ReplayMeterConfig
  | HttpMeterConfig
  | StreamMeterConfig;
export type MeterSourceKind = MeterSourceConfig['source'];

export const METER_SOURCE_KINDS: readonly MeterSourceKind[] = ['serial', 'tcp', 'replay', 'http', 'stream'];

/** Creates (does not start) the source the configuration names. */
export async function createMeterSource(config: MeterSourceConfig): Promise<MeterSource> {
  switch (config.source) {
    case 'serial':
      return new (await import('./serial-source')).SerialMeterSource(config);
    case 'tcp':
      return new (await import('./tcp-source')).TcpMeterSource(config);
    case 'replay':
      return new (await import('./replay-source')).ReplayMeterSource(config);
    case 'http':
      return new (await import('./http-source')).HttpMeterSource(config);
    case 'stream':
      return new (await import('./stream-source')).StreamMeterSource(config);
    default: {
      const source = (config as { source?: unknown }).source;
      throw new RangeError(`meter.source "${String(source)}" is not one of ${METER_SOURCE_KINDS.join(', ')}`);
    }
  }
}
