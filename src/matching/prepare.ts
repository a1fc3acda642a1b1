// Turns a match record into the comparison-ready form the engine scores: parsed and folded names with their
// nickname variants and phonetic keys, a birth date split into parts, identifiers by kind in canonical form, and
// contact and address values. Done once per record, so comparing two records does no parsing.
import {
  detectIdentifierKinds,
  GENERIC_IDENTIFIER_KINDS,
  type IdentifierKind,
  normalizeIdentifier,
} from "../normalize/identifiers.ts";
import { foldName, givenNameVariants, type ParsedName, parsePersonName } from "../normalize/names.ts";
import { phoneticKey } from "../normalize/phonetic.ts";
import type { MatchRecord } from "./record.ts";

export interface BirthDate {
  year: number;
  month?: number;
  day?: number;
}

export interface PreparedName {
  given: string[];
  family: string[];
  initials: string[];
  /** Formal forms each given token may stand for (itself included): "pepe" → jose. Shared, read-only arrays. */
  givenVariants: ReadonlyArray<readonly string[]>;
  familyPhonetic: string[];
  /** The family names joined with spaces, as scoring compares them whole (the one name itself when alone). */
  familyJoined: string;
}

export interface PreparedIdentifier {
  value: string;
  valid: boolean;
}

export interface PreparedRecord {
  id: string;
  names: PreparedName[];
  birth?: BirthDate;
  gender?: "male" | "female";
  nationality?: string;
  /** Identifiers by kind; "id" holds identifiers of no recognised kind (compared as plain strings). */
  identifiers: Map<IdentifierKind | "id", PreparedIdentifier[]>;
  phones: string[];
  emails: string[];
  addressTokens: string[];
  postalCode?: string;
  city?: string;
}

/** The shared empty list of records and names that have none of something; never written to (it is frozen). */
const NONE = Object.freeze([]) as unknown as string[];

function prepareName(parsed: ParsedName): PreparedName | undefined {
  if (parsed.given.length === 0 && parsed.family.length === 0 && parsed.initials.length === 0) return undefined;
  return {
    given: parsed.given,
    family: parsed.family,
    initials: parsed.initials.length > 0 ? parsed.initials : NONE,
    givenVariants: parsed.given.map(givenNameVariants),
    familyPhonetic: parsed.family.map(phoneticKey),
    familyJoined: parsed.family.length === 1 ? (parsed.family[0] as string) : parsed.family.join(" "),
  };
}

function parseBirth(values: string[] | undefined): BirthDate | undefined {
  const first = values?.[0];
  if (!first) return undefined;
  const [y, m, d] = first.slice(0, 10).split("-").map(Number);
  if (!y) return undefined;
  return { year: y, ...(m ? { month: m } : {}), ...(d ? { day: d } : {}) };
}

// Countries whose records write sex in Spanish, where "M" is mujer (female) and "H" hombre (male).
const SPANISH_SEX_CODES = new Set([
  "MX",
  "GT",
  "HN",
  "SV",
  "NI",
  "CR",
  "PA",
  "CO",
  "VE",
  "EC",
  "PE",
  "BO",
  "CL",
  "AR",
  "UY",
  "PY",
  "DO",
  "CU",
  "ES",
]);

function parseGender(value: string | undefined, country: string | undefined): PreparedRecord["gender"] {
  const folded = value ? foldName(value) : "";
  if (folded === "m") return country && SPANISH_SEX_CODES.has(country) ? "female" : "male";
  if (["male", "man", "h", "hombre", "masculino", "v", "varon", "homme"].includes(folded)) return "male";
  if (["f", "female", "woman", "mujer", "femenino", "femme"].includes(folded)) return "female";
  return undefined;
}

const EXPLICIT_KINDS: Array<[keyof MatchRecord["values"], IdentifierKind]> = [
  ["passportNumber", "passport"],
  ["plate", "plate"],
  ["vin", "vin"],
];

function addIdentifier(record: PreparedRecord, kind: IdentifierKind | "id", identifier: PreparedIdentifier): void {
  const list = record.identifiers.get(kind) ?? [];
  if (!list.some((other) => other.value === identifier.value)) list.push(identifier);
  record.identifiers.set(kind, list);
}

