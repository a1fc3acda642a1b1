// The one place that decides what a signed-in user may see and do on this node. Every route goes through it,
// and a refusal never says whether the record exists: callers turn `undefined` into "not found or no access".
import { tlpRank } from "../model/markings.ts";
import type { Entity, Statement, Tlp } from "../model/types.ts";
import { type Action, roleAllows } from "./roles.ts";

export interface Principal {
  userId: string;
  username: string;
  roles: string[];
  /** The most restricted TLP level this user may read. */
  clearance: Tlp;
  /** 28 CFR Part 23 training; criminal-intelligence statements are shown only to trained users. */
  cfr28Trained: boolean;
  via: "session" | "api-token";
}

export class AccessDeniedError extends Error {
  constructor() {
    super("not found or no access");
  }
}

export function mayPerform(principal: Principal, action: Action): boolean {
  return roleAllows(principal.roles, action);
}

export function mayReadStatement(principal: Principal, statement: Statement): boolean {
  if (!mayPerform(principal, "entity:read")) return false;
  if (tlpRank(statement.markings.tlp) > tlpRank(principal.clearance)) return false;
  if (statement.markings.criminalIntelligence && !principal.cfr28Trained) return false;
  return true;
}

/**
 * The entity as this user may see it: only the statements their clearance and training allow. An entity with no
 * readable statement is, for this user, not there at all.
 */
export function visibleEntity(principal: Principal, entity: Entity | undefined): Entity | undefined {
  if (!entity) return undefined;
  const statements = entity.statements.filter((statement) => mayReadStatement(principal, statement));
  return statements.length > 0 ? { ...entity, statements } : undefined;
}
