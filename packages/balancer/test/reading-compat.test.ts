import type { Reading } from '@p1/dsmr';
import { parseTelegram } from '@p1/dsmr';
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
      '0-0:96.1.4(50217)',
      '0-0:1.0.0(250115180000W)',
      '1-0:1.7.0(04.600*kW)',
      '1-0:2.7.0(00.000*kW)',
      '1-0:21.7.0(02.300*kW)',
      '1-0:41.7.0(01.150*kW)',
      '1-0:61.7.0(01.150*kW)',
      '1-0:22.7.0(00.000*kW)',
      '1-0:42.7.0(00.000*kW)',
      '1-0:62.7.0(00.000*kW)',
      '1-0:32.7.0(230.0*V)',
      '1-0:52.7.0(230.0*V)',
      '1-0:72.7.0(230.0*V)',
      '1-0:31.7.0(020.00*A)',
      '1-0:51.7.0(005.00*A)',
      '1-0:71.7.0(005.00*A)',
      '1-0:1.4.0(01.000*kW)',
      '!',
    ].join('\r\n');
    const reading = parseTelegram(body);
    expect(reading.timestamp).toBe('2025-01-15T18:00:00+01:00');
    const b = createBalancer({ site: { connection: '3N400', fuseA: 25 }, margins: { fuseA: 1 } });
    const d = b.step(step(T0, accepts(reading), [input(charger(), 0)]));
    // L1 carries 20 A of house load: 25 − 1 − 20 = 4 A, under the 6 A minimum.
    expect(d.chargers[0]).toMatchObject({ limitA: 0, reason: 'L1 fuse' });
    expect(d.quarter.quarterStart).toBe('2025-01-15T18:00:00+01:00');
  });
});
