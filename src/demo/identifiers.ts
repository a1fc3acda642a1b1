// Check-digit algorithms for the national identifiers the synthetic data generates (CURP, RFC, CLABE, VIN, SIN),
// so demo records carry identifiers that are structurally valid, as real records do.

const CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";

/** RENAPO's CURP check digit (position 18) over the first 17 characters. */
export function curpCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CURP_ALPHABET.indexOf(first17[i] ?? "0") * (18 - i);
  return String((10 - (sum % 10)) % 10);
}

const RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";

/** SAT's RFC check character (the last one) for a 13-character RFC of a natural person. */
export function rfcCheckDigit(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += RFC_ALPHABET.indexOf(first12[i] ?? "0") * (13 - i);
  const remainder = sum % 11;
  if (remainder === 0) return "0";
  const digit = 11 - remainder;
  return digit === 10 ? "A" : String(digit);
}

/** Banxico's CLABE control digit: weights 3, 7, 1 over 17 digits, each product taken modulo 10. */
export function clabeCheckDigit(first17: string): string {
  const weights = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (Number(first17[i]) * (weights[i % 3] as number)) % 10;
  return String((10 - (sum % 10)) % 10);
}

const VIN_VALUES: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** The North American VIN check digit (position 9; 49 CFR 565.15): weighted transliteration sum modulo 11. */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const char = vin[i] ?? "0";
    const value = /\d/u.test(char) ? Number(char) : (VIN_VALUES[char] ?? 0);
    sum += value * (VIN_WEIGHTS[i] as number);
  }
  const remainder = sum % 11;
  return remainder === 10 ? "X" : String(remainder);
}

/** The Luhn check digit to append to a string of digits (Canadian SIN, card numbers). */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let value = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return String((10 - (sum % 10)) % 10);
}

export function isLuhnValid(digits: string): boolean {
  return luhnCheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}
