// Three real node processes on loopback (`puente serve`), federated the way agencies would be: a search finds a
// person held by another agency under another spelling; forged, stale, replayed, unknown and revoked requests
// are refused, and the refusals logged; a partner that is down or silent leaves partial results within the
// deadline.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { totp } from "../auth/totp.ts";
import { generateNodeKeyPair, loadNodeKeyPair } from "../crypto/keys.ts";
import { KEYS_DIR, loadConfig } from "../node/config.ts";
import { initNode } from "../node/init.ts";
import { openNode } from "../node/node.ts";
import type { Principal } from "../policy/access.ts";
import { openDatabase } from "../store/database.ts";
import type { Manifest } from "./manifest.ts";
import { inviteMember, joinFederation, revokeFromFederation, selfMember } from "./membership.ts";
import { SEARCH_PATH } from "./search-service.ts";
import { SIGNATURE_HEADER, signRequest } from "./transport.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const PASSWORD = "integration password 2026";
// Below Linux's ephemeral range (32768–60999): a port the system hands another test's connection cannot be taken.
const BASE_PORT = 20_000 + Math.floor(Math.random() * 12_000);
const NODES = [
  { nodeId: "us", country: "US", agency: "US agency" },
  { nodeId: "mx", country: "MX", agency: "FGR" },
  { nodeId: "ca", country: "CA", agency: "RCMP" },
] as const;
type NodeId = (typeof NODES)[number]["nodeId"];

let root: string;
const dirs = {} as Record<NodeId, string>;
const processes = {} as Record<NodeId, ChildProcess>;
const logs = {} as Record<NodeId, string>;
const url = (nodeId: NodeId) => `http://127.0.0.1:${BASE_PORT + NODES.findIndex((n) => n.nodeId === nodeId)}`;
let silent: Server;
let totpSecret = "";
let supervisorSecret = "";

async function waitForHealth(nodeId: NodeId): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      if ((await fetch(`${url(nodeId)}/api/v1/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${nodeId} did not start:\n${logs[nodeId]}`);
}

function startNode(nodeId: NodeId): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--dir", dirs[nodeId]], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  logs[nodeId] = "";
  child.stdout?.on("data", (chunk) => {
    logs[nodeId] += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    logs[nodeId] += String(chunk);
  });
  processes[nodeId] = child;
  return waitForHealth(nodeId);
}

