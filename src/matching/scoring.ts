// Scores a pair of prepared records: each feature (names, birth date, identifiers, contacts, address, gender,
// nationality) gives its outcome a weight in log-odds, their sum with a prior goes through a logistic to [0,1], and
// the score keeps every feature's outcome and weight as its explanation. One configuration for all data.

import { IDENTIFIER_KINDS } from "../normalize/identifiers.ts";
import { isKnownGivenName } from "../normalize/names.ts";
import type { BirthDate, PreparedName, PreparedRecord } from "./prepare.ts";
import { damerauLevenshtein, jaroWinkler } from "./similarity.ts";

export type Band = "match" | "possible" | "no-match";

export interface FeatureOutcome {
  feature: string;
  outcome: string;
  weight: number;
}

export interface PairScore {
  score: number;
  band: Band;
  explanation: FeatureOutcome[];
}

/** Log-odds weights for every feature outcome, in one place so they can be reviewed and tuned together. */
export const WEIGHTS = {
  prior: -7,
  identifier: { same: 9, sameUnchecked: 5, differentValid: -8, typo: 3, different: -1.5 },
  family: { same: 5, subset: 4, close: 3, secondDiffers: -2, sharesOne: 0, similar: 0.5, different: -5, changed: -2.5 },
  given: { same: 4.5, variant: 4, close: 3, initial: 1.5, partial: 2, different: -6.5, differentKnown: -8 },
  swappedNames: 3.5,
  /** One name entered in the other's field ("Lavis Henry" for "Jordan Lavis"), the other name different. */
  nameInOtherField: -1,
  birth: { same: 5.5, sameYearMonth: 1, swapped: 3, typo: 2, yearOff: 1.5, sameYear: 1, different: -7 },
  /** Phone, address and postal code are shared by a household: together they say little about which member. */
  householdCap: 4,
  gender: { same: 0.3, different: -4 },
  phone: { same: 5 },
  email: { same: 6 },
  address: { same: 3, similar: 1.5, different: -0.5 },
  postalCode: { same: 1.5 },
  nationality: { different: -0.5 },
} as const;

export const BANDS = { match: 0.85, possible: 0.5 } as const;

/** The log-odds a pair without a birth date or identifier that agrees is held to: just under the match band. */
const CAP_LOGIT = Math.log(BANDS.match / (1 - BANDS.match)) - 0.01;
const logistic = (logit: number) => 1 / (1 + Math.exp(-logit));
/** The score of such a capped pair. */
export const CAPPED_SCORE = logistic(CAP_LOGIT);
const CAP = { feature: "evidence", outcome: "no birth date or identifier agrees" } as const;

const HOUSEHOLD = new Set(["phone", "address", "postal code"]);
// Identifier features that identify a person (an e-mail counts too; a phone may be a household's).
const IDENTIFIERS = new Set<string>([...IDENTIFIER_KINDS.filter((kind) => kind !== "phone"), "id"]);

const CLOSE = 0.93;
const SIMILAR = 0.85;

/** Whether two texts are the same once spaces are left out ("de la cruz" and "delacruz"), without copying them. */
function sameIgnoringSpaces(x: string, y: string): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < x.length && x.charCodeAt(i) === 32) i++;
    while (j < y.length && y.charCodeAt(j) === 32) j++;
    if (i === x.length || j === y.length) return i === x.length && j === y.length;
    if (x.charCodeAt(i++) !== y.charCodeAt(j++)) return false;
  }
}

