// Tests for the marks in released values: every layout reads back as its canonical value with the model's own
// normaliser and differs from the others in more than white space; a copy of one of ten releases of a record,
// however reordered, re-serialised and re-spaced, names its release; copies of none, or of too little, name nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { propertyType } from "../model/property-types.ts";
import { type MarkedValue, pickReleaseId, renderings, renderValue, type SentMarks, traceCopy } from "./watermark.ts";

const key = Buffer.from("a test owner's watermark key");
const squeeze = (text: string) => text.replace(/\s+/gu, "");

/** A person as an owner holds it, in canonical form: six of its values can carry marks. */
const RECORD: MarkedValue[] = [
  { type: "name", value: "Teodoro Quintanilla Núñez" },
  { type: "date", value: "1971-05-30" },
  { type: "country", value: "MX" },
  { type: "phone", value: "+525512349876" },
  { type: "email", value: "teo.quintanilla@correo.example.mx" },
  { type: "address", value: "Calle Sonora 12, Tijuana" },
  { type: "identifier", value: "G12345678" },
  { type: "identifier", value: "QURT710530HBCNYD07" },
  { type: "identifier", value: "QURT710530AB1" },
];

/** Ten releases of the record to three partners, picked as the owner picks them. */
const releases: SentMarks[] = [];
for (let n = 0; n < 10; n++)
  releases.push({
    releaseId: pickReleaseId(key, RECORD, releases),
    recipient: ["us", "ca", "gt"][n % 3] as string,
    values: RECORD,
  });

/** The fields of one release as a reader sees them. */
const fieldsOf = (releaseId: string) =>
  RECORD.map((value) => ({ property: value.type, ...renderValue(key, releaseId, value) }));

test("every layout reads back as the same canonical value with the model's own normaliser", () => {
  const values = fc.oneof(
    fc.date({ min: new Date("1800-01-01"), max: new Date("2199-12-31"), noInvalidDate: true }).chain((date) => {
      const iso = date.toISOString();
      return fc.constantFrom(iso, iso.slice(0, 10), iso.slice(0, 7)).map((raw) => ({ type: "date" as const, raw }));
    }),
    fc
      .constantFrom("+525512349876", "+5215512349876", "+12025550143", "+33612345678", "+50222345678", "+14165550199")
      .map((raw) => ({ type: "phone" as const, raw })),
    fc.stringMatching(/^[A-Z0-9]{6,24}$/u).map((raw) => ({ type: "identifier" as const, raw })),
    fc.emailAddress().map((raw) => ({ type: "email" as const, raw })),
  );
  fc.assert(
    fc.property(values, ({ type, raw }) => {
      const context = { defaultCountry: "FR", nodeId: "us" };
      const canonical = propertyType(type).normalize(raw, context);
      fc.pre(canonical.ok);
      const value = { type, value: canonical.ok ? canonical.value : "" };
      const layouts = renderings(value);
      for (const { text, format } of layouts)
        assert.deepEqual(propertyType(type).normalize(text, { ...context, format }), canonical, `${text} (${format})`);
      // Distinct beyond white space from each other and from the owner's own form, and none inside another.
      const forms = [value.value, ...layouts.map((layout) => layout.text)].map(squeeze);
      for (const [i, form] of forms.entries())
        for (const [j, other] of forms.entries()) assert.ok(i === j || !other.includes(form), `${form} in ${other}`);
    }),
    { numRuns: 500 },
  );
  // Upper-casing this domain would spell another one (STRASSE.DE), so only the capitalised layout is offered.
  assert.deepEqual(renderings({ type: "email", value: "ana@straße.de" }), [{ text: "ana@Straße.De" }]);
  assert.ok(renderings({ type: "phone", value: "+525512349876" }).length >= 10);
  assert.ok(renderings({ type: "date", value: "1971-05-30" }).length >= 5);
});

test("names, addresses, country codes and free text are released exactly as recorded", () => {
  for (const value of RECORD.filter((v) => ["name", "address", "country"].includes(v.type)).concat([
    { type: "text", value: "Seen at the crossing in a grey pickup" },
  ])) {
    assert.deepEqual(renderings(value), []);
    assert.deepEqual(renderValue(key, "any-release", value), { text: value.value });
  }
});

test("releases of one record are picked to differ: no two of ten agree on more than two of their six marks", () => {
  const marked = RECORD.filter((value) => renderings(value).length > 0);
  assert.equal(marked.length, 6);
  for (const [i, a] of releases.entries())
    for (const b of releases.slice(i + 1)) {
      const agreeing = marked.filter(
        (value) => renderValue(key, a.releaseId, value).text === renderValue(key, b.releaseId, value).text,
      );
      assert.ok(agreeing.length <= 2, `${a.releaseId} and ${b.releaseId} agree on ${agreeing.length}`);
    }
});

