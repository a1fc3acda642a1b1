// Hash routes round-trip: what href writes, parseRoute reads back, ids with slashes and spaces included.
import assert from "node:assert/strict";
import { test } from "node:test";
import { href, parseRoute } from "./router.ts";

test("an empty hash opens the search screen", () => {
  assert.deepEqual({ ...parseRoute(""), query: undefined }, { screen: "search", params: [], query: undefined });
});

test("entity ids with separators survive the round trip", () => {
  const id = "mx:persona/12 ñ?x";
  const route = parseRoute(href("entity", id));
  assert.equal(route.screen, "entity");
  assert.deepEqual(route.params, [id]);
});

test("query parameters after the path are read", () => {
  const route = parseRoute(`${href("requests", "new")}?partner=mx&reference=r-1`);
  assert.deepEqual(route.params, ["new"]);
  assert.equal(route.query.get("partner"), "mx");
  assert.equal(route.query.get("reference"), "r-1");
});