function familyOutcome(a: PreparedName, b: PreparedName): [string, number] {
  if (a.family.length === 0 || b.family.length === 0) return ["missing", 0];
  const w = WEIGHTS.family;
  const joinedA = a.familyJoined;
  const joinedB = b.familyJoined;
  if (joinedA === joinedB || sameIgnoringSpaces(joinedA, joinedB)) return ["same", w.same];
  const [shorter, longer] = a.family.length <= b.family.length ? [a, b] : [b, a];
  // A maternal surname dropped or filed elsewhere leaves the other surname(s) intact.
  if (
    shorter.family.every(
      (token, i) => longer.family.includes(token) || longer.familyPhonetic.includes(shorter.familyPhonetic[i] ?? ""),
    )
  )
    return ["one surname missing", w.subset];
  // The first surname (paternal in Spanish use) carries the identity; sharing only another one is what cousins do.
  const firstA = a.family[0] as string;
  const firstB = b.family[0] as string;
  const firstClose =
    jaroWinkler(firstA, firstB) >= CLOSE ||
    a.familyPhonetic[0] === b.familyPhonetic[0] ||
    damerauLevenshtein(firstA, firstB, 1) <= 1;
  if (firstClose) {
    // Both give a second surname and they differ: cousins share a paternal surname, not a maternal one.
    const secondA = a.family[1];
    const secondB = b.family[1];
    if (secondA && secondB && jaroWinkler(secondA, secondB) < CLOSE && a.familyPhonetic[1] !== b.familyPhonetic[1])
      return ["first surname same, second differs", w.secondDiffers];
    return ["close spelling", w.close];
  }
  const joinedSimilarity = jaroWinkler(joinedA, joinedB);
  if (joinedSimilarity >= CLOSE) return ["close spelling", w.close];
  const shared =
    a.family.some((x) => b.family.includes(x)) || a.familyPhonetic.some((key) => b.familyPhonetic.includes(key));
  if (shared) return ["shares one surname", w.sharesOne];
  if (joinedSimilarity >= SIMILAR) return ["similar", w.similar];
  return ["different", w.different];
}

function sharesVariant(x: readonly string[] | undefined, y: readonly string[] | undefined): boolean {
  if (!x || !y) return false;
  for (const variant of x) if (y.includes(variant)) return true;
  return false;
}

/** Digit `i` (0–3) of a date's month and day written MMDD. */
function monthDayDigit(d: BirthDate, i: number): number {
  const part = i < 2 ? (d.month as number) : (d.day as number);
  return i % 2 === 0 ? Math.floor(part / 10) : part % 10;
}

/**
 * Whether two dates' MMDD differ by at most one mistyped digit or two neighbouring digits swapped (a Damerau-
 * Levenshtein distance of at most 1 between equal-length texts), without writing them out: this runs for every
 * candidate a search considers.
 */
function monthDayWithinOneTypo(a: BirthDate, b: BirthDate): boolean {
  let first = -1;
  let second = -1;
  for (let i = 0; i < 4; i++)
    if (monthDayDigit(a, i) !== monthDayDigit(b, i)) {
      if (first === -1) first = i;
      else if (second === -1) second = i;
      else return false;
    }
  if (second === -1) return true;
  return (
    second === first + 1 &&
    monthDayDigit(a, first) === monthDayDigit(b, second) &&
    monthDayDigit(a, second) === monthDayDigit(b, first)
  );
}

function givenOutcome(a: PreparedName, b: PreparedName): [string, number] {
  const w = WEIGHTS.given;
  if (a.given.length === 0 || b.given.length === 0) {
    const initialsA = a.initials.concat(a.given.map((g) => g[0] ?? ""));
    const initialsB = b.initials.concat(b.given.map((g) => g[0] ?? ""));
    if (initialsA.length === 0 || initialsB.length === 0) return ["missing", 0];
    return initialsA.some((i) => initialsB.includes(i))
      ? ["initial agrees", w.initial]
      : ["initials differ", w.different / 2];
  }
  // A space typed inside a name ("jac ob") splits one token in two.
  if (a.given.length !== b.given.length && a.given.join("") === b.given.join("")) return ["same", w.same];
  if (a.given[0] === b.given[0]) {
    // "Louis-Philippe" and "Louis Hugo" share only their first part; brothers are often named so.
    const secondA = a.given[1];
    const secondB = b.given[1];
    if (secondA && secondB && secondA !== secondB && isKnownGivenName(secondA) && isKnownGivenName(secondB))
      return ["first given name same, second differs", w.initial];
    return ["same", w.same];
  }
  if (sharesVariant(a.givenVariants[0], b.givenVariants[0])) return ["nickname or variant", w.variant];
  const top = jaroWinkler(a.given[0] as string, b.given[0] as string);
  if (top >= CLOSE || damerauLevenshtein(a.given[0] as string, b.given[0] as string, 1) <= 1)
    return ["close spelling", w.close];
  // Compound given names: a person filed as "José Luis" may go by "Luis".
  const anyShared = a.givenVariants.some((x) => b.givenVariants.some((y) => sharesVariant(x, y)));
  if (anyShared) return ["shares a given name", w.partial];
  const initialsB = new Set(b.initials);
  if (a.given.some((g) => initialsB.has(g[0] ?? ""))) return ["initial agrees", w.initial];
  // Two different real names (not a typo of one): siblings and twins look like this.
  if (isKnownGivenName(a.given[0] as string) && isKnownGivenName(b.given[0] as string))
    return ["different names", w.differentKnown];
  return ["different", w.different];
}

