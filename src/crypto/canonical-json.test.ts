// RFC 8785 canonical JSON: key order, escapes and numbers as the RFC's examples give them, and one output for
// every ordering of the same object.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { canonicalJson } from "./canonical-json.ts";

test("keys sort by code unit, nested; strings and numbers as ECMAScript writes them", () => {
  assert.equal(
    canonicalJson({ b: [1, { d: 2, c: 1 }], a: "é\n", "\u20ac": 1, "\r": 2 }),
    '{"\\r":2,"a":"é\\n","b":[1,{"c":1,"d":2}],"€":1}',
  );
  assert.equal(canonicalJson([1e21, 1e-7, -0, 0.1, 333333333.3333333]), "[1e+21,1e-7,0,0.1,333333333.3333333]");
  assert.throws(() => canonicalJson({ n: Number.NaN }));
});

test("the same value in any key order canonicalises to the same text, which parses back to it", () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const text = canonicalJson(value);
      const shuffled = JSON.parse(
        JSON.stringify(value, (_key, item) =>
          item && typeof item === "object" && !Array.isArray(item)
            ? Object.fromEntries(Object.entries(item).reverse())
            : item,
        ),
      );
      assert.equal(canonicalJson(shuffled), text);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
    }),
  );
});
