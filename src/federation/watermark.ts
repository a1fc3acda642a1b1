// Marks that make every release its recipient's own, and reading them back from a leaked copy. Besides the release
// code in its caveat, a release writes each of its dates, phone numbers, identifiers and e-mail addresses in one of
// several layouts that say the same thing and normalise back to the same canonical value (1971/05/30, 1971.5.30;
// +52-55-1234-9876, +52 (55) 1234.9876; G-1234-5678, G12.345.678; ana@EXAMPLE.COM), chosen by an HMAC of the
// release and the value under the owner's key. Layouts differ in more than white space and use no hidden
// characters, so they survive copying the text, reordering its fields, re-serialising it and any change of white
// space. Tracing counts how many values in a copy are written the way each release wrote them, and says how likely
// that agreement would be by chance, so it names a release only when the copy can have come from no other.
import { createHmac, randomUUID } from "node:crypto";
import { parsePhoneNumberFromString } from "libphonenumber-js";
import { type NormalizeContext, type PropertyTypeName, propertyType } from "../model/property-types.ts";
import { getSchema } from "../model/schema.ts";
import type { Statement } from "../model/types.ts";

/** One way of writing a canonical value. */
export interface Rendering {
  text: string;
  /** The layout a date is written in, for the model's date normaliser (which reads only ISO 8601 without one). */
  format?: string;
}

/** A released value in canonical form, with the property type that says how it may be written. */
export interface MarkedValue {
  type: PropertyTypeName;
  value: string;
}

/** What tracing needs of one sent release: who got it and the values it held. */
export interface SentMarks {
  releaseId: string;
  recipient: string;
  values: MarkedValue[];
}

/** How a copy bears on one sent release. */
export interface CopyEvidence {
  codeFound: boolean;
  /** The release's values found in the copy, in any layout. */
  valuesFound: number;
  /** Values found written in exactly one of their layouts (the owner's own or a release's), so they say whose. */
  marks: number;
  /** Of those, the values written as this release wrote them. */
  agreeing: number;
  /** The chance that a copy not made from this release agrees with it on as many of those values. */
  chance: number;
  /** This release is named as the copy's source: by its code, or by agreement no other release comes near. */
  attributed: boolean;
}

/**
 * The most chance of agreeing by luck, over all the releases a copy is compared with, under which a release is
 * named: naming the wrong recipient must be rarer than one copy in a thousand.
 */
const MAX_CHANCE = 0.001;
// Shorter values (country codes, small numbers) turn up in any text, so they neither carry marks nor count as found.
const MIN_LENGTH = 6;
// Fresh release ids tried, keeping the one whose layouts differ most from the record's earlier releases.
const ATTEMPTS = 32;
const SEPARATORS = [" ", "-", "."];
// How layouts are checked against the model's normalisers. Phone layouts keep their country code, so the reader's
// own country does not matter.
const READER: NormalizeContext = { defaultCountry: "US", nodeId: "puente" };

/** Text as tracing compares it: composed Unicode without white space or invisible format characters. */
function compact(text: string): string {
  return text.normalize("NFC").replace(/[\s\p{Cf}]+/gu, "");
}

/**
 * A leaked copy as tracing reads it: compacted, with JSON's \u and \/ escapes undone (re-serialisers differ on
 * them; white space goes first, so that none inside an escape hides it).
 */
function readCopy(text: string): string {
  return compact(
    compact(text)
      .replace(/\\u([0-9a-fA-F]{4})/gu, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
      .replace(/\\\//gu, "/"),
  );
}

function dateRenderings(value: string): Rendering[] {
  const date = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/u.exec(value);
  if (date) {
    const [, year, month, day] = date as unknown as [string, string, string, string | undefined];
    const layouts = [true, false].flatMap((padded) =>
      ["-", "/", "."].map((separator) => {
        const parts: Array<[string, string]> = [[year, "YYYY"], padded ? [month, "MM"] : [String(Number(month)), "M"]];
        if (day !== undefined) parts.push(padded ? [day, "DD"] : [String(Number(day)), "D"]);
        return {
          text: parts.map(([text]) => text).join(separator),
          format: parts.map(([, token]) => token).join(separator),
        };
      }),
    );
    // ISO 8601's basic form, only for whole dates: 197105 would read as a number.
    return day === undefined ? layouts : [...layouts, { text: `${year}${month}${day}`, format: "YYYYMMDD" }];
  }
  const time = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})(\.\d{3})Z$/u.exec(value);
  if (!time) return [];
  const [, minutes, seconds, fraction] = time as unknown as [string, string, string, string];
  const precisions = [`${minutes}${seconds}${fraction}`];
  if (fraction === ".000") precisions.push(`${minutes}${seconds}`);
  if (fraction === ".000" && seconds === ":00") precisions.push(minutes);
  return precisions.flatMap((text) => ["Z", "+00:00"].map((zone) => ({ text: `${text}${zone}` })));
}

