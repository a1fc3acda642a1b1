// Real nodes for tests ("us" and "mx", or any set), each served over HTTP on a free loopback port in this process and
// federated through a signed manifest (the first invited the others), sharing one clock the test can move; and a
// tap on what crosses the wire between them.
import http from "node:http";
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
  /** Stops serving the node, as TestFederation's. */
  goOffline(nodeId: string): Promise<void>;
  close(): Promise<void>;
}

/** Real nodes served over HTTP and federated; a node can be taken offline and brought back on its address. */
export interface TestFederation {
  nodes: Record<string, TestNode>;
  /** Stops serving the node (its outbox still calls out): to partners it is offline. */
  goOffline(nodeId: string): Promise<void>;
  /** Serves the node again on the address in the manifest. */
  comeBack(nodeId: string): Promise<void>;
  close(): Promise<void>;
}

export function testPrincipal(username: string, roles: string[], extra: Partial<Principal> = {}): Principal {
  return { userId: username, username, roles, clearance: "RED", cfr28Trained: true, via: "session", ...extra };
}

/**
 * Starts the nodes (id and country each) and federates them through a signed manifest the first one founded and
 * invited the others to, as real agencies would.
 */
export async function startFederation(members: Array<[string, string]>, clock: () => Date): Promise<TestFederation> {
  const nodes: Record<string, TestNode> = {};
  const servers = new Map<string, FastifyInstance>();
  const ports = new Map<string, number>();
  const serve = async (nodeId: string) => {
    const node = nodes[nodeId] as TestNode;
    const app = await buildServer(node);
    servers.set(nodeId, app);
    const url = await app.listen({ host: "127.0.0.1", port: ports.get(nodeId) ?? 0 });
    ports.set(nodeId, Number(new URL(url).port));
    return url;
  };
  for (const [nodeId, country] of members) nodes[nodeId] = await createTestNode(nodeId, country, { clock });
  const list = members.map(([nodeId]) => nodes[nodeId] as TestNode);
  const [founder, ...others] = list as [TestNode, ...TestNode[]];
  const memberOf = async (node: TestNode) => {
    const keys = await loadNodeKeyPair(join(node.dir, KEYS_DIR));
    return {
      member: { ...selfMember(node.config, keys.publicKeyPem), endpoint: await serve(node.config.nodeId) },
      keys,
    };
  };
  // The founder's own entry must carry the address it really listens on.
  const founding = await memberOf(founder);
  saveManifest(founder.dir, createManifest("test", founding.member, founding.keys, clock()));
  let manifest: Awaited<ReturnType<typeof inviteMember>> | undefined;
  for (const node of others) manifest = await inviteMember(founder.dir, (await memberOf(node)).member);
  if (manifest) for (const node of others) await joinFederation(node.dir, manifest);
  return {
    nodes,
    async goOffline(nodeId) {
      await servers.get(nodeId)?.close();
      servers.delete(nodeId);
    },
    async comeBack(nodeId) {
      await serve(nodeId);
    },
    async close() {
      await Promise.all([...servers.values()].map((server) => server.close()));
      for (const node of list) await node.dispose();
    },
  };
}

export async function startTwoNodes(clock: () => Date): Promise<TwoNodes> {
  const federation = await startFederation(
    [
      ["us", "US"],
      ["mx", "MX"],
    ],
    clock,
  );
  return {
    us: federation.nodes.us as TestNode,
    mx: federation.nodes.mx as TestNode,
    goOffline: federation.goOffline,
    close: federation.close,
  };
}

/** One node-to-node exchange as the wire carried it. */
export interface WireExchange {
  url: string;
  request: string;
  response: string;
}

/**
 * Records every exchange made through node:http (the way nodes call each other) until `stop`: the address, the
 * request body as sent and the answer as received, for tests of what leaves a node.
 */
export function tapWire(): { exchanges: WireExchange[]; stop(): void } {
  const exchanges: WireExchange[] = [];
  const original = http.request;
  const tapped = (...args: Parameters<typeof http.request>) => {
    const request = original(...args);
    const exchange: WireExchange = { url: String(args[0]), request: "", response: "" };
    exchanges.push(exchange);
    const end = request.end.bind(request);
    request.end = ((...endArgs: unknown[]) => {
      if (typeof endArgs[0] === "string") exchange.request = endArgs[0];
      return (end as (...rest: unknown[]) => http.ClientRequest)(...endArgs);
    }) as typeof request.end;
    // Registered before the caller's own listener, so no chunk passes before this one listens.
    request.on("response", (response) =>
      response.on("data", (chunk: Buffer) => {
        exchange.response += chunk.toString("utf8");
      }),
    );
    return request;
  };
  http.request = tapped as typeof http.request;
  return {
    exchanges,
    stop: () => {
      http.request = original;
    },
  };
}
