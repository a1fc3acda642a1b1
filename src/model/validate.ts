// Turns an entity as given on input (FollowTheMoney JSON plus markings) into validated statements, or into a list
// of precise issues naming the property, the value's position and what is wrong. Nothing partial is returned.
import { hash } from "node:crypto";
import { normalizeDate } from "./dates.ts";
import { resolveMarkings } from "./markings.ts";
import { type NormalizeContext, propertyType, qualifyEntityId } from "./property-types.ts";
import { getSchema } from "./schema.ts";
import type {
  Entity,
  EntityInput,
  MarkingsInput,
  Provenance,
  Statement,
  ValidationIssue,
  ValueInput,
} from "./types.ts";

export interface RecordContext {
  nodeId: string;
  /** ISO 3166-1 alpha-2 country of the node, for phone numbers without a country code. */
  country: string;
  /** Node-wide default markings, overridden by entity-level and value-level markings. */
  defaultMarkings: MarkingsInput;
  /** Who records these statements (a user id or service name); input cannot override it. */
  recordedBy: string;
  /** ISO date-time the statements are recorded. */
  recordedAt: string;
  /** Default source record reference when the input gives none (e.g. "people.csv#12"). */
  sourceRecord?: string;
  /** Explicit input formats per property, e.g. { birthDate: "DD/MM/YYYY" }. */
  formats?: Record<string, string>;
}

export type BuildResult = { ok: true; entity: Entity } | { ok: false; issues: ValidationIssue[] };

// Control characters (Unicode Cc: C0, DEL and C1) other than tab, line feed and carriage return: never part of a
// legitimate value.
const CONTROL_CHARACTERS = /[\p{Cc}--[\t\n\r]]/v;
const MAX_VALUES_PER_PROPERTY = 200;

export function statementId(entityId: string, property: string, value: string, provenance: Provenance): string {
  return hash(
    "sha256",
    `${entityId}\u0000${property}\u0000${value}\u0000${provenance.originNode}\u0000${provenance.sourceRecord}`,
  ).slice(0, 32);
}

type ResolvedMarkings = ReturnType<typeof resolveMarkings>;

// An import gives thousands of entities the same node defaults and no markings of their own; resolving them once
// per (defaults, day) also lets every such statement share one frozen Markings object, stored once.
const resolvedDefaults = new WeakMap<MarkingsInput, Map<string, ResolvedMarkings>>();

function markingsOfEntity(input: EntityInput, context: RecordContext, recordedOn: string): ResolvedMarkings {
  if (input.markings !== undefined)
    return resolveMarkings([context.defaultMarkings, input.markings], recordedOn, "markings");
  let byDay = resolvedDefaults.get(context.defaultMarkings);
  if (!byDay) {
    byDay = new Map();
    resolvedDefaults.set(context.defaultMarkings, byDay);
  }
  let resolved = byDay.get(recordedOn);
  if (!resolved) {
    resolved = resolveMarkings([context.defaultMarkings], recordedOn, "markings");
    if (resolved.markings) Object.freeze(resolved.markings);
    byDay.set(recordedOn, resolved);
  }
  return resolved;
}

// The collection time is usually the same for a whole file (the import's own time): normalised once.
let lastCollectedAt: { raw: string; result: ReturnType<typeof normalizeDate> } | undefined;

function normalizeCollectedAt(raw: string): ReturnType<typeof normalizeDate> {
  if (lastCollectedAt?.raw !== raw) lastCollectedAt = { raw, result: normalizeDate(raw) };
  return lastCollectedAt.result;
}

/** The path of a property's value in the input, built only for values that have an issue. */
function valuePath(property: string, index: number): string {
  return `properties.${property}[${index}]`;
}

/**
 * The provenance of a value: its own fields, then the entity's, then the context's; undefined (with an issue) when
 * the collection time is not a date. A module function rather than a closure: this runs for every entity imported.
 */
function provenanceOf(
  own: Partial<Provenance> | undefined,
  input: EntityInput,
  context: RecordContext,
  entityId: string,
  path: string,
  issues: ValidationIssue[],
): Provenance | undefined {
  const collectedAt = own?.collectedAt ?? input.provenance?.collectedAt ?? context.recordedAt;
  const collected = typeof collectedAt === "string" ? normalizeCollectedAt(collectedAt) : undefined;
  if (!collected?.ok) {
    issues.push({
      path: `${path}.collectedAt`,
      code: collected?.code ?? "invalid_date",
      message: collected?.message ?? "collectedAt must be a date",
    });
    return undefined;
  }
  const sourceRecord = own?.sourceRecord ?? input.provenance?.sourceRecord ?? context.sourceRecord ?? entityId;
  return {
    originNode: context.nodeId,
    sourceRecord: String(sourceRecord),
    collectedAt: collected.value,
    recordedBy: context.recordedBy,
  };
}

