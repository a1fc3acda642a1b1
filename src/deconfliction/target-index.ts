// An in-memory index of investigation targets answering "is another case already on this target?". Persons,
// organisations and addresses are compared by the matching engine (blocking, then scoring); phones, vehicles,
// accounts and wallets by their identifiers in canonical form, which must be equal. A person or organisation carrying
// a phone or an identifier of those kinds (an IBAN given as an id number, say) also meets the phone, account or
// wallet target that holds it.
import { MatchIndex } from "../matching/match-index.ts";
import { type PreparedRecord, prepareRecord } from "../matching/prepare.ts";
import { isMatchProperty, type MatchRecord } from "../matching/record.ts";
import { BANDS, type FeatureOutcome, scorePair } from "../matching/scoring.ts";
import { compact, realDate } from "../normalize/identifiers/common.ts";
import { detectIdentifierKinds, type IdentifierKind, normalizeIdentifier } from "../normalize/identifiers.ts";
import { TARGET_FIELDS, TARGET_KINDS, type TargetKind } from "./target-fields.ts";

export { TARGET_FIELDS, TARGET_KINDS, type TargetKind };

export interface TargetSubject {
  kind: TargetKind;
  /** Values per field; TARGET_FIELDS lists each kind's fields. */
  values: Record<string, string[]>;
  /** Country whose conventions read the values (ISO alpha-2): phones written without +code, plates without a state. */
  country?: string;
}

/** Fields of which a target needs at least one: what identifies it. */
const IDENTIFYING: Readonly<Record<TargetKind, readonly string[]>> = {
  person: ["name", "firstName", "lastName", "alias", "idNumber", "passportNumber"],
  organization: ["name", "alias", "idNumber"],
  phone: ["phone"],
  vehicle: ["plate", "vin"],
  account: ["iban", "clabe", "accountNumber"],
  wallet: ["address"],
  address: ["address"],
};

type EngineKind = "person" | "organization" | "address";
const isEngineKind = (kind: TargetKind): kind is EngineKind =>
  kind === "person" || kind === "organization" || kind === "address";

/** What an identifier key stands for: an identifier kind, a bare account number, or a wallet on another chain. */
type KeyKind = IdentifierKind | "account" | "wallet";

/**
 * How each field of the phone, vehicle, account and wallet kinds is keyed: as the first of `kinds` its shape fits
 * (the only one when there is one), else as `otherwise`, cleaned. A bare account number is unique only within its
 * bank, so it keys as "account", and its matches are possible ones.
 */
const IDENTIFIER_FIELDS: Readonly<
  Record<string, { kinds: readonly IdentifierKind[]; otherwise?: { kind: KeyKind; clean: (raw: string) => string } }>
> = {
  phone: { kinds: ["phone"] },
  plate: { kinds: ["plate"] },
  vin: { kinds: ["vin"] },
  iban: { kinds: ["iban"] },
  clabe: { kinds: ["clabe"] },
  accountNumber: { kinds: ["iban", "clabe"], otherwise: { kind: "account", clean: (raw) => compact(raw) } },
  // Base58 and most other chains' addresses are case-sensitive: only spaces go.
  address: { kinds: ["btc", "eth"], otherwise: { kind: "wallet", clean: (raw) => raw.replace(/\s+/gu, "") } },
};

/** Identifiers of persons and organisations that phone, vehicle, account and wallet targets can hold. */
const SHARED_KINDS: readonly IdentifierKind[] = ["vin", "iban", "clabe", "btc", "eth"];

/** Scores of identifier matches: equal canonical identifiers are the same phone, vehicle, account or wallet. */
const IDENTIFIER_SCORE = { same: 1, ambiguous: BANDS.possible } as const;

export type TargetExplanation =
  /** The matching engine's feature outcomes with their weights. */
  | { by: "matching"; features: FeatureOutcome[] }
  /** An identifier both hold, in canonical form; `caveat` says why it is only a possible match. */
  | { by: "identifier"; identifier: KeyKind; value: string; caveat?: string };

export interface TargetConflict {
  id: string;
  score: number;
  band: "match" | "possible";
  explanation: TargetExplanation;
}

interface Entry {
  kind: TargetKind;
  /** Identifier keys it is filed under ("phone:+525512345678"). */
  keys: readonly string[];
  /** A vehicle's jurisdiction, compacted. */
  jurisdiction: string | undefined;
}

