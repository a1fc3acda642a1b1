// Property types: how each kind of value is cleaned into canonical form and whether it takes part in matching.
// The matching engine builds richer comparison keys on top of these canonical values.
import { isCountryCode } from "./countries.ts";
import { normalizeDate } from "./dates.ts";
import { possibleE164 } from "./phones.ts";

export const PROPERTY_TYPE_NAMES = [
  "name",
  "date",
  "country",
  "phone",
  "email",
  "identifier",
  "address",
  "number",
  "text",
  "entity",
] as const;
export type PropertyTypeName = (typeof PROPERTY_TYPE_NAMES)[number];

/** What a normaliser needs to know beyond the value itself. */
export interface NormalizeContext {
  /** The node's country, used to read phone numbers written without a country code. */
  defaultCountry: string;
  /** The node id, used to namespace entity references given without one. */
  nodeId: string;
  /** An explicit input format for dates, e.g. "DD/MM/YYYY". */
  format?: string | undefined;
}

export type NormalizeResult = { ok: true; value: string } | { ok: false; code: string; message: string };

export interface PropertyType {
  name: PropertyTypeName;
  /** Whether values of this type are evidence that two records describe the same thing. */
  matchable: boolean;
  /** Longest accepted canonical value, so one bad field cannot bloat the store. */
  maxLength: number;
  normalize(raw: string, context: NormalizeContext): NormalizeResult;
}

const ok = (value: string): NormalizeResult => ({ ok: true, value });
const fail = (code: string, message: string): NormalizeResult => ({ ok: false, code, message });

/** Trims, applies Unicode NFC and collapses runs of white space; control characters are refused by the caller. */
export function cleanText(raw: string): string {
  const text = raw.normalize("NFC");
  // Most values have single spaces only: test before replacing, which would copy every one.
  return (SPACE_TO_COLLAPSE.test(text) ? text.replace(/\s+/gu, " ") : text).trim();
}

/** White space other than a single space, or spaces in a row. */
const SPACE_TO_COLLAPSE = /[^\S ]| {2}/u;

/** Accent-folded, lower-case, punctuation-free form used for indexes and blocking (the original is kept). */
export function foldForIndex(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const ENTITY_LOCAL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/u;
const NODE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/u;

/** `node:local` ids; a bare local id is namespaced by the node that records it. */
export function qualifyEntityId(raw: string, nodeId: string): NormalizeResult {
  const value = raw.trim();
  const colon = value.indexOf(":");
  const [node, local] = colon === -1 ? [nodeId, value] : [value.slice(0, colon), value.slice(colon + 1)];
  if (!NODE_ID.test(node)) return fail("invalid_entity_id", `"${raw}" has an invalid node prefix`);
  if (!ENTITY_LOCAL_ID.test(local))
    return fail(
      "invalid_entity_id",
      `"${raw}" is not a valid entity id (letters, digits, '.', '_', '-'; at most 128 characters)`,
    );
  return ok(`${node}:${local}`);
}

const types: Record<PropertyTypeName, PropertyType> = {
  name: {
    name: "name",
    matchable: true,
    maxLength: 300,
    normalize: (raw) => {
      const value = cleanText(raw);
      return /\p{L}/u.test(value) ? ok(value) : fail("invalid_name", "a name must contain at least one letter");
    },
  },
  date: {
    name: "date",
    matchable: true,
    maxLength: 32,
    normalize: (raw, context) => normalizeDate(raw, context.format),
  },
  country: {
    name: "country",
    matchable: true,
    maxLength: 2,
    normalize: (raw) => {
      const code = raw.trim().toUpperCase();
      return isCountryCode(code) ? ok(code) : fail("invalid_country", `"${raw}" is not an ISO 3166-1 country code`);
    },
  },
  phone: {
    name: "phone",
    matchable: true,
    maxLength: 32,
    normalize: (raw, context) => {
      const number = possibleE164(raw, context.defaultCountry);
      return number ? ok(number) : fail("invalid_phone", `"${raw}" is not a possible phone number`);
    },
  },
  email: {
    name: "email",
    matchable: true,
    maxLength: 254,
    normalize: (raw) => {
      const value = raw.trim();
      if (!EMAIL.test(value)) return fail("invalid_email", `"${raw}" is not an e-mail address`);
      const at = value.lastIndexOf("@");
      return ok(`${value.slice(0, at)}@${value.slice(at + 1).toLowerCase()}`);
    },
  },
  identifier: {
    name: "identifier",
    matchable: true,
    maxLength: 64,
    normalize: (raw) => {
      const value = raw
        .normalize("NFKC")
        .toUpperCase()
        .replace(/[\s\-./]+/gu, "");
      return /^[\p{L}\p{N}]+$/u.test(value)
        ? ok(value)
        : fail("invalid_identifier", `"${raw}" must contain only letters, digits and separators`);
    },
  },
  address: {
    name: "address",
    matchable: true,
    maxLength: 500,
    normalize: (raw) => {
      const value = cleanText(raw);
      return value ? ok(value) : fail("empty_value", "an address cannot be empty");
    },
  },
  number: {
    name: "number",
    matchable: false,
    maxLength: 40,
    normalize: (raw) => {
      const value = raw.trim().replace(/_/gu, "");
      return /^-?\d+(\.\d+)?$/u.test(value) && Number.isFinite(Number(value))
        ? ok(value)
        : fail("invalid_number", `"${raw}" is not a decimal number`);
    },
  },
  text: {
    name: "text",
    matchable: false,
    maxLength: 10_000,
    normalize: (raw) => {
      const value = raw.normalize("NFC").trim();
      return value ? ok(value) : fail("empty_value", "a value cannot be empty");
    },
  },
  entity: {
    name: "entity",
    matchable: false,
    maxLength: 200,
    normalize: (raw, context) => qualifyEntityId(raw, context.nodeId),
  },
};

export function propertyType(name: PropertyTypeName): PropertyType {
  return types[name];
}

export function isPropertyTypeName(name: string): name is PropertyTypeName {
  return (PROPERTY_TYPE_NAMES as readonly string[]).includes(name);
}
