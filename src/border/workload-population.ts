// Who and what crosses in a generated border day: households with their vehicles and registrations, pedestrians,
// carriers with their drivers, customs brokers, shippers and bus lines, each drawn deterministically from the
// seed and its number in a port's population (so the same household crosses again on another day), and the
// crossings built from them. Ordinary shared values occur at a realistic rate: big insurers, company fleets,
// mail-drop addresses where cross-border residents register US vehicles, brokers and carriers with many trucks,
// families crossing together every day. Names, VINs, addresses and phones come from the demo data's generators
// (src/demo/synthetic.ts), so nothing designates a real person, vehicle or dwelling. Only Mexican registrations
// carry a phone: the only fictional US numbers are the 555-01XX block, a hundred an area code, which would link
// a port's US vehicles by the dozen (and US registration records seldom hold a phone anyway).
//
// "Personal Vehicle Passengers" counts everyone in the vehicles, drivers included (2018: 1.88 a vehicle); each
// vehicle carries its driver and a share of the rest, household members first. "Bus Passengers" does not count the
// driver. Lanes: SENTRI households (45 % of commuter households and 7 % of occasional ones at ports with SENTRI
// lanes, about 22 % of vehicles) use SENTRI; vehicles whose people all hold RFID cards mostly use Ready lanes;
// carriers with FAST drivers (most of the big ones) use FAST.
import { hashSeed, Random, WeightedList } from "../demo/random.ts";
import {
  addressLine,
  type City,
  type Culture,
  draftOf,
  type Identity,
  nationalNumber,
  newIdentity,
  PLACES,
  phoneOf,
  VEHICLES,
  vinOf,
  writeName,
} from "../demo/synthetic.ts";
import type { Conveyance, Crossing, Lane, Manifest, TravelDocument, Traveller } from "./model.ts";
import type { BorderPort } from "./ports.ts";
import type { Measure, Volumes } from "./workload-volumes.ts";

// ── reference lists ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Auto insurers with rough market shares (Mexico: AMIS rankings, Quálitas about a third of the market; US: NAIC
 * private-passenger auto shares), and the share of vehicles without insurance. Insurers are what many crossings
 * share legitimately: the detector must not link on them.
 */
const MX_INSURERS: Array<[string, number]> = [
  ["Quálitas", 30],
  ["GNP Seguros", 12],
  ["AXA Seguros", 9],
  ["HDI Seguros", 8],
  ["Chubb Seguros", 7],
  ["Mapfre México", 6],
  ["Seguros Banorte", 6],
  ["BBVA Seguros", 5],
  ["Seguros Inbursa", 5],
  ["ANA Seguros", 3],
  ["Zurich Seguros", 3],
  ["El Potosí", 2],
  ["Afirme Seguros", 2],
  ["Seguros Atlas", 2],
];
const US_INSURERS: Array<[string, number]> = [
  ["State Farm", 17],
  ["GEICO", 14],
  ["Progressive", 13],
  ["Allstate", 10],
  ["USAA", 6],
  ["Liberty Mutual", 5],
  ["Farmers", 5],
  ["Nationwide", 3],
  ["Travelers", 2],
  ["American Family", 2],
  ["Mercury", 2],
  ["National General", 1.5],
  ["Infinity", 1.5],
  ["Texas Farm Bureau", 1],
  ["Kemper", 1],
  ["Bristol West", 1],
  ["Dairyland", 0.5],
];
const TRUCK_INSURERS: Array<[string, number]> = [
  ["Progressive Commercial", 20],
  ["Quálitas", 15],
  ["National Indemnity", 15],
  ["Great West Casualty", 12],
  ["Northland Insurance", 10],
  ["GNP Seguros", 10],
  ["Chubb Seguros", 10],
  ["Canal Insurance", 8],
];
const UNINSURED = { US: 0.08, MX: 0.35 } as const;

const BUS_LINES = [
  "Tufesa",
  "Greyhound Lines",
  "Autobuses Crucero",
  "El Paso-Los Angeles Limousine Express",
  "Autobuses Americanos",
  "Omnibus Express",
  "Autobuses Adame",
];