const NO_IDENTIFIERS: PreparedRecord["identifiers"] = new Map();

export function prepareRecord(record: MatchRecord): PreparedRecord {
  const v = record.values;
  const names: PreparedName[] = [];
  const parts = {
    firstName: [v.firstName, v.middleName].flat().filter(Boolean).join(" "),
    lastName: [v.lastName, v.secondLastName].flat().filter(Boolean).join(" "),
  };
  const primary =
    parts.firstName || parts.lastName
      ? prepareName(parsePersonName(v.name?.[0] ?? "", { firstName: parts.firstName, lastName: parts.lastName }))
      : prepareName(parsePersonName(v.name?.[0] ?? ""));
  if (primary) names.push(primary);
  if ((parts.firstName || parts.lastName) && v.name?.[0]) {
    const full = prepareName(parsePersonName(v.name[0]));
    if (full) names.push(full);
  }
  for (const alias of v.alias ?? []) {
    const prepared = prepareName(parsePersonName(alias));
    if (prepared) names.push(prepared);
  }

  const prepared: PreparedRecord = {
    id: record.id,
    names,
    identifiers: new Map(),
    phones: [],
    emails: [],
    addressTokens: foldName([v.address, v.city].flat().filter(Boolean).join(" ")).split(" ").filter(Boolean),
  };
  const birth = parseBirth(v.birthDate);
  if (birth) prepared.birth = birth;
  const gender = parseGender(v.gender?.[0], record.country);
  if (gender) prepared.gender = gender;
  if (v.nationality?.[0]) prepared.nationality = v.nationality[0].trim().toUpperCase();
  if (v.postalCode?.[0]) prepared.postalCode = v.postalCode[0].replace(/\s+/gu, "").toUpperCase();
  if (v.city?.[0]) prepared.city = foldName(v.city[0]);

  const options = record.country ? { defaultCountry: record.country } : {};
  for (const raw of v.idNumber ?? []) {
    // A code that fits several generic kinds (a 7-digit number is a phone, a plate and a passport number by shape)
    // is of no known kind: one plain identifier, not three whose "valid" differences would each count against.
    const detected = detectIdentifierKinds(raw);
    const kinds = detected.length > 1 && detected.every((kind) => GENERIC_IDENTIFIER_KINDS.has(kind)) ? [] : detected;
    let recognised = false;
    for (const kind of kinds) {
      const result = normalizeIdentifier(kind, raw, options);
      if (!result) continue;
      recognised = true;
      addIdentifier(prepared, kind, { value: result.value, valid: result.valid });
      // A CURP carries the birth date and sex: evidence even when the record left those fields empty.
      if (result.valid && result.info?.birthDate && !prepared.birth)
        prepared.birth = parseBirth([result.info.birthDate]);
      if (result.valid && result.info?.sex && !prepared.gender) prepared.gender = result.info.sex;
    }
    const plain = raw.replace(/[\s\-./]+/gu, "").toUpperCase();
    if (!recognised && plain) addIdentifier(prepared, "id", { value: plain, valid: false });
  }
  for (const [property, kind] of EXPLICIT_KINDS)
    for (const raw of v[property] ?? []) {
      const result = normalizeIdentifier(kind, raw, options);
      if (result) addIdentifier(prepared, kind, { value: result.value, valid: result.valid });
    }
  for (const raw of v.phone ?? []) {
    const result = normalizeIdentifier("phone", raw, options);
    if (result) prepared.phones.push(result.value);
  }
  for (const raw of v.email ?? []) {
    const result = normalizeIdentifier("email", raw);
    if (result) prepared.emails.push(result.value);
  }
  // Most records carry no identifier, phone, e-mail or address: shared empty ones instead of a million each.
  if (prepared.identifiers.size === 0) prepared.identifiers = NO_IDENTIFIERS;
  if (prepared.phones.length === 0) prepared.phones = NONE;
  if (prepared.emails.length === 0) prepared.emails = NONE;
  if (prepared.addressTokens.length === 0) prepared.addressTokens = NONE;
  return prepared;
}
