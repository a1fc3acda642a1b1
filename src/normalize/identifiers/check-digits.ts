// Check-digit algorithms of the national and international identifiers Puente compares (CURP, RFC, CLABE,
// VIN, Luhn for the Canadian SIN, ICAO 9303 MRZ, IBAN). Pure functions shared by the normalisers and by the
// demo data generator, so generated identifiers are valid under exactly the rules the normalisers apply.

/** RENAPO's CURP alphabet: a character's value is its index (Ñ sits between N and O). */
const CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";
/** SAT's RFC alphabet: & after N, then O…Z, then the padding space, then Ñ. */
const RFC_ALPHABET = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ";
/** Banxico's CLABE weights, repeated over the first 17 digits. */
const CLABE_WEIGHTS = [3, 7, 1] as const;
/** 49 CFR 565.15 transliteration of VIN letters (I, O and Q never occur in a VIN). */
const VIN_VALUES: Readonly<Record<string, number>> = {
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
/** 49 CFR 565.15 position weights; position 9 (the check digit itself) weighs 0. */
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2] as const;
/** ICAO 9303 part 3 §4.9 weights, repeated. */
const MRZ_WEIGHTS = [7, 3, 1] as const;

/** The value RENAPO gives a CURP character; characters outside the alphabet count as 0, like padding. */
export function curpCharValue(char: string): number {
  return Math.max(0, CURP_ALPHABET.indexOf(char));
}

/** RENAPO's CURP check digit (position 18) over the first 17 characters: weights 18..2, modulo 10. */
export function curpCheckDigit(first17: string): string {
  const chars = [...first17];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += curpCharValue(chars[i] ?? "0") * (18 - i);
  return String((10 - (sum % 10)) % 10);
}

/** The value SAT gives an RFC character; characters outside the alphabet count as 0. */
export function rfcCharValue(char: string): number {
  return Math.max(0, RFC_ALPHABET.indexOf(char));
}

/**
 * SAT's RFC check character over the first 12 characters of a 13-character RFC (persona física), or over the
 * first 11 of a 12-character RFC (persona moral), which SAT pads with a leading space so both weigh 13..2.
 */
export function rfcCheckDigit(first12: string): string {
  const chars = [...first12];
  if (chars.length === 11) chars.unshift(" ");
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += rfcCharValue(chars[i] ?? "0") * (13 - i);
  const digit = 11 - (sum % 11);
  if (digit === 11) return "0";
  return digit === 10 ? "A" : String(digit);
}

/** Banxico's CLABE control digit: weights 3, 7, 1 over 17 digits, each product taken modulo 10. */
export function clabeCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const digit = Number(first17[i] ?? "0");
    sum += ((Number.isInteger(digit) ? digit : 0) * (CLABE_WEIGHTS[i % 3] ?? 0)) % 10;
  }
  return String((10 - (sum % 10)) % 10);
}

/** The 49 CFR 565 transliterated value of a VIN character (digits are themselves; unknown characters 0). */
export function vinCharValue(char: string): number {
  return /^\d$/u.test(char) ? Number(char) : (VIN_VALUES[char] ?? 0);
}

/**
 * The North American VIN check digit (position 9; 49 CFR 565.15): weighted transliteration sum modulo 11,
 * remainder 10 written "X". Takes the whole 17-character VIN; position 9 weighs 0 so its content is irrelevant.
 */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += vinCharValue(vin[i] ?? "0") * (VIN_WEIGHTS[i] ?? 0);
  const remainder = sum % 11;
  return remainder === 10 ? "X" : String(remainder);
}

/** The Luhn check digit to append to a string of digits (Canadian SIN, card numbers). */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let value = Number(digits[digits.length - 1 - i]);
    if (!Number.isInteger(value)) value = 0;
    if (i % 2 === 0) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
  }
  return String((10 - (sum % 10)) % 10);
}

/** Whether a string of digits ends in its Luhn check digit. */
export function isLuhnValid(digits: string): boolean {
  return /^\d{2,}$/u.test(digits) && luhnCheckDigit(digits.slice(0, -1)) === digits.slice(-1);
}

/** The ICAO 9303 value of an MRZ character: digits as such, A=10 … Z=35, the filler "<" 0. */
export function mrzCharValue(char: string): number {
  if (/^\d$/u.test(char)) return Number(char);
  if (/^[A-Z]$/u.test(char)) return char.charCodeAt(0) - 55;
  return 0;
}

/** The ICAO 9303 check digit of an MRZ field: weights 7, 3, 1 repeating, modulo 10. */
export function mrzCheckDigit(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += mrzCharValue(text[i] ?? "<") * (MRZ_WEIGHTS[i % 3] ?? 0);
  return String(sum % 10);
}

/**
 * ISO 7064 MOD 97-10 remainder of an IBAN after moving the first four characters to the end and reading
 * letters as 10..35. Computed digit by digit so no big-integer arithmetic is needed. NaN on other characters.
 */
export function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    if (/^\d$/u.test(char)) remainder = (remainder * 10 + Number(char)) % 97;
    else if (/^[A-Z]$/u.test(char)) remainder = (remainder * 100 + char.charCodeAt(0) - 55) % 97;
    else return Number.NaN;
  }
  return remainder;
}