/** Whether two name forms are one name: the same, or one keystroke apart (a typo made on the way). */
function sameNameForm(x: string, y: string): boolean {
  return x === y || (Math.min(x.length, y.length) >= 4 && damerauLevenshtein(x, y, 1) <= 1);
}

/** Whether `form` is one of `y`'s family names, or all of them run together. */
function isFamilyForm(form: string, y: PreparedName): boolean {
  for (const family of y.family) if (sameNameForm(form, family)) return true;
  return y.family.length > 1 && sameNameForm(form, y.family.join(""));
}

/**
 * Whether a given name of `x`, or all of them run together ("nguy en"), is a family name of `y` (particles aside:
 * "van groesen" files as "groesen"). Runs for every candidate whose names disagree: no arrays are made.
 */
function givenFiledAsFamily(x: PreparedName, y: PreparedName): boolean {
  if (x.given.length === 0 || y.family.length === 0) return false;
  for (const given of x.given) if (isFamilyForm(given, y)) return true;
  return x.given.length > 1 && isFamilyForm(x.given.join(""), y);
}

/** Whether one name's given names are the other's family names and the other way round ("Lopez Juan"). */
function crossedNames(x: PreparedName, y: PreparedName): boolean {
  return givenFiledAsFamily(x, y) && givenFiledAsFamily(y, x);
}

/**
 * The most names and gender can add to a pair of records with one name each once their family names are compared:
 * the family outcome with the best given outcome, or a swap of the two fields where the names allow one.
 */
function namesCeiling(x: PreparedName, y: PreparedName): number {
  const [, outcome] = familyOutcome(x, y);
  // A different family name may yet count as a changed one (see scorePair).
  const family = outcome === WEIGHTS.family.different ? WEIGHTS.family.changed : outcome;
  const swapped = WEIGHTS.swappedNames * 2;
  const best = family + WEIGHTS.given.same;
  return (best >= swapped || !crossedNames(x, y) ? best : swapped) + WEIGHTS.gender.same;
}

function namesOutcome(a: PreparedRecord, b: PreparedRecord): FeatureOutcome[] {
  if (a.names.length === 0 || b.names.length === 0) return [{ feature: "name", outcome: "missing", weight: 0 }];
  let bestPair: FeatureOutcome[] = [];
  let bestTotal = Number.NEGATIVE_INFINITY;
  for (const x of a.names)
    for (const y of b.names) {
      const [familyText, family] = familyOutcome(x, y);
      const [givenText, given] = givenOutcome(x, y);
      let outcomes: FeatureOutcome[] = [
        { feature: "family name", outcome: familyText, weight: family },
        { feature: "given name", outcome: givenText, weight: given },
      ];
      // Given and family names entered in each other's fields, or one of them in the other's; the latter only when
      // both fields disagree: a maternal surname filed as a middle name is not a moved name.
      if (family + given < 0) {
        const xToY = givenFiledAsFamily(x, y);
        const yToX = givenFiledAsFamily(y, x);
        if (xToY && yToX)
          outcomes = [{ feature: "name", outcome: "given and family swapped", weight: WEIGHTS.swappedNames * 2 }];
        else if ((xToY || yToX) && family < 0 && given < 0)
          outcomes = [
            {
              feature: "name",
              outcome: "one name in the other field, the other differs",
              weight: WEIGHTS.nameInOtherField,
            },
          ];
      }
      const total = outcomes.reduce((sum, o) => sum + o.weight, 0);
      if (total > bestTotal) {
        bestTotal = total;
        bestPair = outcomes;
      }
    }
  return bestPair;
}

/** The outcomes of two birth dates with their weights, made once: a pair's test returns one of them. */
const BIRTH_OUTCOMES = {
  missing: ["missing", 0],
  sameYearPartial: ["same year (partial date)", WEIGHTS.birth.sameYear],
  differentYear: ["different year", WEIGHTS.birth.different / 2],
  same: ["same", WEIGHTS.birth.same],
  swapped: ["day and month swapped", WEIGHTS.birth.swapped],
  typo: ["one digit differs", WEIGHTS.birth.typo],
  lastDigit: ["year's last digit differs", WEIGHTS.birth.yearOff],
  yearOff: ["year off by one", WEIGHTS.birth.yearOff],
  sameYearMonth: ["same year and month", WEIGHTS.birth.sameYearMonth],
  different: ["different", WEIGHTS.birth.different],
} as const satisfies Record<string, readonly [string, number]>;