function phoneRenderings(value: string): Rendering[] {
  const parsed = parsePhoneNumberFromString(value);
  if (!parsed) return [];
  const [country, ...groups] = parsed.formatInternational().split(" ");
  const digits = groups.join("");
  // A number printed as one block is split before its last four digits, so separators have somewhere to go.
  const national = groups.length > 1 ? groups : [digits.slice(0, -4), digits.slice(-4)];
  const [first, ...rest] = national;
  if (!first || rest.length === 0) return [];
  return SEPARATORS.flatMap((separator) => [
    ...SEPARATORS.map((afterCountry) => `${country}${afterCountry}${national.join(separator)}`),
    `(${country}) ${national.join(separator)}`,
    // Brackets only round a group short enough to read as an area code.
    ...(first.length <= 4 ? [`${country} (${first}) ${rest.join(separator)}`] : []),
  ]).map((text) => ({ text }));
}

/** Splits a value into groups of `size` counted from its end, as account and passport numbers are often printed. */
function groupsFromEnd(value: string, size: number): string[] {
  const groups: string[] = [];
  for (let end = value.length; end > 0; end -= size) groups.unshift(value.slice(Math.max(0, end - size), end));
  return groups;
}

function identifierRenderings(value: string): Rendering[] {
  const splits = [value.match(/\p{L}+|\p{N}+/gu) ?? [], groupsFromEnd(value, 4), groupsFromEnd(value, 3)];
  return splits
    .filter((groups) => groups.length > 1)
    .flatMap((groups) => ["-", "."].map((separator) => ({ text: groups.join(separator) })));
}

function emailRenderings(value: string): Rendering[] {
  const at = value.lastIndexOf("@");
  const [mailbox, domain] = [value.slice(0, at + 1), value.slice(at + 1)];
  const capitalised = domain.replace(
    /(^|\.)(\p{Ll})/gu,
    (_, dot: string, letter: string) => dot + letter.toUpperCase(),
  );
  return [domain.toUpperCase(), capitalised].map((written) => ({ text: `${mailbox}${written}` }));
}

// Only types whose normaliser maps every layout back to one canonical value: names, addresses and free text keep
// their case and wording when normalised, so any variant of them would change the value itself.
const RENDERERS: Partial<Record<PropertyTypeName, (value: string) => Rendering[]>> = {
  date: dateRenderings,
  phone: phoneRenderings,
  identifier: identifierRenderings,
  email: emailRenderings,
};

/**
 * The layouts a release may write a canonical value in: each reads the same, differs from the others and from the
 * owner's canonical form in more than white space, and is kept only if the model's normaliser reads it back as the
 * value (upper-casing "straße.de" would not be). None for other types.
 */
export function renderings(value: MarkedValue): Rendering[] {
  const render = RENDERERS[value.type];
  if (!render || compact(value.value).length < MIN_LENGTH) return [];
  const seen = new Set([compact(value.value)]);
  return render(value.value).filter((rendering) => {
    const key = compact(rendering.text);
    const read = propertyType(value.type).normalize(rendering.text, { ...READER, format: rendering.format });
    if (seen.has(key) || !read.ok || read.value !== value.value) return false;
    seen.add(key);
    return true;
  });
}

/** Which of a value's `count` layouts a release writes it in. */
function layoutIndex(key: Buffer, releaseId: string, value: MarkedValue, count: number): number {
  const digest = createHmac("sha256", key).update(`${releaseId}\u0000${value.type}\u0000${value.value}`).digest();
  return digest.readUInt32BE(0) % count;
}

/** How one release writes a value: a layout chosen by the release, or the value itself when it has none. */
export function renderValue(key: Buffer, releaseId: string, value: MarkedValue): Rendering {
  const layouts = renderings(value);
  if (layouts.length === 0) return { text: value.value };
  return layouts[layoutIndex(key, releaseId, value, layouts.length)] as Rendering;
}

/** A statement's value with the type its schema gives the property (text when the schema does not know it). */
export function statementValue(statement: Pick<Statement, "schema" | "property" | "value">): MarkedValue {
  const type = getSchema(statement.schema)?.properties.get(statement.property)?.type ?? "text";
  return { type, value: statement.value };
}

const valueKey = (value: MarkedValue) => `${value.type}\u0000${value.value}`;

/** The watermark of a release for its recipient. */
export function releaseWatermark(key: Buffer, releaseId: string, recipient: string): string {
  return createHmac("sha256", key).update(`${releaseId}\u0000${recipient}`).digest("base64url");
}

