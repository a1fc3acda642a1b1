// Deterministic synthetic records for the demo federation: persons with Spanish, English and French names as
// agencies really write them, their vehicles, phones, accounts, addresses, organisations, cases and events,
// with markings and provenance. Some people ("cross-border subjects") appear at several agencies, each time
// written the way that agency's records would write them. Random combinations only: no real identities.
import { readFileSync } from "node:fs";
import type { EntityInput, MarkingsInput } from "../model/types.ts";
import {
  clabeCheckDigit,
  curpCheckDigit,
  luhnCheckDigit,
  rfcCheckDigit,
  vinCheckDigit,
} from "../normalize/identifiers.ts";
import { Random, WeightedList } from "./random.ts";

export interface AgencyProfile {
  nodeId: string;
  country: "US" | "MX" | "CA";
  agency: string;
}

export interface SyntheticOptions {
  profile: AgencyProfile;
  persons: number;
  seed: number;
}

export type Culture = "es" | "en" | "fr";
type Gender = "male" | "female";

interface NameList {
  male: string[];
  female: string[];
}
export interface City {
  name: string;
  state: string;
  postal: Array<number | string>;
  areaCodes: string[];
  lat: number;
  lon: number;
  weight: number;
  french?: boolean;
}
interface CountryPlaces {
  subdivisions: Array<{ code: string; name: string; curp?: string }>;
  cities: City[];
  streets: string[];
  streetsFrench?: string[];
  neighbourhoods?: string[];
  ports: string[];
}

const load = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./names/${name}.json`, import.meta.url), "utf8"));

// Name frequency lists live with the name normaliser, which uses them as its lexicon.
const loadNames = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../normalize/data/${name}.json`, import.meta.url), "utf8"));
const GIVEN: Record<Culture, NameList> = {
  es: loadNames("es-given"),
  en: loadNames("en-given"),
  fr: loadNames("fr-given"),
};
const SURNAMES: Record<Culture, string[]> = {
  es: loadNames<{ surnames: string[] }>("es-surnames").surnames,
  en: loadNames<{ surnames: string[] }>("en-surnames").surnames,
  fr: loadNames<{ surnames: string[] }>("fr-surnames").surnames,
};
interface Nicknames {
  nicknames: Record<string, string[]>;
  abbreviations: Record<string, string>;
  monikers: Record<Gender, string[]>;
}
const NICKNAMES: Record<Culture, Nicknames> = {
  es: load("es-nicknames"),
  en: load("en-nicknames"),
  fr: load("fr-nicknames"),
};
export const PLACES = load<Record<AgencyProfile["country"], CountryPlaces>>("places");

const givenLists = Object.fromEntries(
  (Object.keys(GIVEN) as Culture[]).map((culture) => [
    culture,
    { male: WeightedList.zipf(GIVEN[culture].male), female: WeightedList.zipf(GIVEN[culture].female) },
  ]),
) as Record<Culture, Record<Gender, WeightedList<string>>>;
const surnameLists = Object.fromEntries(
  (Object.keys(SURNAMES) as Culture[]).map((culture) => [culture, WeightedList.zipf(SURNAMES[culture])]),
) as Record<Culture, WeightedList<string>>;

const CULTURE_MIX: Record<AgencyProfile["country"], Array<[Culture, number]>> = {
  US: [
    ["en", 60],
    ["es", 36],
    ["fr", 4],
  ],
  MX: [
    ["es", 95],
    ["en", 5],
  ],
  CA: [
    ["en", 52],
    ["fr", 40],
    ["es", 8],
  ],
};

/** The underlying identity of a person, before any agency writes it down. */
export interface Identity {
  culture: Culture;
  gender: Gender;
  given: string;
  paternal: string;
  maternal: string | null;
  birthDate: string;
  nationality: string;
  birthState: CountryPlaces["subdivisions"][number] | undefined;
  phoneDigits: string;
  plate: string | null;
}

/** A person as generated at one node, kept so related entities can refer to it. */
interface PersonRecord {
  id: string;
  identity: Identity;
  city: City;
  phone: string | null;
}

const REFERENCE_DATE = Date.UTC(2026, 5, 30);
const DAY = 86_400_000;

function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "");
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

