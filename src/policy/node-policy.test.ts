// A node's Cedar policies: the shipped defaults let partners query with a purpose and show nothing in step one;
// a node's own file can forbid, reveal and auto-release; a broken file is refused naming itself; a changed file
// is read again; a replacement is checked by Cedar first and decides at once.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import {
  NodePolicy,
  POLICY_FILE,
  PolicyError,
  type PolicyPrincipal,
  PolicyTextError,
  policyTextProblems,
} from "./node-policy.ts";

const dir = mkdtempSync(join(tmpdir(), "puente-policy-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const who = (nodeId: string, country: string): PolicyPrincipal => ({
  node: { nodeId, country, agency: `Agency ${nodeId}`, roles: ["member"] },
  user: { userId: "u-1", country, agency: `Agency ${nodeId}`, roles: ["analyst"], cfr28Trained: true },
});
const context = { purpose: "Firearms trafficking", caseReference: "C-1", urgency: "urgent" };

test("the defaults: queries need a purpose and a case reference; nothing is revealed or released by itself", () => {
  const policy = new NodePolicy(dir);
  assert.equal(policy.mayQuery(who("us", "US"), "mx", context), true);
  assert.equal(policy.mayRequest(who("us", "US"), "mx", context), true);
  assert.equal(policy.mayQuery(who("us", "US"), "mx", { ...context, purpose: "" }), false);
  assert.equal(policy.mayQuery(who("us", "US"), "mx", { ...context, caseReference: "" }), false);
  assert.deepEqual(policy.revealed(who("us", "US"), "Person", ["nationality", "birthDate"]), []);
  assert.equal(policy.mayAutoRelease(who("ca", "CA"), "mx", context), false);
});

test("a node's own policies forbid, reveal and auto-release; a change to the file takes effect", () => {
  writeFileSync(
    join(dir, POLICY_FILE),
    `
    permit (principal is Puente::PartnerUser, action in [Puente::Action::"search", Puente::Action::"request"], resource)
    when { context.purpose != "" };
    forbid (principal, action, resource) when { principal.country == "GT" };
    permit (principal, action == Puente::Action::"reveal", resource == Puente::Property::"Person.nationality");
    permit (principal in Puente::Node::"ca", action == Puente::Action::"autoRelease", resource)
    when { context.urgency == "urgent" && principal.cfr28Trained };
    `,
  );
  const policy = new NodePolicy(dir);
  assert.equal(policy.mayQuery(who("us", "US"), "mx", context), true);
  assert.equal(policy.mayQuery(who("gt", "GT"), "mx", context), false, "forbid wins over permit");
  assert.deepEqual(policy.revealed(who("us", "US"), "Person", ["nationality", "birthDate"]), ["nationality"]);
  assert.equal(policy.mayAutoRelease(who("ca", "CA"), "mx", context), true);
  assert.equal(policy.mayAutoRelease(who("ca", "CA"), "mx", { ...context, urgency: "standard" }), false);
  assert.equal(policy.mayAutoRelease(who("us", "US"), "mx", context), false);
  // Edited while the node runs: the next decision uses the new text (a different size, so the change is seen).
  writeFileSync(join(dir, POLICY_FILE), "forbid (principal, action, resource);\n");
  assert.equal(policy.mayQuery(who("us", "US"), "mx", context), false);
  assert.deepEqual(policy.revealed(who("us", "US"), "Person", ["nationality", "birthDate"]), [], "reveals no more");
  rmSync(join(dir, POLICY_FILE));
});

test("a policy file that does not parse is refused, naming the file", () => {
  writeFileSync(join(dir, POLICY_FILE), "permit (principal, action, resource) when { context.purpose == };");
  assert.throws(
    () => new NodePolicy(dir),
    (error) => error instanceof PolicyError && error.message.includes(POLICY_FILE),
  );
  rmSync(join(dir, POLICY_FILE));
});

test("a replacement Cedar cannot parse changes nothing; a valid one is written and decides at once", () => {
  const policy = new NodePolicy(dir);
  assert.equal(policy.current().source, "default");
  assert.match(policy.current().text, /query-with-purpose/u);
  assert.deepEqual(policyTextProblems("permit (principal, action, resource);"), []);
  assert.throws(
    () => policy.replace("permit (principal, action, resource) when { context.purpose == };"),
    (error) => error instanceof PolicyTextError && error.problems.length > 0 && error.problems[0]?.message !== "",
  );
  assert.equal(existsSync(join(dir, POLICY_FILE)), false, "no file written");
  assert.equal(policy.mayQuery(who("us", "US"), "mx", context), true, "the defaults still decide");

  const forbidAll = "forbid (principal, action, resource);\n";
  const replaced = policy.replace(forbidAll);
  assert.equal(replaced.source, "file");
  assert.equal(readFileSync(join(dir, POLICY_FILE), "utf8"), forbidAll);
  assert.equal(policy.mayQuery(who("us", "US"), "mx", context), false);
  // Same length, written within the same instant: the replaced text decides all the same.
  const permitAll = "permit (principal, action, resource);\n";
  assert.equal(permitAll.length, forbidAll.length);
  policy.replace(permitAll);
  assert.equal(policy.mayQuery(who("us", "US"), "mx", { ...context, purpose: "" }), true);
  rmSync(join(dir, POLICY_FILE));
});