/** The short code a release's caveat names it by. */
export function releaseCode(watermark: string): string {
  return `REL-${watermark.slice(0, 12)}`;
}

/**
 * A fresh id for a release of these values. Layouts follow from the id, so among a few random ids the one is kept
 * whose layouts agree least with every earlier release of the same record: releases of one record then differ in as
 * many values as their layouts allow, rather than only as luck has it.
 */
export function pickReleaseId(key: Buffer, values: MarkedValue[], earlier: SentMarks[]): string {
  const marked = values.flatMap((value) => {
    const count = renderings(value).length;
    return count > 1 ? [{ value, count }] : [];
  });
  // Per earlier release, the layout it chose for each of these values (-1 for those it did not hold).
  const theirs = earlier.map((release) => {
    const held = new Set(release.values.map(valueKey));
    return marked.map(({ value, count }) =>
      held.has(valueKey(value)) ? layoutIndex(key, release.releaseId, value, count) : -1,
    );
  });
  let best = { id: "", worst: Number.POSITIVE_INFINITY, total: Number.POSITIVE_INFINITY };
  for (let attempt = 0; attempt < ATTEMPTS && best.worst > 0; attempt++) {
    const id = randomUUID();
    const mine = marked.map(({ value, count }) => layoutIndex(key, id, value, count));
    const agreements = theirs.map((chosen) => chosen.filter((index, i) => index === mine[i]).length);
    const worst = Math.max(0, ...agreements);
    const total = agreements.reduce((sum, count) => sum + count, 0);
    if (worst < best.worst || (worst === best.worst && total < best.total)) best = { id, worst, total };
  }
  return best.id;
}

/** The chance that at least `count` of independent events with these probabilities happen. */
function chanceOfAtLeast(probabilities: number[], count: number): number {
  let distribution = [1];
  for (const p of probabilities)
    distribution = [...distribution, 0].map((mass, k) => mass * (1 - p) + (distribution[k - 1] ?? 0) * p);
  return distribution.slice(count).reduce((sum, mass) => sum + mass, 0);
}

/**
 * Which sent releases a leaked copy (any text) may have come from, best first, with the evidence for each: its
 * release code, and how many of its values the copy writes as that release wrote them. The first is attributed
 * only by its code, or when a copy not made from it would agree so well by chance less often than MAX_CHANCE
 * (counting every release compared) and no other release agrees as well. Releases of which the copy holds fewer
 * than two values and not the code are left out.
 */
export function traceCopy<R extends SentMarks>(
  key: Buffer,
  text: string,
  releases: R[],
): Array<{ release: R } & CopyEvidence> {
  const copy = readCopy(text);
  // Per value: which of its forms (canonical first, then its layouts) the copy holds.
  const forms = new Map<string, { found: string[]; layouts: string[] }>();
  const formsOf = (value: MarkedValue) => {
    const known = forms.get(valueKey(value));
    if (known) return known;
    const layouts = renderings(value).map((rendering) => compact(rendering.text));
    const candidates = compact(value.value).length < MIN_LENGTH ? [] : [compact(value.value), ...layouts];
    const seen = { found: candidates.filter((form) => copy.includes(form)), layouts };
    forms.set(valueKey(value), seen);
    return seen;
  };
  const traced = releases.flatMap((release) => {
    const codeFound = copy.includes(compact(releaseCode(releaseWatermark(key, release.releaseId, release.recipient))));
    const distinct = [...new Map(release.values.map((value) => [valueKey(value), value])).values()];
    const present = distinct.filter((value) => formsOf(value).found.length > 0);
    if (present.length < 2 && !codeFound) return [];
    const marked = present.filter((value) => formsOf(value).layouts.length > 0 && formsOf(value).found.length === 1);
    const agreeing = marked.filter((value) => {
      const { found, layouts } = formsOf(value);
      return found[0] === layouts[layoutIndex(key, release.releaseId, value, layouts.length)];
    }).length;
    const chance = chanceOfAtLeast(
      marked.map((value) => 1 / formsOf(value).layouts.length),
      agreeing,
    );
    return [
      { release, codeFound, valuesFound: present.length, marks: marked.length, agreeing, chance, attributed: false },
    ];
  });
  traced.sort(
    (a, b) => Number(b.codeFound) - Number(a.codeFound) || a.chance - b.chance || b.valuesFound - a.valuesFound,
  );
  const [best, next] = traced;
  if (best)
    best.attributed =
      best.codeFound || (best.chance * traced.length <= MAX_CHANCE && best.agreeing > (next?.agreeing ?? 0));
  return traced;
}
