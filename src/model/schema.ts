// Loads the entity schemata from schemata.json and resolves inheritance, so every schema knows all its properties.
import { readFileSync } from "node:fs";
import { isPropertyTypeName, type PropertyTypeName } from "./property-types.ts";

export interface PropertyDefinition {
  name: string;
  type: PropertyTypeName;
  label: string;
  /** For entity references: the schema (or an ancestor of it) the referenced entity must have. */
  range?: string;
  /** A closed vocabulary of allowed values. */
  values?: string[];
  /** A hint for the matching engine about which identifier scheme this is (curp, vin, plate, iban…). */
  format?: string;
  required?: boolean;
}

export interface Schema {
  name: string;
  label: string;
  abstract: boolean;
  /** This schema and every schema it inherits from, nearest first. */
  ancestors: string[];
  caption: string[];
  /** For relations: which properties hold the two ends. */
  edge?: { source: string; target: string };
  properties: ReadonlyMap<string, PropertyDefinition>;
}

interface RawProperty {
  type: string;
  label: string;
  range?: string;
  values?: string[];
  format?: string;
  required?: boolean;
}
interface RawSchema {
  abstract?: boolean;
  extends?: string[];
  label: string;
  caption?: string[];
  edge?: { source: string; target: string };
  properties: Record<string, RawProperty>;
}

export class SchemaDefinitionError extends Error {}

function loadSchemata(raw: Record<string, RawSchema>): Map<string, Schema> {
  const resolved = new Map<string, Schema>();
  const resolve = (name: string, trail: string[]): Schema => {
    const done = resolved.get(name);
    if (done) return done;
    const definition = raw[name];
    if (!definition) throw new SchemaDefinitionError(`schema ${trail.join(" → ")} extends unknown schema ${name}`);
    if (trail.includes(name)) throw new SchemaDefinitionError(`schema ${name} inherits from itself`);
    const parents = (definition.extends ?? []).map((parent) => resolve(parent, [...trail, name]));
    const properties = new Map<string, PropertyDefinition>();
    for (const parent of parents) for (const [key, property] of parent.properties) properties.set(key, property);
    for (const [key, property] of Object.entries(definition.properties)) {
      if (!isPropertyTypeName(property.type))
        throw new SchemaDefinitionError(`${name}.${key} has unknown type ${property.type}`);
      properties.set(key, { ...property, name: key, type: property.type });
    }
    const schema: Schema = {
      name,
      label: definition.label,
      abstract: definition.abstract ?? false,
      ancestors: [name, ...parents.flatMap((parent) => parent.ancestors)],
      caption: definition.caption ?? parents[0]?.caption ?? ["name"],
      properties,
      ...(definition.edge ? { edge: definition.edge } : {}),
    };
    resolved.set(name, schema);
    return schema;
  };
  for (const name of Object.keys(raw)) if (!name.startsWith("$")) resolve(name, []);
  for (const schema of resolved.values())
    for (const property of schema.properties.values())
      if (property.range && !resolved.has(property.range))
        throw new SchemaDefinitionError(`${schema.name}.${property.name} has unknown range ${property.range}`);
  return resolved;
}

const schemata = loadSchemata(JSON.parse(readFileSync(new URL("./schemata.json", import.meta.url), "utf8")));

export function getSchema(name: string): Schema | undefined {
  return schemata.get(name);
}

/** Schemata that records can have (abstract ones only group properties). */
export function concreteSchemaNames(): string[] {
  return [...schemata.values()].filter((schema) => !schema.abstract).map((schema) => schema.name);
}

export function isA(schemaName: string, ancestor: string): boolean {
  return schemata.get(schemaName)?.ancestors.includes(ancestor) ?? false;
}
