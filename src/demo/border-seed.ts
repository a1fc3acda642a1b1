// Port-of-entry work for the demo's US node, so that an officer signing in finds its port screens at work: three
// lookouts (two wanted persons and a stolen car's plate), the last hours' crossings at San Ysidro and Laredo
// screened against them (three written as variants of what the lookouts hold, six cars of one registrant arriving
// together, the rest ordinary travellers and trucks), and two monitored truck shipments from Sabinas Hidalgo to the
// Laredo crossing, one of which left its corridor, stopped and had its seal opened on the way, so its FAST-lane
// crossing loses the express lane. Registered through the node's services as the demo supervisor and officer, once,
// when the node is first made. Names, plates, documents, addresses and phones are synthetic (src/demo/synthetic.ts);
// times follow the first start.
import type { Crossing, GpsFix, Lane, SealEvent, ShipmentPlan, Traveller } from "../border/model.ts";
import type { LookoutInput } from "../border/screening/lookouts.ts";
import { travellerName } from "../border/workload-population.ts";
import { distanceM, METRES_PER_DEGREE } from "../deconfliction/geometry.ts";
import type { PuenteNode } from "../node/node.ts";
import { demoPrincipal } from "./demo-principal.ts";
import { Random } from "./random.ts";
import {
  type AgencyProfile,
  addressLine,
  type City,
  nationalNumber,
  newIdentity,
  PLACES,
  phoneOf,
  plateOf,
  VEHICLES,
  vinOf,
} from "./synthetic.ts";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const SAN_YSIDRO = "2504";
const LAREDO = "2304";

/** Whom the lookouts name, and how the crossings write them. */
const WANTED = [
  {
    person: { name: "José Luis Ramírez Hernández", birthDate: "1978-04-12", nationality: "MX" },
    written: { name: "JOSE LUIS RAMIRES HERNANDEZ", birthDate: "1978-04-12", nationality: "MX" },
    reason: "Arrest warrant: conspiracy to import methamphetamine",
    severity: "high",
  },
  {
    person: { name: "Guadalupe Zamora Ochoa", birthDate: "1990-09-03", nationality: "MX" },
    written: { name: "Gpe. Zamora Ochoa", birthDate: "1990-09-03", nationality: "MX" },
    reason: "Wanted for questioning: cash couriering for a money-laundering network",
    severity: "medium",
  },
] as const;
/** Big insurers: shared by many crossings, so the detector must not link on them. */
const INSURERS = ["Quálitas", "GNP Seguros", "AXA Seguros", "State Farm", "GEICO", "Progressive"];
/** Minutes of ordinary traffic before now. */
const BACKGROUND_MINUTES = 210;
/** The registration the demo's burst of cars shares: a leasing company of Tijuana. */
function burstRegistration(rng: Random) {
  const tijuana = PLACES.MX.cities.find((city) => city.name === "Tijuana") as City;
  return {
    registrant: "Arrendadora Valle del Sol SA de CV",
    registrantAddress: addressLine(rng, "MX", tijuana),
    registrantPhone: phoneOf("MX", nationalNumber(rng, "664")),
  };
}
const STOLEN_CAR = { plate: "BCN-4417-K", jurisdiction: "MX-BCN", read: "BCN 4417K" };

/** The declared route of the demo's trucks: Federal Highway 85 from Sabinas Hidalgo to the World Trade Bridge. */
const ROUTE: Array<[number, number]> = [
  [26.5086, -100.1789],
  [26.6617, -99.9897],
  [26.93, -99.8],
  [27.2, -99.62],
  [27.42, -99.55],
  [27.5986, -99.5336],
];
const ORIGIN = { name: "carrier's warehouse, Sabinas Hidalgo", lat: 26.5086, lon: -100.1789, radiusM: 500 };
const CUSTOMS = { name: "World Trade Bridge customs compound", lat: 27.5986, lon: -99.5336, radiusM: 800 };
/** Metres a truck covers between two fixes (a fix every two minutes at 80 km/h). */
const FIX_STEP_M = 2_667;

/** Points every FIX_STEP_M along the route, from its start to its end. */
function pointsAlong(route: Array<[number, number]>): Array<[number, number]> {
  const points: Array<[number, number]> = [route[0] as [number, number]];
  let carried = 0;
  for (let i = 1; i < route.length; i++) {
    const [from, to] = [route[i - 1] as [number, number], route[i] as [number, number]];
    const length = distanceM(from, to);
    for (let at = FIX_STEP_M - carried; at < length; at += FIX_STEP_M) {
      const share = at / length;
      points.push([from[0] + share * (to[0] - from[0]), from[1] + share * (to[1] - from[1])]);
    }
    carried = (carried + length) % FIX_STEP_M;
  }
  points.push(route.at(-1) as [number, number]);
  return points;
}

const eastOf = ([lat, lon]: [number, number], metres: number): [number, number] => [
  lat,
  lon + metres / (METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180)),
];