const NO_KEYS: readonly string[] = Object.freeze([]);
/** The id queries go by in the matching engine, which leaves a record out of its own candidates; never a target's. */
const QUERY_ID = "\u0000query";
const MAX_VALUES = 50;
const MAX_LENGTH = 500;

const describe = (value: unknown): string => JSON.stringify(value) ?? String(value);

/** Where a value is, as a problem names it: "values.birthDate[0]". Built only for a problem: values are many. */
const at = (field: string, index: number) => `values.${field}[${index}]`;

function valueProblem(field: string, value: string, index: number): string | undefined {
  if (!/\S/u.test(value)) return `${at(field, index)} is empty`;
  if (value.length > MAX_LENGTH) return `${at(field, index)} is longer than ${MAX_LENGTH} characters`;
  if (field === "birthDate") {
    const [year, month, day] = value.split("-").map(Number);
    const real =
      /^\d{4}(-\d{2}(-\d{2})?)?$/u.test(value) &&
      (month === undefined || (month >= 1 && month <= 12)) &&
      (day === undefined || realDate(year as number, month as number, day) !== undefined);
    if (!real) return `${at(field, index)} ${describe(value)} is not a date written YYYY, YYYY-MM or YYYY-MM-DD`;
  }
  if (field === "phone" && !/\d/u.test(value)) return `${at(field, index)} ${describe(value)} has no digits`;
  if (Object.hasOwn(IDENTIFIER_FIELDS, field) && !/[\p{L}\p{N}]/u.test(value))
    return `${at(field, index)} ${describe(value)} has no letters or digits`;
  return undefined;
}

/** Why `subject` is not a usable target subject, in words an API client can act on; undefined when it is one. */
export function validateTargetSubject(subject: unknown): string | undefined {
  if (typeof subject !== "object" || subject === null) return "a target subject must be an object with kind and values";
  const { kind, values, country } = subject as Record<string, unknown>;
  if (!(TARGET_KINDS as readonly unknown[]).includes(kind))
    return `kind must be one of ${TARGET_KINDS.join(", ")}, not ${describe(kind)}`;
  const fields = TARGET_FIELDS[kind as TargetKind];
  if (country !== undefined && (typeof country !== "string" || !/^[A-Z]{2}$/u.test(country)))
    return `country must be an ISO 3166-1 alpha-2 code such as "MX", not ${describe(country)}`;
  if (typeof values !== "object" || values === null || Array.isArray(values))
    return "values must be an object of lists of strings, by field";
  for (const [field, list] of Object.entries(values)) {
    if (!fields.includes(field))
      return `values.${field} is not a field of a ${kind} target (its fields: ${fields.join(", ")})`;
    if (!Array.isArray(list) || list.some((value) => typeof value !== "string"))
      return `values.${field} must be a list of strings`;
    if (list.length > MAX_VALUES) return `values.${field} has more than ${MAX_VALUES} values`;
    for (let index = 0; index < list.length; index++) {
      const problem = valueProblem(field, list[index] as string, index);
      if (problem) return problem;
    }
  }
  const identifying = IDENTIFYING[kind as TargetKind];
  if (!identifying.some((field) => ((values as Record<string, unknown[]>)[field]?.length ?? 0) > 0))
    return `a ${kind} target needs at least one of ${identifying.join(", ")}`;
  return undefined;
}

/** Options that read a subject's phones and identifiers written without a country. */
function conventions(subject: TargetSubject): { defaultCountry?: string } {
  const country = subject.country ?? subject.values.country?.[0];
  return country ? { defaultCountry: country.trim().toUpperCase() } : {};
}

function matchRecord(id: string, subject: TargetSubject): MatchRecord {
  const values: MatchRecord["values"] = {};
  for (const [field, list] of Object.entries(subject.values)) if (isMatchProperty(field)) values[field] = list;
  const { defaultCountry } = conventions(subject);
  return { id, values, ...(defaultCountry ? { country: defaultCountry } : {}) };
}

interface IdentifierKey {
  kind: KeyKind;
  value: string;
}

const keyOf = ({ kind, value }: IdentifierKey) => `${kind}:${value}`;

