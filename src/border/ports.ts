// The land ports of entry on the US–Mexico border, with their CBP port codes (the 27 that report to the BTS Border
// Crossing Entry Data), the lanes each has and its opening hours. Lanes and hours were read from one snapshot of
// the CBP Border Wait Times API (../shared/data/bts/cbp_bwt_snapshot_2022-06-29.json): per port, the sum of
// `maximum_lanes` over its crossings by class (passenger, pedestrian, commercial), whether any crossing has
// SENTRI, Ready or FAST lanes (a status other than "N/A"), and the earliest opening and latest closing hour over
// the crossings of each class. Stale entries still marked "Update Pending" ("Gateway" 230103, "FT HANCOCK"
// 240403) were left out. Boquillas and Sasabe are not in that snapshot: their hours (9 am–6 pm, 8 am–8 pm) and one
// pedestrian or two passenger lanes are from the ports' public descriptions. Cities are the nearest ones in the
// demo place list (src/demo/names/places.json), used for synthetic addresses and phones.

/** Opening hours in local time as [open, close) hours of the day; [0, 24] is around the clock. */
export type Hours = readonly [open: number, close: number];

export interface PortLanes {
  /** Primary lanes for personal vehicles (and buses), pedestrians and commercial vehicles. */
  passenger: number;
  pedestrian: number;
  commercial: number;
  sentri: boolean;
  ready: boolean;
  pedestrianReady: boolean;
  fast: boolean;
}

export interface BorderPort {
  /** CBP port code, e.g. "2504". */
  code: string;
  name: string;
  /** US state, ISO 3166-2 subdivision without the country ("CA"). */
  state: string;
  /** IANA time zone of the port: arrival hours are local. */
  timeZone: string;
  /** The Mexican state across the line (ISO 3166-2 subdivision without "MX-"). */
  mexicanState: string;
  /** The US and Mexican cities the port's travellers mostly live in (names from the demo place list). */
  usCity: string;
  mexicanCity: string;
  lanes: PortLanes;
  hours: { passenger?: Hours; pedestrian?: Hours; commercial?: Hours };
  /**
   * Secondary inspections the port can run in an hour, by default: one secondary position per primary vehicle
   * lane at two inspections an hour (a vehicle secondary takes about 30 minutes) and one pedestrian position per
   * two pedestrian lanes at four an hour. A rough upper bound for when every lane is staffed; set the real figure
   * per port.
   */
  secondaryPerHour: number;
}

const ALL_DAY: Hours = [0, 24];

type PortRow = [
  code: string,
  name: string,
  state: string,
  timeZone: string,
  mexicanState: string,
  usCity: string,
  mexicanCity: string,
  lanes: [passenger: number, pedestrian: number, commercial: number],
  flags: string,
  hours: { passenger?: Hours; pedestrian?: Hours; commercial?: Hours },
];

const PACIFIC = "America/Los_Angeles";
const ARIZONA = "America/Phoenix";
const MOUNTAIN = "America/Denver";
const CENTRAL = "America/Chicago";