const COMMODITIES: Array<[string, number]> = [
  ["auto parts", 18],
  ["wire harnesses", 8],
  ["electrical machinery", 10],
  ["computers and electronics", 9],
  ["televisions", 5],
  ["medical instruments", 6],
  ["fresh tomatoes", 5],
  ["avocados", 4],
  ["berries", 4],
  ["fresh vegetables", 6],
  ["beer", 4],
  ["appliances", 5],
  ["furniture", 4],
  ["steel products", 5],
  ["plastic parts", 7],
];

/** Makers of ISO 17712 bolt seals and ISO 18185 electronic seals, as seal numbers name them. */
const SEAL_MAKERS = ["TYDEN", "UNISTO", "MEGAFORTRIS", "ACM", "HIGTEK"];

const LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
const OTHER_US_STATES = ["CA", "AZ", "TX", "NM", "NV", "CO", "IL", "FL", "WA"];
const OTHER_MX_STATES = ["BCN", "SON", "CHH", "COA", "NLE", "TAM", "SIN", "JAL", "DUR"];
const TRUCK_MAKES = new Set(["Freightliner", "Kenworth"]);
const CAR_MODELS = VEHICLES.filter((vehicle) => !TRUCK_MAKES.has(vehicle.make));
const TRUCK_MODELS = VEHICLES.filter((vehicle) => TRUCK_MAKES.has(vehicle.make));
/** Documents read by RFID at Ready lanes (WHTI-compliant cards). */
const RFID_DOCUMENTS = new Set([
  "passport-card",
  "border-crossing-card",
  "permanent-resident-card",
  "sentri-card",
  "fast-card",
]);

const CITIES_BY_STATE = new Map<string, City[]>();
for (const country of ["US", "MX"] as const)
  for (const city of PLACES[country].cities) {
    const key = `${country}-${city.state}`;
    CITIES_BY_STATE.set(key, [...(CITIES_BY_STATE.get(key) ?? []), city]);
  }
export const cityNamed = (country: "US" | "MX", name: string): City => {
  const city = PLACES[country].cities.find((candidate) => candidate.name === name);
  if (!city) throw new Error(`no city "${name}" in the demo place list`);
  return city;
};

export const pad = (n: number, width: number) => String(n).padStart(width, "0");

// ── the people and things that cross ───────────────────────────────────────────────────────────────────────────

export interface Person {
  identity: Identity;
  name: string;
  document: TravelDocument;
}

/** Who a vehicle is registered to, and how it is insured and reached. */
interface Registration {
  registrant: string;
  insurer?: string;
  address: string;
  phone?: string;
}

export interface Household extends Registration {
  plate: string;
  jurisdiction: string;
  vin: string;
  sentri: boolean;
  members: Person[];
}

interface Carrier extends Registration {
  usdot: string;
  fast: boolean;
  country: "US" | "MX";
  drivers: number;
}

export function travellerName(identity: Identity): string {
  return writeName(draftOf(identity)).name;
}

export type DocumentUse = "sentri" | "fast" | "any";

/** A travel document a person of this nationality would show; trusted travellers show their card. */
export function documentFor(rng: Random, nationality: string, use: DocumentUse): TravelDocument {
  if (use === "sentri" || use === "fast")
    return { type: use === "sentri" ? "sentri-card" : "fast-card", number: `98${rng.digits(7)}`, country: "US" };
  if (nationality === "US")
    return rng.chance(0.45)
      ? { type: "passport-card", number: `C${rng.digits(8)}`, country: "US" }
      : { type: "passport", number: `5${rng.digits(8)}`, country: "US" };
  if (nationality === "MX") {
    const type = rng.weighted([
      ["border-crossing-card", 65],
      ["permanent-resident-card", 20],
      ["passport", 15],
    ] as const);
    if (type === "passport") return { type, number: `G${rng.digits(8)}`, country: "MX" };
    if (type === "permanent-resident-card")
      return {
        type,
        number: `${rng.pick(["SRC", "LIN", "EAC", "WAC", "IOE", "MSC"])}${rng.digits(10)}`,
        country: "US",
      };
    return { type, number: `${rng.chars(1, LETTERS)}${rng.digits(8)}`, country: "US" };
  }
  return { type: "passport", number: `${rng.chars(2, LETTERS)}${rng.digits(7)}`, country: nationality };
}

