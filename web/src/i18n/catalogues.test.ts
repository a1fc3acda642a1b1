// Every catalogue under ./messages is complete in English, Spanish and French: the same keys, no empty text,
// the same {{placeholders}}, and Spanish and French texts that are translations rather than English copies.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { test } from "node:test";
import type { Catalogue } from "./catalogue.ts";

const DIR = new URL("./messages/", import.meta.url);
const files = readdirSync(DIR).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"));

/** Texts that are rightly the same in English and the other language (names, codes, cognates). */
const SAME_IN_TRANSLATION = new Set([
  "Puente",
  "TLP:{{level}}",
  "{{value}} ms",
  "Error",
  "Source {{grade}}",
  "Information {{grade}}",
  "Administration",
  "Urgent",
  "Score",
  "Total",
  "Notes",
  "Message",
  "Description",
  "Type",
  "Date",
  "Radius",
  "Justification",
  "Latitude",
  "Longitude",
  "Actions",
  "Source",
  "Sources",
  "Important",
  "Contact",
  "Organisation",
  "Operation",
  "Opérations",
  "Identification",
  "Agence",
  "Minutes",
  "Pages",
  "Port",
  "Question",
  "Option",
]);

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/gu)].map((match) => match[1] as string).sort();
}

test("there are catalogues to check", () => {
  assert.ok(files.includes("common.ts"), `found: ${files.join(", ")}`);
});

for (const file of files) {
  test(`catalogue ${file} is complete in en, es and fr`, async () => {
    const catalogue = (await import(new URL(file, DIR).href)).default as Catalogue<Record<string, string>>;
    const keys = Object.keys(catalogue.en).sort();
    assert.ok(keys.length > 0, "the English messages are empty");
    for (const language of ["es", "fr"] as const) {
      const other = catalogue[language];
      assert.deepEqual(Object.keys(other).sort(), keys, `${language} has other keys than en`);
      for (const key of keys) {
        const english = catalogue.en[key] as string;
        const translated = other[key] as string;
        assert.ok(english.trim() && translated.trim(), `${language}:${key} is empty`);
        assert.deepEqual(placeholders(translated), placeholders(english), `${language}:${key} has other placeholders`);
        if (translated === english)
          assert.ok(
            SAME_IN_TRANSLATION.has(english) || !/\p{L}{3,}/u.test(english.replace(/\{\{\w+\}\}/gu, "")),
            `${language}:${key} is the English text "${english}"`,
          );
      }
    }
  });
}
