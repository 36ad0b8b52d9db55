/**
 * Belgian electricity EAN codes (GSRN): 18 digits, starting with 54, the last one a GS1 mod-10
 * check digit. Owners copy them from invoices and meter stickers, so spaces and dots are accepted.
 */

export type EanProblem = 'empty' | 'characters' | 'length' | 'prefix' | 'check-digit';

export interface EanValidation {
  valid: boolean;
  /** One English sentence for logs and the `p1 ean` contract; null when valid. */
  reason: string | null;
  /** Machine-readable cause, for translated messages; null when valid. */
  problem: EanProblem | null;
  /** The digits only (separators removed); null when the input holds other characters. */
  normalized: string | null;
}

export const EAN_LENGTH = 18;
export const EAN_PREFIX = '54';

/** The GS1 check digit of a digit string: weights 3 and 1 alternate, starting with 3 at the right. */
export function gs1CheckDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    const digit = payload.charCodeAt(payload.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

function invalid(problem: EanProblem, reason: string, normalized: string | null): EanValidation {
  return { valid: false, reason, problem, normalized };
}

export function validateEan(input: string): EanValidation {
  const normalized = input.trim().replace(/[\s.]/g, '');
  if (normalized === '') return invalid('empty', 'the EAN code is empty', null);
  if (!/^\d+$/.test(normalized)) {
    return invalid('characters', 'the EAN code may contain only digits, spaces and dots', null);
  }
  if (normalized.length !== EAN_LENGTH) {
    return invalid('length', `the EAN code has ${normalized.length} digits, expected ${EAN_LENGTH}`, normalized);
  }
  if (!normalized.startsWith(EAN_PREFIX)) {
    return invalid(
      'prefix',
      `a Belgian EAN code starts with ${EAN_PREFIX}, this one with ${normalized.slice(0, 2)}`,
      normalized,
    );
  }
  const expected = gs1CheckDigit(normalized.slice(0, -1));
  const actual = Number(normalized.slice(-1));
  if (actual !== expected) {
    return invalid(
      'check-digit',
      `the check digit is ${actual} but should be ${expected}: a digit is mistyped`,
      normalized,
    );
  }
  return { valid: true, reason: null, problem: null, normalized };
}

/** Builds a valid EAN from its first 17 digits (for tests and the simulated portal's meter list). */
export function completeEan(first17: string): string {
  return first17 + String(gs1CheckDigit(first17));
}

/** Groups the digits as printed on invoices: 5414 4567 8901 2345 67 → easier to compare by eye. */
export function formatEan(normalized: string): string {
  return normalized.replace(/(\d{4})(?=\d)/g, '$1 ');
}

export type EanTypingState = 'empty' | 'typing' | 'valid' | EanProblem;

/**
 * Feedback while the code is being typed, before it is complete: flags a wrong character or prefix
 * at once, counts digits, and judges the check digit only at 18 digits.
 */
export function eanWhileTyping(partial: string): { state: EanTypingState; digits: number } {
  const digitsOnly = partial.replace(/[\s.]/g, '');
  const digits = digitsOnly.length;
  if (digits === 0) return { state: 'empty', digits };
  if (!/^\d+$/.test(digitsOnly)) return { state: 'characters', digits };
  if (!EAN_PREFIX.startsWith(digitsOnly.slice(0, 2)) || (digits >= 2 && !digitsOnly.startsWith(EAN_PREFIX))) {
    return { state: 'prefix', digits };
  }
  if (digits < EAN_LENGTH) return { state: 'typing', digits };
  if (digits > EAN_LENGTH) return { state: 'length', digits };
  return { state: validateEan(digitsOnly).valid ? 'valid' : 'check-digit', digits };
}