// flags: s = SENTRI lanes, r = Ready lanes, p = pedestrian Ready lanes, f = FAST lanes.
// biome-ignore format: one port to a line
const ROWS: PortRow[] = [
  ["2301", "Brownsville", "TX", CENTRAL, "TAM", "Brownsville", "Matamoros", [17, 8, 8], "srpf", { passenger: ALL_DAY, pedestrian: ALL_DAY, commercial: [6, 24] }],
  ["2302", "Del Rio", "TX", CENTRAL, "COA", "Del Rio", "Piedras Negras", [6, 0, 2], "sr", { passenger: ALL_DAY, commercial: ALL_DAY }],
  ["2303", "Eagle Pass", "TX", CENTRAL, "COA", "Eagle Pass", "Piedras Negras", [12, 0, 1], "srf", { passenger: ALL_DAY, commercial: ALL_DAY }],
  ["2304", "Laredo", "TX", CENTRAL, "TAM", "Laredo", "Nuevo Laredo", [23, 12, 23], "srpf", { passenger: ALL_DAY, pedestrian: ALL_DAY, commercial: [7, 24] }],
  ["2305", "Hidalgo", "TX", CENTRAL, "TAM", "McAllen", "Reynosa", [24, 5, 7], "srf", { passenger: ALL_DAY, pedestrian: ALL_DAY, commercial: [6, 24] }],
  ["2307", "Rio Grande City", "TX", CENTRAL, "TAM", "McAllen", "Reynosa", [3, 0, 2], "", { passenger: [7, 24], commercial: [7, 24] }],
  ["2309", "Progreso", "TX", CENTRAL, "TAM", "McAllen", "Reynosa", [9, 10, 1], "rp", { passenger: ALL_DAY, pedestrian: ALL_DAY, commercial: ALL_DAY }],
  ["2310", "Roma", "TX", CENTRAL, "TAM", "McAllen", "Reynosa", [4, 0, 1], "r", { passenger: ALL_DAY, commercial: ALL_DAY }],
  ["2402", "El Paso", "TX", MOUNTAIN, "CHH", "El Paso", "Ciudad Juárez", [41, 24, 16], "srpf", { passenger: ALL_DAY, pedestrian: ALL_DAY, commercial: ALL_DAY }],
  ["2403", "Presidio", "TX", CENTRAL, "CHH", "El Paso", "Ojinaga", [4, 0, 2], "", { passenger: ALL_DAY, commercial: ALL_DAY }],
  ["2404", "Tornillo-Fabens", "TX", MOUNTAIN, "CHH", "El Paso", "Ciudad Juárez", [4, 2, 0], "srp", { passenger: [6, 22], pedestrian: [6, 22] }],
  ["2406", "Columbus", "NM", MOUNTAIN, "CHH", "Las Cruces", "Ciudad Juárez", [3, 0, 1], "", { passenger: ALL_DAY, commercial: ALL_DAY }],
  ["2408", "Santa Teresa", "NM", MOUNTAIN, "CHH", "Las Cruces", "Ciudad Juárez", [4, 2, 3], "rf", { passenger: [6, 22], pedestrian: [6, 22], commercial: [6, 22] }],
  ["2410", "Boquillas", "TX", CENTRAL, "COA", "Del Rio", "Piedras Negras", [0, 1, 0], "", { pedestrian: [9, 18] }],
  ["2502", "Andrade", "CA", PACIFIC, "BCN", "El Centro", "Mexicali", [3, 4, 1], "", { passenger: [6, 22], pedestrian: [6, 22], commercial: [6, 22] }],
  ["2503", "Calexico", "CA", PACIFIC, "BCN", "Calexico", "Mexicali", [10, 6, 0], "srp", { passenger: ALL_DAY, pedestrian: ALL_DAY }],
  ["2504", "San Ysidro", "CA", PACIFIC, "BCN", "San Ysidro", "Tijuana", [34, 36, 0], "srp", { passenger: ALL_DAY, pedestrian: ALL_DAY }],
  ["2505", "Tecate", "CA", PACIFIC, "BCN", "San Diego", "Tecate", [4, 4, 2], "", { passenger: [6, 22], pedestrian: [6, 22], commercial: [6, 22] }],
  ["2506", "Otay Mesa", "CA", PACIFIC, "BCN", "Chula Vista", "Tijuana", [13, 6, 10], "srpf", { passenger: ALL_DAY, pedestrian: ALL_DAY, commercial: [6, 20] }],
  ["2507", "Calexico East", "CA", PACIFIC, "BCN", "Calexico", "Mexicali", [8, 4, 3], "srf", { passenger: [6, 24], pedestrian: [6, 24], commercial: [6, 24] }],
  ["2582", "Cross Border Xpress", "CA", PACIFIC, "BCN", "San Diego", "Tijuana", [0, 8, 0], "p", { pedestrian: ALL_DAY }],
  ["2601", "Douglas", "AZ", ARIZONA, "SON", "Douglas", "Agua Prieta", [7, 3, 2], "srp", { passenger: ALL_DAY, pedestrian: ALL_DAY, commercial: ALL_DAY }],
  ["2602", "Lukeville", "AZ", ARIZONA, "SON", "Phoenix", "Hermosillo", [6, 0, 1], "r", { passenger: [6, 20], commercial: [6, 20] }],
  ["2603", "Naco", "AZ", ARIZONA, "SON", "Douglas", "Agua Prieta", [2, 2, 1], "", { passenger: [6, 22], pedestrian: [6, 22], commercial: [6, 22] }],
  ["2604", "Nogales", "AZ", ARIZONA, "SON", "Nogales", "Nogales", [21, 16, 8], "sf", { passenger: ALL_DAY, pedestrian: ALL_DAY, commercial: [6, 22] }],
  ["2606", "Sasabe", "AZ", ARIZONA, "SON", "Tucson", "Nogales", [2, 0, 0], "", { passenger: [8, 20] }],
  ["2608", "San Luis", "AZ", ARIZONA, "SON", "Yuma", "San Luis Río Colorado", [9, 7, 3], "srf", { passenger: ALL_DAY, pedestrian: ALL_DAY, commercial: [9, 20] }],
];

function secondaryPerHour([passenger, pedestrian, commercial]: PortRow[7]): number {
  return 2 * (passenger + commercial) + 4 * Math.ceil(pedestrian / 2);
}

/** The southern-border land ports, by CBP port code order. */
export const SOUTHERN_BORDER_PORTS: readonly BorderPort[] = ROWS.map(
  ([code, name, state, timeZone, mexicanState, usCity, mexicanCity, lanes, flags, hours]) => ({
    code,
    name,
    state,
    timeZone,
    mexicanState,
    usCity,
    mexicanCity,
    lanes: {
      passenger: lanes[0],
      pedestrian: lanes[1],
      commercial: lanes[2],
      sentri: flags.includes("s"),
      ready: flags.includes("r"),
      pedestrianReady: flags.includes("p"),
      fast: flags.includes("f"),
    },
    hours,
    secondaryPerHour: secondaryPerHour(lanes),
  }),
);

const BY_CODE = new Map(SOUTHERN_BORDER_PORTS.map((port) => [port.code, port]));

/** The southern-border port with this CBP code, if there is one. */
export function southernBorderPort(code: string): BorderPort | undefined {
  return BY_CODE.get(code);
}