export function newPerson(rng: Random, culture: Culture, country: "US" | "MX", use: DocumentUse): Person {
  const identity = newIdentity(rng, culture, country);
  return { identity, name: travellerName(identity), document: documentFor(rng, identity.nationality, use) };
}

function plateFor(rng: Random, jurisdiction: string): string {
  if (jurisdiction.startsWith("MX")) return `${rng.chars(3, LETTERS)}-${rng.digits(3)}-${rng.chars(1, LETTERS)}`;
  if (jurisdiction === "US-CA") return `${rng.int(1, 9)}${rng.chars(3, LETTERS)}${rng.digits(3)}`;
  if (jurisdiction === "US-NM") return `${rng.chars(3, LETTERS)}${rng.digits(3)}`;
  return `${rng.chars(3, LETTERS)}${rng.digits(4)}`;
}

function cityFor(rng: Random, port: BorderPort, country: "US" | "MX", state: string): City {
  const local = cityNamed(country, country === "US" ? port.usCity : port.mexicanCity);
  if (local.state === state && rng.chance(0.8)) return local;
  const inState = CITIES_BY_STATE.get(`${country}-${state}`);
  return inState ? rng.pick(inState) : local;
}

export function phoneIn(rng: Random, country: "US" | "MX", city: City): string {
  return phoneOf(country, nationalNumber(rng, rng.pick(city.areaCodes)));
}

/** The phone a registration holds: Mexican ones only (see the header). */
function registeredPhone(rng: Random, country: "US" | "MX", city: City): { phone?: string } {
  return country === "MX" ? { phone: phoneIn(rng, country, city) } : {};
}

function insurerFor(rng: Random, country: "US" | "MX"): string | undefined {
  if (rng.chance(UNINSURED[country])) return undefined;
  return rng.weighted(country === "US" ? US_INSURERS : MX_INSURERS);
}

export function companyName(
  rng: Random,
  country: "US" | "MX",
  kinds: ReadonlyArray<readonly [string, string]>,
): string {
  const surname = newIdentity(rng, country === "MX" ? "es" : rng.chance(0.5) ? "es" : "en", country).paternal;
  const [kind, form] = rng.pick(kinds);
  return country === "MX" ? `${kind} ${surname} ${form}` : `${surname} ${kind} ${form}`;
}

const FLEET_KINDS = {
  MX: [
    ["Constructora", "S.A. de C.V."],
    ["Servicios Industriales", "S.A. de C.V."],
    ["Distribuidora", "S.A. de C.V."],
    ["Renta de Autos", "S.A. de C.V."],
  ],
  US: [
    ["Services", "LLC"],
    ["Construction", "Inc."],
    ["Auto Rental", "LLC"],
    ["Distributors", "Inc."],
  ],
} as const;
const CARRIER_KINDS = {
  MX: [
    ["Transportes", "S.A. de C.V."],
    ["Autotransportes", "S.A. de C.V."],
    ["Fletes", "S. de R.L."],
  ],
  US: [
    ["Trucking", "LLC"],
    ["Transport", "Inc."],
    ["Freight Lines", "Inc."],
  ],
} as const;
export const BROKER_KINDS = {
  MX: [["Agencia Aduanal", "S.C."]],
  US: [
    ["Customs Brokers", "Inc."],
    ["Customs Brokerage", "LLC"],
  ],
} as const;
const SHIPPER_KINDS = [
  ["Manufacturas", "S.A. de C.V."],
  ["Maquiladora", "S. de R.L. de C.V."],
  ["Agrícola", "S.P.R. de R.L."],
  ["Industrias", "S.A. de C.V."],
] as const;
const CONSIGNEE_KINDS = [
  ["Distribution", "LLC"],
  ["Produce", "Inc."],
  ["Electronics", "Corp."],
  ["Supply", "Co."],
] as const;

/** Everything a generated day draws from, for one seed: who lives near each port, which fleets and brokers work it. */
/**
 * Commuters: 40 % of a port's vehicles and pedestrians on a day, from a pool of 45 % of its daily volume (so most
 * commuters cross on any given day, each once); the rest from an occasional population twenty times the daily
 * volume (each crossing every few weeks).
 */
