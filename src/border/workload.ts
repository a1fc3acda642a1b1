// A day of northbound crossings at the southern-border ports, deterministic for a seed, as a stream in arrival
// order: volumes per port, measure and hour from workload-volumes.ts, people and conveyances from
// workload-population.ts. On top of the ordinary traffic, a day can carry planted bursts of linked crossings
// (decoys sharing a registrant, address, phone, small broker or insurer, or people who crossed together days
// before) and lookout hits (persons or plates under spelling variants), with the truth about them, for the tests
// and benchmarks of screening and coordinated-arrival detection. Ports keep their own time zone (the day is the
// same local date everywhere; a day on which clocks change is treated as if they did not); within an hour
// arrivals are uniform. Rail and train measures are not screened at booths and are left out.
import { Random } from "../demo/random.ts";
import { addressLine, agencyVersion, type Identity, newIdentity } from "../demo/synthetic.ts";
import type { LinkKind } from "./coordinated-arrivals.ts";
import type { Crossing } from "./model.ts";
import { type BorderPort, SOUTHERN_BORDER_PORTS, southernBorderPort } from "./ports.ts";
import {
  BROKER_KINDS,
  busCrossing,
  cityNamed,
  companyName,
  documentFor,
  newPerson,
  type Person,
  Population,
  pad,
  pedestrianCrossing,
  phoneIn,
  Today,
  travellerName,
  truckCrossing,
  vehicleCrossing,
} from "./workload-population.ts";
import {
  apportion,
  DAY_MS,
  DEFAULT_BTS_FILE,
  emptyVolumes,
  expectedDayVolumes,
  HOUR_MS,
  hourShape,
  MAX_BUS_PASSENGERS,
  MAX_VEHICLE_OCCUPANTS,
  MEASURES,
  monthlyVolumes,
  parseDate,
  utcOffsetMinutes,
  type Volumes,
  weekdayOf,
} from "./workload-volumes.ts";

// ── plants ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** A burst of crossings planted at one port, all linked by one kind of shared value. */
export interface BurstPlant {
  /** Local date of the burst (default: the day generated). */
  date?: string;
  port: string;
  size: number;
  /** Local time the burst starts, "HH:MM". */
  start: string;
  /** The burst's arrivals are spread uniformly over this many minutes (default 20). */
  minutes?: number;
  /**
   * What the burst's crossings share: one registrant, address or phone (vehicles), a small customs broker
   * (trucks), an obscure insurer, or people who crossed together before ("co-travel").
   */
  link: LinkKind;
  /** For co-travel: how many days before the burst its people crossed together, in a few vehicles (default 3). */
  togetherDaysAgo?: number;
}

/** A person or plate on a lookout list, to be placed in crossings of the day under a variant of how it is written. */
export interface LookoutPlant {
  lookoutId: string;
  person?: {
    given: string;
    paternal: string;
    maternal?: string;
    birthDate: string;
    nationality?: string;
    gender?: "male" | "female";
  };
  plate?: { plate: string; jurisdiction: string };
  /** Default: a port drawn by its vehicle volume. */
  port?: string;
  /** Local time, "HH:MM" (default: drawn between 06:00 and 21:00). */
  time?: string;
  /** How many crossings of the day carry it (default 1). */
  count?: number;
}

export interface PlantedBurst {
  index: number;
  port: string;
  link: LinkKind;
  /** The burst's crossings, in arrival order. */
  crossingIds: string[];
}

export interface PlantedTogether {
  /** The burst these earlier crossings prepare. */
  burst: number;
  crossingIds: string[];
}

export interface PlantedLookoutHit {
  lookoutId: string;
  crossingId: string;
  /** How the name or plate is written in the crossing. */
  written: string;
}

export interface WorkloadOptions {
  seed: number;
  /** The local calendar date at every port, "YYYY-MM-DD" (default 2018-06-15, a Friday). */
  date?: string;
  /** CBP port codes to generate (default: every southern-border port). */
  ports?: readonly string[];
  /** Multiplies every volume (tests use small scales); populations keep their full size. */
  scale?: number;
  bursts?: readonly BurstPlant[];
  lookouts?: readonly LookoutPlant[];
  btsFile?: string;
}