export function buildEntity(input: EntityInput, context: RecordContext): BuildResult {
  const issues: ValidationIssue[] = [];
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return { ok: false, issues: [{ path: "", code: "invalid_entity", message: "an entity must be a JSON object" }] };

  const schema = typeof input.schema === "string" ? getSchema(input.schema) : undefined;
  if (!schema || schema.abstract)
    issues.push({
      path: "schema",
      code: "unknown_schema",
      message: `${typeof input.schema === "string" ? `"${input.schema}"` : "that"} is not a Puente schema`,
    });

  let entityId = "";
  if (typeof input.id !== "string" || !input.id.trim()) {
    issues.push({ path: "id", code: "missing_id", message: "every entity needs an id" });
  } else {
    const qualified = qualifyEntityId(input.id, context.nodeId);
    if (!qualified.ok) issues.push({ path: "id", code: qualified.code, message: qualified.message });
    else if (!qualified.value.startsWith(`${context.nodeId}:`))
      issues.push({
        path: "id",
        code: "foreign_entity_id",
        message: `"${input.id}" belongs to another node; this node records only ids under "${context.nodeId}:"`,
      });
    else entityId = qualified.value;
  }

  if (typeof input.properties !== "object" || input.properties === null || Array.isArray(input.properties))
    issues.push({ path: "properties", code: "invalid_properties", message: "properties must be an object of arrays" });
  if (!schema || issues.length > 0) return { ok: false, issues };

  const recordedOn = context.recordedAt.slice(0, 10);
  // Resolved once per entity: most values carry no markings of their own, and resolving is the costly part.
  const entityMarkings = markingsOfEntity(input, context, recordedOn);
  if (!entityMarkings.markings) return { ok: false, issues: entityMarkings.issues };
  // Provenance too is shared by the values that do not bring their own.
  const entityProvenance = provenanceOf(undefined, input, context, entityId, "provenance", issues);
  if (!entityProvenance) return { ok: false, issues };
  // Statements in input order; a value given twice (same id) keeps its first place and its last content.
  const statements: Statement[] = [];
  const normalizeContext: NormalizeContext = {
    defaultCountry: context.country,
    nodeId: context.nodeId,
    format: undefined,
  };
  for (const [property, rawValues] of Object.entries(input.properties)) {
    const definition = schema.properties.get(property);
    if (!definition) {
      issues.push({
        path: `properties.${property}`,
        code: "unknown_property",
        message: `${schema.name} has no property "${property}"`,
      });
      continue;
    }
    const values = Array.isArray(rawValues) ? rawValues : [rawValues];
    if (values.length > MAX_VALUES_PER_PROPERTY)
      issues.push({
        path: `properties.${property}`,
        code: "too_many_values",
        message: `at most ${MAX_VALUES_PER_PROPERTY} values per property`,
      });
    const type = propertyType(definition.type);
    normalizeContext.format = context.formats?.[property];
    const firstOfProperty = statements.length;
    // A plain loop, with each value's path built only when it has an issue: this runs for every value imported.
    const count = Math.min(values.length, MAX_VALUES_PER_PROPERTY);
    for (let index = 0; index < count; index++) {
      const given = values[index] as ValueInput;
      const { value, markings, provenance } =
        typeof given === "object" && given !== null
          ? given
          : { value: given, markings: undefined, provenance: undefined };
      if (typeof value !== "string" && typeof value !== "number") {
        issues.push({
          path: valuePath(property, index),
          code: "invalid_value",
          message: "a value must be a string or a number",
        });
        continue;
      }
      const raw = String(value);
      if (CONTROL_CHARACTERS.test(raw)) {
        issues.push({
          path: valuePath(property, index),
          code: "control_characters",
          message: "the value contains control characters",
        });
        continue;
      }
      if (!raw.trim()) {
        issues.push({ path: valuePath(property, index), code: "empty_value", message: "the value is empty" });
        continue;
      }
      const normalized = type.normalize(raw, normalizeContext);
      if (!normalized.ok) {
        issues.push({ path: valuePath(property, index), code: normalized.code, message: normalized.message });
        continue;
      }
      let canonical = normalized.value;
      if (definition.values) {
        canonical = canonical.toLowerCase();
        if (!definition.values.includes(canonical)) {
          issues.push({
            path: valuePath(property, index),
            code: "not_in_vocabulary",
            message: `"${raw}" is not one of ${definition.values.join(", ")}`,
          });
          continue;
        }
      }
      if (canonical.length > type.maxLength) {
        issues.push({
          path: valuePath(property, index),
          code: "too_long",
          message: `at most ${type.maxLength} characters`,
        });
        continue;
      }
      const resolved =
        markings === undefined
          ? entityMarkings
          : resolveMarkings(
              [context.defaultMarkings, input.markings, markings],
              recordedOn,
              `${valuePath(property, index)}.markings`,
            );
      if (!resolved.markings) {
        issues.push(...resolved.issues);
        continue;
      }
      const fullProvenance =
        provenance === undefined
          ? entityProvenance
          : provenanceOf(provenance, input, context, entityId, `${valuePath(property, index)}.provenance`, issues);
      if (!fullProvenance) continue;
      const id = statementId(entityId, property, canonical, fullProvenance);
      const statement: Statement = {
        id,
        entityId,
        schema: schema.name,
        property,
        value: canonical,
        originalValue: raw === canonical ? null : raw,
        provenance: fullProvenance,
        markings: resolved.markings,
        recordedAt: context.recordedAt,
        retractedAt: null,
      };
      // The id hashes the property, so a repeat can only be among this property's statements (usually none).
      let repeat = firstOfProperty;
      while (repeat < statements.length && statements[repeat]?.id !== id) repeat++;
      statements[repeat] = statement;
    }
  }
  for (const definition of schema.properties.values())
    if (definition.required && !Object.hasOwn(input.properties, definition.name))
      issues.push({
        path: `properties.${definition.name}`,
        code: "missing_property",
        message: `${schema.name} needs "${definition.name}"`,
      });
  if (issues.length === 0 && statements.length === 0)
    issues.push({ path: "properties", code: "no_values", message: "an entity needs at least one property value" });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, entity: { id: entityId, schema: schema.name, statements } };
}
