// Tests that the quicker E.164 reading gives exactly what libphonenumber-js gives, on numbers under every calling
// code, of every length, written with separators, and on arbitrary text.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { getCountries, parsePhoneNumberFromString } from "libphonenumber-js";
import metadata from "libphonenumber-js/min/metadata";
import { possibleE164 } from "./phones.ts";

const CALLING_CODES = Object.keys(metadata.country_calling_codes);
const COUNTRIES = getCountries();

/** What the library gives, the full way. */
function library(raw: string, country: string): string | undefined {
  const parsed = parsePhoneNumberFromString(raw, country as (typeof COUNTRIES)[number]);
  return parsed?.isPossible() ? parsed.number : undefined;
}

test("numbers under every calling code and of every length read as the library reads them", () => {
  const written = fc
    .tuple(
      fc.constantFrom(...CALLING_CODES),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 0, maxLength: 18 }),
      fc.constantFrom("", " ", "-", ".", " (", ") "),
      fc.constantFrom("", " ", "  "),
    )
    .map(([code, digits, separator, lead]) => {
      const half = Math.floor(digits.length / 2);
      return `${lead}+${code} ${digits.slice(0, half).join("")}${separator}${digits.slice(half).join("")}`;
    });
  fc.assert(
    fc.property(written, fc.constantFrom(...COUNTRIES), (raw, country) => {
      assert.equal(possibleE164(raw, country), library(raw, country));
    }),
    { numRuns: 20_000 },
  );
});

test("arbitrary text reads as the library reads it", () => {
  fc.assert(
    fc.property(fc.string(), fc.constantFrom("US", "MX", "CA", "GT"), (raw, country) => {
      assert.equal(possibleE164(raw, country), library(raw, country));
    }),
  );
});

test("where countries sharing +1 disagree on a length, the number's own country decides", () => {
  // Seven digits are a possible Canadian number and not a possible US one; ten are possible in both.
  for (const raw of ["+1 416 555 0199", "+1 212 555 0199", "+1 555 0199", "+52 55 1234 5678", "+44 20 7946 0958"])
    assert.equal(possibleE164(raw, "US"), library(raw, "US"), raw);
  assert.equal(possibleE164("+1 416 555 0199", "MX"), "+14165550199");
  assert.equal(possibleE164("(416) 555-0199", "CA"), "+14165550199");
});
