import type { Reading } from '@p1/dsmr';
import { OBIS, parseTelegram } from '@p1/dsmr';
import { describe, expect, it } from 'vitest';
import { createBalancer, type MeterSnapshot } from '../src/index';
import { charger, input, step, T0 } from './helpers';

/** Compile-time check: every parsed Reading is a MeterSnapshot the balancer accepts. */
const accepts = (r: Reading): MeterSnapshot => r;

describe('a parsed telegram drives the balancer', () => {
  it('takes a Reading from @p1/dsmr as is', () => {
    const body = [
      '/FLU5\\253769484_A',
      '',
      `${OBIS.P1_VERSION_BE}(50217)`,
      `${OBIS.TIMESTAMP}(250115180000W)`,
      `${OBIS.POWER_IMPORT}(04.600*kW)`,
      `${OBIS.POWER_EXPORT}(00.000*kW)`,
      `${OBIS.POWER_IMPORT_L1}(02.300*kW)`,
      `${OBIS.POWER_IMPORT_L2}(01.150*kW)`,
      `${OBIS.POWER_IMPORT_L3}(01.150*kW)`,
      `${OBIS.POWER_EXPORT_L1}(00.000*kW)`,
      `${OBIS.POWER_EXPORT_L2}(00.000*kW)`,
      `${OBIS.POWER_EXPORT_L3}(00.000*kW)`,
      `${OBIS.VOLTAGE_L1}(230.0*V)`,
      `${OBIS.VOLTAGE_L2}(230.0*V)`,
      `${OBIS.VOLTAGE_L3}(230.0*V)`,
      `${OBIS.CURRENT_L1}(020.00*A)`,
      `${OBIS.CURRENT_L2}(005.00*A)`,
      `${OBIS.CURRENT_L3}(005.00*A)`,
      `${OBIS.QUARTER_AVERAGE}(01.000*kW)`,
      '!',
    ].join('\r\n');
    const reading = parseTelegram(body);
    expect(reading.timestamp).toBe('2025-01-15T18:00:00+01:00');
    const b = createBalancer({ site: { connection: '3N400', fuseA: 25 }, margins: { fuseA: 1, unseenStepKw: 0 } });
    const d = b.step(step(T0, accepts(reading), [input(charger(), 0)]));
    // L1 carries 20 A of house load: 25 − 1 − 20 = 4 A, under the 6 A minimum.
    expect(d.chargers[0]).toMatchObject({ limitA: 0, reason: 'L1 fuse' });
    expect(d.quarter.quarterStart).toBe('2025-01-15T18:00:00+01:00');
  });
});
