// How a stored entity becomes a record the matching engine compares: which schema properties feed which match
// property, as data. Retracted statements are left out: a withdrawn value is no evidence.
import type { Entity } from "../model/types.ts";
import { foldName } from "../normalize/names.ts";
import type { MatchProperty, MatchRecord } from "./record.ts";

/** Schemata the index holds, and for each the match property every schema property feeds. */
export const MATCH_FIELDS: Record<string, Readonly<Record<string, MatchProperty>>> = {
  Person: {
    name: "name",
    alias: "alias",
    weakAlias: "alias",
    previousName: "alias",
    firstName: "firstName",
    secondName: "middleName",
    middleName: "middleName",
    lastName: "lastName",
    // FollowTheMoney's matronymic: in Spanish and Portuguese naming, the maternal surname.
    motherName: "secondLastName",
    birthDate: "birthDate",
    gender: "gender",
    nationality: "nationality",
    citizenship: "nationality",
    idNumber: "idNumber",
    taxNumber: "idNumber",
    socialSecurityNumber: "idNumber",
    curp: "idNumber",
    passportNumber: "passportNumber",
    phone: "phone",
    email: "email",
    address: "address",
    country: "country",
  },
};

export function isIndexedSchema(schema: string): boolean {
  return Object.hasOwn(MATCH_FIELDS, schema);
}

/**
 * The entity as a match record, from its live statements; undefined when its schema is not indexed or nothing
 * of it is left to compare. `country` is the recording node's, for values written without a country code.
 */
export function matchRecordOf(entity: Entity, country?: string): MatchRecord | undefined {
  const fields = MATCH_FIELDS[entity.schema];
  if (!fields) return undefined;
  const values: MatchRecord["values"] = {};
  let any = false;
  for (const statement of entity.statements) {
    if (statement.retractedAt) continue;
    const property = fields[statement.property];
    if (!property) continue;
    const list = values[property] ?? [];
    list.push(statement.value);
    values[property] = list;
    any = true;
  }
  if (!any) return undefined;
  // Records often carry both surnames in lastName and the maternal one again as motherName: count it once.
  if (values.secondLastName && values.lastName) {
    const lastNames = values.lastName.map((name) => foldName(name));
    values.secondLastName = values.secondLastName.filter(
      (second) => !lastNames.some((last) => ` ${last}`.endsWith(` ${foldName(second)}`)),
    );
    if (values.secondLastName.length === 0) delete values.secondLastName;
  }
  return { id: entity.id, values, ...(country ? { country } : {}) };
}
