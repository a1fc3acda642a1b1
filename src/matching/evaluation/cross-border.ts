// A seeded generator of cross-border evaluation data: the same people as a US agency and a Mexican (or Québec)
// agency would file them, with the hard negatives that make matching dangerous — siblings, twins, cousins and
// father/son namesakes living at the same address — and the ground truth. Used to tune and to report figures on
// a seed that was not tuned on.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Random, WeightedList } from "../../demo/random.ts";
import { curpCheckDigit } from "../../normalize/identifiers.ts";
import { readMatchRecords } from "../match-csv.ts";
import type { MatchRecord } from "../record.ts";

export type CrossBorderVariant = "us-mx" | "us-qc";

export interface CrossBorderSet {
  /** The US file, English style. */
  left: string;
  /** The Mexican (Spanish style) or Québec (French style) file. */
  right: string;
  leftId: string;
  rightId: string;
  leftMap: string;
  rightMap: string;
  /** (left id, right id) of every person present in both files. */
  truth: Array<[string, string]>;
}

interface Person {
  key: number;
  given: string;
  second?: string;
  paternal: string;
  maternal?: string;
  birth: { year: number; month: number; day: number };
  sex: "male" | "female";
  address: string;
  phone: string;
}

const load = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8"));
const ES_GIVEN = load<{ male: string[]; female: string[] }>("../../normalize/data/es-given.json");
const FR_GIVEN = load<{ male: string[]; female: string[] }>("../../normalize/data/fr-given.json");
const ES_SURNAMES = load<{ surnames: string[] }>("../../normalize/data/es-surnames.json").surnames;
const FR_SURNAMES = load<{ surnames: string[] }>("../../normalize/data/fr-surnames.json").surnames;
const ES_NICKNAMES = load<{ nicknames: Record<string, string[]> }>("../../demo/names/es-nicknames.json").nicknames;
const FR_NICKNAMES = load<{ nicknames: Record<string, string[]> }>("../../demo/names/fr-nicknames.json").nicknames;
const STREETS = ["Av. Revolución", "Calle Hidalgo", "Calle Morelos", "Av. Juárez", "Calle Allende", "Rue Principale"];

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "");
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function csv(rows: string[][]): string {
  return `${rows.map((row) => row.map((f) => (/[",\n]/u.test(f) ? `"${f.replace(/"/gu, '""')}"` : f)).join(",")).join("\n")}\n`;
}

class Population {
  private key = 0;
  private readonly given: Record<"male" | "female", WeightedList<string>>;
  private readonly surnames: WeightedList<string>;

  constructor(
    private readonly rng: Random,
    private readonly variant: CrossBorderVariant,
  ) {
    const names = variant === "us-mx" ? ES_GIVEN : FR_GIVEN;
    this.given = { male: WeightedList.zipf(names.male), female: WeightedList.zipf(names.female) };
    this.surnames = WeightedList.zipf(variant === "us-mx" ? ES_SURNAMES : FR_SURNAMES);
  }

  person(base?: Partial<Person>): Person {
    const sex = base?.sex ?? (this.rng.chance(0.6) ? "male" : "female");
    const paternal = base?.paternal ?? this.surnames.pick(this.rng);
    let maternal = base?.maternal;
    if (this.variant === "us-mx" && maternal === undefined)
      do maternal = this.surnames.pick(this.rng);
      while (maternal === paternal);
    const given = base?.given ?? this.given[sex].pick(this.rng);
    return {
      key: this.key++,
      given,
      ...(this.rng.chance(0.2) ? { second: this.given[sex].pick(this.rng) } : {}),
      paternal,
      ...(maternal ? { maternal } : {}),
      birth: base?.birth ?? { year: this.rng.int(1950, 2005), month: this.rng.int(1, 12), day: this.rng.int(1, 28) },
      sex,
      address: base?.address ?? `${this.rng.pick(STREETS)} ${this.rng.int(1, 3999)}`,
      phone: base?.phone ?? `${this.rng.pick(["664", "656", "818", "915", "514"])}${this.rng.digits(7)}`,
    };
  }

  /** A given name of this person's sex other than `avoid`: parents do not give two of their children one name. */
  private otherGiven(sex: "male" | "female", avoid: string): string {
    let given = this.given[sex].pick(this.rng);
    const first = (name: string) => name.split(/[ -]/u)[0];
    while (first(given) === first(avoid)) given = this.given[sex].pick(this.rng);
    return given;
  }