export interface BorderDay {
  date: string;
  /** Per port, the crossings of each measure this day holds, plants aside (Measure → count). */
  counts: ReadonlyMap<string, Readonly<Volumes>>;
  truth: { bursts: PlantedBurst[]; together: PlantedTogether[]; lookouts: PlantedLookoutHit[] };
  /** The day's crossings in arrival order (UTC), one hour at a time; each call starts again from the beginning. */
  crossings(): Generator<Crossing>;
}

const DEFAULT_DATE = "2018-06-15";

function localTime(text: string, what: string): number {
  const match = /^(\d{2}):(\d{2})$/u.exec(text);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : -1;
  if (!match || Number(match[2]) > 59 || minutes >= 24 * 60) throw new RangeError(`${what}: "${text}" is not HH:MM`);
  return minutes * 60_000;
}

function shiftDate(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Writes a name the way another clerk or reader would (the demo data's agency variations). */
function nameVariant(person: NonNullable<LookoutPlant["person"]>, rng: Random): { name: string; birthDate: string } {
  const identity: Identity = {
    culture: person.maternal || person.nationality === "MX" ? "es" : "en",
    gender: person.gender ?? "male",
    given: person.given,
    paternal: person.paternal,
    maternal: person.maternal ?? null,
    birthDate: person.birthDate,
    nationality: person.nationality ?? "MX",
    birthState: undefined,
    phoneDigits: "",
    plate: null,
  };
  const { written, birthDate } = agencyVersion(identity, rng, {
    nodeId: "border",
    country: "US",
    agency: "port of entry",
  });
  return { name: written.name, birthDate };
}

/** A plate as a reader or an officer may write it: separators moved, or one character misread. */
function plateVariant(plate: string, rng: Random): string {
  const bare = plate.replace(/[\s-]/gu, "");
  const variants = [
    bare,
    `${bare.slice(0, 3)}-${bare.slice(3)}`,
    `${bare.slice(0, 3)} ${bare.slice(3)}`,
    bare.replace(/[0O1I8B]/u, (char) => ({ 0: "O", O: "0", 1: "I", I: "1", 8: "B", B: "8" })[char] ?? char),
  ].filter((variant) => variant !== plate);
  return rng.pick(variants);
}

interface DayPlan {
  date: string;
  ymd: string;
  ports: BorderPort[];
  /** Per port, the UTC instant of local midnight. */
  midnight: Map<string, number>;
  counts: Map<string, Volumes>;
  /** Planted crossings by the UTC hour they fall in. */
  planted: Map<number, Crossing[]>;
  truth: BorderDay["truth"];
}

/** A day of crossings at the southern-border ports; see the header for how volumes and contents are drawn. */
export function southernBorderDay(options: WorkloadOptions): BorderDay {
  const file = options.btsFile ?? DEFAULT_BTS_FILE;
  const date = options.date ?? DEFAULT_DATE;
  const { year, month, day } = parseDate(date);
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new RangeError("scale: must be a positive number");
  const ports = (options.ports ?? SOUTHERN_BORDER_PORTS.map((port) => port.code)).map((code, index) => {
    const port = southernBorderPort(code);
    if (!port) throw new RangeError(`ports[${index}]: "${code}" is not a southern-border port code`);
    return port;
  });
  const annual = new Map<string, Volumes>();
  for (const [key, volumes] of monthlyVolumes(file)) {
    const port = key.split("|")[0] as string;
    const total = annual.get(port) ?? emptyVolumes();
    for (const measure of MEASURES) total[measure] += volumes[measure];
    annual.set(port, total);
  }
  const population = new Population(options.seed, annual);
  const plan: DayPlan = {
    date,
    ymd: date.replaceAll("-", ""),
    ports,
    midnight: new Map(),
    counts: new Map(),
    planted: new Map(),
    truth: { bursts: [], together: [], lookouts: [] },
  };
  const noonUtc = Date.UTC(year, month - 1, day, 19);
  for (const port of ports) {
    plan.midnight.set(port.code, Date.UTC(year, month - 1, day) - utcOffsetMinutes(port.timeZone, noonUtc) * 60_000);
    const expected = expectedDayVolumes(port.code, date, file);
    const counts = emptyVolumes();
    for (const measure of MEASURES) counts[measure] = Math.round(expected[measure] * scale);
    counts["Personal Vehicle Passengers"] = Math.max(
      counts["Personal Vehicle Passengers"],
      counts["Personal Vehicles"],
    );
    counts["Personal Vehicle Passengers"] = Math.min(
      counts["Personal Vehicle Passengers"],
      counts["Personal Vehicles"] * MAX_VEHICLE_OCCUPANTS,
    );
    if (counts.Buses === 0) counts["Bus Passengers"] = 0;
    counts["Bus Passengers"] = Math.min(counts["Bus Passengers"], counts.Buses * MAX_BUS_PASSENGERS);
    plan.counts.set(port.code, counts);
  }
  plantBursts(plan, population, options.bursts ?? []);
  plantLookouts(plan, population, options.lookouts ?? []);
  return {
    date,
    counts: plan.counts,
    truth: plan.truth,
    crossings: () => dayCrossings(plan, population),
  };
}

function addPlanted(plan: DayPlan, crossing: Crossing): void {
  const hour = Math.floor(Date.parse(crossing.time) / HOUR_MS) * HOUR_MS;
  const list = plan.planted.get(hour) ?? [];
  list.push(crossing);
  plan.planted.set(hour, list);
}

function plantPort(plan: DayPlan, code: string, what: string): BorderPort {
  const port = plan.ports.find((candidate) => candidate.code === code);
  if (!port) throw new RangeError(`${what}: port "${code}" is not among the ports generated`);
  return port;
}

function plantBursts(plan: DayPlan, population: Population, bursts: readonly BurstPlant[]): void {
  for (const [index, burst] of bursts.entries()) {
    const what = `bursts[${index}]`;
    const port = plantPort(plan, burst.port, what);
    const burstDate = burst.date ?? plan.date;
    const togetherDate = shiftDate(burstDate, -(burst.togetherDaysAgo ?? 3));
    const onDay = burstDate === plan.date;
    const together = burst.link === "co-travel" && togetherDate === plan.date;
    if (!onDay && !together) continue;
    if (!Number.isInteger(burst.size) || burst.size < 2) throw new RangeError(`${what}.size: at least 2 crossings`);
    if (burst.link === "broker" && !port.lanes.commercial)
      throw new RangeError(`${what}.link: port ${port.code} takes no trucks`);
    const start = localTime(burst.start, `${what}.start`);
    const spread = (burst.minutes ?? 20) * 60_000;
    if (!(spread >= 0) || start + spread > DAY_MS) throw new RangeError(`${what}.minutes: the burst must end by 24:00`);
    const rng = Random.derive(population.seed, "burst", burstDate, index);
    const midnight = plan.midnight.get(port.code) as number;
    // The people of a co-travel burst, the same on the day they crossed together and on the day of the burst.
    const people = Array.from({ length: burst.size }, () => newPerson(rng, "es", "MX", "any"));
    const shared = sharedValue(rng, port, burst.link);
    if (together) {
      const ids: string[] = [];
      // Groups of four that overlap by one, so that every person is linked to every other through the groups.
      for (let group = 0, first = 0; first < burst.size - 1; group++, first += 3) {
        const id = `${port.code}-${plan.ymd}-T${index}-${group}`;
        const time = new Date(midnight + start + group * 60_000).toISOString();
        const household = population.household(port, population.householdIndex(rng, port), 1);
        const members = people.slice(first, first + 4);
        const crossing = vehicleCrossing(population, rng, port, id, time, members.length, {
          ...household,
          sentri: false,
          members,
        });
        addPlanted(plan, crossing);
        ids.push(id);
      }
      plan.truth.together.push({ burst: index, crossingIds: ids });
    }
    if (!onDay) continue;
    const times = Array.from({ length: burst.size }, () => midnight + start + Math.floor(rng.next() * spread)).sort(
      (a, b) => a - b,
    );
    const ids = times.map((time, i) => {
      const id = `${port.code}-${plan.ymd}-X${index}-${pad(i, 3)}`;
      const iso = new Date(time).toISOString();
      let crossing: Crossing;
      if (burst.link === "broker")
        crossing = truckCrossing(
          population,
          rng,
          port,
          id,
          iso,
          { loaded: true, shipmentId: `SHP-${id}`, broker: shared },
          rng.int(1000, 100_000),
        );
      else {
        const household = population.household(port, population.householdIndex(rng, port), rng.int(1, 3));
        const driver = people[i] as Person;
        const members = burst.link === "co-travel" ? [driver] : household.members;
        const linked = { ...household, sentri: false, members };
        if (burst.link === "registrant") linked.registrant = shared;
        if (burst.link === "address") linked.address = shared;
        if (burst.link === "phone") linked.phone = shared;
        if (burst.link === "insurer") linked.insurer = shared;
        crossing = vehicleCrossing(population, rng, port, id, iso, members.length, linked);
      }
      addPlanted(plan, crossing);
      return id;
    });
    plan.truth.bursts.push({ index, port: port.code, link: burst.link, crossingIds: ids });
  }
}

/** A fresh value only a burst shares: a person or company, an address, a phone, a small broker or insurer. */
function sharedValue(rng: Random, port: BorderPort, link: LinkKind): string {
  const city = cityNamed("MX", port.mexicanCity);
  switch (link) {
    case "registrant":
      return travellerName(newIdentity(rng, "es", "MX"));
    case "address":
      return addressLine(rng, "MX", city);
    case "phone":
      return phoneIn(rng, "MX", city);
    case "broker":
      return companyName(rng, "MX", BROKER_KINDS.MX);
    case "insurer":
      return companyName(rng, "MX", [["Aseguradora", "S.A."]]);
    case "co-travel":
      return "";
  }
}

function plantLookouts(plan: DayPlan, population: Population, lookouts: readonly LookoutPlant[]): void {
  const byVolume = plan.ports.map(
    (port) => [port, (plan.counts.get(port.code) as Volumes)["Personal Vehicles"] + 1] as const,
  );
  for (const [index, lookout] of lookouts.entries()) {
    const what = `lookouts[${index}]`;
    if (!lookout.person && !lookout.plate) throw new RangeError(`${what}: give a person or a plate`);
    const rng = Random.derive(population.seed, "lookout", plan.date, index);
    for (let n = 0; n < (lookout.count ?? 1); n++) {
      const port = lookout.port ? plantPort(plan, lookout.port, `${what}.port`) : rng.weighted(byVolume);
      const at = lookout.time ? localTime(lookout.time, `${what}.time`) : rng.int(6 * 60, 21 * 60) * 60_000;
      const time = new Date((plan.midnight.get(port.code) as number) + at + rng.int(0, 59) * 1000).toISOString();
      const id = `${port.code}-${plan.ymd}-L${index}-${n}`;
      const household = population.household(port, population.householdIndex(rng, port), 1);
      let written = "";
      let crossing: Crossing;
      if (lookout.person) {
        const variant = nameVariant(lookout.person, rng);
        written = variant.name;
        const nationality = lookout.person.nationality ?? "MX";
        const person: Person = {
          identity: { ...newIdentity(rng, "es", "MX"), birthDate: variant.birthDate, nationality },
          name: variant.name,
          document: documentFor(rng, nationality, "any"),
        };
        crossing =
          !lookout.plate && rng.chance(0.3)
            ? pedestrianCrossing(rng, port, id, time, person)
            : vehicleCrossing(population, rng, port, id, time, 1, { ...household, members: [person] });
      } else crossing = vehicleCrossing(population, rng, port, id, time, 1, household);
      if (lookout.plate) {
        const plate = plateVariant(lookout.plate.plate, rng);
        crossing.conveyance.plate = plate;
        crossing.conveyance.plateJurisdiction = lookout.plate.jurisdiction;
        if (!lookout.person) written = plate;
      }
      addPlanted(plan, crossing);
      plan.truth.lookouts.push({ lookoutId: lookout.lookoutId, crossingId: id, written });
    }
  }
}

// ── the stream ─────────────────────────────────────────────────────────────────────────────────────────────────

/** How a port's day of each kind is split over its 24 local hours. */
interface PortDay {
  vehicles: number[];
  extras: number[];
  pedestrians: number[];
  trucks: number[];
  loaded: number[];
  buses: number[];
  busPassengers: number[];
}

function portDay(port: BorderPort, counts: Volumes, weekday: number): PortDay {
  const passenger = hourShape(port, "passenger", weekday);
  const vehicles = apportion(counts["Personal Vehicles"], passenger);
  const trucks = apportion(counts.Trucks, hourShape(port, "commercial", weekday));
  const buses = apportion(counts.Buses, passenger);
  const loadedShare = counts.Trucks > 0 ? Math.min(1, counts["Truck Containers Full"] / counts.Trucks) : 0;
  return {
    vehicles,
    extras: apportion(counts["Personal Vehicle Passengers"] - counts["Personal Vehicles"], vehicles),
    pedestrians: apportion(counts.Pedestrians, hourShape(port, "pedestrian", weekday)),
    trucks,
    loaded: apportion(Math.round(counts.Trucks * loadedShare), trucks),
    buses,
    busPassengers: apportion(counts["Bus Passengers"], buses),
  };
}

/** A crossing with its arrival time in milliseconds, for sorting a batch. */
interface Timed {
  at: number;
  crossing: Crossing;
}

/** Spreads `extras` people over `vehicles` vehicles at random, `base` in each and at most `cap` in one. */
function spread(rng: Random, vehicles: number, extras: number, base: number, cap: number): number[] {
  const counts = new Array<number>(vehicles).fill(base);
  for (let left = Math.min(extras, vehicles * (cap - base)); left > 0; ) {
    const at = rng.int(0, vehicles - 1);
    if ((counts[at] as number) < cap) {
      counts[at] = (counts[at] as number) + 1;
      left--;
    }
  }
  return counts;
}

function* dayCrossings(plan: DayPlan, population: Population): Generator<Crossing> {
  const { year, month, day } = parseDate(plan.date);
  const weekday = weekdayOf(year, month, day);
  const today = new Today(plan.date);
  const hours = new Map<number, Array<{ port: BorderPort; hour: number; day: PortDay }>>();
  for (const port of plan.ports) {
    const split = portDay(port, plan.counts.get(port.code) as Volumes, weekday);
    const midnight = plan.midnight.get(port.code) as number;
    for (let hour = 0; hour < 24; hour++) {
      const start = midnight + hour * HOUR_MS;
      const list = hours.get(start) ?? [];
      list.push({ port, hour, day: split });
      hours.set(start, list);
    }
  }
  for (const start of [...new Set([...hours.keys(), ...plan.planted.keys()])].sort((a, b) => a - b)) {
    const batch: Timed[] = (plan.planted.get(start) ?? []).map((crossing) => ({
      at: Date.parse(crossing.time),
      crossing,
    }));
    for (const { port, hour, day: split } of hours.get(start) ?? [])
      portHour(population, today, port, plan.ymd, hour, start, split, batch);
    batch.sort((a, b) => a.at - b.at || (a.crossing.id < b.crossing.id ? -1 : 1));
    for (const { crossing } of batch) yield crossing;
  }
}

function portHour(
  population: Population,
  today: Today,
  port: BorderPort,
  ymd: string,
  hour: number,
  start: number,
  split: PortDay,
  out: Timed[],
): void {
  const rng = Random.derive(population.seed, "hour", ymd, port.code, hour);
  let time = 0;
  const at = () => {
    time = start + rng.int(0, 3599) * 1000;
    return new Date(time).toISOString();
  };
  const add = (crossing: Crossing) => out.push({ at: time, crossing });
  const id = (letter: string, j: number) => `${port.code}-${ymd}-${letter}${pad(hour, 2)}${pad(j, 5)}`;
  const occupants = spread(rng, split.vehicles[hour] as number, split.extras[hour] as number, 1, MAX_VEHICLE_OCCUPANTS);
  for (const [j, count] of occupants.entries()) {
    const household = population.household(port, population.householdIndex(rng, port, today), count);
    add(vehicleCrossing(population, rng, port, id("V", j), at(), count, household));
  }
  for (let j = 0; j < (split.pedestrians[hour] as number); j++)
    add(pedestrianCrossing(rng, port, id("P", j), at(), population.pedestrian(rng, port, today)));
  const trucks = split.trucks[hour] as number;
  const carriers = Math.max(10, Math.ceil(population.daily(port.code, "Trucks") / 8));
  for (let j = 0; j < trucks; j++) {
    const crossingId = id("T", j);
    const load = { loaded: j < (split.loaded[hour] as number), shipmentId: `SHP-${crossingId}` };
    const carrier = population.zipf(rng, "carrier", port.code, carriers);
    add(truckCrossing(population, rng, port, crossingId, at(), load, carrier));
  }
  const passengers = spread(
    rng,
    split.buses[hour] as number,
    split.busPassengers[hour] as number,
    0,
    MAX_BUS_PASSENGERS,
  );
  for (const [j, count] of passengers.entries()) add(busCrossing(population, rng, port, id("B", j), at(), count));
}
