/** Fixed-width number fields as meters write them: `fixed(301.548, 6, 3)` → `000301.548`. */
const POW10 = [1, 10, 100, 1000, 10000, 100000];
const ZEROS = '0000000000000000';

export function fixed(value: number, intDigits: number, decimals: number): string {
  // Integer arithmetic instead of toFixed: this runs ~40 times per telegram.
  const scale = POW10[decimals] ?? 10 ** decimals;
  const scaled = value > 0 ? Math.round(value * scale) : 0;
  let digits = String(scaled);
  const width = intDigits + decimals;
  if (digits.length < width) digits = ZEROS.slice(0, width - digits.length) + digits;
  // Registers wrap like the meter's own display rather than growing wider.
  else if (digits.length > width) digits = digits.slice(digits.length - width);
  return decimals > 0 ? `${digits.slice(0, intDigits)}.${digits.slice(intDigits)}` : digits;
}

/** Integer with leading zeros: `int(5, 5)` → `00005`. */
export function int(value: number, digits: number): string {
  return fixed(Math.round(value), digits, 0);
}

/** Equipment ids are sent as the hex of their ASCII text. */
const hexCache = new Map<string, string>();

export function hexText(text: string): string {
  let hex = hexCache.get(text);
  if (hex === undefined) {
    hex = Buffer.from(text, 'latin1').toString('hex').toUpperCase();
    if (hexCache.size > 1000) hexCache.clear();
    hexCache.set(text, hex);
  }
  return hex;
}
