// Persons and conveyances as screening compares them, for lookouts and crossings alike: a person as the matching
// engine's subject (through the deconfliction target index's validation and fields), a vehicle's plate and VIN as a
// vehicle subject, and the exact keys of travel documents and USDOT numbers. A crossing's subjects are validated and
// prepared for the lookout index in one pass, which also says, in an API client's field names, why a value cannot be
// compared.
import { type PreparedSubject, prepareSubject, type TargetSubject } from "../../deconfliction/target-index.ts";
import { compact } from "../../normalize/identifiers/common.ts";
import type { Conveyance, Crossing, TravelDocument, Traveller } from "../model.ts";

/** A person as screening compares them: a traveller, or a lookout's person with aliases. */
export interface ScreenedPerson extends Pick<Traveller, "name" | "birthDate" | "nationality" | "document"> {
  aliases?: string[];
}

export type ScreenedVehicle = Pick<Conveyance, "plate" | "plateJurisdiction" | "vin" | "usdot">;

/** A value that cannot be compared: the field as the API names it, and why. */
export interface SubjectProblem {
  field: string;
  message: string;
}

const isPassport = (document: TravelDocument) => /passport|pasaporte|passeport/iu.test(document.type);

export function personSubject(person: ScreenedPerson): TargetSubject {
  const values: Record<string, string[]> = { name: [person.name] };
  if (person.aliases && person.aliases.length > 0) values.alias = person.aliases;
  if (person.birthDate) values.birthDate = [person.birthDate];
  if (person.nationality) values.nationality = [person.nationality.toUpperCase()];
  if (person.document) values[isPassport(person.document) ? "passportNumber" : "idNumber"] = [person.document.number];
  const country = person.document?.country ?? person.nationality;
  return { kind: "person", values, ...(country ? { country: country.toUpperCase() } : {}) };
}

/** The plate (in its jurisdiction) and VIN as a vehicle subject; undefined when the conveyance has neither. */
export function vehicleSubject(vehicle: ScreenedVehicle): TargetSubject | undefined {
  const values: Record<string, string[]> = {};
  if (vehicle.plate) values.plate = [vehicle.plate];
  if (vehicle.vin) values.vin = [vehicle.vin];
  if (Object.keys(values).length === 0) return undefined;
  if (vehicle.plateJurisdiction) values.jurisdiction = [vehicle.plateJurisdiction];
  return { kind: "vehicle", values };
}

/** A USDOT number's key: its digits without leading zeros, after an optional "USDOT" or "DOT"; undefined if none. */
export function usdotKey(raw: string): string | undefined {
  const digits = compact(raw).replace(/^(US)?DOT(NO|#|:)*/u, "");
  return /^\d{1,8}$/u.test(digits) && /[1-9]/u.test(digits) ? `usdot:${digits.replace(/^0+/u, "")}` : undefined;
}

/** A travel document's key: its number without separators (the issuing country is compared on a hit). */
export function documentKey(document: TravelDocument): string | undefined {
  const number = compact(document.number);
  return /[A-Z0-9]/u.test(number) ? `document:${number}` : undefined;
}

/** Characters plate readers and officers confuse, each with the one it is read for. */
const PLATE_LOOKALIKES: Readonly<Record<string, string>> = {
  O: "0",
  Q: "0",
  D: "0",
  I: "1",
  L: "1",
  Z: "2",
  S: "5",
  G: "6",
  B: "8",
};

/** A plate's key with the characters readers confuse folded together ("8OB-12I" and "B0B121" share it). */
export function plateLookalikeKey(plate: string): string | undefined {
  const folded = compact(plate).replace(/[OQDILZSGB]/gu, (char) => PLATE_LOOKALIKES[char] ?? char);
  return /^[A-Z0-9]{2,10}$/u.test(folded) ? `plate~${folded}` : undefined;
}

/** A plate's jurisdiction as compared: compacted. */
export const jurisdictionOf = (raw: string | undefined) => (raw ? compact(raw) : undefined);

/** The document's issuing country, upper-cased, when it is given. */
export const documentCountry = (document: TravelDocument | undefined) => document?.country?.toUpperCase();

/** How the target index names the fields of persons and vehicles, and how the API does. */
const API_FIELDS: Readonly<Record<string, string>> = {
  name: "name",
  alias: "aliases",
  birthDate: "birthDate",
  nationality: "nationality",
  passportNumber: "document.number",
  idNumber: "document.number",
  plate: "plate",
  vin: "vin",
  jurisdiction: "plateJurisdiction",
};

/** A subject's problem as the target index words it, with its field renamed as the API calls it. */
function apiProblem(message: string): SubjectProblem {
  const [, field = "", index] = /^values\.(\w+)\[(\d+)\]/u.exec(message) ?? [];
  const name = API_FIELDS[field];
  return {
    field: name === "aliases" ? `aliases[${index}]` : (name ?? ""),
    message: message.replace(/^values\.\w+\[\d+\] /u, ""),
  };
}

const prepared = (subject: TargetSubject): PreparedSubject | SubjectProblem => {
  const result = prepareSubject(subject);
  return typeof result === "string" ? apiProblem(result) : result;
};

/** Whether a preparation's result is the problem it found. */
export const isProblem = <T extends object>(value: T | SubjectProblem): value is SubjectProblem => "message" in value;

/** A person validated and prepared for the lookout index in one pass, or the first value that cannot be compared. */
export function preparePerson(person: ScreenedPerson): PreparedSubject | SubjectProblem {
  if (person.document && !documentKey(person.document))
    return { field: "document.number", message: "has no letters or digits" };
  return prepared(personSubject(person));
}

/** A plate and VIN validated and prepared (undefined when there are neither), or what cannot be compared. */
export function prepareVehicle(vehicle: ScreenedVehicle): PreparedSubject | SubjectProblem | undefined {
  if (vehicle.usdot !== undefined && !usdotKey(vehicle.usdot))
    return { field: "usdot", message: `${JSON.stringify(vehicle.usdot)} is not a USDOT number (1 to 8 digits)` };
  const subject = vehicleSubject(vehicle);
  return subject && prepared(subject);
}

/** A crossing's travellers and conveyance as the lookout index compares them, validated and prepared once. */
export interface PreparedCrossing {
  people: PreparedSubject[];
  vehicle: PreparedSubject | undefined;
}

/** The crossing's subjects prepared, or the first of its travellers' and conveyance's values that cannot be compared. */
export function prepareCrossing(crossing: Pick<Crossing, "people" | "conveyance">): PreparedCrossing | SubjectProblem {
  const people: PreparedSubject[] = [];
  for (const [position, person] of crossing.people.entries()) {
    const subject = preparePerson(person);
    if (isProblem(subject)) return { field: `people[${position}].${subject.field}`, message: subject.message };
    people.push(subject);
  }
  if (!crossing.conveyance) return { field: "conveyance", message: "required" };
  const vehicle = prepareVehicle(crossing.conveyance);
  if (vehicle && isProblem(vehicle))
    return { field: `conveyance${vehicle.field ? `.${vehicle.field}` : ""}`, message: vehicle.message };
  return { people, vehicle };
}