  /** The people who make matching dangerous: relatives sharing surnames and an address with `person`. */
  hardNegative(person: Person): Person {
    const family = { paternal: person.paternal, address: person.address, phone: person.phone } as Partial<Person>;
    if (person.maternal) family.maternal = person.maternal;
    switch (this.rng.int(0, 3)) {
      case 0: {
        // sibling
        const sex = this.rng.chance(0.5) ? "male" : "female";
        return this.person({ ...family, sex, given: this.otherGiven(sex, person.given) });
      }
      case 1: // twin: same birth date, another given name
        return this.person({
          ...family,
          birth: person.birth,
          sex: person.sex,
          given: this.otherGiven(person.sex, person.given),
        });
      case 2: // cousin: one surname shared, and often the same given name (after a grandparent)
        return this.person({ paternal: person.paternal, given: person.given, sex: person.sex });
      default: // father (or mother) with the same name, a generation older
        return this.person({
          ...family,
          given: person.given,
          sex: person.sex,
          birth: { ...person.birth, year: person.birth.year - this.rng.int(20, 35) },
        });
    }
  }
}

function curpOf(person: Person, rng: Random): string {
  const up = (s: string) =>
    fold(s)
      .toUpperCase()
      .replace(/[^A-Z]/gu, "");
  const vowel = (s: string) =>
    up(s)
      .slice(1)
      .match(/[AEIOU]/u)?.[0] ?? "X";
  const consonant = (s: string) =>
    up(s)
      .slice(1)
      .match(/[B-DF-HJ-NP-TV-Z]/u)?.[0] ?? "X";
  const paternal = up(person.paternal.split(" ").at(-1) ?? "X");
  const maternal = up(person.maternal?.split(" ").at(-1) ?? "X");
  const given = up(person.given.split(" ").at(-1) ?? "X");
  const { year, month, day } = person.birth;
  const first17 = `${paternal[0]}${vowel(paternal)}${maternal[0]}${given[0]}${String(year).slice(2)}${pad(month)}${pad(day)}${person.sex === "male" ? "H" : "M"}BC${consonant(paternal)}${consonant(maternal)}${consonant(given)}${year < 2000 ? rng.digits(1) : "A"}`;
  return first17 + curpCheckDigit(first17);
}

function typo(text: string, rng: Random): string {
  if (text.length < 4) return text;
  const at = rng.int(1, text.length - 2);
  return rng.chance(0.5)
    ? `${text.slice(0, at)}${text[at + 1]}${text[at]}${text.slice(at + 2)}`
    : `${text.slice(0, at)}${text.slice(at + 1)}`;
}

/** How a US agency writes a Mexican or Québécois name: accents dropped, maternal surname lost or moved. */
function usRow(
  person: Person,
  id: string,
  rng: Random,
  nicknames: Record<string, string[]>,
  dialCode: string,
): string[] {
  let first = person.given;
  let middle = person.second ?? "";
  let last = person.paternal;
  const style = rng.next();
  if (person.maternal) {
    if (style < 0.45) last = person.paternal;
    else if (style < 0.6) last = `${person.paternal}-${person.maternal}`;
    else if (style < 0.75) middle = person.maternal;
    else last = `${person.paternal} ${person.maternal}`;
  }
  const nickname = nicknames[person.given];
  if (nickname?.length && rng.chance(0.12)) first = rng.pick(nickname);
  if (rng.chance(0.08)) last = typo(last, rng);
  if (rng.chance(0.05)) first = typo(first, rng);
  if (rng.chance(0.9)) [first, middle, last] = [fold(first), fold(middle), fold(last)];
  const { year, month, day } = person.birth;
  const swapped = rng.chance(0.03) && day <= 12;
  const dob = swapped ? `${pad(day)}/${pad(month)}/${year}` : `${pad(month)}/${pad(day)}/${year}`;
  const oneColumn = rng.chance(0.1);
  return [
    id,
    oneColumn ? "" : first,
    oneColumn ? "" : middle,
    oneColumn ? "" : last,
    oneColumn ? `${last.toUpperCase()}, ${first.toUpperCase()}` : "",
    // US records almost always carry a birth date (NCIC requires one for wanted persons); a few do not.
    rng.chance(0.03) ? "" : dob,
    person.sex === "male" ? "M" : "F",
    rng.chance(0.5) ? `${dialCode}${person.phone}` : "",
    rng.chance(0.6) ? fold(person.address) : "",
  ];
}

