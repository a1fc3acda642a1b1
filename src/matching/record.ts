// The record the matching engine compares: a person (or thing) as a set of named values, whatever file, agency or
// store it came from. `puente match` reads CSV into it; nodes build it from their statements.

/** The properties `puente match` understands (its --map targets); a stable contract. */
export const MATCH_PROPERTIES = [
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
  "region",
  "country",
  "plate",
  "vin",
] as const;
export type MatchProperty = (typeof MATCH_PROPERTIES)[number];

export interface MatchRecord {
  id: string;
  /** Values per property, as given (the engine normalises them). Dates are already ISO (YYYY, YYYY-MM or YYYY-MM-DD). */
  values: Partial<Record<MatchProperty, string[]>>;
  /** Country whose conventions apply to this record's phones and identifiers (ISO alpha-2), when known. */
  country?: string;
}

export function isMatchProperty(name: string): name is MatchProperty {
  return (MATCH_PROPERTIES as readonly string[]).includes(name);
}
