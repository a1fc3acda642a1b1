// Tests for how a failed request is put into words: a known problem type in the user's language, any other by its
// title (or detail).
import assert from "node:assert/strict";
import { test } from "node:test";
import i18next from "i18next";
import { ApiError } from "../api.ts";
import common from "../i18n/messages/common.ts";
import { problemText } from "./ProblemMessage.tsx";

async function translator(language: "en" | "es" | "fr") {
  const i18n = i18next.createInstance();
  await i18n.init({
    resources: { [language]: { common: common[language] } },
    lng: language,
    defaultNS: "common",
    interpolation: { escapeValue: false },
  });
  return i18n.t.bind(i18n);
}

const problem = (slug: string, title: string) =>
  new ApiError({ type: `urn:puente:problem:${slug}`, title, status: 503 });

test("an answer withheld for want of an audit log, and a busy node, are explained in each language", async () => {
  for (const language of ["en", "es", "fr"] as const) {
    const t = await translator(language);
    for (const slug of ["audit-unavailable", "busy"]) {
      const text = problemText(problem(slug, "English title from the node"), t);
      assert.equal(text, common[language][`problem.${slug}` as keyof (typeof common)["en"]]);
      assert.ok(!text.includes("English title"), `${language} ${slug}: not the node's English title`);
    }
  }
});

test("a problem type the application does not know shows the node's title", async () => {
  const t = await translator("es");
  assert.equal(problemText(problem("new-kind", "Something new"), t), "La solicitud falló: Something new");
});