const COMMUTER_SHARE = 0.4;
const COMMUTER_POOL = 0.45;
const OCCASIONAL_POOL = 20;

/** Who has crossed so far on one pass over a day: the commuters' order for the day and how far along it is. */
export class Today {
  readonly orders = new Map<string, number[]>();
  readonly crossed = new Map<string, number>();

  constructor(readonly date: string) {}
}

export class Population {
  private readonly picks = new Map<string, WeightedList<number>>();
  /** Companies, mail drops and truck drivers: few, and met again and again. */
  private readonly known = new Map<string, unknown>();

  constructor(
    readonly seed: number,
    private readonly annual: Map<string, Volumes>,
  ) {}

  /** Average daily volume of a measure at a port over 2018: populations do not change with the day asked for. */
  daily(port: string, measure: Measure): number {
    return (this.annual.get(port)?.[measure] ?? 0) / 365;
  }

  private readonly bases = new Map<string, number>();

  /**
   * The stream of one numbered member of a population (a household, a pedestrian): the population's hash, spread
   * by the index through the generator's own seeding, which is cheaper than hashing the whole name every time.
   */
  stream(what: string, port: string, index: number): Random {
    const name = `${what}|${port}`;
    let base = this.bases.get(name);
    if (base === undefined) {
      base = hashSeed(this.seed, what, port);
      this.bases.set(name, base);
    }
    return new Random((base + Math.imul(index, 0x9e3779b1)) >>> 0);
  }

  private memo<T>(key: string, make: () => T): T {
    let value = this.known.get(key) as T | undefined;
    if (value === undefined) {
      value = make();
      this.known.set(key, value);
    }
    return value;
  }

  /** A Zipf-weighted index among `size` (fleets, brokers, carriers): a few big ones and a long tail. */
  zipf(rng: Random, what: string, port: string, size: number): number {
    const key = `${what}|${port}|${size}`;
    let list = this.picks.get(key);
    if (!list) {
      list = WeightedList.zipf(Array.from({ length: size }, (_, i) => i));
      this.picks.set(key, list);
    }
    return list.pick(rng);
  }

  /**
   * Who crosses next: often the next commuter of the day (each at most once a day, in an order drawn for the
   * day), else someone of the occasional population; always the latter without a day's tally (planted crossings).
   */
  private next(rng: Random, what: string, port: string, daily: number, today: Today | undefined): number {
    const commuters = Math.ceil(COMMUTER_POOL * daily);
    if (today && rng.chance(COMMUTER_SHARE)) {
      const key = `${what}|${port}`;
      let order = today.orders.get(key);
      if (!order) {
        order = Random.derive(this.seed, "commuters", what, port, today.date).shuffle(
          Array.from({ length: commuters }, (_, i) => i),
        );
        today.orders.set(key, order);
      }
      const at = today.crossed.get(key) ?? 0;
      if (at < order.length) {
        today.crossed.set(key, at + 1);
        return order[at] as number;
      }
    }
    return commuters + rng.int(0, Math.ceil(OCCASIONAL_POOL * daily));
  }

  /** The household of the next vehicle: a commuter household at most once a day, or an occasional one. */
  householdIndex(rng: Random, port: BorderPort, today?: Today): number {
    return this.next(rng, "household", port.code, Math.max(1, this.daily(port.code, "Personal Vehicles")), today);
  }

