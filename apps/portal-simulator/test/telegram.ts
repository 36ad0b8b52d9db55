/** Builds a small Belgian telegram with a correct CRC, so CLI tests need no fixture outside the repo. */

function crc16arc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

export function belgianTelegram(): string {
  const body = [
    '/FLU5\\253769484_A',
    '',
    '0-0:96.1.4(50217)',
    '0-0:96.1.1(3153414733313031303231363035)',
    '0-0:1.0.0(250115120000W)',
    '1-0:1.8.1(000123.456*kWh)',
    '1-0:1.8.2(000234.567*kWh)',
    '1-0:2.8.1(000000.000*kWh)',
    '1-0:2.8.2(000000.000*kWh)',
    '0-0:96.14.0(0001)',
    '1-0:1.7.0(01.234*kW)',
    '1-0:2.7.0(00.000*kW)',
    '1-0:32.7.0(231.4*V)',
    '1-0:31.7.0(005.34*A)',
    '!',
  ].join('\r\n');
  const crc = crc16arc(new TextEncoder().encode(body));
  return `${body}${crc.toString(16).toUpperCase().padStart(4, '0')}\r\n`;
}
