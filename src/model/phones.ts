// Phone numbers in E.164 through libphonenumber-js, as the library itself would give them, in about half the time
// for numbers written with a calling code that several countries share. For such a number the library first finds
// which of those countries it belongs to (25 share +1) by testing each one's number patterns, and uses the answer
// only to pick whose possible lengths apply. Where all the countries of a calling code agree on a length, the
// main country's answer is the answer: such numbers are read with metadata that lists each calling code's main
// country only. Every other number takes the library's full path. `phones.test.ts` compares the two.
import { type CountryCode, Metadata, type MetadataJson, parsePhoneNumberFromString } from "libphonenumber-js/core";
import metadata from "libphonenumber-js/min/metadata";

/** National numbers are at most 17 digits long (ITU-T E.164 with libphonenumber's margin). */
const LONGEST = 17;

/** The same metadata with each calling code filed under its main country alone. */
const byMainCountry: MetadataJson = {
  ...metadata,
  country_calling_codes: Object.fromEntries(
    Object.entries(metadata.country_calling_codes).map(([code, countries]) => [code, countries.slice(0, 1)]),
  ),
};

/** For each calling code several countries share, the lengths on which they all agree whether a number is possible. */
const agreedLengths = new Map<string, Set<number>>();
for (const [code, countries] of Object.entries(metadata.country_calling_codes)) {
  if (countries.length < 2) continue;
  const lengthsOf = countries.map((country) => {
    const plan = new Metadata(metadata);
    plan.selectNumberingPlan(country as CountryCode);
    return plan.numberingPlan?.possibleLengths();
  });
  const agreed = new Set<number>();
  for (let length = 1; length <= LONGEST; length++) {
    // No possible lengths in a country's metadata means every length is possible (as libphonenumber reads it).
    const verdicts = new Set(lengthsOf.map((lengths) => !lengths || lengths.includes(length)));
    if (verdicts.size === 1) agreed.add(length);
  }
  agreedLengths.set(code, agreed);
}

/** The number in E.164 when libphonenumber-js (min metadata) reads it as a possible number; otherwise undefined. */
export function possibleE164(raw: string, defaultCountry: string): string | undefined {
  const country = defaultCountry as CountryCode;
  if (raw.trimStart().startsWith("+")) {
    const quick = parsePhoneNumberFromString(raw, country, byMainCountry);
    const agreed = quick && agreedLengths.get(quick.countryCallingCode);
    if (quick && (!agreed || agreed.has(quick.nationalNumber.length)))
      return quick.isPossible() ? quick.number : undefined;
  }
  const parsed = parsePhoneNumberFromString(raw, country, metadata);
  return parsed?.isPossible() ? parsed.number : undefined;
}
