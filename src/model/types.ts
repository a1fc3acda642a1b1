// The shapes every other module speaks: statements with provenance and markings, and entities made of them.

/** TLP 2.0 levels, from least to most restricted. */
export const TLP_LEVELS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

/** Admiralty (NATO AJP-2.1) source reliability A–F and information credibility 1–6. */
export const SOURCE_GRADES = ["A", "B", "C", "D", "E", "F"] as const;
export type SourceGrade = (typeof SOURCE_GRADES)[number];
export const INFO_GRADES = ["1", "2", "3", "4", "5", "6"] as const;
export type InfoGrade = (typeof INFO_GRADES)[number];

/** Europol-style handling codes: H0 none, H1 not for judicial use without consent, H2 no dissemination without consent, H3 other restrictions. */
export const HANDLING_CODES = ["H0", "H1", "H2", "H3"] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

/** Use restrictions that travel with a statement and are enforced wherever it goes. */
export const USE_RESTRICTIONS = [
  "lead-only",
  "not-for-court",
  "no-onward-dissemination",
  "originator-consent",
] as const;
export type UseRestriction = (typeof USE_RESTRICTIONS)[number];

export interface Markings {
  tlp: Tlp;
  sourceGrade: SourceGrade;
  infoGrade: InfoGrade;
  handlingCode: HandlingCode;
  /** ISO 3166-1 alpha-2 codes; empty means no country restriction beyond the TLP level. */
  releasableCountries: string[];
  /** Node or agency ids; empty means no agency restriction beyond the TLP level. */
  releasableAgencies: string[];
  useRestrictions: UseRestriction[];
  legalBasis: string;
  /** A criminal-intelligence statement (28 CFR Part 23) needs a reasonable-suspicion justification. */
  criminalIntelligence: boolean;
  reasonableSuspicion: string | null;
  /** ISO date; at most five years after the statement was recorded. */
  reviewBy: string;
  /** The grading as it was given when it came from another scheme (e.g. "uk-3x5x2:1/A/P"), for the record. */
  gradingOrigin: string | null;
}

export interface Provenance {
  /** The node that holds the original record. */
  originNode: string;
  /** The record in the source system or file this value came from (e.g. "people.csv#12"). */
  sourceRecord: string;
  /** When the information was collected (ISO date or date-time). */
  collectedAt: string;
  /** The user or service that recorded it. */
  recordedBy: string;
}

/** One property value of one entity, with where it came from and how it may be handled. */
export interface Statement {
  id: string;
  entityId: string;
  schema: string;
  property: string;
  /** The value in canonical form (see property-types.ts). */
  value: string;
  /** The value as it was given, when it differs from the canonical form. */
  originalValue: string | null;
  provenance: Provenance;
  markings: Markings;
  recordedAt: string;
  retractedAt: string | null;
}

/** An entity as it is stored: its schema and statements. */
export interface Entity {
  id: string;
  schema: string;
  statements: Statement[];
}

/** A value as given on input: either bare, or with its own markings and provenance. */
export type ValueInput =
  | string
  | number
  | { value: string | number; markings?: MarkingsInput; provenance?: Partial<Provenance> };

/** An entity as given on input: FollowTheMoney JSON with optional Puente markings and provenance. */
export interface EntityInput {
  id: string;
  schema: string;
  properties: Record<string, ValueInput[] | ValueInput>;
  markings?: MarkingsInput;
  provenance?: Partial<Provenance>;
}

/**
 * Markings as given on input. Grades may come as Admiralty ("B2" or sourceGrade/infoGrade) or from another
 * scheme via `grading` ("admiralty:B2", "uk-3x5x2:1/A/P", "uk-5x5x5:B/2/1").
 */
export interface MarkingsInput {
  tlp?: string;
  sourceGrade?: string;
  infoGrade?: string;
  grading?: string;
  handlingCode?: string;
  releasableCountries?: string[] | string;
  releasableAgencies?: string[] | string;
  useRestrictions?: string[] | string;
  legalBasis?: string;
  criminalIntelligence?: boolean | string;
  reasonableSuspicion?: string | null;
  reviewBy?: string;
}

/** One precise validation failure: where it is, a stable code, and a sentence for people. */
export interface ValidationIssue {
  path: string;
  code: string;
  message: string;
}
