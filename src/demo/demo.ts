// `puente demo` (what `npm start` runs): three agency nodes on one machine — a US federal agency, Mexico's
// federal prosecutor's office and Canada's federal police — each with its own database, keys and synthetic
// records and deconfliction items, and the US node with port-of-entry work. Created on first start, reused
// afterwards; Ctrl-C stops all three cleanly.
import { createHash } from "node:crypto";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../api/server.ts";
import { base32Encode } from "../auth/totp.ts";
import { loadNodeKeyPair } from "../crypto/keys.ts";
import { loadManifest, MANIFEST_FILE, type Manifest } from "../federation/manifest.ts";
import { inviteMember, joinFederation, selfMember } from "../federation/membership.ts";
import type { Entity } from "../model/types.ts";
import { buildEntity } from "../model/validate.ts";
import { KEYS_DIR, loadConfig } from "../node/config.ts";
import { initNode } from "../node/init.ts";
import { openNode, type PuenteNode } from "../node/node.ts";
import { stopSignal } from "../node/stop-signal.ts";
import { screensBorder, seedDemoBorder } from "./border-seed.ts";
import { seedDemoDeconfliction } from "./deconfliction-seed.ts";
import { type AgencyProfile, generateAgencyDataset } from "./synthetic.ts";

export const DEMO_PROFILES: AgencyProfile[] = [
  { nodeId: "us", country: "US", agency: "US Federal Investigations Agency (demo)" },
  { nodeId: "mx", country: "MX", agency: "Fiscalía General de la República (demo)" },
  { nodeId: "ca", country: "CA", agency: "Royal Canadian Mounted Police (demo)" },
];

/** Demo accounts share one password; each has its own TOTP secret, derived so the printout is stable. */
export const DEMO_PASSWORD = "puente-demo-2026";
export const DEMO_USERS: Array<{ username: string; roles: string[]; cfr28Trained: boolean }> = [
  { username: "analyst", roles: ["analyst"], cfr28Trained: true },
  { username: "supervisor", roles: ["supervisor"], cfr28Trained: true },
  { username: "oversight", roles: ["oversight"], cfr28Trained: true },
  { username: "prosecutor", roles: ["prosecutor"], cfr28Trained: true },
  { username: "officer", roles: ["border-officer"], cfr28Trained: false },
  { username: "admin", roles: ["admin"], cfr28Trained: false },
];
const DEMO_SEED = 20_261_122;
const SEEDED_MARKER = ".demo-seeded";

export function demoTotpSecret(nodeId: string, username: string): string {
  return base32Encode(createHash("sha256").update(`puente-demo:${nodeId}:${username}`).digest().subarray(0, 20));
}

/**
 * Creates a demo node and fills it; a node left half-made by an interrupted first start is made again. Says whether
 * it made the node now (false: it was there from an earlier start).
 */
async function prepareNode(dir: string, profile: AgencyProfile, port: number, persons: number): Promise<boolean> {
  if (existsSync(join(dir, SEEDED_MARKER))) return false;
  rmSync(dir, { recursive: true, force: true });
  await initNode({ dir, nodeId: profile.nodeId, country: profile.country, agency: profile.agency, port });
  const node = await openNode(dir, { databaseUrl: "" });
  try {
    const recordedAt = new Date().toISOString();
    const context = {
      nodeId: profile.nodeId,
      country: profile.country,
      defaultMarkings: node.config.defaultMarkings,
      recordedBy: "demo-seed",
      recordedAt,
    };
    const entities: Entity[] = [];
    for (const input of generateAgencyDataset({ profile, persons, seed: DEMO_SEED })) {
      const built = buildEntity(input, context);
      if (!built.ok) throw new Error(`demo data for ${input.id} is invalid: ${JSON.stringify(built.issues)}`);
      entities.push(built.entity);
    }
    await node.entityRepository.saveEntities(entities, recordedAt);
    for (const user of DEMO_USERS)
      await node.auth.createAccount({
        ...user,
        password: DEMO_PASSWORD,
        displayName: `Demo ${user.username} (${profile.nodeId})`,
        totpSecret: demoTotpSecret(profile.nodeId, user.username),
      });
    writeFileSync(join(dir, SEEDED_MARKER), `${recordedAt}\n`);
  } finally {
    await node.close();
  }
  return true;
}

/**
 * Makes the three demo nodes one federation the way real agencies would: the first node invites the others,
 * which join by countersigning the manifest. Done again if any node lacks its manifest.
 */
