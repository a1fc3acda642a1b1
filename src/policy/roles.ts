// Roles and what each may do on its own node, as data. Markings are checked separately (access.ts).
import type { Tlp } from "../model/types.ts";

export const ROLES = ["analyst", "supervisor", "oversight", "prosecutor", "border-officer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  "entity:read",
  "entity:write",
  "entity:delete",
  "statement:retract",
  "statement:remark",
  "user:manage",
  "federation:manage",
  "federation:search",
  "release:decide",
  "oversight:read",
  "statement:review",
  "deconfliction:register",
  "deconfliction:desk",
  "source:manage",
  "border:screen",
  "border:supervise",
  "border:ingest",
] as const;
export type Action = (typeof ACTIONS)[number];

// Administrators manage accounts but do not read intelligence: separation of duties (CJIS 5.5.2.2).
const GRANTS: Record<Role, readonly Action[]> = {
  analyst: [
    "entity:read",
    "entity:write",
    "statement:retract",
    "federation:search",
    "deconfliction:register",
    "deconfliction:desk",
  ],
  supervisor: [
    "entity:read",
    "entity:write",
    "entity:delete",
    "statement:retract",
    "statement:remark",
    "federation:search",
    "release:decide",
    "statement:review",
    "deconfliction:register",
    "deconfliction:desk",
    "source:manage",
    // A port supervisor: the referral queue, burst alerts, and overriding the false-match suppression list.
    "border:screen",
    "border:supervise",
  ],
  // Oversight reviews what was done; it does not run searches of its own.
  oversight: ["entity:read", "oversight:read"],
  prosecutor: ["entity:read", "federation:search"],
  // Border officers screen crossings and feed seal and GPS reads (their lane systems use API tokens of this role).
  "border-officer": ["entity:read", "federation:search", "border:screen", "border:ingest"],
  // The federation's membership as this node sees it, and the Cedar policies the node enforces for partners.
  admin: ["user:manage", "federation:manage"],
};

/** The most restricted TLP level a role may read by default; an account may be given less. */
export const DEFAULT_CLEARANCE: Record<Role, Tlp> = {
  analyst: "AMBER+STRICT",
  supervisor: "RED",
  oversight: "RED",
  prosecutor: "AMBER+STRICT",
  "border-officer": "AMBER",
  admin: "CLEAR",
};

export function isRole(name: string): name is Role {
  return (ROLES as readonly string[]).includes(name);
}

export function roleAllows(roles: readonly string[], action: Action): boolean {
  return roles.some((role) => isRole(role) && GRANTS[role].includes(action));
}
