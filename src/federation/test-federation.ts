// Two real nodes for tests, "us" and "mx", each served over HTTP on a free loopback port in this process and
// federated through a signed manifest (us invited mx), sharing one clock the test can move.
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../api/server.ts";
import { loadNodeKeyPair } from "../crypto/keys.ts";
import { KEYS_DIR } from "../node/config.ts";
import { createTestNode, type TestNode } from "../node/test-node.ts";
import type { Principal } from "../policy/access.ts";
import { createManifest, saveManifest } from "./manifest.ts";
import { inviteMember, joinFederation, selfMember } from "./membership.ts";

export interface TwoNodes {
  us: TestNode;
  mx: TestNode;
  close(): Promise<void>;
}

export function testPrincipal(username: string, roles: string[], extra: Partial<Principal> = {}): Principal {
  return { userId: username, username, roles, clearance: "RED", cfr28Trained: true, via: "session", ...extra };
}

export async function startTwoNodes(clock: () => Date): Promise<TwoNodes> {
  const servers: FastifyInstance[] = [];
  const serve = async (node: TestNode) => {
    const app = await buildServer(node);
    servers.push(app);
    return app.listen({ host: "127.0.0.1", port: 0 });
  };
  const us = await createTestNode("us", "US", { clock });
  const mx = await createTestNode("mx", "MX", { clock });
  const [usUrl, mxUrl] = [await serve(us), await serve(mx)];
  const keysOf = (node: TestNode) => loadNodeKeyPair(join(node.dir, KEYS_DIR));
  const mxMember = { ...selfMember(mx.config, (await keysOf(mx)).publicKeyPem), endpoint: mxUrl };
  // Founded by the US node, whose own entry must carry the address it really listens on.
  const usKeys = await keysOf(us);
  const founder = { ...selfMember(us.config, usKeys.publicKeyPem), endpoint: usUrl };
  saveManifest(us.dir, createManifest("test", founder, usKeys, clock()));
  await joinFederation(mx.dir, await inviteMember(us.dir, mxMember));
  return {
    us,
    mx,
    async close() {
      await Promise.all(servers.map((server) => server.close()));
      await us.dispose();
      await mx.dispose();
    },
  };
}
