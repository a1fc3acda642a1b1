// Normalisers for the US Social Security Number and the Canadian Social Insurance Number.
import { isLuhnValid } from "./check-digits.ts";
import { compact, type IdentifierResult, result } from "./common.ts";

/** SIN first digits never issued: 0 is unassigned and 8 is reserved for business numbers. */
const SIN_UNISSUED_FIRST_DIGITS: ReadonlySet<string> = new Set(["0", "8"]);

export function normalizeSsn(raw: string): IdentifierResult | undefined {
  const value = compact(raw);
  if (value === "") return undefined;
  if (!/^\d{9}$/u.test(value)) return result("ssn", value, false, "an SSN has 9 digits");
  const area = Number(value.slice(0, 3));
  // SSA never issues area 000, 666 or 900–999 (the last are ITINs and advertising numbers).
  if (area === 0 || area === 666 || area >= 900)
    return result("ssn", value, false, `area number ${value.slice(0, 3)} is never issued`);
  if (value.slice(3, 5) === "00") return result("ssn", value, false, "group number 00 is never issued");
  if (value.slice(5) === "0000") return result("ssn", value, false, "serial number 0000 is never issued");
  return result("ssn", value, true, undefined, { country: "US" });
}

export function normalizeSin(raw: string): IdentifierResult | undefined {
  const value = compact(raw);
  if (value === "") return undefined;
  if (!/^\d{9}$/u.test(value)) return result("sin", value, false, "a SIN has 9 digits");
  if (SIN_UNISSUED_FIRST_DIGITS.has(value[0] ?? ""))
    return result("sin", value, false, `no SIN is issued starting with ${value[0]}`);
  if (!isLuhnValid(value)) return result("sin", value, false, "the Luhn check digit does not match");
  return result("sin", value, true, undefined, { country: "CA" });
}