async function federateDemo(dirs: string[]): Promise<void> {
  if (dirs.every((dir) => loadManifest(dir))) return;
  for (const dir of dirs) rmSync(join(dir, MANIFEST_FILE), { force: true });
  const [founder, ...others] = dirs as [string, ...string[]];
  let manifest: Manifest | undefined;
  for (const dir of others) {
    const { config } = loadConfig(dir);
    const keys = await loadNodeKeyPair(join(dir, KEYS_DIR));
    manifest = await inviteMember(founder, selfMember(config, keys.publicKeyPem), { federation: "puente-demo" });
  }
  if (manifest) for (const dir of others) await joinFederation(dir, manifest);
}

export interface DemoOptions {
  dir: string;
  persons: number;
  basePort: number;
}

export interface RunningDemo {
  nodes: PuenteNode[];
  servers: FastifyInstance[];
  urls: string[];
  stop(): Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const root = resolve(options.dir);
  const nodes: PuenteNode[] = [];
  const servers: FastifyInstance[] = [];
  const urls: string[] = [];
  const dirs = DEMO_PROFILES.map((profile) => join(root, profile.nodeId));
  const created: boolean[] = [];
  for (const [index, profile] of DEMO_PROFILES.entries())
    created.push(await prepareNode(dirs[index] as string, profile, options.basePort + index, options.persons));
  await federateDemo(dirs);
  for (const [index, dir] of dirs.entries()) {
    const port = options.basePort + index;
    const node = await openNode(dir, { databaseUrl: "" });
    const server = await buildServer(node, { logger: false });
    await server.listen({ host: "127.0.0.1", port });
    node.startBackgroundWork();
    nodes.push(node);
    servers.push(server);
    urls.push(`http://127.0.0.1:${port}`);
  }
  // Deconfliction items of nodes made now, registered once all nodes answer, so their checks reach the partners.
  // The demo runs without them if that fails.
  for (const [index, node] of nodes.entries())
    if (created[index])
      await seedDemoDeconfliction(
        node,
        DEMO_PROFILES[index] as AgencyProfile,
        DEMO_PROFILES,
        options.persons,
        DEMO_SEED,
      ).catch((error: unknown) => {
        console.error(`demo node ${node.config.nodeId}: registering deconfliction items failed: ${String(error)}`);
      });
  // Port-of-entry work on the node that screens the southern border, likewise once.
  for (const [index, node] of nodes.entries()) {
    const profile = DEMO_PROFILES[index] as AgencyProfile;
    if (created[index] && screensBorder(profile))
      await seedDemoBorder(node, DEMO_SEED).catch((error: unknown) => {
        console.error(`demo node ${node.config.nodeId}: seeding port-of-entry work failed: ${String(error)}`);
      });
  }
  return {
    nodes,
    servers,
    urls,
    async stop() {
      await Promise.all(servers.map((server) => server.close()));
      await Promise.all(nodes.map((node) => node.close()));
    },
  };
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const started = Date.now();
  // Ctrl-C is heard from the start: nodes answer before the first start's seeding is over, and a stop asked for
  // meanwhile waits for the nodes to be up, then closes them cleanly.
  const stopAsked = stopSignal();
  console.log(`Starting the Puente demo federation in ${resolve(options.dir)} …`);
  const demo = await startDemo(options);
  console.log(`\nThree nodes are up (${((Date.now() - started) / 1000).toFixed(1)} s):`);
  DEMO_PROFILES.forEach((profile, index) => {
    console.log(
      `  ${profile.nodeId}  ${profile.agency.padEnd(42)} web app ${demo.urls[index]}/   API ${demo.urls[index]}/api/v1/`,
    );
  });
  console.log(`\nSign in on any node with password "${DEMO_PASSWORD}" and a one-time code:`);
  for (const user of DEMO_USERS) {
    const secrets = DEMO_PROFILES.map((p) => `${p.nodeId}: ${demoTotpSecret(p.nodeId, user.username)}`).join("  ");
    console.log(`  ${user.username.padEnd(11)} (${user.roles.join(", ")})  TOTP secrets  ${secrets}`);
  }
  const border = DEMO_PROFILES.find(screensBorder);
  if (border)
    console.log(
      `\nPort-of-entry work (referrals, shipments, coordinated arrivals) is on the ${border.nodeId} node: sign in there as officer or supervisor.`,
    );
  console.log("\nCurrent code for a secret: npx puente totp <SECRET>");
  console.log("API description: <node URL>/api/v1/openapi.json    Press Ctrl-C to stop.\n");
  await stopAsked;
  console.log("Stopping the demo nodes …");
  await demo.stop();
}
