// A partner that answers anything at all, correctly signed: a federated search, a subscription, the sync of partner
// lookouts and the publishing of the audit head must each report that partner's answer as an error and go on,
// never fail for the node's own users (one bad partner must not stop every search) nor keep what it sent.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, test } from "node:test";
import fc from "fast-check";
import type { TestNode } from "../node/test-node.ts";
import { startTwoNodes, type TwoNodes, testPrincipal } from "./test-federation.ts";
import { SIGNATURE_HEADER, signResponse, verifyRequest } from "./transport.ts";

let federation: TwoNodes;
let us: TestNode;
let server: http.Server;
/** What the impostor answers next: a status and any text, signed with the partner's own key. */
let answer = { status: 200, text: "{}" };
const analyst = testPrincipal("agent-smith", ["analyst"]);

before(async () => {
  federation = await startTwoNodes(() => new Date());
  us = federation.us;
  const mx = federation.mx;
  const endpoint = new URL(us.federation.member("mx")?.endpoint ?? "");
  await federation.goOffline("mx");
  // In mx's place, with mx's key: every request is checked as mx would, and answered with whatever `answer` holds.
  server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const claims = await verifyRequest({
      header: request.headers[SIGNATURE_HEADER] as string | undefined,
      me: "mx",
      method: request.method ?? "GET",
      path: request.url ?? "/",
      body,
      peers: mx.federation,
      replay: mx.federation.replay,
      now: new Date(),
    });
    const signature = await signResponse(mx.federation.signer, claims, answer.status, answer.text, new Date());
    response.writeHead(answer.status, { [SIGNATURE_HEADER]: signature, "content-type": "application/json" });
    response.end(answer.text);
  });
  await new Promise<void>((resolve) => server.listen(Number(endpoint.port), "127.0.0.1", resolve));
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await federation.close();
});

/** Answers shaped like the real ones, with anything inside; and anything at all. */
const anything = fc.jsonValue({ maxDepth: 3 });
/** A hit close to a real one: the right reference and band, with anything in its contact and released values. */
const nearHit = fc.record({
  reference: fc.string({ maxLength: 10 }),
  band: fc.constantFrom("match", "possible"),
  pointOfContact: fc.oneof(anything, fc.record({ name: fc.string(), email: anything }, { requiredKeys: ["name"] })),
  released: fc.oneof(anything, fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(anything, fc.array(anything)))),
});
const answers = fc.oneof(
  anything,
  fc.record({ hits: fc.oneof(anything, fc.array(fc.oneof(anything, nearHit))) }),
  fc.record(
    {
      lookouts: fc.oneof(anything, fc.array(fc.oneof(fc.constant(null), anything))),
      removed: anything,
      next: fc.oneof(fc.integer(), anything),
      more: fc.oneof(fc.boolean(), anything),
    },
    { requiredKeys: [] },
  ),
  fc.record({ witnessed: anything, proof: anything }, { requiredKeys: [] }),
);
const replies = fc.record({
  status: fc.constantFrom(200, 200, 200, 201, 400, 404, 429, 500),
  text: fc.oneof(
    { arbitrary: answers.map((value) => JSON.stringify(value) ?? ""), weight: 4 },
    fc.string({ maxLength: 20 }),
  ),
});

/** What the node's user asks every partner, in a search and in a subscription. */
const QUERY = {
  schema: "Person",
  properties: { name: ["Ana Vega"] },
  purpose: "fuzzing a partner's answers",
  caseReference: "US-FUZZ-1",
};

const operations = {
  search: async () => {
    const result = await us.federatedSearch.search(analyst, { ...QUERY, urgency: "standard", deadlineMs: 2000 });
    const fromMx = result.partners.find((partner) => partner.nodeId === "mx");
    // What reaches the user's screen has the shape the screen draws, to the last value.
    for (const hit of fromMx?.hits ?? []) {
      assert.equal(typeof hit.pointOfContact.email, "string");
      for (const values of Object.values(hit.released))
        assert.ok(Array.isArray(values) && values.every((value) => typeof value === "string"), JSON.stringify(hit));
    }
    return fromMx?.status;
  },
  subscribe: async () => {
    const result = await us.subscriptions.subscribe(analyst, {
      ...QUERY,
      legalBasis: "test",
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    return result.partners.find((partner) => partner.nodeId === "mx")?.status;
  },
  lookouts: async () => (await us.screening.syncPartners()).find((report) => report.partner === "mx")?.status,
  witness: async () => (await us.witness.publish()).find((report) => report.nodeId === "mx")?.status,
};

test("whatever a partner answers, the node's own work goes on and names that partner's answer", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...(Object.keys(operations) as Array<keyof typeof operations>)),
      replies,
      async (operation, reply) => {
        answer = reply;
        const status = await operations[operation]();
        assert.ok(status === "ok" || status === "error" || status === "refused", `${operation}: ${status}`);
      },
    ),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 300), endOnFailure: true, includeErrorInReport: true },
  );
});
