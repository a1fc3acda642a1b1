// Real nodes for tests: initialised in a temporary directory on SQLite, with users that can sign in.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { totp } from "../auth/totp.ts";
import { initNode } from "./init.ts";
import { type OpenNodeOptions, openNode, type PuenteNode } from "./node.ts";

export const TEST_PASSWORD = "correct horse battery staple";

/** Runs `work` while the node's audit log refuses every entry (the fault injected: its store is full), then heals it. */
export async function withAuditFailing<T>(node: PuenteNode, work: () => Promise<T>): Promise<T> {
  const append = node.audit.append;
  node.audit.append = () => Promise.reject(new Error("disk full"));
  try {
    return await work();
  } finally {
    node.audit.append = append;
  }
}

export interface TestNode extends PuenteNode {
  /** Creates a user and signs them in; returns their bearer session token. */
  signedInUser(
    username: string,
    roles: string[],
    extra?: { clearance?: string; cfr28Trained?: boolean },
  ): Promise<string>;
  dispose(): Promise<void>;
}

export async function createTestNode(nodeId = "us", country = "US", options: OpenNodeOptions = {}): Promise<TestNode> {
  const dir = mkdtempSync(join(tmpdir(), `puente-${nodeId}-`));
  await initNode({ dir, nodeId, country, agency: `Test agency ${nodeId}` });
  const node = await openNode(dir, { databaseUrl: "", ...options });
  return {
    ...node,
    async signedInUser(username, roles, extra = {}) {
      const { totpSecret } = await node.auth.createAccount({ username, password: TEST_PASSWORD, roles, ...extra });
      const now = options.clock?.() ?? new Date();
      return (await node.auth.signIn(username, TEST_PASSWORD, totp(totpSecret, now.getTime()))).token;
    },
    async dispose() {
      await node.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
