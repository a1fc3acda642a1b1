// The port-of-entry vocabulary, defined once: crossings as they reach screening (conveyance, people, manifest),
// lanes, the screening decision with its reasons, and electronic-seal events with GPS fixes. Screening,
// coordinated-arrival detection, seal monitoring, the workload generator and the API all speak these shapes.

/** Lanes at a land port: general, Ready (RFID documents), trusted travellers (SENTRI/NEXUS) and FAST for trucks. */
export const LANES = ["general", "ready", "sentri-nexus", "fast"] as const;
export type Lane = (typeof LANES)[number];
/** Lanes whose travellers were vetted in advance: lighter checks, with a random inspection floor. */
export const TRUSTED_LANES: readonly Lane[] = ["sentri-nexus", "fast"];

export const CONVEYANCE_KINDS = ["vehicle", "truck", "pedestrian", "bus"] as const;
export type ConveyanceKind = (typeof CONVEYANCE_KINDS)[number];

export interface Conveyance {
  kind: ConveyanceKind;
  plate?: string;
  /** Where the plate was issued: ISO 3166-2 (e.g. "US-CA", "MX-BCN") or a country code. */
  plateJurisdiction?: string;
  vin?: string;
  /** US DOT number of the motor carrier, for trucks. */
  usdot?: string;
  /** Registered keeper of the vehicle, its insurer, and the keeper's address and phone as registered. */
  registrant?: string;
  insurer?: string;
  registrantAddress?: string;
  registrantPhone?: string;
}

export interface TravelDocument {
  /** passport, border-crossing-card, ine (Mexican voter card), drivers-licence, enhanced-drivers-licence, … */
  type: string;
  number: string;
  /** Issuing country, ISO 3166-1 alpha-2. */
  country?: string;
}

export interface Traveller {
  name: string;
  birthDate?: string;
  nationality?: string;
  document?: TravelDocument;
  /** Driver, passenger or pedestrian. */
  role?: "driver" | "passenger" | "pedestrian";
}

export interface Manifest {
  shipper?: string;
  consignee?: string;
  broker?: string;
  commodity?: string;
  /** Seal numbers declared for the load, as "MANUFACTURER:SERIAL" or as printed. */
  sealNumbers?: string[];
  /** The shipment's id in the seal monitoring (links a crossing to its seal events and route). */
  shipmentId?: string;
}

/** One crossing as it reaches the booth. */
export interface Crossing {
  /** The caller's id for this crossing (an RFID read, a lane transaction); echoed in the decision. */
  id: string;
  /** CBP port code, e.g. "2504" San Ysidro. */
  port: string;
  lane: Lane;
  /** ISO 8601 date-time of arrival at the booth (or of the advance notice). */
  time: string;
  conveyance: Conveyance;
  people: Traveller[];
  manifest?: Manifest;
}

export const BANDS = ["low", "medium", "high"] as const;
export type ScreeningBand = (typeof BANDS)[number];

/** Why a crossing got its band: the rule, its weight, and what it matched (never the lookout's content). */
export interface ScreeningReason {
  rule: string;
  weight: number;
  /** Plain words for the officer, e.g. "traveller 1 resembles lookout LO-123 (possible match, 0.78)". */
  detail: string;
  /** The lookout or alert that fired the rule, if any. */
  lookoutId?: string;
  /** The owner node of a partner lookout. */
  owner?: string;
}

export interface ScreeningDecision {
  crossingId: string;
  band: ScreeningBand;
  score: number;
  /** Refer to secondary inspection. */
  refer: boolean;
  /** The crossing was picked by the random inspection floor of its lane (trusted lanes). */
  randomInspection: boolean;
  reasons: ScreeningReason[];
  /** The rule set that decided, so a decision can be explained later against the rules then in force. */
  rulesVersion: string;
}

/** An ISO 18185-style electronic seal read: seal id (manufacturer and serial), state, battery and time. */
export interface SealEvent {
  shipmentId: string;
  manufacturer: string;
  serial: string;
  state: "sealed" | "opened";
  /** 0–100 %. */
  battery?: number;
  time: string;
  /** Where the read was made, when the reader knows. */
  lat?: number;
  lon?: number;
}

/** A GPS fix of a tracked conveyance. */
export interface GpsFix {
  shipmentId: string;
  time: string;
  lat: number;
  lon: number;
  /** km/h, when the tracker reports it. */
  speed?: number;
}

/** A shipment's declared plan: the route corridor, the authorised places where the seal may be opened, the seals. */
export interface ShipmentPlan {
  shipmentId: string;
  /** The declared route as [lat, lon] points, in order. */
  route: Array<[number, number]>;
  /** Places where opening the seal is authorised (origin, inspection facility, destination). */
  authorisedPlaces: Array<{ name: string; lat: number; lon: number; radiusM: number }>;
  /** Scheduled stops (fuel, rest) where stopping is expected. */
  scheduledStops?: Array<{ lat: number; lon: number; radiusM: number }>;
  /** Seal numbers on the manifest, "MANUFACTURER:SERIAL". */
  sealNumbers: string[];
  /** Express-lane (FAST) eligibility asked for this shipment. */
  express: boolean;
}

export const SEAL_ALERT_KINDS = [
  "route-deviation",
  "unscheduled-stop",
  "dark-period",
  "seal-opened-outside-authorised-place",
  "seal-not-on-manifest",
  "seal-battery-low",
] as const;
export type SealAlertKind = (typeof SEAL_ALERT_KINDS)[number];

export interface SealAlert {
  shipmentId: string;
  kind: SealAlertKind;
  time: string;
  detail: string;
  lat?: number;
  lon?: number;
}

/** A burst of linked crossings at one port, as the coordinated-arrival detector reports it to screening. */
export interface BurstFinding {
  burstId: string;
  port: string;
  /** Crossing ids in the burst so far. */
  crossingIds: string[];
  /** What links them: "registrant", "insurer", "broker", "address", "phone", "co-travel". */
  links: string[];
  /** Whether this crossing is one of those the capacity-aware plan refers (the rest are let through, watched). */
  referThis: boolean;
}

/** What screening asks the coordinated-arrival detector about each crossing, in arrival order. */
export interface CoordinatedArrivals {
  observe(crossing: Crossing): BurstFinding | undefined;
}

/** What screening asks seal monitoring about a shipment: may it use the express lane, and if not, why. */
export interface ExpressEligibility {
  eligibility(shipmentId: string): { eligible: boolean; reasons: SealAlert[] };
}
