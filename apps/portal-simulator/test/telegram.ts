/** A small Belgian telegram with a correct CRC, so CLI tests need no fixture file. */
import { encodeTelegram, OBIS } from '@p1/dsmr';

export function belgianTelegram(): string {
  const bytes = encodeTelegram({
    header: 'FLU5\\253769484_A',
    lines: [
      `${OBIS.P1_VERSION_BE}(50217)`,
      `${OBIS.EQUIPMENT_ID}(3153414733313031303231363035)`,
      `${OBIS.TIMESTAMP}(250115120000W)`,
      `${OBIS.ENERGY_IMPORT_T1}(000123.456*kWh)`,
      `${OBIS.ENERGY_IMPORT_T2}(000234.567*kWh)`,
      `${OBIS.ENERGY_EXPORT_T1}(000000.000*kWh)`,
      `${OBIS.ENERGY_EXPORT_T2}(000000.000*kWh)`,
      `${OBIS.TARIFF}(0001)`,
      `${OBIS.POWER_IMPORT}(01.234*kW)`,
      `${OBIS.POWER_EXPORT}(00.000*kW)`,
      `${OBIS.VOLTAGE_L1}(231.4*V)`,
      `${OBIS.CURRENT_L1}(005.34*A)`,
    ],
  });
  return Buffer.from(bytes).toString('latin1');
}
