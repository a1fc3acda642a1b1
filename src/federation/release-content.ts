// The content of a release a partner signed, checked before it is kept: the signature says who sent it, not that it
// is well formed, and a malformed release once kept would break the requester's screens every time they opened them.
import { HANDLING_CODES, INFO_GRADES, SOURCE_GRADES, TLP_LEVELS, USE_RESTRICTIONS } from "../model/types.ts";

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === "string";
const isTextList = (value: unknown): boolean => Array.isArray(value) && value.every(isText);
const isOneOf = (values: readonly string[], value: unknown): boolean => isText(value) && values.includes(value);

const CONTENT_TEXT = [
  "releaseId",
  "requestId",
  "owner",
  "recipient",
  "issuedAt",
  "watermark",
  "caveat",
  "reference",
  "schema",
] as const;
const STATEMENT_TEXT = ["statementId", "property", "value"] as const;
const PROVENANCE_TEXT = ["originNode", "sourceRecord", "collectedAt", "recordedBy"] as const;

function markingsProblem(markings: unknown): string | undefined {
  if (!isObject(markings)) return "its markings are not an object";
  if (!isOneOf(TLP_LEVELS, markings.tlp)) return "its TLP is not a TLP 2.0 level";
  if (!isOneOf(SOURCE_GRADES, markings.sourceGrade) || !isOneOf(INFO_GRADES, markings.infoGrade))
    return "its grading is not A–F / 1–6";
  if (!isOneOf(HANDLING_CODES, markings.handlingCode)) return "its handling code is not H0–H3";
  if (!Array.isArray(markings.useRestrictions) || !markings.useRestrictions.every((r) => isOneOf(USE_RESTRICTIONS, r)))
    return "its use restrictions are not known ones";
  if (!isTextList(markings.releasableCountries) || !isTextList(markings.releasableAgencies))
    return "its releasability is not lists of codes";
  if (typeof markings.criminalIntelligence !== "boolean") return "criminalIntelligence is not true or false";
  if (!isText(markings.legalBasis) || !isText(markings.reviewBy)) return "its legal basis or review date is not text";
  if (markings.reasonableSuspicion !== null && !isText(markings.reasonableSuspicion))
    return "its reasonable suspicion is not text";
  if (markings.gradingOrigin !== null && markings.gradingOrigin !== undefined && !isText(markings.gradingOrigin))
    return "its grading origin is not text";
  return undefined;
}

/** Why `content` is not a well-formed release (the first thing wrong), or undefined. */
export function releaseContentProblem(content: unknown): string | undefined {
  if (!isObject(content)) return "the release is not an object";
  for (const field of CONTENT_TEXT) if (!isText(content[field])) return `${field} is not text`;
  if (!isTextList(content.redacted)) return "redacted is not a list of property names";
  if (!Array.isArray(content.statements)) return "statements are not a list";
  for (const [index, statement] of content.statements.entries()) {
    if (!isObject(statement)) return `statement ${index} is not an object`;
    for (const field of STATEMENT_TEXT)
      if (!isText(statement[field])) return `statement ${index}: ${field} is not text`;
    if (statement.format !== undefined && !isText(statement.format)) return `statement ${index}: format is not text`;
    const provenance = statement.provenance;
    if (!isObject(provenance) || !PROVENANCE_TEXT.every((field) => isText(provenance[field])))
      return `statement ${index}: its provenance is not ${PROVENANCE_TEXT.join(", ")}`;
    const problem = markingsProblem(statement.markings);
    if (problem) return `statement ${index}: ${problem}`;
  }
  return undefined;
}
