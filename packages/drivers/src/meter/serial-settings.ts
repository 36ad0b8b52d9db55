/** P1 line settings: DSMR 4+/e-MUCS 115200 8N1; DSMR 2.2/3 9600 7E1. */
export function serialSettings(baud: number): { dataBits: 7 | 8; parity: 'none' | 'even' } {
  return baud === 9600 ? { dataBits: 7, parity: 'even' } : { dataBits: 8, parity: 'none' };
}