/** A phone, vehicle, account or wallet target's identifiers in canonical form. */
function identifierKeys(subject: TargetSubject): IdentifierKey[] {
  const options = conventions(subject);
  const keys: IdentifierKey[] = [];
  for (const [field, list] of Object.entries(subject.values)) {
    const rule = IDENTIFIER_FIELDS[field];
    if (!rule) continue;
    for (const raw of list) {
      const detected = rule.kinds.length === 1 ? rule.kinds : detectIdentifierKinds(raw);
      const kind = rule.kinds.find((candidate) => detected.includes(candidate));
      const normalized = kind ? normalizeIdentifier(kind, raw, options) : undefined;
      if (kind && normalized) keys.push({ kind, value: normalized.value });
      else if (rule.otherwise) keys.push({ kind: rule.otherwise.kind, value: rule.otherwise.clean(raw) });
    }
  }
  return keys;
}

/** The phones and shared-kind identifiers a prepared person or organisation carries (an id number that is a valid phone counts). */
function carriedKeys(prepared: PreparedRecord): IdentifierKey[] {
  const keys: IdentifierKey[] = prepared.phones.map((value) => ({ kind: "phone", value }));
  for (const identifier of prepared.identifiers.get("phone") ?? [])
    if (identifier.valid) keys.push({ kind: "phone", value: identifier.value });
  for (const kind of SHARED_KINDS)
    for (const identifier of prepared.identifiers.get(kind) ?? []) keys.push({ kind, value: identifier.value });
  return keys;
}

/**
 * Two addresses by the engine's address and postal-code outcomes alone: the prior and the name and birth features,
 * which an address has none of, would hold every pair of addresses below "possible". Differing house numbers or
 * streets are no conflict, whatever the postal code.
 */
function addressConflict(query: PreparedRecord, candidate: PreparedRecord): Omit<TargetConflict, "id"> | undefined {
  const features = scorePair(query, candidate).explanation.filter(
    (outcome) => outcome.feature === "address" || outcome.feature === "postal code",
  );
  if (!features.some((outcome) => outcome.feature === "address" && outcome.weight > 0)) return undefined;
  const score = 1 / (1 + Math.exp(-features.reduce((sum, outcome) => sum + outcome.weight, 0)));
  if (score < BANDS.possible) return undefined;
  return { score, band: score >= BANDS.match ? "match" : "possible", explanation: { by: "matching", features } };
}

export class TargetIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly engines: Record<EngineKind, MatchIndex> = {
    person: new MatchIndex(),
    organization: new MatchIndex(),
    address: new MatchIndex(),
  };
  /** Target ids by identifier key; a lone id as a bare string, which most keys have. */
  private readonly byKey = new Map<string, string | string[]>();

  get size(): number {
    return this.entries.size;
  }

  /** Files a target, replacing one with the same id. Throws a RangeError for an invalid subject. */
  add(id: string, subject: TargetSubject): void {
    const problem = id === "" ? "a target needs an id" : validateTargetSubject(subject);
    if (problem) throw new RangeError(`target ${id}: ${problem}`);
    this.remove(id);
    let keys: IdentifierKey[];
    if (isEngineKind(subject.kind)) {
      const prepared = prepareRecord(matchRecord(id, subject));
      this.engines[subject.kind].addPrepared(prepared);
      keys = carriedKeys(prepared);
    } else keys = identifierKeys(subject);
    const filed = [...new Set(keys.map(keyOf))];
    for (const key of filed) {
      const ids = this.byKey.get(key);
      if (ids === undefined) this.byKey.set(key, id);
      else if (typeof ids === "string") this.byKey.set(key, [ids, id]);
      else ids.push(id);
    }
    const jurisdiction = subject.kind === "vehicle" ? jurisdictionOf(subject) : undefined;
    this.entries.set(id, { kind: subject.kind, keys: filed.length > 0 ? filed : NO_KEYS, jurisdiction });
  }

  remove(id: string): boolean {
    const entry = this.entries.get(id);
    if (!entry) return false;
    if (isEngineKind(entry.kind)) this.engines[entry.kind].remove(id);
    for (const key of entry.keys) {
      const ids = this.byKey.get(key);
      if (ids === id || ids === undefined) this.byKey.delete(key);
      else if (typeof ids !== "string") {
        const rest = ids.filter((other) => other !== id);
        if (rest.length === 1) this.byKey.set(key, rest[0] as string);
        else this.byKey.set(key, rest);
      }
    }
    this.entries.delete(id);
    return true;
  }

  /**
   * Indexed targets that may be the subject's target, best first: persons and organisations the engine scores at
   * least "possible" against it, addresses the engine finds the same or similar, and any target holding one of its
   * phones or identifiers. Throws a RangeError for an invalid subject. A subject checked against several indexes is
   * prepared once with `prepareSubject`.
   */
  conflicts(subject: TargetSubject | PreparedSubject): TargetConflict[] {
    const ready = "keys" in subject ? subject : prepareSubject(subject);
    if (typeof ready === "string") throw new RangeError(ready);
    const { kind, prepared, keys, jurisdiction } = ready;
    const found = new Map<string, TargetConflict>();
    const consider = (conflict: TargetConflict) => {
      const previous = found.get(conflict.id);
      if (!previous || conflict.score > previous.score) found.set(conflict.id, conflict);
    };
    if (prepared && isEngineKind(kind)) {
      const engine = this.engines[kind];
      if (kind === "address")
        for (const candidate of engine.candidates(prepared)) {
          const conflict = addressConflict(prepared, candidate);
          if (conflict) consider({ id: candidate.id, ...conflict });
        }
      else
        for (const { id, score } of engine.query(prepared, BANDS.possible, Number.POSITIVE_INFINITY))
          consider({
            id,
            score: score.score,
            band: score.band === "match" ? "match" : "possible",
            explanation: { by: "matching", features: score.explanation },
          });
    }
    for (const key of keys) {
      const ids = this.byKey.get(keyOf(key));
      for (const id of typeof ids === "string" ? [ids] : (ids ?? [])) {
        const entry = this.entries.get(id) as Entry;
        // Between persons and organisations a shared phone or identifier is evidence the engine has weighed.
        if (isEngineKind(entry.kind) && isEngineKind(kind)) continue;
        const conflict = identifierConflict(key, jurisdiction, entry.jurisdiction);
        if (conflict) consider({ id, ...conflict });
      }
    }
    return [...found.values()].sort((a, b) => b.score - a.score);
  }
}

