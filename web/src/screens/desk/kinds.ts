// What the desk's forms offer, as the API accepts it: target kinds and the fields each takes (TARGET_FIELDS in
// src/deconfliction/target-index.ts), operation types, risk levels and outcomes (src/deconfliction/
// deconfliction-service.ts). Those modules are server code the browser cannot import; the types keep these in step.
import type { OperationInput, Outcome } from "../../../../src/deconfliction/deconfliction-service.ts";
import type { TargetKind } from "../../../../src/deconfliction/target-index.ts";

export const TARGET_FIELDS: Readonly<Record<TargetKind, readonly string[]>> = {
  person: [
    "name",
    "firstName",
    "middleName",
    "lastName",
    "secondLastName",
    "alias",
    "birthDate",
    "gender",
    "nationality",
    "idNumber",
    "passportNumber",
    "phone",
    "email",
    "address",
    "city",
    "postalCode",
    "country",
  ],
  organization: ["name", "alias", "idNumber", "phone", "email", "address", "city", "postalCode", "country"],
  phone: ["phone"],
  vehicle: ["plate", "vin", "jurisdiction"],
  account: ["iban", "clabe", "accountNumber"],
  wallet: ["address"],
  address: ["address", "city", "postalCode", "country"],
};

export const TARGET_KINDS = Object.keys(TARGET_FIELDS) as TargetKind[];

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
export type { TargetKind };

/** Query keys of the desk's lists. */
export const NOTICES = ["deconfliction", "notices"];
export const OPERATIONS = ["deconfliction", "operations"];
export const TARGETS = ["deconfliction", "targets"];