  /** A household's vehicle and registration, with the first `occupants` of its members (the rest stay home). */
  household(port: BorderPort, index: number, occupants: number): Household {
    const rng = this.stream("household", port.code, index);
    const commuter = index < Math.ceil(COMMUTER_POOL * Math.max(1, this.daily(port.code, "Personal Vehicles")));
    const country = rng.chance(0.55) ? "US" : "MX";
    const state =
      country === "US"
        ? rng.chance(0.9)
          ? port.state
          : rng.pick(OTHER_US_STATES)
        : rng.chance(0.88)
          ? port.mexicanState
          : rng.pick(OTHER_MX_STATES);
    const sentri = port.lanes.sentri && rng.chance(commuter ? 0.45 : 0.07);
    const culture: Culture = rng.chance(country === "MX" ? 0.97 : 0.65) ? "es" : "en";
    const use: DocumentUse = sentri ? "sentri" : "any";
    const first = newPerson(rng, culture, country, use);
    const size = rng.weighted([
      [1, 35],
      [2, 30],
      [3, 20],
      [4, 10],
      [5, 5],
    ] as const);
    const members = [first];
    // Each member from a stream of their own, so the same people make up the household whoever stays home.
    for (let k = 1; k < Math.min(size, occupants); k++) {
      const own = this.stream(`member-${k}`, port.code, index);
      const member = newPerson(own, culture, country, use);
      if (own.chance(0.7)) {
        member.identity.paternal = first.identity.paternal;
        member.identity.nationality = first.identity.nationality;
        member.name = travellerName(member.identity);
        member.document = documentFor(own, member.identity.nationality, use);
      }
      members.push(member);
    }
    const jurisdiction = `${country}-${state}`;
    const city = cityFor(rng, port, country, state);
    let registration: Registration;
    if (rng.chance(0.03)) registration = this.fleet(port, this.zipf(rng, "fleet", port.code, 150));
    else {
      const registrant = rng.chance(0.8) ? first.name : travellerName(newIdentity(rng, culture, country));
      const mailDrop = country === "US" && first.identity.nationality === "MX" && rng.chance(0.1);
      registration = {
        registrant,
        address: mailDrop
          ? this.mailDrop(port, this.zipf(rng, "mail-drop", port.code, 25))
          : addressLine(rng, country, city),
      };
      Object.assign(registration, registeredPhone(rng, country, city));
      const insurer = insurerFor(rng, country);
      if (insurer) registration.insurer = insurer;
    }
    return {
      ...registration,
      plate: plateFor(rng, jurisdiction),
      jurisdiction,
      vin: vinOf(rng.pick(CAR_MODELS).wmi, rng),
      sentri,
      members,
    };
  }

  /** A company whose vehicles cross (builders, distributors, rental firms): shared registrant, address and phone. */
  private fleet(port: BorderPort, index: number): Registration {
    return this.memo(`fleet|${port.code}|${index}`, () => this.newFleet(port, index));
  }

  private newFleet(port: BorderPort, index: number): Registration {
    const rng = Random.derive(this.seed, "fleet", port.code, index);
    const country = rng.chance(0.6) ? "MX" : "US";
    const city = cityNamed(country, country === "US" ? port.usCity : port.mexicanCity);
    return {
      registrant: companyName(rng, country, FLEET_KINDS[country]),
      insurer: rng.weighted(country === "US" ? US_INSURERS : MX_INSURERS),
      address: addressLine(rng, country, city),
      ...registeredPhone(rng, country, city),
    };
  }

  /** A US mail-drop address near the port, where many cross-border residents register their US vehicles. */
  private mailDrop(port: BorderPort, index: number): string {
    return this.memo(`mail-drop|${port.code}|${index}`, () =>
      addressLine(Random.derive(this.seed, "mail-drop", port.code, index), "US", cityNamed("US", port.usCity)),
    );
  }

  /** The next pedestrian: a commuter at most once a day, or an occasional crosser. */
  pedestrian(rng: Random, port: BorderPort, today: Today): Person {
    const index = this.next(rng, "pedestrian", port.code, Math.max(1, this.daily(port.code, "Pedestrians")), today);
    const person = this.stream("pedestrian", port.code, index);
    return newPerson(person, person.chance(0.8) ? "es" : "en", person.chance(0.7) ? "MX" : "US", "any");
  }

  carrier(port: BorderPort, index: number): Carrier {
    return this.memo(`carrier|${port.code}|${index}`, () => this.newCarrier(port, index));
  }