async function stopNode(nodeId: NodeId): Promise<void> {
  const child = processes[nodeId];
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

before(async () => {
  root = mkdtempSync(join(tmpdir(), "puente-federation-"));
  for (const [index, node] of NODES.entries()) {
    dirs[node.nodeId] = join(root, node.nodeId);
    await initNode({ dir: dirs[node.nodeId], ...node, port: BASE_PORT + index });
  }
  // Records: Mexico holds Francisco Vázquez Ruiz, releasable to the US; Canada holds him only as TLP:RED.
  const mx = await openNode(dirs.mx, { databaseUrl: "" });
  const ca = await openNode(dirs.ca, { databaseUrl: "" });
  const us = await openNode(dirs.us, { databaseUrl: "" });
  try {
    const writer: Principal = {
      userId: "seed",
      username: "seed",
      roles: ["supervisor"],
      clearance: "RED",
      cfr28Trained: true,
      via: "session",
    };
    await mx.entities.saveEntity(writer, {
      id: "p-1",
      schema: "Person",
      properties: { firstName: ["Francisco"], lastName: ["Vázquez Ruiz"], birthDate: ["1990-02-01"] },
      markings: { releasableCountries: ["MX", "US"] },
    });
    await ca.entities.saveEntity(writer, {
      id: "p-9",
      schema: "Person",
      properties: { firstName: ["Francisco"], lastName: ["Vazquez"], birthDate: ["1990-02-01"] },
      markings: { tlp: "RED" },
    });
    ({ totpSecret: supervisorSecret } = await mx.auth.createAccount({
      username: "sara",
      password: PASSWORD,
      roles: ["supervisor"],
      cfr28Trained: true,
    }));
    ({ totpSecret } = await us.auth.createAccount({
      username: "ana",
      password: PASSWORD,
      roles: ["analyst"],
      cfr28Trained: true,
    }));
  } finally {
    await Promise.all([mx.close(), ca.close(), us.close()]);
  }
  // Federation: the US node invites Mexico and Canada, and a silent member that accepts connections but never
  // answers; Mexico and Canada join by countersigning.
  silent = createServer(() => {});
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const silentPort = (silent.address() as { port: number }).port;
  let manifest: Manifest | undefined;
  for (const nodeId of ["mx", "ca"] as const) {
    const { config } = loadConfig(dirs[nodeId]);
    const keys = await loadNodeKeyPair(join(dirs[nodeId], KEYS_DIR));
    manifest = await inviteMember(dirs.us, selfMember(config, keys.publicKeyPem), { federation: "test" });
  }
  manifest = await inviteMember(dirs.us, {
    nodeId: "zz",
    agency: "Silent agency",
    country: "GT",
    endpoint: `http://127.0.0.1:${silentPort}`,
    publicKey: generateNodeKeyPair().publicKeyPem,
    roles: ["member"],
  });
  for (const nodeId of ["mx", "ca"] as const) await joinFederation(dirs[nodeId], manifest);
  await Promise.all(NODES.map((node) => startNode(node.nodeId)));
});

after(async () => {
  await Promise.all(NODES.map((node) => stopNode(node.nodeId)));
  silent?.close();
  rmSync(root, { recursive: true, force: true });
});

async function signIn(nodeId: NodeId = "us", username = "ana", secret = totpSecret): Promise<string> {
  const response = await fetch(`${url(nodeId)}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: PASSWORD, totp: totp(secret, Date.now()) }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { token: string }).token;
}

interface SearchAnswer {
  local: unknown[];
  partners: Array<{
    nodeId: string;
    status: string;
    latencyMs: number;
    hits: Array<{ band: string; reference: string; pointOfContact: { name: string } }>;
  }>;
}

async function search(token: string, deadlineMs: number): Promise<SearchAnswer> {
  const response = await fetch(`${url("us")}/api/v1/search`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      schema: "Person",
      properties: { name: ["Paco Vazquez"], birthDate: ["1990-02-01"] },
      purpose: "Investigation of a firearms trafficking ring",
      caseReference: "US-2026-0042",
      urgency: "urgent",
      deadlineMs,
    }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as SearchAnswer;
}

/** Sends a node-to-node search to Mexico signed as `as` with `privateKeyPem`, at `at`. */
async function signedSearch(
  as: string,
  privateKeyPem: string,
  at: Date,
  body = JSON.stringify({
    query: { schema: "Person", properties: { name: ["x"] } },
    purpose: "p",
    caseReference: "c",
    urgency: "other",
    assertion: "x",
  }),
) {
  const { header } = await signRequest(
    { nodeId: as, privateKeyPem, manifestVersion: () => 1 },
    "mx",
    "POST",
    SEARCH_PATH,
    body,
    at,
  );
  const send = () =>
    fetch(`${url("mx")}${SEARCH_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", [SIGNATURE_HEADER]: header },
      body,
    });
  return { send };
}

async function refusal(response: Response): Promise<[number, string]> {
  const problem = (await response.json()) as { type: string; detail: string };
  assert.equal(problem.type, "urn:puente:problem:federation-refused");
  return [response.status, problem.detail];
}

describe("three nodes on loopback", () => {
  // One sign-in for all: a TOTP code is good once.
  let token = "";
  let mexicanReference = "";
  let supervisor = "";
  before(async () => {
    token = await signIn();
  });

  test("a search finds the person Mexico holds under another spelling; Canada's RED record stays unseen", async () => {
    const answer = await search(token, 2000);
    const byNode = Object.fromEntries(answer.partners.map((partner) => [partner.nodeId, partner]));
    assert.equal(byNode.mx?.status, "ok");
    assert.equal(byNode.mx?.hits.length, 1);
    assert.equal(byNode.mx?.hits[0]?.band, "match");
    assert.match(byNode.mx?.hits[0]?.pointOfContact.name ?? "", /FGR/u);
    assert.deepEqual(Object.keys(byNode.mx?.hits[0] ?? {}).sort(), ["band", "pointOfContact", "reference", "released"]);
    assert.equal(byNode.ca?.status, "ok");
    assert.deepEqual(byNode.ca?.hits, [], "TLP:RED never leaves its node, not even as a hit");
    mexicanReference = byNode.mx?.hits[0]?.reference ?? "";
  });

  test("a signed-in user learns who the partners are, by agency, and nothing of their endpoints or keys", async () => {
    const response = await fetch(`${url("us")}/api/v1/partners`, { headers: { authorization: `Bearer ${token}` } });
    const { partners } = (await response.json()) as { partners: Array<Record<string, string>> };
    const ids = partners.map((partner) => partner.nodeId);
    assert.ok(ids.includes("mx") && ids.includes("ca") && !ids.includes("us"), ids.join(", "));
    for (const partner of partners) assert.deepEqual(Object.keys(partner).sort(), ["agency", "country", "nodeId"]);
    assert.equal((await fetch(`${url("us")}/api/v1/partners`)).status, 401, "not without signing in");
  });

  test("step two: the details are requested, approved with the birth date redacted, and released signed", async () => {
    const call = (nodeId: NodeId, who: string, method: string, path: string, body?: unknown) =>
      fetch(`${url(nodeId)}${path}`, {
        method,
        headers: { "content-type": "application/json", authorization: `Bearer ${who}` },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const asked = await call("us", token, "POST", "/api/v1/requests", {
      partner: "mx",
      reference: mexicanReference,
      justification: "Same person as our suspect in US-2026-0042; need identifiers to confirm",
      purpose: "Investigation of a firearms trafficking ring",
      caseReference: "US-2026-0042",
      urgency: "urgent",
    });
    assert.equal(asked.status, 201, await asked.clone().text());
    supervisor = await signIn("mx", "sara", supervisorSecret);
    const queue = (await (await call("mx", supervisor, "GET", "/api/v1/requests/incoming")).json()) as {
      requests: Array<{ id: string; justification: string; requester_node: string; due_at: string }>;
    };
    assert.equal(queue.requests.length, 1);
    const [incoming] = queue.requests;
    assert.equal(incoming?.requester_node, "us");
    // Urgent: eight hours to answer.
    assert.ok(Math.abs(Date.parse(incoming?.due_at ?? "") - Date.now() - 8 * 3_600_000) < 60_000);
    const decided = await call("mx", supervisor, "POST", `/api/v1/requests/incoming/${incoming?.id}/decision`, {
      decision: "approve",
      redact: ["birthDate"],
    });
    assert.equal(decided.status, 200, await decided.clone().text());
    // Delivered through the outbox: at once when the partner is up.
    let released:
      | {
          releases: Array<{
            statements: Array<{ property: string; markings: { releasableCountries: string[] } }>;
            redacted: string[];
            watermark: string;
            owner: string;
          }>;
        }
      | undefined;
    for (let attempt = 0; attempt < 50 && !released?.releases.length; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const mine = (await (await call("us", token, "GET", "/api/v1/requests")).json()) as {
        requests: Array<NonNullable<typeof released> & { status: string }>;
      };
      released = mine.requests[0];
    }
    const [release] = released?.releases ?? [];
    assert.ok(release, "the release arrived");
    assert.equal(release.owner, "mx");
    assert.deepEqual(release.redacted, ["birthDate"]);
    const properties = release.statements.map((statement) => statement.property).sort();
    assert.ok(properties.includes("firstName") && !properties.includes("birthDate"), properties.join(","));
    assert.deepEqual(
      release.statements[0]?.markings.releasableCountries,
      ["MX", "US"],
      "markings travel with the data",
    );
    assert.match(release.watermark, /^[A-Za-z0-9_-]{43}$/u);
  });

  test("a partner that never answers is reported as a timeout, and the search returns within the deadline", async () => {
    const started = performance.now();
    const answer = await search(token, 800);
    const elapsed = performance.now() - started;
    const silentPartner = answer.partners.find((partner) => partner.nodeId === "zz");
    assert.equal(silentPartner?.status, "timeout");
    assert.ok(elapsed < 800 + 700, `took ${elapsed} ms`);
    assert.equal(answer.partners.find((partner) => partner.nodeId === "mx")?.status, "ok");
  });

  test("a purge reaches the recipient even though it was offline when the owner purged", async () => {
    await stopNode("us");
    const purged = await fetch(`${url("mx")}/api/v1/entities/mx:p-1`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${supervisor}` },
    });
    assert.equal(purged.status, 204);
    await startNode("us");
    let releases = 1;
    for (let attempt = 0; attempt < 300 && releases > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const mine = (await (
        await fetch(`${url("us")}/api/v1/requests`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { requests: Array<{ releases: unknown[] }> };
      releases = mine.requests[0]?.releases.length ?? 0;
    }
    assert.equal(releases, 0, "the outbox retried until the recipient was back, and the release is gone");
  });

  test("forged, stale, replayed and unknown-node requests are refused, and each refusal is logged", async () => {
    const usKeys = await loadNodeKeyPair(join(dirs.us, KEYS_DIR));
    const forged = await signedSearch("us", generateNodeKeyPair().privateKeyPem, new Date());
    assert.deepEqual(await refusal(await forged.send()), [401, "bad-signature"]);
    const stale = await signedSearch("us", usKeys.privateKeyPem, new Date(Date.now() - 120_000));
    assert.deepEqual(await refusal(await stale.send()), [401, "stale"]);
    const once = await signedSearch("us", usKeys.privateKeyPem, new Date());
    // The first delivery passes the signature check and fails only on its made-up user assertion.
    assert.deepEqual(await refusal(await once.send()), [401, "bad-assertion"]);
    assert.deepEqual(await refusal(await once.send()), [401, "replayed"]);
    const stranger = await signedSearch("zz-unknown", generateNodeKeyPair().privateKeyPem, new Date());
    assert.deepEqual(await refusal(await stranger.send()), [403, "unknown-node"]);
    const unsigned = await fetch(`${url("mx")}${SEARCH_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    assert.deepEqual(await refusal(unsigned), [401, "missing-signature"]);
    for (const reason of ["bad-signature", "stale", "replayed", "unknown-node"])
      assert.match(logs.mx, new RegExp(`"event":"federation.refused","reason":"${reason}"`, "u"));
    // And in Mexico's audit log, read as oversight would, beside the running node. A request is audited once its
    // answer has gone out, so the last refusal's entry may land a moment after the answer.
    const reasons = ["bad-signature", "stale", "replayed", "unknown-node", "missing-signature"];
    const audit = await openDatabase({ sqlitePath: join(dirs.mx, "puente.db") });
    try {
      let refused: string[] = [];
      for (let attempt = 0; attempt < 50 && !reasons.every((reason) => refused.includes(reason)); attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
        refused = (await audit.db.selectFrom("audit_log").select("details").execute())
          .map((row) => JSON.parse(row.details).refused)
          .filter(Boolean);
      }
      for (const reason of reasons) assert.ok(refused.includes(reason), `${reason} is in the audit log`);
    } finally {
      await audit.close();
    }
  });

  test("a node revoked by Mexico is refused from its next request on, and a partner that is down is an error", async () => {
    await revokeFromFederation(dirs.mx, "us", "key compromised");
    const usKeys = await loadNodeKeyPair(join(dirs.us, KEYS_DIR));
    const next = await signedSearch("us", usKeys.privateKeyPem, new Date());
    assert.deepEqual(await refusal(await next.send()), [403, "revoked-node"]);
    await stopNode("ca");
    const answer = await search(token, 1000);
    const byNode = Object.fromEntries(answer.partners.map((partner) => [partner.nodeId, partner.status]));
    assert.deepEqual(byNode, { mx: "refused", ca: "error", zz: "timeout" });
  });
});
