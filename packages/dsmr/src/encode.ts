import { crc16, crcHex } from './crc16';

export interface TelegramSource {
  /** Identification line without the leading '/', e.g. `FLU5\253769484_A`. */
  header: string;
  /** OBIS lines without line ending, e.g. `1-0:1.8.1(004512.871*kWh)`. */
  lines: readonly string[];
  /** Append the CRC-16 after '!' (DSMR 4+ and e-MUCS); DSMR 2.2/3 send none. Default true. */
  crc?: boolean;
}

const EOL = '\r\n';

/** Builds the bytes of one telegram as the meter sends it: header, empty line, lines, '!' + CRC. */
export function encodeTelegram(source: TelegramSource): Uint8Array {
  const body = `/${source.header}${EOL}${EOL}${source.lines.join(EOL)}${EOL}!`;
  const bytes = Buffer.from(body, 'latin1');
  if (source.crc === false) return Buffer.concat([bytes, Buffer.from(EOL, 'latin1')]);
  const tail = Buffer.from(`${crcHex(crc16(bytes))}${EOL}`, 'latin1');
  return Buffer.concat([bytes, tail]);
}
