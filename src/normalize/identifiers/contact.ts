// Normalisers for contact identifiers: e-mail addresses and phone numbers (E.164 through libphonenumber-js).
import { isSupportedCountry, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { type IdentifierInfo, type IdentifierResult, type NormalizeOptions, result } from "./common.ts";

export function normalizeEmail(raw: string): IdentifierResult | undefined {
  // The whole address is lower-cased, the local part too: RFC 5321 lets the local part be case-sensitive, but
  // practically no provider treats it so, and for matching records a missed link costs more than a rare
  // false one that an analyst reviews anyway.
  const value = raw
    .trim()
    .replace(/^mailto:/iu, "")
    .toLowerCase()
    .trim();
  if (value === "") return undefined;
  const parts = value.split("@");
  if (parts.length !== 2) return result("email", value, false, "an e-mail address has exactly one @");
  const [local = "", domain = ""] = parts;
  if (local === "" || /\s/u.test(local))
    return result("email", value, false, "the part before @ is empty or has spaces");
  const labels = domain.split(".");
  if (labels.length < 2 || labels.some((label) => label === "" || /[\s@]/u.test(label)))
    return result("email", value, false, "the domain needs a dot and no empty parts or spaces");
  return result("email", value, true);
}

export function normalizePhone(raw: string, options: NormalizeOptions = {}): IdentifierResult | undefined {
  const digits = raw.normalize("NFKC").replace(/\D/gu, "");
  if (digits === "") return undefined;
  const text = raw.normalize("NFKC");
  const cleaned = /^\s*\+/u.test(text) ? `+${digits}` : digits;
  const code = options.defaultCountry?.toUpperCase();
  const country = code && isSupportedCountry(code) ? code : undefined;
  // The cleaned digits are tried when the raw text does not parse, so that the value kept for an unparseable
  // number is one that does not parse either: canonical values must normalise to themselves.
  const parsed = parsePhoneNumberFromString(text, country) ?? parsePhoneNumberFromString(cleaned, country);
  if (!parsed) return result("phone", cleaned, false, "not a phone number libphonenumber can parse");
  const info: IdentifierInfo = {};
  if (parsed.country) info.country = parsed.country;
  const valid = parsed.isValid();
  return result("phone", parsed.number, valid, valid ? undefined : "not a valid number for its country", info);
}
