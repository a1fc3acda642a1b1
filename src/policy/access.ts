// The one place that decides what a signed-in user may see and do on this node. Every route goes through it,
// and a refusal never says whether the record exists: callers turn `undefined` into "not found or no access".
import { tlpRank } from "../model/markings.ts";
import type { Entity, Markings, Statement, Tlp } from "../model/types.ts";
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

/** A partner node asking on behalf of one of its users, as the federation manifest and the user assertion say. */
export interface PartnerViewer {
  nodeId: string;
  agency: string;
  country: string;
  /** The partner's user has 28 CFR Part 23 training. */
  cfr28Trained: boolean;
}

/**
 * Whether a statement may count towards, or appear in, an answer to a partner node. Markings travel with the
 * data and are enforced here on every hop: TLP:RED never leaves its node; TLP:AMBER+STRICT stays inside the
 * owner's organisation, so never reaches another agency; a releasable-to list, when given, must name the
 * partner's country and agency; handling code H2 and "originator-consent" need a person to approve, so nothing
 * of them leaves automatically; criminal intelligence goes only to trained users.
 */
export function mayReleaseToPartner(statement: Statement, partner: PartnerViewer): boolean {
  return !statement.retractedAt && markingsReleasableToPartner(statement.markings, partner);
}

/** Whether data under these markings may leave for the partner (the rules of `mayReleaseToPartner`). */
export function markingsReleasableToPartner(m: Markings, partner: PartnerViewer): boolean {
  if (m.tlp === "RED" || m.tlp === "AMBER+STRICT") return false;
  if (m.releasableCountries.length > 0 && !m.releasableCountries.includes(partner.country)) return false;
  if (
    m.releasableAgencies.length > 0 &&
    !m.releasableAgencies.some((agency) => agency === partner.agency || agency === partner.nodeId)
  )
    return false;
  if (m.handlingCode === "H2" || m.useRestrictions.includes("originator-consent")) return false;
  if (m.criminalIntelligence && !partner.cfr28Trained) return false;
  return true;
}

/** The entity as a partner may be answered about it; undefined when nothing of it may leave. */
export function releasableEntity(partner: PartnerViewer, entity: Entity | undefined): Entity | undefined {
  if (!entity) return undefined;
  const statements = entity.statements.filter((statement) => mayReleaseToPartner(statement, partner));
  return statements.length > 0 ? { ...entity, statements } : undefined;
}
