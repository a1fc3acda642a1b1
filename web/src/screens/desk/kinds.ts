// What the desk's forms offer, as the API accepts it: target kinds and the fields each takes (shared with the
// server through src/deconfliction/target-fields.ts), operation types, risk levels and outcomes (src/deconfliction/
// deconfliction-service.ts). Those modules are server code the browser cannot import; the types keep these in step.
import type { OperationInput, Outcome } from "../../../../src/deconfliction/deconfliction-service.ts";
import { TARGET_FIELDS, TARGET_KINDS, type TargetKind } from "../../../../src/deconfliction/target-fields.ts";

const TYPES: Record<OperationInput["type"], true> = {
  "search-warrant": true,
  "buy-bust": true,
  "controlled-delivery": true,
  surveillance: true,
  arrest: true,
  "undercover-meeting": true,
};
export const OPERATION_TYPES = Object.keys(TYPES) as Array<OperationInput["type"]>;

const RISKS: Record<OperationInput["risk"], true> = { low: true, medium: true, high: true };
export const RISK_LEVELS = Object.keys(RISKS) as Array<OperationInput["risk"]>;

const OUTCOME_SET: Record<Outcome, true> = {
  "joint-operation": true,
  "one-side-defers": true,
  "no-real-conflict": true,
};
export const OUTCOMES = Object.keys(OUTCOME_SET) as Outcome[];

export type {
  NoticeView,
  OperationInput,
  SourceInput,
  TargetInput,
} from "../../../../src/deconfliction/deconfliction-service.ts";
export type { PointOfContact } from "../../../../src/node/config.ts";
export type { OperationRow, TargetRow } from "../../../../src/store/deconfliction-repository.ts";
export { TARGET_FIELDS, TARGET_KINDS, type TargetKind };

/** Query keys of the desk's lists. */
export const NOTICES = ["deconfliction", "notices"];
export const OPERATIONS = ["deconfliction", "operations"];
export const TARGETS = ["deconfliction", "targets"];
