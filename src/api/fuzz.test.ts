// Every route of the API, fed arbitrary input by every role, and every node-to-node route, fed arbitrary messages
// signed by a partner: whatever comes in, the answer is never a server error, and every refusal is problem+json with
// a stable type. Routes, methods and the shapes of their bodies and queries come from the OpenAPI document (and, for
// the node-to-node routes it hides, from the routes as the server adds them), so a route added later is fuzzed too;
// half the bodies follow the route's schema (so they reach the services behind validation), half are any JSON.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { startTwoNodes, type TwoNodes } from "../federation/test-federation.ts";
import { SIGNATURE_HEADER, signRequest, signUserAssertion } from "../federation/transport.ts";
import type { TestNode } from "../node/test-node.ts";
import { ROLES } from "../policy/roles.ts";
import { buildServer } from "./server.ts";

let federation: TwoNodes;
let node: TestNode;
let app: FastifyInstance;
const tokens: string[] = [];
/** The node-to-node routes, with their body schemas, as the server adds them. */
const peerRoutes: Route[] = [];
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

/** Routes left out, with the reason: signing out ends the session the other requests use. */
const SKIPPED = new Set(["POST /api/v1/auth/sign-out"]);

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  if?: Schema;
  then?: Schema;
  else?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
  pattern?: string;
}

interface Parameter {
  in: string;
  name: string;
  schema?: Schema;
}

interface Route {
  method: string;
  path: string;
  body?: Schema;
  query: Parameter[];
}

/** Strings that have broken parsers before: dates at the edges, names with accents, markup, huge numbers. */
const AWKWARD = fc.constantFrom(
  "",
  " ",
  "0",
  "-1",
  "1e309",
  "2026-02-30T25:61:00Z",
  "José Hernández",
  "<b>x</b>",
  "\u0000",
);

/** Values for properties that validation alone cannot tell apart from noise (a partner's signed user assertion). */
const KNOWN: Record<string, fc.Arbitrary<unknown>> = {};

/** Values that fit `schema` (as far as these keywords go), so a body gets past validation to the service. */
function fitting(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.jsonValue({ maxDepth: 2 });
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if ("const" in schema) return fc.constant(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => fitting(alternative, depth + 1)));
  if (schema.if) {
    const { if: _condition, then: yes, else: no, ...rest } = schema;
    return fc.oneof(
      ...[yes, no]
        .filter((branch): branch is Schema => branch !== undefined)
        .map((branch) => fitting({ ...rest, ...branch }, depth + 1)),
    );
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "string": {
      if (schema.format === "date-time")
        return fc.oneof(
          fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
          AWKWARD,
        );
      if (schema.format === "date")
        return fc.date({ noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern, "u"));
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 40));
      return fc.oneof(
        fc.string({ minLength, maxLength }),
        AWKWARD.filter((text) => text.length >= minLength && text.length <= maxLength),
      );
    }
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9, noNaN: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(schema.maxItems ?? 4, 4));
      const items = fitting(schema.items, depth + 1);
      return schema.uniqueItems
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (item) => JSON.stringify(item) })
        : fc.array(items, { minLength, maxLength });
    }
    case "object": {
      const properties = schema.properties ?? {};
      if (Object.keys(properties).length === 0 && typeof schema.additionalProperties === "object")
        return fc.dictionary(
          fc.string({ minLength: 1, maxLength: 12 }),
          fitting(schema.additionalProperties, depth + 1),
          {
            maxKeys: 3,
          },
        );
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries(properties)) {
        const known = KNOWN[name];
        model[name] = known ? fc.oneof(known, fitting(property, depth + 1)) : fitting(property, depth + 1);
      }
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((name) => name in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

before(async () => {
  federation = await startTwoNodes(() => new Date());
  node = federation.us;
  // Thousands of requests from one address: the per-minute limit is not what is under test here.
  node.config.rateLimitPerMinute = 1_000_000;
  app = await buildServer(node, {
    onRoute: (route) => {
      if (!route.url.startsWith("/federation/v1/")) return;
      const schema = route.schema as { body?: Schema; querystring?: Schema } | undefined;
      const query = Object.entries(schema?.querystring?.properties ?? {}).map(([name, property]) => ({
        in: "query",
        name,
        schema: property,
      }));
      for (const method of [route.method].flat())
        if (method !== "HEAD")
          peerRoutes.push({ method, path: route.url, query, ...(schema?.body ? { body: schema.body } : {}) });
    },
  });
  for (const role of ROLES) tokens.push(await node.signedInUser(`fuzz-${role}`, [role], { cfr28Trained: true }));
  await app.inject({
    method: "POST",
    url: "/api/v1/entities",
    headers: { authorization: `Bearer ${tokens[0]}` },
    payload: { id: "p-1", schema: "Person", properties: { name: ["Ana Fuzz"], birthDate: ["1980-01-02"] } },
  });
});
after(async () => {
  await app.close();
  await federation.close();
});

async function routes(): Promise<Route[]> {
  const document = (await app.inject({ method: "GET", url: "/api/v1/openapi.json" })).json() as {
    paths: Record<
      string,
      Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> }; parameters?: Parameter[] }>
    >;
  };
  const found: Route[] = [];
  for (const [path, operations] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(operations)) {
      const body = operation.requestBody?.content?.["application/json"]?.schema;
      const route: Route = {
        method: method.toUpperCase(),
        path,
        query: (operation.parameters ?? []).filter((parameter) => parameter.in === "query"),
        ...(body ? { body } : {}),
      };
      if (!SKIPPED.has(`${route.method} ${path}`)) found.push(route);
    }
  return found;
}