export function generateCrossBorder(options: {
  seed: number;
  people: number;
  variant: CrossBorderVariant;
}): CrossBorderSet {
  const rng = Random.derive("cross-border", options.variant, options.seed);
  const population = new Population(rng, options.variant);
  const nicknames = options.variant === "us-mx" ? ES_NICKNAMES : FR_NICKNAMES;
  const left: string[][] = [
    ["record_id", "first_name", "middle_name", "last_name", "full_name", "dob", "sex", "phone", "address"],
  ];
  const right: string[][] =
    options.variant === "us-mx"
      ? [
          [
            "folio",
            "nombre",
            "apellido_paterno",
            "apellido_materno",
            "fecha_nacimiento",
            "sexo",
            "curp",
            "telefono",
            "domicilio",
          ],
        ]
      : [["dossier", "prenom", "nom", "date_naissance", "sexe", "telephone", "adresse"]];
  const truth: Array<[string, string]> = [];
  let leftN = 0;
  let rightN = 0;
  const addRight = (person: Person): string => {
    const id = `R${++rightN}`;
    const given = person.second && rng.chance(0.7) ? `${person.given} ${person.second}` : person.given;
    const { year, month, day } = person.birth;
    if (options.variant === "us-mx")
      right.push([
        id,
        given,
        person.paternal,
        person.maternal ?? "",
        `${pad(day)}/${pad(month)}/${year}`,
        person.sex === "male" ? "H" : "M",
        rng.chance(0.8) ? curpOf(person, rng) : "",
        rng.chance(0.6) ? person.phone : "",
        person.address,
      ]);
    else
      right.push([
        id,
        given,
        person.paternal,
        `${year}-${pad(month)}-${pad(day)}`,
        person.sex === "male" ? "M" : "F",
        rng.chance(0.5) ? person.phone : "",
        person.address,
      ]);
    return id;
  };
  const addLeft = (person: Person): string => {
    const id = `L${++leftN}`;
    left.push(usRow(person, id, rng, nicknames, options.variant === "us-mx" ? "+52" : "+1"));
    return id;
  };
  for (let i = 0; i < options.people; i++) {
    const person = population.person();
    const inBoth = rng.chance(0.5);
    if (inBoth) truth.push([addLeft(person), addRight(person)]);
    else if (rng.chance(0.5)) addLeft(person);
    else addRight(person);
    // A relative on the other side of the border, or on both: close to the person, and never the same one.
    if (rng.chance(0.35)) {
      const relative = population.hardNegative(person);
      if (rng.chance(0.3)) truth.push([addLeft(relative), addRight(relative)]);
      else if (inBoth || rng.chance(0.5)) addRight(relative);
      else addLeft(relative);
    }
  }
  return {
    left: csv(left),
    right: csv(right),
    leftId: "record_id",
    rightId: options.variant === "us-mx" ? "folio" : "dossier",
    leftMap:
      "first_name=firstName,middle_name=middleName,last_name=lastName,full_name=name,dob=birthDate:MM/DD/YYYY,sex=gender,phone=phone,address=address",
    rightMap:
      options.variant === "us-mx"
        ? "nombre=firstName,apellido_paterno=lastName,apellido_materno=secondLastName,fecha_nacimiento=birthDate:DD/MM/YYYY,sexo=gender,curp=idNumber,telefono=phone,domicilio=address"
        : "prenom=firstName,nom=lastName,date_naissance=birthDate:YYYY-MM-DD,sexe=gender,telephone=phone,adresse=address",
    truth,
  };
}

/** Reads a generated set through the same CSV path as `puente match`, so evaluation exercises what users run. */
export async function readCrossBorder(
  set: CrossBorderSet,
  variant: CrossBorderVariant,
): Promise<{ left: MatchRecord[]; right: MatchRecord[] }> {
  const dir = mkdtempSync(join(tmpdir(), "puente-cross-border-"));
  try {
    writeFileSync(join(dir, "left.csv"), set.left);
    writeFileSync(join(dir, "right.csv"), set.right);
    const left = await readMatchRecords({
      file: join(dir, "left.csv"),
      idColumn: set.leftId,
      map: set.leftMap,
      country: "US",
    });
    const right = await readMatchRecords({
      file: join(dir, "right.csv"),
      idColumn: set.rightId,
      map: set.rightMap,
      country: variant === "us-mx" ? "MX" : "CA",
    });
    return { left, right };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
