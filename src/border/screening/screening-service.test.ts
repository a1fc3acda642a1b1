// Tests for the screening service on a real node's store: a refused batch is neither observed by the coordinated-
// arrival detector nor written, an accepted one is observed in order with its referrals stored and one audit entry;
// the node's own rule set replaces the defaults; stored lookouts and suppressions are back after a restart.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { testPrincipal } from "../../federation/test-federation.ts";
import { ConfigError } from "../../node/config.ts";
import { createTestNode, type TestNode } from "../../node/test-node.ts";
import { AuditRepository } from "../../store/audit-repository.ts";
import { BorderRepository } from "../../store/border-repository.ts";
import type { Crossing } from "../model.ts";
import { DEFAULT_RULES, loadRules, RULES_FILE } from "./rules.ts";
import { CrossingRefusedError, ScreeningService } from "./screening-service.ts";

const now = new Date("2026-06-01T12:00:00.000Z");
let node: TestNode;
const supervisor = testPrincipal("sup", ["supervisor"]);
const chief = testPrincipal("chief", ["supervisor"]);
const officer = testPrincipal("officer", ["border-officer"]);

before(async () => {
  node = await createTestNode("us", "US", { clock: () => now });
});
after(async () => {
  await node.dispose();
});

function service(observed: string[] = []): ScreeningService {
  return new ScreeningService({
    federation: node.federation,
    repository: new BorderRepository(node.database.db),
    audit: node.audit,
    inspectionSeed: "seed",
    clock: () => now,
    coordinatedArrivals: {
      observe: (crossing) => {
        observed.push(crossing.id);
        return undefined;
      },
    },
  });
}

const crossing = (id: string, values: Partial<Crossing> = {}): Crossing => ({
  id,
  port: "2506",
  lane: "general",
  time: now.toISOString(),
  conveyance: { kind: "truck", usdot: "1234567" },
  people: [{ name: "Luis Peña", birthDate: "1979-04-04" }],
  ...values,
});

/** A high-severity lookout on a motor carrier's USDOT number, registered by the supervisor. */
const carrierLookout = (screening: ScreeningService, usdot: string, caseReference: string) =>
  screening.registerLookout(supervisor, {
    subject: { conveyance: { usdot } },
    reason: "carrier under investigation",
    severity: "high",
    caseReference,
    expiresAt: "2026-07-01T00:00:00Z",
    markings: { tlp: "GREEN" },
  });

test("a refused batch is neither observed nor written; an accepted one is observed in order and logged once", async () => {
  const observed: string[] = [];
  const screening = service(observed);
  await carrierLookout(screening, "USDOT 1234567", "C-1");
  const audit = new AuditRepository(node.database.db);
  const screens = async () => (await audit.entries(0, 10_000)).filter((entry) => entry.kind === "border.screen");
  const bad = [crossing("A"), crossing("B"), crossing("C", { conveyance: { kind: "truck", usdot: "not a number" } })];
  await assert.rejects(screening.screen(officer, bad), (error: unknown) => {
    assert.ok(error instanceof CrossingRefusedError);
    assert.deepEqual([error.index, error.field], [2, "conveyance.usdot"]);
    return true;
  });
  assert.deepEqual(observed, []);
  assert.deepEqual(await screening.referrals(officer, undefined, 100), []);
  assert.deepEqual(await screens(), []);

  const decisions = await screening.screen(officer, [
    crossing("A"),
    crossing("B", { conveyance: { kind: "vehicle" } }),
    crossing("C"),
  ]);
  assert.deepEqual(observed, ["A", "B", "C"]);
  assert.deepEqual(
    decisions.map((decision) => [decision.crossingId, decision.refer, decision.reasons[0]?.rule]),
    [
      ["A", true, "lookout.usdot"],
      ["B", false, undefined],
      ["C", true, "lookout.usdot"],
    ],
  );
  assert.deepEqual((await screening.referrals(officer, "2506", 100)).map((referral) => referral.crossing.id).sort(), [
    "A",
    "C",
  ]);
  const [entry, ...more] = await screens();
  assert.equal(more.length, 0);
  assert.deepEqual(JSON.parse(entry?.details ?? "{}").referred, ["A", "C"]);
});

test("the referrals of one batch, screened at the same moment, come newest crossing first", async () => {
  const screening = service();
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
  await carrierLookout(screening, "7654321", "C-2");
  // Six of the carrier's trucks, arriving a minute apart, sent in a shuffled order.
  const ids = ["Q4", "Q1", "Q6", "Q2", "Q5", "Q3"];
  const truck = { kind: "truck", usdot: "7654321" } as const;
  await screening.screen(
    officer,
    ids.map((id) => crossing(id, { port: "2507", conveyance: truck, time: minutesAgo(10 - Number(id.slice(1))) })),
  );
  assert.deepEqual(
    (await screening.referrals(officer, "2507", 100)).map((referral) => referral.crossing.id),
    ["Q6", "Q5", "Q4", "Q3", "Q2", "Q1"],
  );
});

test("lookouts and confirmed suppressions are back after a restart; an officer may not register lookouts", async () => {
  const first = service();
  const { id } = await first.registerLookout(supervisor, {
    subject: { person: { name: "Marta Ibáñez Soto", birthDate: "1983-10-10" } },
    reason: "r",
    severity: "medium",
    caseReference: "C-2",
    expiresAt: "2026-07-01T00:00:00Z",
    markings: { tlp: "AMBER" },
  });
  const traveller = { name: "Marta Ibanez", birthDate: "1983-10-10" };
  const proposal = await first.proposeSuppression(officer, { lookoutId: id, traveller, reason: "namesake" });
  await first.confirmSuppression(chief, proposal.id);
  const restarted = service();
  const [decision] = await restarted.screen(officer, [
    crossing("R-1", { conveyance: { kind: "vehicle" }, people: [traveller] }),
  ]);
  assert.deepEqual(
    decision?.reasons.map((reason) => [reason.rule, reason.lookoutId]),
    [["suppressed", id]],
  );
  await restarted.removeSuppression(supervisor, proposal.id);
  const [back] = await restarted.screen(officer, [
    crossing("R-2", { conveyance: { kind: "vehicle" }, people: [traveller] }),
  ]);
  assert.equal(back?.reasons[0]?.rule, "lookout.person.match");
  await assert.rejects(
    restarted.registerLookout(officer, {
      subject: { conveyance: { plate: "X1" } },
      reason: "r",
      severity: "low",
      caseReference: "c",
      expiresAt: "2026-07-01T00:00:00Z",
      markings: { tlp: "CLEAR" },
    }),
    /not found or no access/u,
  );
});

test("a node's own rule set replaces the defaults; a bad one is refused naming the field", () => {
  const dir = mkdtempSync(join(tmpdir(), "puente-rules-"));
  try {
    assert.equal(loadRules(dir), DEFAULT_RULES);
    const own = {
      ...DEFAULT_RULES,
      version: "port-2504-1",
      inspectionFloor: { ...DEFAULT_RULES.inspectionFloor, general: 0.01 },
    };
    writeFileSync(join(dir, RULES_FILE), JSON.stringify(own));
    assert.deepEqual(loadRules(dir), own);
    writeFileSync(join(dir, RULES_FILE), JSON.stringify({ ...own, bands: { medium: 10 } }));
    assert.throws(
      () => loadRules(dir),
      (error: unknown) => error instanceof ConfigError && /bands\.high/u.test(error.message),
    );
    writeFileSync(join(dir, RULES_FILE), "{");
    assert.throws(() => loadRules(dir), ConfigError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