/** A body that follows the route's schema, or any JSON; a query from the route's parameters, or stray ones. */
function input(route: Route): fc.Arbitrary<{ body: unknown; search: Record<string, string> }> {
  const declared: Record<string, fc.Arbitrary<string>> = {};
  for (const parameter of route.query) declared[parameter.name] = fitting(parameter.schema).map(String);
  return fc.record({
    body: fc.oneof(fitting(route.body), fc.jsonValue({ maxDepth: 3 })),
    search: fc.oneof(fc.record(declared, { requiredKeys: [] }) as fc.Arbitrary<Record<string, string>>, query),
  });
}

/** Text for a path parameter: ids that exist, ids that do not, and hostile strings. */
const parameter = fc.oneof(
  fc.constantFrom("us:p-1", "p-1", "..", "%00", "us:", "x".repeat(300), "1e309", "-1", "ana"),
  fc.string({ maxLength: 40 }),
);

const query = fc.dictionary(
  fc.constantFrom("limit", "after", "since", "kind", "actor", "depth", "q", "schema", "status", "before", "port"),
  fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String), fc.constant("")),
  { maxKeys: 3 },
);

test("no input to any route, from any role, is answered with a server error; refusals are problem+json", async () => {
  const all = await routes();
  assert.ok(all.length > 40, `the OpenAPI document lists ${all.length} routes`);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...all).chain((route) => input(route).map((made) => ({ route, ...made }))),
      fc.constantFrom(...tokens, "not-a-token"),
      parameter,
      async ({ route, body, search }, token, value) => {
        const url = route.path.replace(/\{[^}]+\}/gu, encodeURIComponent(value));
        const response = await app.inject({
          method: route.method as "GET",
          url,
          query: search,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          ...(route.method === "GET" || route.method === "DELETE" ? {} : { payload: JSON.stringify(body) }),
        });
        assertAnswer(
          response,
          `${route.method} ${url} ${JSON.stringify(search)} ${JSON.stringify(body)?.slice(0, 200)}`,
        );
      },
    ),
    { numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
  );
});

/** What a refusal must look like: problem+json with a stable type. */
function assertAnswer(response: { statusCode: number; headers: Record<string, unknown>; body: string }, where: string) {
  assert.ok(response.statusCode < 500, `${where} → ${response.statusCode} ${response.body.slice(0, 300)}`);
  if (response.statusCode >= 400) {
    assert.match(String(response.headers["content-type"]), /^application\/problem\+json/u, where);
    assert.match((JSON.parse(response.body) as { type: string }).type, /^urn:puente:problem:[a-z-]+$/u, where);
  }
}

test("no message a partner signs, whatever it holds, is answered with a server error; refusals are problem+json", async () => {
  const partner = federation.mx;
  assert.ok(peerRoutes.length >= 10, `${peerRoutes.length} node-to-node routes`);
  const assertion = (roles: string[]) =>
    signUserAssertion(
      partner.federation.signer,
      "us",
      {
        userId: "u-1",
        username: "lic.soto",
        agency: "FGR",
        country: "MX",
        roles,
        cfr28Trained: true,
        purpose: "fuzzing",
        caseReference: "FGR-1",
        node: "mx",
      },
      new Date(),
    );
  KNOWN.assertion = fc.constantFrom(await assertion(["analyst"]), await assertion(["border-officer"]));
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...peerRoutes).chain((route) => input(route).map((made) => ({ route, ...made }))),
      async ({ route, body, search }) => {
        const post = route.method === "POST";
        const text = post ? (JSON.stringify(body) ?? "") : "";
        // The signature covers the path with its query, as the partner's client sends it.
        const url = Object.keys(search).length > 0 ? `${route.path}?${new URLSearchParams(search)}` : route.path;
        const { header } = await signRequest(partner.federation.signer, "us", route.method, url, text, new Date());
        const response = await app.inject({
          method: route.method as "POST",
          url,
          headers: { [SIGNATURE_HEADER]: header, ...(post ? { "content-type": "application/json" } : {}) },
          ...(post ? { payload: text } : {}),
        });
        assertAnswer(response, `${route.method} ${url} ${text.slice(0, 200)}`);
      },
    ),
    { numRuns: Math.ceil(RUNS / 3), endOnFailure: true, includeErrorInReport: true },
  );
});