export function newIdentity(rng: Random, culture: Culture, country: AgencyProfile["country"]): Identity {
  const gender: Gender = rng.chance(0.72) ? "male" : "female";
  const ageDays = rng.int(18 * 365, 70 * 365);
  const birthDate = isoDate(REFERENCE_DATE - ageDays * DAY);
  const nationality =
    culture === "es"
      ? country === "US"
        ? rng.weighted([
            ["MX", 45],
            ["US", 45],
            ["GT", 5],
            ["HN", 5],
          ] as const)
        : country === "CA"
          ? rng.weighted([
              ["MX", 60],
              ["CA", 40],
            ] as const)
          : rng.weighted([
              ["MX", 92],
              ["GT", 4],
              ["HN", 2],
              ["SV", 2],
            ] as const)
      : country === "MX"
        ? "US"
        : country;
  const paternal = surnameLists[culture].pick(rng);
  let maternal: string | null = null;
  if (culture === "es")
    do maternal = surnameLists.es.pick(rng);
    while (maternal === paternal);
  const home = nationality === "MX" ? PLACES.MX : PLACES[country];
  return {
    culture,
    gender,
    given: givenLists[culture][gender].pick(rng),
    paternal,
    maternal,
    birthDate,
    nationality,
    birthState: nationality === "MX" ? rng.pick(PLACES.MX.subdivisions) : undefined,
    phoneDigits: nationalNumber(rng, rng.pick(rng.pick(home.cities).areaCodes)),
    plate: null,
  };
}

// --- identifiers -------------------------------------------------------------------------------------------

const VOWELS = "AEIOU";

function firstInternal(word: string, vowel: boolean): string {
  const letters = fold(word)
    .toUpperCase()
    .replace(/[^A-Z]/gu, "");
  for (const char of letters.slice(1)) if (VOWELS.includes(char) === vowel) return char;
  return "X";
}

/** The surname a CURP is built from: particles such as "de la" are skipped, as RENAPO does. */
function curpWord(name: string): string {
  const words = fold(name)
    .toUpperCase()
    .split(/[\s-]+/u);
  return words.find((word) => !["DE", "DEL", "LA", "LAS", "LOS", "Y", "MC", "VAN", "VON"].includes(word)) ?? "X";
}

/** The given name a CURP uses: in "José Luis" or "María Guadalupe" the second name. */
function curpGiven(given: string): string {
  const words = fold(given).toUpperCase().split(/\s+/u);
  return (["JOSE", "MARIA", "MA", "J"].includes(words[0] ?? "") && words[1] ? words[1] : words[0]) ?? "X";
}

function curpOf(identity: Identity, rng: Random): string {
  const paternal = curpWord(identity.paternal);
  const maternal = identity.maternal ? curpWord(identity.maternal) : "X";
  const given = curpGiven(identity.given);
  const [y, m, d] = identity.birthDate.split("-") as [string, string, string];
  const first17 =
    `${paternal[0]}${firstInternal(paternal, true)}${maternal[0]}${given[0]}${y.slice(2)}${m}${d}` +
    `${identity.gender === "male" ? "H" : "M"}${identity.birthState?.curp ?? "NE"}` +
    `${firstInternal(paternal, false)}${firstInternal(maternal, false)}${firstInternal(given, false)}` +
    `${Number(y) < 2000 ? rng.digits(1) : rng.chars(1, "ABCDEFGHIJ")}`;
  return first17 + curpCheckDigit(first17);
}

function rfcOf(curp: string, rng: Random): string {
  const first12 = `${curp.slice(0, 10)}${rng.chars(2, "ABCDEFGHJKLMNPRSTUVWXYZ123456789")}`;
  return first12 + rfcCheckDigit(first12);
}

function ssnOf(rng: Random): string {
  let area = rng.int(1, 899);
  if (area === 666) area = 667;
  return `${pad(area, 3)}-${pad(rng.int(1, 99), 2)}-${pad(rng.int(1, 9999), 4)}`;
}

function sinOf(rng: Random): string {
  const first8 = `${rng.pick(["1", "2", "3", "4", "5", "6", "7", "9"])}${rng.digits(7)}`;
  const sin = first8 + luhnCheckDigit(first8);
  return `${sin.slice(0, 3)} ${sin.slice(3, 6)} ${sin.slice(6)}`;
}

function clabeOf(rng: Random): string {
  const first17 = `${rng.pick(["002", "012", "014", "021", "030", "036", "044", "072", "127", "137"])}${rng.digits(3)}${rng.digits(11)}`;
  return first17 + clabeCheckDigit(first17);
}

const VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
export const VEHICLES: Array<{ wmi: string; make: string; models: string[] }> = [
  { wmi: "1FT", make: "Ford", models: ["F-150", "F-250", "Ranger"] },
  { wmi: "3FA", make: "Ford", models: ["Fusion", "Focus"] },
  { wmi: "1G1", make: "Chevrolet", models: ["Malibu", "Impala", "Cruze"] },
  { wmi: "3GC", make: "Chevrolet", models: ["Silverado", "Cheyenne"] },
  { wmi: "3N1", make: "Nissan", models: ["Versa", "Sentra", "Tsuru"] },
  { wmi: "1N6", make: "Nissan", models: ["Frontier", "NP300"] },
  { wmi: "2T1", make: "Toyota", models: ["Corolla", "Matrix"] },
  { wmi: "5TF", make: "Toyota", models: ["Tundra", "Tacoma"] },
  { wmi: "3VW", make: "Volkswagen", models: ["Jetta", "Vento", "Golf"] },
  { wmi: "1C6", make: "Ram", models: ["1500", "2500"] },
  { wmi: "2HG", make: "Honda", models: ["Civic", "CR-V"] },
  { wmi: "1FU", make: "Freightliner", models: ["Cascadia", "Columbia"] },
  { wmi: "1XK", make: "Kenworth", models: ["T680", "W900"] },
];
const COLORS = ["white", "black", "silver", "gray", "red", "blue", "green", "beige", "gold"];