function birthOutcome(a: BirthDate | undefined, b: BirthDate | undefined): readonly [string, number] {
  const o = BIRTH_OUTCOMES;
  if (!a || !b) return o.missing;
  if (a.month === undefined || b.month === undefined || a.day === undefined || b.day === undefined)
    return a.year === b.year ? o.sameYearPartial : o.differentYear;
  if (a.year === b.year && a.month === b.month && a.day === b.day) return o.same;
  if (a.year === b.year && a.month === b.day && a.day === b.month) return o.swapped;
  // One mistyped digit of day or month, or of the year's last digit; a decade apart is another person (a namesake
  // father or son), not a typo.
  if (a.year === b.year && monthDayWithinOneTypo(a, b)) return o.typo;
  if (
    a.month === b.month &&
    a.day === b.day &&
    Math.abs(a.year - b.year) < 10 &&
    a.year % 10 !== b.year % 10 &&
    Math.abs(a.year - b.year) > 1
  )
    return o.lastDigit;
  if (a.month === b.month && a.day === b.day && Math.abs(a.year - b.year) === 1) return o.yearOff;
  if (a.year === b.year && a.month === b.month) return o.sameYearMonth;
  return o.different;
}

/**
 * Whether an identifier no check digit vouches for is still unlikely to agree by chance: seven characters or more, not
 * a placeholder such as "0000000" or "1212121". A check digit guards against typos, not coincidence: an exact
 * agreement on such a code is as telling as on a checked one.
 */
function isDistinctive(value: string): boolean {
  return value.length >= 7 && new Set(value).size >= 4;
}

function identifierOutcomes(a: PreparedRecord, b: PreparedRecord): FeatureOutcome[] {
  const w = WEIGHTS.identifier;
  const outcomes: FeatureOutcome[] = [];
  for (const [kind, left] of a.identifiers) {
    const right = b.identifiers.get(kind);
    if (!right) continue;
    const same = left.find((x) => right.some((y) => y.value === x.value));
    if (same)
      outcomes.push({
        feature: kind,
        outcome: "same",
        weight: same.valid || isDistinctive(same.value) ? w.same : w.sameUnchecked,
      });
    else if (left.some((x) => x.valid) && right.some((y) => y.valid))
      // Two valid identifiers of the same kind that differ: two different people, or an error worth a look.
      outcomes.push({ feature: kind, outcome: "different valid identifiers", weight: w.differentValid });
    else if (
      left.some((x) => right.some((y) => isDistinctive(x.value) && damerauLevenshtein(x.value, y.value, 1) <= 1))
    )
      // No check digit says either is wrong, and a long code one keystroke from another is rarely a stranger's.
      outcomes.push({ feature: kind, outcome: "one character apart", weight: w.typo });
    else outcomes.push({ feature: kind, outcome: "different", weight: w.different });
  }
  return outcomes;
}

function addressOutcome(a: PreparedRecord, b: PreparedRecord): FeatureOutcome[] {
  const outcomes: FeatureOutcome[] = [];
  if (a.addressTokens.length > 0 && b.addressTokens.length > 0) {
    const tokensB = new Set(b.addressTokens);
    // A token counts as shared when spelt the same or one keystroke apart ("baseby lace" for "baseby place").
    const shared = a.addressTokens.filter(
      (token) =>
        tokensB.has(token) ||
        (token.length >= 4 && b.addressTokens.some((other) => damerauLevenshtein(token, other, 1) <= 1)),
    ).length;
    const ratio = shared / Math.max(a.addressTokens.length, b.addressTokens.length);
    // Neighbours share a street: the house numbers must agree before an address says anything.
    const numbersA = a.addressTokens.filter((token) => /^\d/u.test(token));
    const numbersB = b.addressTokens.filter((token) => /^\d/u.test(token));
    const numbersDiffer = numbersA.length > 0 && numbersB.length > 0 && !numbersA.some((n) => numbersB.includes(n));
    const w = WEIGHTS.address;
    outcomes.push(
      numbersDiffer
        ? { feature: "address", outcome: "different", weight: w.different }
        : ratio >= 0.8
          ? { feature: "address", outcome: "same", weight: w.same }
          : ratio >= 0.4
            ? { feature: "address", outcome: "similar", weight: w.similar }
            : { feature: "address", outcome: "different", weight: w.different },
    );
  }
  if (a.postalCode && b.postalCode && a.postalCode === b.postalCode)
    outcomes.push({ feature: "postal code", outcome: "same", weight: WEIGHTS.postalCode.same });
  return outcomes;
}

