// Tests for the Spanish-aware phonetic key.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { foldName } from "./names.ts";
import { phoneticKey } from "./phonetic.ts";

test("spellings that sound alike share a key", () => {
  const same = (...tokens: string[]) => {
    const keys = tokens.map(phoneticKey);
    for (const key of keys) assert.equal(key, keys[0], `${tokens.join("/")}: ${keys.join("/")}`);
  };
  same("vazquez", "basquez", "vasquez");
  same("hernandez", "ernandez");
  same("yolanda", "llolanda");
  same("ximena", "jimena");
  same("gonzalez", "gonsales");
  same("cecilia", "sesilia");
  same("quique", "kike");
  same("guillermo", "guiyermo");
  same("gerardo", "jerardo");
  same("xavier", "javier");
  same("raphael", "rafael");
  same("carrillo", "cariyo");
  same("smith", "smyth");
  same("tonho", "tono");
});

test("different names keep different keys", () => {
  const differ = (a: string, b: string) => assert.notEqual(phoneticKey(a), phoneticKey(b), `${a}/${b}`);
  differ("perez", "paredes");
  differ("garcia", "garza");
  differ("jose", "josefa");
  differ("maria", "mario");
  differ("luis", "luisa");
});

test("keys keep the final vowel and collapse doubled sounds", () => {
  assert.equal(phoneticKey("garza"), "garsa");
  assert.equal(phoneticKey("ferrer"), "ferer");
  assert.equal(phoneticKey("hh"), "");
  assert.equal(phoneticKey(""), "");
});

test("phoneticKey is deterministic, total and yields lower-case letters", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      const key = phoneticKey(text);
      assert.equal(phoneticKey(text), key);
      assert.ok(/^[a-z]*$/.test(key));
      const folded = phoneticKey(foldName(text));
      assert.ok(/^[a-z]*$/.test(folded));
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.stringMatching(/^[a-z]{1,12}$/), (token) => {
      // No code is repeated back to back.
      const key = phoneticKey(token);
      for (let i = 1; i < key.length; i++) assert.notEqual(key[i], key[i - 1]);
    }),
  );
});
