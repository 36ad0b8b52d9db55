import type { MeterSourceConfig } from '@p1/drivers';
import type { MeterConfig } from '../config/schema';

/** The drivers' meter configuration for one of ours; `device` overrides for the embedded serial pair. */
export function driverMeterConfig(m: MeterConfig, embeddedDevice: string | null): MeterSourceConfig {
  const smarty = m.smartyKey ? { smartyKey: m.smartyKey } : {};
  switch (m.source) {
    case 'serial':
      return { source: 'serial', device: m.device as string, baud: m.baud, ...smarty };
    case 'simulator':
      return { source: 'serial', device: embeddedDevice as string, baud: 115200, ...smarty };
    case 'tcp':
      return { source: 'tcp', host: m.host, port: m.port, ...smarty };
    case 'replay':
      return { source: 'replay', file: m.file as string, speed: m.speed, loop: true, ...smarty };
    case 'http':
      return { source: 'http', url: m.url as string, ...smarty };
  }
}