/** The most a pair can gain from names and gender, the features every pair has. */
const MAX_NAMES = WEIGHTS.family.same + WEIGHTS.given.same + WEIGHTS.gender.same;

// What a record holds beyond names and birth date that could add to a pair's score, as bits: an index keeps them
// per record, so it can rule candidates out without reading them.
const HAS_PHONE = 1;
const HAS_ADDRESS = 2;
const HAS_POSTAL_CODE = 4;
const HAS_EMAIL = 8;
const IDENTIFIER_BIT_KINDS: readonly string[] = [...IDENTIFIER_KINDS, "id"];
const FIRST_IDENTIFIER_BIT = 4;
/** Set for identifier kinds beyond the bits: a bound over two such records is not attempted. */
const OTHER_IDENTIFIER = 1 << 30;
if (FIRST_IDENTIFIER_BIT + IDENTIFIER_BIT_KINDS.length >= 30) throw new Error("too many identifier kinds for the bits");

/** The evidence bits of a record (see `cannotReach`). */
export function evidenceBits(record: PreparedRecord): number {
  let bits = 0;
  if (record.phones.length > 0) bits |= HAS_PHONE;
  if (record.addressTokens.length > 0) bits |= HAS_ADDRESS;
  if (record.postalCode) bits |= HAS_POSTAL_CODE;
  if (record.emails.length > 0) bits |= HAS_EMAIL;
  for (const kind of record.identifiers.keys()) {
    const index = IDENTIFIER_BIT_KINDS.indexOf(kind);
    bits |= index === -1 ? OTHER_IDENTIFIER : 1 << (FIRST_IDENTIFIER_BIT + index);
  }
  return bits;
}

/**
 * Whether a pair whose birth dates weigh `birth` provably scores below `atLeast`, whatever its other values, from
 * the two records' evidence bits and the most their names can add (`names`, by default the most any names can):
 * the highest score it could reach counts every feature both hold at its best outcome. Without a birth date or
 * identifier that could agree, a pair stays below the match band.
 */
export function cannotReach(atLeast: number, birth: number, a: number, b: number, names = MAX_NAMES): boolean {
  const shared = a & b;
  if (shared & OTHER_IDENTIFIER) return false;
  let bound = WEIGHTS.prior + birth + names;
  for (let kinds = shared >>> FIRST_IDENTIFIER_BIT; kinds !== 0; kinds &= kinds - 1) bound += WEIGHTS.identifier.same;
  if (shared & HAS_EMAIL) bound += WEIGHTS.email.same;
  if (shared & (HAS_PHONE | HAS_ADDRESS | HAS_POSTAL_CODE)) bound += WEIGHTS.householdCap;
  const personalPossible = birth >= WEIGHTS.birth.typo || bound > WEIGHTS.prior + birth + names + WEIGHTS.householdCap;
  if (!personalPossible && atLeast >= BANDS.match) return true;
  return bound < Math.log(atLeast / (1 - atLeast));
}

/** The weight of two birth dates (0 when either is unknown). */
export function birthWeight(a: BirthDate | undefined, b: BirthDate | undefined): number {
  return birthOutcome(a, b)[1];
}

/**
 * Scores a pair. With `atLeast`, returns undefined as soon as the pair provably cannot reach that score, which
 * spares most of the work for the many candidates blocking proposes that a birth date already rules out.
 */