interface Trip {
  plan: ShipmentPlan;
  fixes: GpsFix[];
  events: SealEvent[];
}

/**
 * A trip that ends at the customs compound `endMs`: a fix every two minutes along the route, then a wait in the
 * compound. With `detour`, the truck leaves the road 40 % of the way, parks 3 km east for 26 minutes while its seal is
 * read opened and sealed again, and comes back.
 */
function trip(
  shipmentId: string,
  seal: { manufacturer: string; serial: string },
  endMs: number,
  detour: boolean,
): Trip {
  const track: Array<[number, number]> = [];
  const road = pointsAlong(ROUTE);
  const leaveAt = Math.round(road.length * 0.4);
  for (const [index, point] of road.entries()) {
    track.push(point);
    if (detour && index === leaveAt) {
      track.push(eastOf(point, 1_500), eastOf(point, 3_000));
      for (let minute = 0; minute < 26; minute += 2) track.push(eastOf(point, 3_000 + (minute % 4)));
      track.push(eastOf(point, 1_500));
    }
  }
  for (let wait = 0; wait < 5; wait++) track.push(ROUTE.at(-1) as [number, number]);
  const startMs = endMs - (track.length - 1) * 2 * MINUTE;
  const fixes = track.map(([lat, lon], index) => ({
    shipmentId,
    time: new Date(startMs + index * 2 * MINUTE).toISOString(),
    lat: Number(lat.toFixed(6)),
    lon: Number(lon.toFixed(6)),
  }));
  const read = (state: SealEvent["state"], ms: number, battery: number): SealEvent => ({
    shipmentId,
    ...seal,
    state,
    battery,
    time: new Date(ms).toISOString(),
  });
  const events = [read("sealed", startMs, 92)];
  if (detour) {
    const stoppedMs = startMs + (leaveAt + 3) * 2 * MINUTE;
    events.push(read("opened", stoppedMs + 10 * MINUTE, 91), read("sealed", stoppedMs + 20 * MINUTE, 91));
  }
  const plan: ShipmentPlan = {
    shipmentId,
    route: ROUTE,
    authorisedPlaces: [ORIGIN, CUSTOMS],
    sealNumbers: [`${seal.manufacturer}:${seal.serial}`],
    express: true,
  };
  return { plan, fixes, events };
}

/** An ordinary traveller from Mexico or the United States, with a passport. */
function ordinaryTraveller(rng: Random, role: Traveller["role"]): Traveller {
  const country = rng.chance(0.6) ? "MX" : "US";
  const identity = newIdentity(rng, rng.chance(0.8) ? "es" : "en", country);
  return {
    name: travellerName(identity),
    birthDate: identity.birthDate,
    nationality: identity.nationality,
    document:
      identity.nationality === "MX"
        ? { type: "passport", number: `G${rng.digits(8)}`, country: "MX" }
        : { type: "passport", number: rng.digits(9), country: "US" },
    role,
  };
}

/** A crossing of ordinary travellers: a pedestrian, or a car of one to three people in any lane. */
function ordinaryCrossing(rng: Random, id: string, port: string, time: string): Crossing {
  if (rng.chance(0.25))
    return {
      id,
      port,
      lane: "ready",
      time,
      conveyance: { kind: "pedestrian" },
      people: [ordinaryTraveller(rng, "pedestrian")],
    };
  const lane: Lane = rng.chance(0.3) ? "sentri-nexus" : rng.chance(0.5) ? "ready" : "general";
  const people = [ordinaryTraveller(rng, "driver")];
  for (let n = rng.int(0, 2); n > 0; n--) people.push(ordinaryTraveller(rng, "passenger"));
  const registration = plateOf(rng.chance(0.6) ? "MX" : "US", rng);
  return {
    id,
    port,
    lane,
    time,
    conveyance: {
      kind: "vehicle",
      plate: registration.plate,
      plateJurisdiction: registration.jurisdiction,
      vin: vinOf(rng.pick(VEHICLES).wmi, rng),
      insurer: rng.pick(INSURERS),
    },
    people,
  };
}

/** A Mexican-registered vehicle: its plate and jurisdiction, and a VIN of `wmi`. */
function mexicanVehicle(rng: Random, wmi: string) {
  const { plate, jurisdiction } = plateOf("MX", rng);
  return { plate, plateJurisdiction: jurisdiction, vin: vinOf(wmi, rng) };
}