  private newCarrier(port: BorderPort, index: number): Carrier {
    const rng = Random.derive(this.seed, "carrier", port.code, index);
    const country = rng.chance(0.7) ? "MX" : "US";
    const city = cityNamed(country, country === "US" ? port.usCity : port.mexicanCity);
    return {
      registrant: companyName(rng, country, CARRIER_KINDS[country]),
      insurer: rng.weighted(TRUCK_INSURERS),
      address: addressLine(rng, country, city),
      ...registeredPhone(rng, country, city),
      usdot: String(rng.int(1_000_000, 3_999_999)),
      // Bigger carriers (lower index) are more often C-TPAT partners with FAST drivers.
      fast: rng.chance(index < 20 ? 0.6 : 0.15),
      country,
      drivers: 3 + Math.floor(40 / (index + 1)),
    };
  }

  driver(port: BorderPort, carrier: number, index: number, fast: boolean): Person {
    return this.memo(`driver|${port.code}|${carrier}|${index}|${fast}`, () => {
      const rng = Random.derive(this.seed, "driver", port.code, carrier, index);
      return newPerson(rng, rng.chance(0.9) ? "es" : "en", rng.chance(0.8) ? "MX" : "US", fast ? "fast" : "any");
    });
  }

  broker(port: BorderPort, index: number): string {
    return this.memo(`broker|${port.code}|${index}`, () => {
      const rng = Random.derive(this.seed, "broker", port.code, index);
      const country = rng.chance(0.5) ? "MX" : "US";
      return companyName(rng, country, BROKER_KINDS[country]);
    });
  }

  shipper(port: BorderPort, index: number): string {
    return this.memo(`shipper|${port.code}|${index}`, () =>
      companyName(Random.derive(this.seed, "shipper", port.code, index), "MX", SHIPPER_KINDS),
    );
  }

  consignee(port: BorderPort, index: number): string {
    return this.memo(`consignee|${port.code}|${index}`, () =>
      companyName(Random.derive(this.seed, "consignee", port.code, index), "US", CONSIGNEE_KINDS),
    );
  }

  /**
   * Someone riding along outside the household (a friend given a lift, a bus passenger): drawn from a crowd
   * twenty times the port's daily vehicles, so that the same stranger rarely rides twice in a few days.
   */
  stranger(rng: Random, port: BorderPort): Person {
    const index = rng.int(0, Math.ceil(20 * Math.max(1, this.daily(port.code, "Personal Vehicles"))));
    const person = this.stream("stranger", port.code, index);
    return newPerson(person, person.chance(0.8) ? "es" : "en", person.chance(0.6) ? "MX" : "US", "any");
  }
}

// ── crossings ──────────────────────────────────────────────────────────────────────────────────────────────────

function traveller(person: Person, role: Traveller["role"]): Traveller {
  return {
    name: person.name,
    birthDate: person.identity.birthDate,
    nationality: person.identity.nationality,
    document: person.document,
    role,
  };
}

function vehicleLane(rng: Random, port: BorderPort, people: Person[], sentri: boolean): Lane {
  if (sentri && port.lanes.sentri) return "sentri-nexus";
  const rfid = people.every((person) => RFID_DOCUMENTS.has(person.document.type));
  return rfid && port.lanes.ready && rng.chance(0.85) ? "ready" : "general";
}

function registrationOf(registration: Registration): Conveyance {
  const conveyance: Conveyance = {
    kind: "vehicle",
    registrant: registration.registrant,
    registrantAddress: registration.address,
  };
  if (registration.phone) conveyance.registrantPhone = registration.phone;
  if (registration.insurer) conveyance.insurer = registration.insurer;
  return conveyance;
}

/** A personal vehicle with `occupants` people: the household's members first, then others given a lift. */
export function vehicleCrossing(
  population: Population,
  rng: Random,
  port: BorderPort,
  id: string,
  time: string,
  occupants: number,
  household: Household,
): Crossing {
  const aboard = household.members.slice(0, occupants);
  if (aboard.length > 1 && rng.chance(0.3)) aboard.push(aboard.shift() as Person);
  while (aboard.length < occupants) aboard.push(population.stranger(rng, port));
  return {
    id,
    port: port.code,
    lane: vehicleLane(rng, port, aboard, household.sentri),
    time,
    conveyance: {
      ...registrationOf(household),
      plate: household.plate,
      plateJurisdiction: household.jurisdiction,
      vin: household.vin,
    },
    people: aboard.map((person, index) => traveller(person, index === 0 ? "driver" : "passenger")),
  };
}

