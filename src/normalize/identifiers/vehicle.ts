// Normalisers for vehicle identifiers: the 17-character VIN (ISO 3779 / 49 CFR 565) and licence plates.
import { vinCheckDigit } from "./check-digits.ts";
import { compact, type IdentifierInfo, type IdentifierResult, type NormalizeOptions, result } from "./common.ts";

/** Letters excluded from VINs for looking like digits, and the digits they are misread for. */
const VIN_MISREAD: Readonly<Record<string, string>> = { I: "1", O: "0", Q: "0" };
/** WMI first characters assigned to North America (1, 4, 5 US; 2 Canada; 3 Mexico and others). */
const NORTH_AMERICAN_WMI = /^[1-5]/u;

export function normalizeVin(raw: string): IdentifierResult | undefined {
  const cleaned = compact(raw);
  if (cleaned === "") return undefined;
  // Mapping I/O/Q to the digits they are confused with lets a mistyped VIN still match the right vehicle.
  const value = cleaned.replace(/[IOQ]/gu, (char) => VIN_MISREAD[char] ?? char);
  const misread = value !== cleaned;
  const length = [...value].length;
  if (length !== 17) return result("vin", value, false, `a VIN has 17 characters, this has ${length}`);
  if (!/^[A-Z0-9]{17}$/u.test(value)) return result("vin", value, false, "a VIN has only letters and digits");
  if (misread) return result("vin", value, false, "a VIN never contains I, O or Q (read here as 1, 0, 0)");
  const check = vinCheckDigit(value);
  if (check === value[8]) return result("vin", value, true);
  if (NORTH_AMERICAN_WMI.test(value))
    return result("vin", value, false, `the check digit (position 9) should be ${check}`);
  return result(
    "vin",
    value,
    true,
    `the check digit does not compute, which is allowed: it is mandatory only for North American VINs`,
  );
}

export function normalizePlate(raw: string, options: NormalizeOptions = {}): IdentifierResult | undefined {
  const value = compact(raw);
  if (value === "") return undefined;
  const info: IdentifierInfo = {};
  const jurisdiction = options.jurisdiction?.trim().toUpperCase();
  if (jurisdiction) info.jurisdiction = jurisdiction;
  if (!/^[A-Z0-9]{2,10}$/u.test(value))
    return result("plate", value, false, "a licence plate has 2 to 10 letters and digits", info);
  return result("plate", value, true, undefined, info);
}
