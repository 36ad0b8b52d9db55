/**
 * CRC-16/ARC (poly 0x8005 reflected = 0xA001, init 0, no final XOR), sliced by 8: eight independent
 * table look-ups per 8 bytes instead of a chain of eight, since the CRC runs over every byte of every telegram.
 */
const TABLES = (() => {
  const t = Array.from({ length: 8 }, () => new Uint16Array(256));
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    (t[0] as Uint16Array)[i] = c;
  }
  const t0 = t[0] as Uint16Array;
  for (let i = 0; i < 256; i++) {
    for (let s = 1; s < 8; s++) {
      const prev = (t[s - 1] as Uint16Array)[i] as number;
      (t[s] as Uint16Array)[i] = (prev >>> 8) ^ (t0[prev & 0xff] as number);
    }
  }
  return t as [Uint16Array, Uint16Array, Uint16Array, Uint16Array, Uint16Array, Uint16Array, Uint16Array, Uint16Array];
})();
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES;

/** CRC over bytes[start, end). */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const a = (crc ^ (bytes[i] as number)) & 0xff;
    const b = ((crc >>> 8) ^ (bytes[i + 1] as number)) & 0xff;
    crc =
      (T7[a] as number) ^
      (T6[b] as number) ^
      (T5[bytes[i + 2] as number] as number) ^
      (T4[bytes[i + 3] as number] as number) ^
      (T3[bytes[i + 4] as number] as number) ^
      (T2[bytes[i + 5] as number] as number) ^
      (T1[bytes[i + 6] as number] as number) ^
      (T0[bytes[i + 7] as number] as number);
  }
  for (; i < end; i++) crc = (crc >>> 8) ^ (T0[(crc ^ (bytes[i] as number)) & 0xff] as number);
  return crc;
}

/** The four upper-case hex digits a meter writes after '!'. */
export function crcHex(crc: number): string {
  return crc.toString(16).toUpperCase().padStart(4, '0');
}
