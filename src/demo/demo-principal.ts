// The demo seeds act as the demo's own accounts (the analyst registers deconfliction items, the supervisor lookouts,
// the officer screens crossings), through the same services and access checks as a signed-in user.
import { principalOfUser } from "../auth/auth-service.ts";
import type { PuenteNode } from "../node/node.ts";
import type { Principal } from "../policy/access.ts";
import { UserRepository } from "../store/user-repository.ts";

/** The demo account `username` of this node as a principal. */
export async function demoPrincipal(node: PuenteNode, username: string): Promise<Principal> {
  const user = await new UserRepository(node.database.db).findByUsername(username);
  if (!user) throw new Error(`demo node ${node.config.nodeId} has no ${username} account`);
  return principalOfUser(user, "session");
}