export function pedestrianCrossing(rng: Random, port: BorderPort, id: string, time: string, person: Person): Crossing {
  const lane: Lane =
    port.lanes.pedestrianReady && RFID_DOCUMENTS.has(person.document.type) && rng.chance(0.8) ? "ready" : "general";
  return {
    id,
    port: port.code,
    lane,
    time,
    conveyance: { kind: "pedestrian" },
    people: [traveller(person, "pedestrian")],
  };
}

export interface TruckLoad {
  loaded: boolean;
  shipmentId: string;
  broker?: string;
}

export function truckCrossing(
  population: Population,
  rng: Random,
  port: BorderPort,
  id: string,
  time: string,
  load: TruckLoad,
  carrierIndex: number,
): Crossing {
  const carrier = population.carrier(port, carrierIndex);
  const fast = carrier.fast && port.lanes.fast;
  const driver = population.driver(port, carrierIndex, rng.int(0, carrier.drivers - 1), fast);
  const people = [traveller(driver, "driver")];
  // Team drivers: a second driver of the same carrier.
  if (rng.chance(0.05))
    people.push(traveller(population.driver(port, carrierIndex, rng.int(0, carrier.drivers - 1), fast), "passenger"));
  const manifest: Manifest = { commodity: "empty" };
  if (load.loaded) {
    manifest.shipper = population.shipper(port, population.zipf(rng, "shipper", port.code, 300));
    manifest.consignee = population.consignee(port, population.zipf(rng, "consignee", port.code, 300));
    manifest.broker = load.broker ?? population.broker(port, population.zipf(rng, "broker", port.code, 60));
    manifest.commodity = rng.weighted(COMMODITIES);
    manifest.sealNumbers = Array.from(
      { length: rng.chance(0.8) ? 1 : 2 },
      () => `${rng.pick(SEAL_MAKERS)}:${rng.chars(2, LETTERS)}${rng.digits(8)}`,
    );
    manifest.shipmentId = load.shipmentId;
  }
  const jurisdiction = carrier.country === "MX" ? "MX" : `US-${port.state}`;
  return {
    id,
    port: port.code,
    lane: fast && rng.chance(0.9) ? "fast" : "general",
    time,
    conveyance: {
      ...registrationOf(carrier),
      kind: "truck",
      plate:
        carrier.country === "MX"
          ? `${rng.digits(2)}${rng.chars(2, LETTERS)}${rng.digits(1)}${rng.chars(1, LETTERS)}`
          : `${rng.chars(1, LETTERS)}${rng.digits(6)}`,
      plateJurisdiction: jurisdiction,
      vin: vinOf(rng.pick(TRUCK_MODELS).wmi, rng),
      usdot: carrier.usdot,
    },
    people,
    manifest,
  };
}

export function busCrossing(
  population: Population,
  rng: Random,
  port: BorderPort,
  id: string,
  time: string,
  passengers: number,
): Crossing {
  const line = rng.pick(BUS_LINES);
  const country = rng.chance(0.6) ? "MX" : "US";
  const city = cityNamed(country, country === "US" ? port.usCity : port.mexicanCity);
  const driver = population.driver(port, -1, rng.int(0, 200), false);
  const people = [traveller(driver, "driver")];
  for (let i = 0; i < passengers; i++) people.push(traveller(population.stranger(rng, port), "passenger"));
  const registration: Registration = {
    registrant: line,
    insurer: rng.weighted(TRUCK_INSURERS),
    address: addressLine(Random.derive(population.seed, "bus-line", line), country, city),
    ...registeredPhone(Random.derive(population.seed, "bus-phone", line), country, city),
  };
  return {
    id,
    port: port.code,
    lane: "general",
    time,
    conveyance: {
      ...registrationOf(registration),
      kind: "bus",
      plate: plateFor(rng, `${country}-${country === "US" ? port.state : port.mexicanState}`),
      plateJurisdiction: `${country}-${country === "US" ? port.state : port.mexicanState}`,
      vin: vinOf(rng.pick(TRUCK_MODELS).wmi, rng),
      usdot: String(rng.int(1_000_000, 3_999_999)),
    },
    people,
  };
}