/** Re-serialisations a leaker might make of a release's fields. */
const WRITERS: Record<string, (fields: Array<Record<string, string>>) => string> = {
  json: (fields) => JSON.stringify(fields, null, 2),
  lines: (fields) => fields.map((field) => Object.values(field).join(" = ")).join("\n"),
  csv: (fields) =>
    fields
      .map((field) =>
        Object.values(field)
          .map((cell) => (/[",\n]/u.test(cell) ? `"${cell.replace(/"/gu, '""')}"` : cell))
          .join(","),
      )
      .join("\n"),
  // Python's json.dumps and PHP's json_encode escape what JavaScript leaves alone.
  escapedJson: (fields) =>
    JSON.stringify(fields)
      .replace(/[^\x20-\x7e]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
      .replace(/\//gu, "\\/"),
};

test("a copy of any of ten releases, reordered, re-serialised and re-spaced, names that release", () => {
  const whitespace = fc.constantFrom("", " ", "\n", "\r\n", "\t", "   ");
  fc.assert(
    fc.property(
      fc.nat({ max: releases.length - 1 }),
      fc.shuffledSubarray([...RECORD.keys()], { minLength: RECORD.length }),
      fc.boolean(),
      fc.constantFrom(...Object.keys(WRITERS)),
      fc.array(whitespace, { minLength: 1 }),
      fc.array(fc.tuple(fc.nat(), whitespace)),
      (leakedIndex, order, valueFirst, writer, replacements, insertions) => {
        const leaked = releases[leakedIndex] as SentMarks;
        const fields = fieldsOf(leaked.releaseId);
        const reordered = order.map((index) => {
          const { property, text, format } = fields[index] as (typeof fields)[number];
          const entries = [["property", property], ["value", text], ...(format ? [["format", format]] : [])];
          return Object.fromEntries(valueFirst ? entries.reverse() : entries);
        });
        let copy = (WRITERS[writer] as (typeof WRITERS)[string])(reordered);
        let run = 0;
        copy = copy.replace(/\s+/gu, () => replacements[run++ % replacements.length] as string);
        for (const [at, space] of insertions) {
          const position = at % (copy.length + 1);
          copy = copy.slice(0, position) + space + copy.slice(position);
        }
        const [best, next] = traceCopy(key, copy, releases);
        assert.equal(best?.release.releaseId, leaked.releaseId, copy);
        assert.equal(best?.attributed, true, JSON.stringify({ best, next }));
        assert.equal(best?.marks, 6);
        assert.equal(best?.agreeing, 6);
      },
    ),
    { numRuns: 200 },
  );
});

test("a copy names no release when it cannot: the owner's own values, a release never sent, two values, retyped values", () => {
  const lines = (fields: Array<{ property: string; text: string }>) =>
    fields.map((field) => `${field.property}: ${field.text}`).join("\n");
  const notNamed = (copy: string) => {
    const traced = traceCopy(key, copy, releases);
    assert.ok(traced.length > 0, "the record's releases are found by their values");
    assert.ok(
      traced.every((match) => !match.attributed),
      JSON.stringify(traced.slice(0, 2)),
    );
    return traced;
  };
  // The owner's canonical form is no release's layout: every mark found speaks against every release.
  const own = notNamed(lines(RECORD.map((value) => ({ property: value.type, text: value.value }))));
  assert.ok(own.every((match) => match.marks === 6 && match.agreeing === 0));
  // A release made but never sent (picked like the next one) agrees with each sent one on too little.
  const unsent = notNamed(lines(fieldsOf(pickReleaseId(key, RECORD, releases))));
  assert.ok(unsent.every((match) => match.agreeing <= 2));
  // Two marked values of a real release could be anyone's by chance.
  const leaked = releases[3] as SentMarks;
  const [phone, passport] = [RECORD[3], RECORD[6]].map((value) =>
    renderValue(key, leaked.releaseId, value as MarkedValue),
  );
  const [fromTwo] = notNamed(`phone ${phone?.text}, passport ${passport?.text}`);
  assert.equal(fromTwo?.agreeing, 2);
  // Values retyped in the leaker's own layout carry no marks (the passport, retyped bare, is in the owner's form).
  const retyped = notNamed("Teodoro Quintanilla Núñez, born 30/05/1971, tel. 55 1234 9876, passport G 123 456 78");
  assert.ok(retyped.every((match) => match.agreeing === 0));
  assert.deepEqual(traceCopy(key, "nothing released is in here", releases), []);
});
