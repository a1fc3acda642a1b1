// The demo federation over real HTTP: three nodes come up healthy, demo accounts sign in with TOTP, records are
// there, every deconfliction desk has conflicts to work on, the US node's port screens have referrals and shipments,
// and a second start reuses the data instead of seeding again.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import oversightMessages from "../../web/src/i18n/messages/oversight.ts";
import { totp } from "../auth/totp.ts";
import type { PuenteNode } from "../node/node.ts";
import { AuditRepository } from "../store/audit-repository.ts";
import { DEMO_PASSWORD, DEMO_PROFILES, demoTotpSecret, startDemo } from "./demo.ts";
import { demoPrincipal } from "./demo-principal.ts";

const dir = mkdtempSync(join(tmpdir(), "puente-demo-"));
const options = { dir, persons: 150, basePort: 17_451 };
after(() => rmSync(dir, { recursive: true, force: true }));

/** Signs the demo user in on the node at `base` with password and one-time code; the session token. */
async function signIn(base: string, nodeId: string, username: string): Promise<string> {
  const response = await fetch(`${base}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      username,
      password: DEMO_PASSWORD,
      totp: totp(demoTotpSecret(nodeId, username), Date.now()),
    }),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { token: string }).token;
}

interface Referral {
  crossing: { id: string };
  decision: { reasons: Array<{ rule: string }> };
}

/** The US node's border work as its officer sees it: referrals by crossing id with their rules, and two shipments. */
async function borderWork(base: string) {
  const token = await signIn(base, "us", "officer");
  const get = async (path: string) =>
    (await fetch(`${base}/api/v1/border/${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
  const { referrals } = (await get("referrals?limit=1000")) as { referrals: Referral[] };
  const shipment = async (id: string) =>
    (await get(`shipments/${id}`)) as { eligibility: { eligible: boolean }; alerts: Array<{ kind: string }> };
  const supervisor = await signIn(base, "us", "supervisor");
  const alerts = await fetch(`${base}/api/v1/border/alerts?port=2504`, {
    headers: { authorization: `Bearer ${supervisor}` },
  });
  return {
    rules: new Map(referrals.map((referral) => [referral.crossing.id, referral.decision.reasons.map((r) => r.rule)])),
    flagged: await shipment("MX-DEMO-TRK-0417"),
    clean: await shipment("MX-DEMO-TRK-0418"),
    bursts: ((await alerts.json()) as { alerts: Burst[] }).alerts,
  };
}

interface Burst {
  crossingIds: string[];
  referred: string[];
  links: Array<{ kind: string }>;
}

test("three nodes answer health over HTTP, demo users sign in, and a restart reuses the data", async () => {
  let demo = await startDemo(options);
  const counts: number[] = [];
  const tokens: Array<[string, string]> = [];
  let referrals = 0;
  try {
    for (const [index, profile] of DEMO_PROFILES.entries()) {
      const base = demo.urls[index] as string;
      const health = (await (await fetch(`${base}/api/v1/health`)).json()) as { status: string; nodeId: string };
      assert.deepEqual([health.status, health.nodeId], ["ok", profile.nodeId]);
      const token = await signIn(base, profile.nodeId, "analyst");
      const response = await fetch(`${base}/api/v1/entities?schema=Person&limit=5`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const page = (await response.json()) as { entities: Array<{ id: string }> };
      assert.ok(page.entities.length > 0);
      assert.ok(page.entities.every((e) => e.id.startsWith(`${profile.nodeId}:`)));
      counts.push((await demo.nodes[index]?.entityRepository.countEntities("Person")) as number);
      const desk = async (path: string) =>
        (await (
          await fetch(`${base}/api/v1/deconfliction/${path}`, { headers: { authorization: `Bearer ${token}` } })
        ).json()) as Record<string, unknown[]>;
      assert.equal((await desk("targets")).targets?.length, 5, "three subjects and a vehicle worked by two cases");
      assert.equal((await desk("operations")).operations?.length, 3);
      tokens.push([base, token]);
    }
    assert.deepEqual(counts, [150, 150, 150]);
    // Conflicts reach the desks through the outboxes: the nodes' own, and those with partners at the border.
    for (const [index, [base, token]] of tokens.entries()) {
      let notices: Array<{ counterpartNode: string; itemKind: string }> = [];
      for (let attempt = 0; attempt < 50; attempt++) {
        const response = await fetch(`${base}/api/v1/deconfliction/notices`, {
          headers: { authorization: `Bearer ${token}` },
        });
        notices = ((await response.json()) as { notices: typeof notices }).notices;
        if (new Set(notices.map((notice) => notice.counterpartNode)).size >= 2) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const nodeId = DEMO_PROFILES[index]?.nodeId as string;
      const partners = new Set(notices.map((notice) => notice.counterpartNode).filter((id) => id !== nodeId));
      assert.ok(partners.size >= 1, `${nodeId}: conflicts with partners (${JSON.stringify(notices)})`);
      assert.ok(
        notices.some((notice) => notice.counterpartNode === nodeId),
        `${nodeId}: a conflict between two of its own cases`,
      );
      assert.ok(
        notices.some((notice) => notice.itemKind === "operation"),
        `${nodeId}: an operation conflict at the border`,
      );
    }
    // The US node screens the southern border: travellers written as variants of lookouts' names, a plate on a
    // lookout and a truck whose shipment left its corridor are referred, each with its reason.
    const border = await borderWork(demo.urls[0] as string);
    assert.ok(border.rules.get("DEMO-2504-W1")?.includes("lookout.person.match"), JSON.stringify([...border.rules]));
    assert.ok(border.rules.get("DEMO-2504-W2")?.includes("lookout.person.match"));
    assert.ok(border.rules.get("DEMO-2504-P1")?.includes("lookout.plate"));
    assert.ok(border.rules.get("DEMO-2304-T1")?.includes("express.ineligible"));
    assert.ok(!border.rules.get("DEMO-2304-T2")?.includes("express.ineligible"));
    assert.equal(border.flagged.eligibility.eligible, false);
    assert.deepEqual(border.flagged.alerts.map((alert) => alert.kind).sort(), [
      "route-deviation",
      "seal-opened-outside-authorised-place",
      "unscheduled-stop",
    ]);
    assert.deepEqual([border.clean.eligibility.eligible, border.clean.alerts], [true, []]);
    // Six cars of one registrant within twenty minutes: one alert for the port supervisor, a few of them referred.
    const [burst, ...otherBursts] = border.bursts;
    assert.deepEqual(otherBursts, []);
    assert.deepEqual(
      burst?.crossingIds.sort(),
      ["B1", "B2", "B3", "B4", "B5", "B6"].map((id) => `DEMO-2504-${id}`),
    );
    assert.ok(burst?.links.some((link) => link.kind === "registrant"));
    assert.ok(burst.referred.length >= 1 && burst.referred.length <= 3, JSON.stringify(burst.referred));
    for (const id of burst.referred) assert.ok(border.rules.get(id)?.includes("burst.referred"), id);
    referrals = border.rules.size;
    // Every kind of entry the federation's work wrote is named in the audit explorer, in each language.
    const kinds = new Set<string>();
    for (const node of demo.nodes)
      for (const entry of await new AuditRepository(node.database.db).entries(0, 100_000)) kinds.add(entry.kind);
    for (const [language, messages] of Object.entries(oversightMessages))
      assert.deepEqual(
        [...kinds].filter((kind) => !(`kind.${kind}` in messages)),
        [],
        `audit kinds without a name in ${language}`,
      );
  } finally {
    await demo.stop();
  }
  const seededAt = readFileSync(join(dir, "mx", ".demo-seeded"), "utf8");
  demo = await startDemo(options);
  try {
    assert.equal(readFileSync(join(dir, "mx", ".demo-seeded"), "utf8"), seededAt, "not seeded again");
    assert.equal(await demo.nodes[1]?.entityRepository.countEntities("Person"), 150);
    const targets = await demo.nodes[1]?.database.db.selectFrom("deconfliction_targets").select("id").execute();
    assert.equal(targets?.length, 5, "deconfliction items are not registered again");
    const us = demo.nodes[0] as PuenteNode;
    const again = await us.screening.referrals(await demoPrincipal(us, "officer"), undefined, 1000);
    assert.equal(again.length, referrals, "crossings are not screened again");
  } finally {
    await demo.stop();
  }
  const stopped = await fetch(`${demo.urls[0]}/api/v1/health`).catch((error: Error) => error);
  assert.ok(stopped instanceof Error, "the nodes no longer answer after stop");
});

test("Ctrl-C while the demo is still starting, heard twice as a terminal and npm deliver it, stops the nodes cleanly", async () => {
  const startDir = mkdtempSync(join(tmpdir(), "puente-demo-stop-"));
  const bin = new URL("../../bin/puente.js", import.meta.url).pathname;
  const args = [bin, "demo", "--dir", startDir, "--persons", "60", "--base-port", "17461"];
  const demo = spawn(process.execPath, args, { env: { ...process.env, DATABASE_URL: "" } });
  try {
    let output = "";
    demo.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    demo.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    while (!output.includes("Starting the Puente demo federation")) await sleep(20);
    assert.ok(!output.includes("Three nodes are up"), "the signal comes while the demo is starting");
    process.kill(demo.pid as number, "SIGINT");
    await sleep(300);
    process.kill(demo.pid as number, "SIGINT");
    const [code, signal] = (await once(demo, "exit")) as [number | null, string | null];
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, output);
    assert.match(output, /Three nodes are up[\s\S]*Stopping the demo nodes/u);
    assert.match(output, /Port-of-entry work .* is on the us node: sign in there as officer or supervisor/u);
  } finally {
    if (demo.exitCode === null && demo.signalCode === null) demo.kill("SIGKILL");
    rmSync(startDir, { recursive: true, force: true });
  }
});