export function vinOf(wmi: string, rng: Random): string {
  const draft = `${wmi}${rng.chars(5, VIN_CHARS)}0${rng.chars(1, "ABCDEFGHJKLMNPRSTVWXY123456789")}${rng.chars(1, VIN_CHARS)}${rng.digits(6)}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}

export function plateOf(country: AgencyProfile["country"], rng: Random): { plate: string; jurisdiction: string } {
  const letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
  const state = rng.pick(PLACES[country].subdivisions).code;
  if (country === "MX")
    return { plate: `${rng.chars(3, letters)}-${rng.digits(3)}-${rng.chars(1, letters)}`, jurisdiction: `MX-${state}` };
  if (country === "CA") return { plate: `${rng.chars(4, letters)} ${rng.digits(3)}`, jurisdiction: `CA-${state}` };
  return { plate: `${rng.chars(3, letters)}${rng.digits(4)}`, jurisdiction: `US-${state}` };
}

/** Ten-digit national numbers, as in both Mexico and the North American numbering plan. */
export function nationalNumber(rng: Random, areaCode: string): string {
  return `${areaCode}${rng.digits(10 - areaCode.length)}`;
}

export function phoneOf(country: AgencyProfile["country"], digits: string): string {
  // North American demo numbers use the 555-01XX block, which is reserved for fiction.
  return country === "MX" || digits.length !== 10 ? `+52${digits}` : `+1${digits.slice(0, 3)}55501${digits.slice(8)}`;
}

// --- how an agency writes a name ------------------------------------------------------------------------------

/** A name as an agency is writing it down; variations change it one after another. */
interface NameDraft {
  given: string;
  paternal: string;
  maternal: string | null;
  surnameFirst: boolean;
  upper: boolean;
  folded: boolean;
}

function swapLetters(word: string, rng: Random): string {
  if (word.length < 5) return word;
  const at = rng.int(1, word.length - 3);
  return `${word.slice(0, at)}${word[at + 1]}${word[at]}${word.slice(at + 2)}`;
}

/** The ways real records of the same person differ between agencies. */
const VARIATIONS: Array<(draft: NameDraft, culture: Culture, rng: Random) => void> = [
  (draft) => {
    draft.folded = true;
  },
  (draft) => {
    draft.maternal = null;
  },
  (draft) => {
    if (!draft.maternal) return;
    draft.given = `${draft.given} ${draft.maternal}`;
    draft.maternal = null;
  },
  (draft) => {
    draft.surnameFirst = true;
    draft.upper = true;
  },
  (draft, culture, rng) => {
    const options = NICKNAMES[culture].nicknames[draft.given];
    if (options?.length) draft.given = rng.pick(options);
  },
  (draft, culture) => {
    const [first = "", ...rest] = draft.given.split(" ");
    const abbreviation = NICKNAMES[culture].abbreviations[first];
    if (abbreviation) draft.given = [abbreviation, ...rest].join(" ");
    else if (rest[0]) draft.given = `${first} ${rest[0][0]}.`;
  },
  (draft, _culture, rng) => {
    draft.paternal = swapLetters(draft.paternal, rng);
  },
  (draft) => {
    draft.paternal = draft.paternal.replace(/v/u, "b").replace(/z/u, "s");
  },
];

interface WrittenName {
  name: string;
  firstName: string;
  lastName: string;
  fatherName?: string;
  motherName?: string;
}

export function draftOf(identity: Identity): NameDraft {
  const { given, paternal, maternal } = identity;
  return { given, paternal, maternal, surnameFirst: false, upper: false, folded: false };
}

export function writeName(draft: NameDraft): WrittenName {
  const style = (text: string) => {
    const once = draft.folded ? fold(text) : text;
    return draft.upper ? once.toUpperCase() : once;
  };
  const family = draft.maternal ? `${draft.paternal} ${draft.maternal}` : draft.paternal;
  const name = draft.surnameFirst
    ? `${style(family)}, ${style(draft.given)}`
    : `${style(draft.given)} ${style(family)}`;
  const written: WrittenName = { name, firstName: style(draft.given), lastName: style(family) };
  if (draft.maternal) {
    written.fatherName = style(draft.paternal);
    written.motherName = style(draft.maternal);
  }
  return written;
}

// --- markings and provenance ----------------------------------------------------------------------------------

const SUSPICION = [
  "Identified by a cooperating witness as a courier for a trafficking cell",
  "Registered owner of a vehicle used in a seizure at a port of entry",
  "Phone number recovered from a seized device in an open investigation",
  "Named in financial intelligence on structured cash deposits",
  "Observed meeting the subject of an open case during surveillance",
  "Linked by bank transfers to a front company under investigation",
];

function markingsFor(rng: Random, profile: AgencyProfile): MarkingsInput {
  const partners = ["US", "MX", "CA"].filter((c) => c !== profile.country);
  const markings: MarkingsInput = {
    tlp: rng.weighted([
      ["AMBER", 55],
      ["GREEN", 25],
      ["AMBER+STRICT", 12],
      ["RED", 5],
      ["CLEAR", 3],
    ] as const),
    handlingCode: rng.weighted([
      ["H0", 50],
      ["H1", 25],
      ["H2", 15],
      ["H3", 10],
    ] as const),
    legalBasis: `Investigative mandate of ${profile.agency} (synthetic demo data)`,
    criminalIntelligence: false,
  };
  if (rng.chance(0.15))
    markings.grading = `uk-3x5x2:${rng.pick(["1", "2", "3"])}/${rng.pick(["A", "B", "C", "D"])}/${rng.pick(["P", "C"])}`;
  else {
    markings.sourceGrade = rng.weighted([
      ["A", 5],
      ["B", 30],
      ["C", 30],
      ["D", 10],
      ["E", 5],
      ["F", 20],
    ] as const);
    markings.infoGrade = rng.weighted([
      ["1", 10],
      ["2", 35],
      ["3", 30],
      ["4", 10],
      ["5", 5],
      ["6", 10],
    ] as const);
  }
  if (rng.chance(0.25)) markings.releasableCountries = [profile.country, rng.pick(partners)];
  if (rng.chance(0.2)) markings.useRestrictions = [rng.chance(0.75) ? "lead-only" : "not-for-court"];
  if (rng.chance(0.3)) {
    markings.criminalIntelligence = true;
    markings.reasonableSuspicion = rng.pick(SUSPICION);
  }
  return markings;
}

// --- the generator --------------------------------------------------------------------------------------------

const SUBJECT_SHARE = 0.04;

/** How many cross-border subjects a federation of nodes with this many persons each shares. */
function subjectCount(personsPerNode: number): number {
  return Math.round(personsPerNode * SUBJECT_SHARE);
}

/** Which of the federation's countries a subject appears in, decided by the seed alone. */
function subjectCountries(seed: number, subject: number): Array<AgencyProfile["country"]> {
  const rng = Random.derive(seed, "subject-countries", subject);
  const all: Array<AgencyProfile["country"]> = ["MX", "US", "CA"];
  const count = rng.chance(0.3) ? 3 : 2;
  // Most subjects cross the southern border, so Mexico and the US are the likeliest pair.
  return rng.chance(0.7) ? (count === 3 ? all : ["MX", "US"]) : rng.sample(all, count);
}

function subjectIdentity(seed: number, subject: number): Identity {
  const rng = Random.derive(seed, "subject", subject);
  const culture = rng.weighted([
    ["es", 80],
    ["en", 12],
    ["fr", 8],
  ] as const);
  const identity = newIdentity(rng, culture, culture === "fr" ? "CA" : culture === "en" ? "US" : "MX");
  const { plate } = plateOf(identity.nationality === "MX" ? "MX" : "US", rng);
  return { ...identity, plate: rng.chance(0.5) ? plate : null };
}

/** The person slots at a node that hold cross-border subjects, in subject order. */
function subjectSlots(seed: number, profile: AgencyProfile, persons: number): Map<number, number> {
  const subjects: number[] = [];
  for (let s = 0; s < subjectCount(persons); s++)
    if (subjectCountries(seed, s).includes(profile.country)) subjects.push(s);
  const slots = Random.derive(seed, "slots", profile.nodeId).sample(
    Array.from({ length: persons }, (_, i) => i),
    subjects.length,
  );
  return new Map(subjects.map((subject, index) => [slots[index] as number, subject]));
}

const personId = (nodeId: string, n: number) => `${nodeId}:person-${pad(n, 6)}`;

/** Ground truth: for each cross-border subject, its entity id at each node where it appears. */
export function crossAgencySubjects(
  seed: number,
  profiles: AgencyProfile[],
  personsPerNode: number,
): Array<{ subject: number; ids: Record<string, string> }> {
  const truth = new Map<number, Record<string, string>>();
  for (const profile of profiles)
    for (const [slot, subject] of subjectSlots(seed, profile, personsPerNode)) {
      const ids = truth.get(subject) ?? {};
      ids[profile.nodeId] = personId(profile.nodeId, slot);
      truth.set(subject, ids);
    }
  return [...truth.entries()].sort(([a], [b]) => a - b).map(([subject, ids]) => ({ subject, ids }));
}

/** How this agency writes a subject: one or two variations, and sometimes day and month swapped at entry. */
export function agencyVersion(
  identity: Identity,
  rng: Random,
  profile: AgencyProfile,
): { written: WrittenName; birthDate: string } {
  const draft = draftOf(identity);
  for (const variation of rng.sample(VARIATIONS, rng.int(1, 2))) variation(draft, identity.culture, rng);
  if (profile.country !== "MX" && rng.chance(0.5)) draft.folded = true;
  const [y, m, d] = identity.birthDate.split("-");
  const swap = rng.chance(0.1) && Number(d) <= 12 && d !== m;
  return { written: writeName(draft), birthDate: swap ? `${y}-${d}-${m}` : identity.birthDate };
}

export function* generateAgencyDataset(options: SyntheticOptions): Generator<EntityInput> {
  const { profile, persons, seed } = options;
  const rng = Random.derive(seed, "agency", profile.nodeId);
  const places = PLACES[profile.country];
  const cities = new WeightedList(
    places.cities,
    places.cities.map((city) => city.weight),
  );
  const slots = subjectSlots(seed, profile, persons);
  let record = 0;
  const entity = (id: string, schema: string, properties: EntityInput["properties"]): EntityInput => {
    record += 1;
    return {
      id: `${profile.nodeId}:${id}`,
      schema,
      properties,
      markings: markingsFor(rng, profile),
      provenance: {
        sourceRecord: `demo:${profile.nodeId}:${record}`,
        collectedAt: isoDate(REFERENCE_DATE - rng.int(0, 3 * 365) * DAY),
      },
    };
  };

  const people: PersonRecord[] = [];
  for (let n = 0; n < persons; n++) {
    const subject = slots.get(n);
    let identity: Identity;
    let written: WrittenName;
    let birthDate: string;
    if (subject === undefined) {
      identity = newIdentity(rng, rng.weighted(CULTURE_MIX[profile.country]), profile.country);
      const draft = draftOf(identity);
      // Outside Mexico, Spanish names are often entered without their accents.
      draft.folded = profile.country !== "MX" && identity.culture === "es" && rng.chance(0.3);
      written = writeName(draft);
      birthDate = identity.birthDate;
    } else {
      identity = subjectIdentity(seed, subject);
      ({ written, birthDate } = agencyVersion(
        identity,
        Random.derive(seed, "version", subject, profile.nodeId),
        profile,
      ));
    }
    const city = cities.pick(rng);
    const properties: EntityInput["properties"] = {
      ...written,
      birthDate,
      gender: identity.gender,
      nationality: identity.nationality,
    };
    if (rng.chance(0.15) || (subject !== undefined && rng.chance(0.3))) {
      const nick = NICKNAMES[identity.culture];
      properties.alias = rng.chance(0.5)
        ? rng.pick(nick.monikers[identity.gender])
        : (nick.nicknames[identity.given]?.[0] ?? rng.pick(nick.monikers[identity.gender]));
    }
    if (identity.nationality === "MX" && (profile.country === "MX" || rng.chance(0.3))) {
      const curp = curpOf(identity, Random.derive(seed, "curp", subject ?? `${profile.nodeId}-${n}`));
      properties.curp = curp;
      if (rng.chance(0.4)) properties.taxNumber = rfcOf(curp, rng);
    }
    if (identity.nationality === "US" && rng.chance(0.7)) properties.socialSecurityNumber = ssnOf(rng);
    if (identity.nationality === "CA" && rng.chance(0.6)) properties.idNumber = sinOf(rng);
    if (rng.chance(0.25))
      properties.passportNumber = `${identity.nationality === "MX" ? "G" : identity.nationality === "CA" ? "AB" : ""}${rng.digits(8)}`;
    const phone =
      subject !== undefined && rng.chance(0.6)
        ? phoneOf(identity.nationality === "MX" ? "MX" : "US", identity.phoneDigits)
        : rng.chance(0.7)
          ? phoneOf(profile.country, nationalNumber(rng, rng.pick(city.areaCodes)))
          : null;
    if (phone) properties.phone = phone;
    if (rng.chance(0.3)) {
      const local = fold(`${identity.given.split(" ")[0]}.${identity.paternal}`)
        .toLowerCase()
        .replace(/[^a-z.]/gu, "");
      properties.email = `${local}${rng.int(1, 99)}@${rng.pick(profile.country === "MX" ? ["gmail.com", "hotmail.com", "yahoo.com.mx", "outlook.com"] : profile.country === "CA" ? ["gmail.com", "videotron.ca", "outlook.com", "bell.net"] : ["gmail.com", "yahoo.com", "outlook.com", "icloud.com"])}`;
    }
    if (rng.chance(0.8)) properties.address = addressLine(rng, profile.country, city);
    const id = personId(profile.nodeId, n);
    people.push({ id, identity, city, phone });
    yield { ...entity(`person-${pad(n, 6)}`, "Person", properties), id };
  }

  yield* relatedEntities(rng, profile, people, entity, subjectIdentityPlates(people));
}

function subjectIdentityPlates(people: PersonRecord[]): Map<string, string> {
  return new Map(people.filter((p) => p.identity.plate).map((p) => [p.id, p.identity.plate as string]));
}

export function addressLine(rng: Random, country: AgencyProfile["country"], city: City): string {
  const places = PLACES[country];
  const letter = () => rng.chars(1, "ABCEGHJKLMNPRSTVWXYZ");
  const [low, high] = city.postal;
  const prefix = String(rng.pick(city.postal));
  // Mexican and US cities list a numeric range; Canadian ones list forward sortation areas (A1A, or A1 + letter).
  const postal =
    typeof low === "number" && typeof high === "number"
      ? String(rng.int(low, high)).padStart(5, "0")
      : `${prefix.length === 2 ? `${prefix}${letter()}` : prefix} ${rng.int(1, 9)}${letter()}${rng.int(1, 9)}`;
  if (country === "MX")
    return `${rng.pick(places.streets)} ${rng.int(1, 4999)}, Col. ${rng.pick(places.neighbourhoods ?? ["Centro"])}, ${postal} ${city.name}, ${city.state}`;
  if (country === "CA" && city.french && places.streetsFrench)
    return `${rng.int(1, 9999)}, ${rng.pick(places.streetsFrench)}, ${city.name} (${city.state}) ${postal}`;
  return `${rng.int(1, 9999)} ${rng.pick(places.streets)}, ${city.name}, ${city.state} ${postal}`;
}

type EntityMaker = (id: string, schema: string, properties: EntityInput["properties"]) => EntityInput;

const ORG_KINDS: Record<AgencyProfile["country"], Array<[string, string]>> = {
  MX: [
    ["Transportes", "S.A. de C.V."],
    ["Comercializadora", "S.A. de C.V."],
    ["Importadora", "S. de R.L."],
    ["Casa de Cambio", "S.A."],
    ["Agencia Aduanal", "S.C."],
  ],
  US: [
    ["Trucking", "LLC"],
    ["Logistics", "Inc."],
    ["Auto Sales", "LLC"],
    ["Import Export", "Corp."],
    ["Money Services", "LLC"],
  ],
  CA: [
    ["Transport", "Inc."],
    ["Logistique", "inc."],
    ["Import Export", "Ltd."],
    ["Auto", "Ltée"],
    ["Trading", "Corp."],
  ],
};
const CRIMES = [
  "drug trafficking",
  "money laundering",
  "firearms trafficking",
  "human smuggling",
  "fraud",
  "extortion",
];

function* relatedEntities(
  rng: Random,
  profile: AgencyProfile,
  people: PersonRecord[],
  entity: EntityMaker,
  subjectPlates: Map<string, string>,
): Generator<EntityInput> {
  const places = PLACES[profile.country];
  let vehicleCount = 0;
  for (const [index, person] of people.entries()) {
    const sharedPlate = subjectPlates.get(person.id);
    if (sharedPlate || rng.chance(0.6)) {
      const model = rng.pick(VEHICLES);
      const { plate, jurisdiction } = plateOf(profile.country, rng);
      yield entity(`vehicle-${pad(vehicleCount++, 6)}`, "Vehicle", {
        registrationNumber: sharedPlate ?? plate,
        registrationJurisdiction: sharedPlate
          ? person.identity.nationality === "MX"
            ? "MX-BCN"
            : "US-CA"
          : jurisdiction,
        vinCode: vinOf(model.wmi, rng),
        make: model.make,
        model: rng.pick(model.models),
        color: rng.pick(COLORS),
        buildDate: String(rng.int(1998, 2026)),
        owner: person.id,
      });
    }
    if (person.phone && rng.chance(0.3))
      yield entity(`phone-${pad(index, 6)}`, "Phone", {
        number: person.phone,
        holder: person.id,
        provider: rng.pick(
          profile.country === "MX"
            ? ["Telcel", "AT&T México", "Movistar"]
            : profile.country === "CA"
              ? ["Rogers", "Bell", "Telus", "Vidéotron"]
              : ["Verizon", "T-Mobile", "AT&T"],
        ),
        imei: `35${rng.digits(13)}`,
      });
    if (rng.chance(0.3))
      yield entity(`account-${pad(index, 6)}`, "BankAccount", {
        ...(profile.country === "MX" ? { clabe: clabeOf(rng) } : { accountNumber: rng.digits(rng.int(9, 12)) }),
        bankName: rng.pick(
          profile.country === "MX"
            ? ["BBVA México", "Banorte", "Santander México", "Banamex"]
            : profile.country === "CA"
              ? ["RBC", "TD", "Desjardins", "BMO"]
              : ["Bank of America", "Wells Fargo", "Chase", "Citibank"],
        ),
        holder: person.id,
      });
    if (rng.chance(0.03))
      yield entity(`wallet-${pad(index, 6)}`, "CryptoWallet", {
        publicKey: `0x${rng.chars(40, "0123456789abcdef")}`,
        currencySymbol: "ETH",
        holder: person.id,
      });
    if (rng.chance(0.2)) {
      const city = person.city;
      yield entity(`address-${pad(index, 6)}`, "Address", {
        full: addressLine(rng, profile.country, city),
        city: city.name,
        state: city.state,
        country: profile.country,
        latitude: (city.lat + (rng.next() - 0.5) * 0.1).toFixed(5),
        longitude: (city.lon + (rng.next() - 0.5) * 0.1).toFixed(5),
      });
    }
  }

  const organisations: string[] = [];
  for (let n = 0; n < Math.max(1, Math.round(people.length / 25)); n++) {
    const [kind, form] = rng.pick(ORG_KINDS[profile.country]);
    const owner = rng.pick(people);
    const company = `${profile.country === "MX" ? `${kind} ${owner.identity.paternal}` : `${owner.identity.paternal} ${kind}`} ${form}`;
    const id = `org-${pad(n, 5)}`;
    organisations.push(`${profile.nodeId}:${id}`);
    yield entity(id, "Company", {
      name: company,
      country: profile.country,
      ...(profile.country === "US" && kind === "Trucking"
        ? { usdotNumber: String(rng.int(1_000_000, 3_999_999)) }
        : {}),
      ...(profile.country === "MX"
        ? {
            taxNumber: `${fold(kind).toUpperCase().slice(0, 3)}${rng.digits(6)}${rng.chars(3, "ABCDEFGHJKLMNPRSTUVWXYZ123456789")}`,
          }
        : {}),
      address: addressLine(rng, profile.country, rng.pick(places.cities)),
    });
    yield entity(`directorship-${pad(n, 5)}`, "Directorship", {
      director: owner.id,
      organization: `${profile.nodeId}:${id}`,
      role: "director",
    });
  }

  for (const [index, person] of people.entries()) {
    if (rng.chance(0.2)) {
      const other = rng.pick(people);
      if (other.id !== person.id)
        yield entity(`associate-${pad(index, 6)}`, "Associate", {
          person: person.id,
          associate: other.id,
          relationship: rng.pick(["associate", "business partner", "co-traveller", "cellmate"]),
        });
    }
    if (rng.chance(0.08)) {
      const other = rng.pick(people);
      if (other.id !== person.id)
        yield entity(`family-${pad(index, 6)}`, "Family", {
          person: person.id,
          relative: other.id,
          relationship: rng.pick(["sibling", "spouse", "cousin", "parent"]),
        });
    }
    if (rng.chance(0.12))
      yield entity(`membership-${pad(index, 6)}`, "Membership", {
        member: person.id,
        organization: rng.pick(organisations),
        role: rng.pick(["member", "courier", "driver", "accountant"]),
      });
    if (rng.chance(0.1))
      yield entity(`employment-${pad(index, 6)}`, "Employment", {
        employee: person.id,
        employer: rng.pick(organisations),
        role: rng.pick(["driver", "clerk", "manager", "warehouse"]),
      });
    if (rng.chance(0.35)) {
      const date = isoDate(REFERENCE_DATE - rng.int(0, 3 * 365) * DAY);
      const type = rng.weighted([
        ["crossing", 60],
        ["sighting", 20],
        ["seizure", 10],
        ["arrest", 10],
      ] as const);
      const properties: EntityInput["properties"] = {
        name: `${type} ${date}`,
        eventType: type,
        date,
        involved: person.id,
        country: profile.country,
      };
      if (type === "crossing" || type === "seizure") properties.port = rng.pick(places.ports);
      else {
        properties.location = person.city.name;
        properties.latitude = (person.city.lat + (rng.next() - 0.5) * 0.05).toFixed(5);
        properties.longitude = (person.city.lon + (rng.next() - 0.5) * 0.05).toFixed(5);
      }
      if (type === "seizure") {
        properties.quantity = String(rng.int(1, 500));
        properties.unit = "kg";
        properties.description = rng.pick([
          "methamphetamine",
          "cocaine",
          "fentanyl pills",
          "marijuana",
          "bulk cash",
          "firearms",
        ]);
      }
      yield entity(`event-${pad(index, 6)}`, "Event", properties);
    }
  }

  for (let n = 0; n < Math.max(1, Math.round(people.length / 50)); n++) {
    const subjects = rng.sample(people, rng.int(1, 5)).map((person) => person.id);
    const opened = REFERENCE_DATE - rng.int(30, 5 * 365) * DAY;
    yield entity(`case-${pad(n, 5)}`, "Case", {
      name: `Operation ${rng.pick(["Aguila", "Cobra", "Halcón", "Frontera", "Nieve", "Tormenta", "Faucon", "Northern Light", "Desert Rose", "Río Bravo"])} ${n + 1}`,
      caseNumber: `${profile.nodeId.toUpperCase()}-${new Date(opened).getUTCFullYear()}-${pad(n + 1, 5)}`,
      crimeType: rng.pick(CRIMES),
      openedDate: isoDate(opened),
      status: rng.weighted([
        ["open", 70],
        ["closed", 20],
        ["suspended", 10],
      ] as const),
      subject: subjects,
    });
  }
}