/** A subject validated, with what `conflicts` looks it up by: its prepared record (engine kinds) and its keys. */
export interface PreparedSubject {
  kind: TargetKind;
  prepared: PreparedRecord | undefined;
  keys: IdentifierKey[];
  jurisdiction: string | undefined;
}

/**
 * Validates and prepares a subject for `conflicts`, in one pass: the prepared subject, or why it is not a usable
 * subject (as `validateTargetSubject` says).
 */
export function prepareSubject(subject: TargetSubject): PreparedSubject | string {
  const problem = validateTargetSubject(subject);
  if (problem) return problem;
  const prepared = isEngineKind(subject.kind) ? prepareRecord(matchRecord(QUERY_ID, subject)) : undefined;
  return {
    kind: subject.kind,
    prepared,
    keys: prepared ? carriedKeys(prepared) : identifierKeys(subject),
    jurisdiction: subject.kind === "vehicle" ? jurisdictionOf(subject) : undefined,
  };
}

function jurisdictionOf(subject: TargetSubject): string | undefined {
  const raw = subject.values.jurisdiction?.[0] ?? subject.country;
  return raw ? compact(raw) : undefined;
}

/**
 * An identifier both hold: the same target, except that a plate is unique only within its jurisdiction (plates of
 * two different ones are two vehicles; with one unknown, possibly the same) and a bare account number only within
 * its bank.
 */
function identifierConflict(
  key: IdentifierKey,
  jurisdiction: string | undefined,
  otherJurisdiction: string | undefined,
): Omit<TargetConflict, "id"> | undefined {
  const identifier = { by: "identifier", identifier: key.kind, value: key.value } as const;
  let caveat: string | undefined;
  if (key.kind === "plate") {
    if (jurisdiction && otherJurisdiction && jurisdiction !== otherJurisdiction) return undefined;
    if (!jurisdiction || !otherJurisdiction) caveat = "the plate's jurisdiction is unknown on one side";
  }
  if (key.kind === "account") caveat = "an account number without IBAN or CLABE is unique only within its bank";
  return caveat
    ? { score: IDENTIFIER_SCORE.ambiguous, band: "possible", explanation: { ...identifier, caveat } }
    : { score: IDENTIFIER_SCORE.same, band: "match", explanation: identifier };
}
