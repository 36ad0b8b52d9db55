import type { MeterSourceConfig } from '@p1/drivers';
import type { MeterConfig } from '../config/schema';
import type { EmbeddedMeter } from './embedded-meter';

/** The drivers' meter configuration for one of ours; the simulator is read the way the embedded meter offers. */
export function driverMeterConfig(m: MeterConfig, embedded: EmbeddedMeter | null): MeterSourceConfig {
  const smarty = m.smartyKey ? { smartyKey: m.smartyKey } : {};
  switch (m.source) {
    case 'serial':
      return { source: 'serial', device: m.device as string, baud: m.baud, ...smarty };
    case 'simulator':
      return { ...(embedded as EmbeddedMeter).source, ...smarty };
    case 'tcp':
      return { source: 'tcp', host: m.host, port: m.port, ...smarty };
    case 'replay':
      return { source: 'replay', file: m.file as string, speed: m.speed, loop: true, ...smarty };
    case 'http':
      return { source: 'http', url: m.url as string, ...smarty };
  }
}
