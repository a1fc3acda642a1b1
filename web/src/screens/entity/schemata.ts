// What the entity screen needs to know about the entity schemata, read from the node's own definition
// (src/model/schemata.json): each property's type (to link entity references, format dates and countries), each
// schema's caption properties (to name a record), and its ancestors.
import definitions from "../../../../src/model/schemata.json";

interface RawSchema {
  extends?: string[];
  caption?: string[];
  properties: Record<string, { type: string }>;
}

const RAW = definitions as unknown as Record<string, RawSchema>;

/** The schema and every schema it inherits from, nearest first. */
export function ancestors(schema: string): string[] {
  const parents = RAW[schema]?.extends ?? [];
  return [schema, ...parents.flatMap(ancestors)];
}

/** The type of a property of a schema ("name", "date", "entity", "country", …), if the schema has it. */
export function propertyType(schema: string, property: string): string | undefined {
  for (const name of ancestors(schema)) {
    const type = RAW[name]?.properties[property]?.type;
    if (type) return type;
  }
  return undefined;
}

function captionProperties(schema: string): string[] {
  for (const name of ancestors(schema)) {
    const caption = RAW[name]?.caption;
    if (caption) return caption;
  }
  return ["name"];
}

/** A record's caption: the value of its schema's first caption property that has one, as the node names it. */
export function captionOf(schema: string, statements: Array<{ property: string; value: string }>): string | undefined {
  for (const property of captionProperties(schema)) {
    const statement = statements.find((candidate) => candidate.property === property);
    if (statement) return statement.value;
  }
  return undefined;
}