export function scorePair(a: PreparedRecord, b: PreparedRecord): PairScore;
export function scorePair(a: PreparedRecord, b: PreparedRecord, atLeast: number): PairScore | undefined;
export function scorePair(a: PreparedRecord, b: PreparedRecord, atLeast?: number): PairScore | undefined {
  const [birthText, birth] = birthOutcome(a.birth, b.birth);
  if (atLeast !== undefined && atLeast > 0) {
    const evidenceA = evidenceBits(a);
    const evidenceB = evidenceBits(b);
    if (cannotReach(atLeast, birth, evidenceA, evidenceB)) return undefined;
    // Then on the family names, before the given names and the rest are compared.
    const [x] = a.names;
    const [y] = b.names;
    if (a.names.length === 1 && b.names.length === 1 && x && y)
      if (cannotReach(atLeast, birth, evidenceA, evidenceB, namesCeiling(x, y))) return undefined;
  }
  const explanation: FeatureOutcome[] = [{ feature: "prior", outcome: "two records", weight: WEIGHTS.prior }];
  explanation.push(...namesOutcome(a, b));
  explanation.push({ feature: "birth date", outcome: birthText, weight: birth });
  explanation.push(...identifierOutcomes(a, b));
  if (a.gender && b.gender)
    explanation.push(
      a.gender === b.gender
        ? { feature: "gender", outcome: "same", weight: WEIGHTS.gender.same }
        : { feature: "gender", outcome: "different", weight: WEIGHTS.gender.different },
    );
  if (a.phones.some((p) => b.phones.includes(p)))
    explanation.push({ feature: "phone", outcome: "same", weight: WEIGHTS.phone.same });
  if (a.emails.some((e) => b.emails.includes(e)))
    explanation.push({ feature: "email", outcome: "same", weight: WEIGHTS.email.same });
  explanation.push(...addressOutcome(a, b));
  if (a.nationality && b.nationality && a.nationality !== b.nationality)
    explanation.push({ feature: "nationality", outcome: "different", weight: WEIGHTS.nationality.different });
  weighChangedSurname(explanation);
  let household = 0;
  let logit = 0;
  for (const outcome of explanation)
    if (HOUSEHOLD.has(outcome.feature) && outcome.weight > 0) household += outcome.weight;
    else logit += outcome.weight;
  logit += Math.min(household, WEIGHTS.householdCap);
  // Names and household details alone cannot tell a man from his namesake son at the same address: without a
  // birth date or an identifier that agrees, a pair is at most "possible", for a person to look at.
  const personal = explanation.some(
    (o) =>
      (o.feature === "birth date" && o.weight >= WEIGHTS.birth.typo) ||
      (IDENTIFIERS.has(o.feature) && o.weight > 0) ||
      o.feature === "email",
  );
  if (!personal && logit > CAP_LOGIT) {
    explanation.push({ ...CAP, weight: CAP_LOGIT - logit });
    logit = CAP_LOGIT;
  }
  return {
    ...scoreOf(logit),
    explanation: explanation.filter((outcome) => outcome.weight !== 0 || outcome.feature === "prior"),
  };
}

/**
 * A surname changed (on marriage, say) leaves the given name, the birth date and the home as they were; no relative
 * the engine must tell apart looks like that, as relatives share the surname. Such a pair's different family name
 * is weighed as a changed one, in place.
 */
function weighChangedSurname(explanation: FeatureOutcome[]): void {
  const weightOf = (feature: string) => explanation.find((outcome) => outcome.feature === feature)?.weight;
  const family = explanation.find((outcome) => outcome.feature === "family name");
  const home = explanation.some((outcome) => HOUSEHOLD.has(outcome.feature) && outcome.weight > 0);
  if (
    home &&
    family?.weight === WEIGHTS.family.different &&
    (weightOf("given name") ?? Number.NEGATIVE_INFINITY) >= WEIGHTS.given.variant &&
    weightOf("birth date") === WEIGHTS.birth.same
  ) {
    family.outcome = "different, but given name, birth date and home agree: a changed surname";
    family.weight = WEIGHTS.family.changed;
  }
}

function scoreOf(logit: number): Pick<PairScore, "score" | "band"> {
  const score = logistic(logit);
  return { score, band: score >= BANDS.match ? "match" : score >= BANDS.possible ? "possible" : "no-match" };
}

/** Whether a pair was held below the match band because no birth date or identifier agrees. */
export function isCapped(score: PairScore): boolean {
  return score.explanation.some((outcome) => outcome.feature === CAP.feature);
}

/**
 * A capped pair's score without the cap, for a caller that knows what the pair alone cannot say (that neither
 * record has a namesake to be confused with); `because` says it in the explanation.
 */
export function liftCap(score: PairScore, because: string): PairScore {
  const cap = score.explanation.find((outcome) => outcome.feature === CAP.feature);
  if (!cap) return score;
  const logit = CAP_LOGIT - cap.weight;
  return {
    ...scoreOf(logit),
    explanation: score.explanation.map((outcome) =>
      outcome === cap ? { feature: CAP.feature, outcome: `${CAP.outcome}, but ${because}`, weight: 0 } : outcome,
    ),
  };
}