/** Registers the demo's lookouts, shipments and screened crossings on the node (meant for the US node). */
export async function seedDemoBorder(node: PuenteNode, seed: number, now: Date = new Date()): Promise<void> {
  const supervisor = await demoPrincipal(node, "supervisor");
  const officer = await demoPrincipal(node, "officer");
  const nowMs = now.getTime();
  const lookout = (subject: LookoutInput["subject"], reason: string, severity: LookoutInput["severity"], n: number) =>
    node.screening.registerLookout(supervisor, {
      subject,
      reason,
      severity,
      caseReference: `US-DEMO-00${n}`,
      expiresAt: new Date(nowMs + 90 * DAY).toISOString(),
      markings: { tlp: "AMBER" },
    });
  for (const [n, wanted] of WANTED.entries())
    await lookout({ person: { ...wanted.person } }, wanted.reason, wanted.severity, n + 1);
  await lookout(
    { conveyance: { plate: STOLEN_CAR.plate, plateJurisdiction: STOLEN_CAR.jurisdiction } },
    "Stolen vehicle, reported in Tijuana",
    "medium",
    3,
  );

  const trips = [
    trip("MX-DEMO-TRK-0417", { manufacturer: "TydenBrooks", serial: "TB2261045" }, nowMs - 20 * MINUTE, true),
    trip("MX-DEMO-TRK-0418", { manufacturer: "TydenBrooks", serial: "TB2261046" }, nowMs - 35 * MINUTE, false),
  ];
  for (const { plan, fixes, events } of trips) {
    await node.seals.registerPlan(officer, plan);
    await node.seals.ingestFixes(officer, fixes);
    await node.seals.ingestEvents(officer, events);
  }

  const rng = Random.derive(seed, "demo-border");
  const crossings: Crossing[] = [];
  const at = (minutesAgo: number) => new Date(nowMs - minutesAgo * MINUTE).toISOString();
  // Three and a half hours of ordinary traffic, two crossings a minute at San Ysidro and one every four at Laredo:
  // the background against which the coordinated-arrival detector judges a shared value rare.
  for (let index = 0; index < BACKGROUND_MINUTES * 2; index++)
    crossings.push(
      ordinaryCrossing(
        rng,
        `DEMO-2504-${String(index).padStart(4, "0")}`,
        SAN_YSIDRO,
        at(BACKGROUND_MINUTES - index / 2),
      ),
    );
  for (let index = 0; index < BACKGROUND_MINUTES / 4; index++)
    crossings.push(
      ordinaryCrossing(rng, `DEMO-2304-${String(index).padStart(4, "0")}`, LAREDO, at(BACKGROUND_MINUTES - 4 * index)),
    );
  // Then six cars registered to one company reach San Ysidro within twenty minutes: a burst of decoys, of which the
  // capacity plan refers only a few.
  const registration = burstRegistration(rng);
  for (let n = 0; n < 6; n++) {
    const car = ordinaryCrossing(rng, `DEMO-2504-B${n + 1}`, SAN_YSIDRO, at(48 - 4 * n));
    car.lane = "general";
    car.conveyance = { ...car.conveyance, kind: "vehicle", ...mexicanVehicle(rng, "3N1"), ...registration };
    crossings.push(car);
  }
  const [first, second] = WANTED;
  crossings.push({
    id: "DEMO-2504-W1",
    port: SAN_YSIDRO,
    lane: "general",
    time: at(95),
    conveyance: { kind: "vehicle", ...mexicanVehicle(rng, "3N1") },
    people: [{ ...first.written, role: "driver", document: { type: "ine", number: rng.digits(13), country: "MX" } }],
  });
  crossings.push({
    id: "DEMO-2504-W2",
    port: SAN_YSIDRO,
    lane: "ready",
    time: at(62),
    conveyance: { kind: "pedestrian" },
    people: [
      {
        ...second.written,
        role: "pedestrian",
        document: { type: "border-crossing-card", number: rng.digits(9), country: "MX" },
      },
    ],
  });
  crossings.push({
    id: "DEMO-2504-P1",
    port: SAN_YSIDRO,
    lane: "general",
    time: at(41),
    conveyance: { kind: "vehicle", plate: STOLEN_CAR.read, plateJurisdiction: STOLEN_CAR.jurisdiction },
    people: [ordinaryTraveller(rng, "driver")],
  });
  for (const [n, { plan }] of trips.entries())
    crossings.push({
      id: `DEMO-2304-T${n + 1}`,
      port: LAREDO,
      lane: "fast",
      time: at(15 - n * 5),
      conveyance: { kind: "truck", ...mexicanVehicle(rng, "1FU"), usdot: `${rng.int(1, 9)}${rng.digits(6)}` },
      people: [ordinaryTraveller(rng, "driver")],
      manifest: {
        shipper: "Aceros del Norte SA de CV",
        consignee: "Gulf Coast Steel Supply LLC",
        commodity: "steel coils",
        sealNumbers: plan.sealNumbers,
        shipmentId: plan.shipmentId,
      },
    });
  crossings.sort((a, b) => a.time.localeCompare(b.time));
  await node.screening.screen(officer, crossings);
}

/** Whether the demo seeds border work on this agency's node: the US node, which screens the southern ports. */
export const screensBorder = (profile: AgencyProfile) => profile.country === "US";
