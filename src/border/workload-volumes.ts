// The volumes of a generated border day: the BTS Border Crossing Entry Data for 2018 (../shared/data/bts) per
// southern-border port, month and measure, spread over the days of the month with a day-of-week factor and over
// the hours with an hour-of-day shape.
//
// Days. A day gets monthly × f(weekday) / Σ f over the days of its month, per port and measure; the month is the
// same calendar month of 2018 whatever the year asked for. The factors (DAY_FACTORS) are assumptions informed by
// the CBP wait-time history for San Ysidro (cbp_bwt_historical_san_ysidro_pov_hourly.csv): passenger vehicle waits
// are longest on Mondays and Sundays and shortest midweek, pedestrian waits lack their morning rise on weekends (so
// `bwt_day` 5 and 6 are read as Saturday and Sunday), and commercial traffic is a weekday business (most cargo
// facilities close early on Saturday and on Sunday). Waits grow faster than volume near capacity, so the factors
// stay within about ±8 % for travellers.
//
// Hours. Each class has a local hour-of-day shape (HOUR_SHAPES), masked by the port's opening hours: the turning
// points follow the same wait-time file (on weekdays pedestrian and vehicle waits start rising at 04:00–05:00, the
// morning commuter peak, stay high through the afternoon and fall after 18:00; on weekends they build through the
// afternoon and evening); the heights are assumptions, since waits lag arrivals and saturate at lane capacity.
// Commercial traffic follows the cargo facilities' business hours.
import { readFileSync } from "node:fs";
import type { BorderPort, Hours } from "./ports.ts";

export const DEFAULT_BTS_FILE = new URL(
  "../../../shared/data/bts/bts_border_crossing_entry_2018_all_ports.csv",
  import.meta.url,
).pathname;

/** The BTS measures a day is made of. */
export const MEASURES = [
  "Personal Vehicles",
  "Personal Vehicle Passengers",
  "Pedestrians",
  "Trucks",
  "Truck Containers Full",
  "Truck Containers Empty",
  "Buses",
  "Bus Passengers",
] as const;
export type Measure = (typeof MEASURES)[number];
export type Volumes = Record<Measure, number>;

export type TrafficClass = "passenger" | "pedestrian" | "commercial";

/** Relative volume by day of the week, Sunday first (Date.getUTCDay order). See the header for where they come from. */
export const DAY_FACTORS: Readonly<Record<TrafficClass, readonly number[]>> = {
  passenger: [1.08, 1.06, 0.96, 0.93, 0.95, 1.02, 1.0],
  pedestrian: [0.94, 1.03, 1.02, 1.01, 1.01, 1.04, 0.95],
  commercial: [0.1, 1.1, 1.1, 1.1, 1.1, 1.05, 0.45],
};

/** Relative arrivals by local hour (0–23), on weekdays and on weekends. See the header for where they come from. */
// biome-ignore format: 24 hours to a line
export const HOUR_SHAPES: Readonly<Record<TrafficClass, { weekday: readonly number[]; weekend: readonly number[] }>> = {
  passenger: {
    weekday: [1.2, 0.8, 0.6, 0.6, 1.3, 3.4, 5.6, 6.4, 6.2, 5.5, 5.1, 5.0, 5.1, 5.3, 5.7, 6.0, 6.0, 5.6, 5.0, 4.4, 3.8, 3.2, 2.5, 1.7],
    weekend: [2.2, 1.6, 1.1, 0.8, 0.8, 1.1, 1.8, 2.8, 3.8, 4.7, 5.4, 5.9, 6.2, 6.5, 6.7, 6.7, 6.5, 6.2, 5.8, 5.2, 4.6, 3.9, 3.3, 2.7],
  },
  pedestrian: {
    weekday: [0.4, 0.2, 0.2, 0.4, 2.0, 6.0, 8.5, 8.5, 7.0, 6.0, 5.5, 5.4, 5.4, 5.5, 5.8, 5.8, 5.2, 4.6, 3.6, 2.8, 2.0, 1.4, 0.9, 0.6],
    weekend: [0.6, 0.4, 0.3, 0.3, 0.5, 1.5, 3.0, 4.5, 5.5, 6.5, 7.0, 7.2, 7.2, 7.0, 6.8, 6.5, 6.0, 5.5, 4.5, 3.5, 2.5, 1.8, 1.2, 0.8],
  },
  commercial: {
    weekday: [0.2, 0.1, 0.1, 0.1, 0.3, 1.5, 4.5, 6.5, 7.5, 7.8, 7.8, 7.6, 7.2, 7.2, 7.2, 7.0, 6.5, 5.5, 4.0, 2.8, 1.8, 1.0, 0.6, 0.3],
    weekend: [0.2, 0.1, 0.1, 0.1, 0.3, 1.0, 3.5, 6.5, 8.5, 9.0, 9.0, 8.5, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.5, 1.0, 0.6, 0.4, 0.2],
  },
};

const CLASS_OF: Record<Measure, TrafficClass> = {
  "Personal Vehicles": "passenger",
  "Personal Vehicle Passengers": "passenger",
  Pedestrians: "pedestrian",
  Trucks: "commercial",
  "Truck Containers Full": "commercial",
  "Truck Containers Empty": "commercial",
  Buses: "passenger",
  "Bus Passengers": "passenger",
};

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const MAX_VEHICLE_OCCUPANTS = 7;
export const MAX_BUS_PASSENGERS = 55;

const monthlyCache = new Map<string, Map<string, Volumes>>();

export const emptyVolumes = (): Volumes => Object.fromEntries(MEASURES.map((measure) => [measure, 0])) as Volumes;

/** The 2018 monthly volumes of the southern-border ports, keyed "port|month" (month 1–12). */
export function monthlyVolumes(file = DEFAULT_BTS_FILE): Map<string, Volumes> {
  const cached = monthlyCache.get(file);
  if (cached) return cached;
  const volumes = new Map<string, Volumes>();
  const [header = "", ...lines] = readFileSync(file, "utf8").split(/\r?\n/u);
  const columns = header.split(",");
  const at = (name: string) => {
    const index = columns.indexOf(name);
    if (index < 0) throw new Error(`${file}: no column "${name}"`);
    return index;
  };
  const [port, border, date, measure, value] = ["Port Code", "Border", "Date", "Measure", "Value"].map(at) as number[];
  for (const line of lines) {
    const cells = line.split(",");
    if (cells[border as number] !== "US-Mexico Border") continue;
    const name = cells[measure as number] as Measure;
    if (!(MEASURES as readonly string[]).includes(name)) continue;
    const key = `${cells[port as number]}|${Number((cells[date as number] ?? "").slice(0, 2))}`;
    const row = volumes.get(key) ?? emptyVolumes();
    row[name] += Number(cells[value as number]);
    volumes.set(key, row);
  }
  monthlyCache.set(file, volumes);
  return volumes;
}

export function parseDate(date: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(date);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (!match || month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
    throw new RangeError(`date: "${date}" is not a calendar date YYYY-MM-DD`);
  return { year, month, day };
}

export const weekdayOf = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay();

/** Expected (unrounded) crossings per measure at a port on a local date: its 2018 month spread by DAY_FACTORS. */
export function expectedDayVolumes(port: string, date: string, file = DEFAULT_BTS_FILE): Volumes {
  const { year, month, day } = parseDate(date);
  const monthly = monthlyVolumes(file).get(`${port}|${month}`) ?? emptyVolumes();
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const expected = emptyVolumes();
  for (const measure of MEASURES) {
    const factors = DAY_FACTORS[CLASS_OF[measure]];
    let total = 0;
    for (let d = 1; d <= days; d++) total += factors[weekdayOf(year, month, d)] as number;
    expected[measure] = (monthly[measure] * (factors[weekdayOf(year, month, day)] as number)) / total;
  }
  return expected;
}

/** Splits an integer total in proportion to the weights, the remainders going to the largest fractions. */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || sum <= 0) return weights.map(() => 0);
  const exact = weights.map((weight) => (total * weight) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((value, index) => [value - Math.floor(value), index] as const).sort((a, b) => b[0] - a[0]);
  for (const [, index] of order) {
    if (left-- <= 0) break;
    counts[index] = (counts[index] as number) + 1;
  }
  return counts;
}

const open = (hours: Hours | undefined, hour: number) => hours !== undefined && hour >= hours[0] && hour < hours[1];

/** The share of a class's day that arrives in each local hour at this port, on this day of the week. */
export function hourShape(port: BorderPort, trafficClass: TrafficClass, weekday: number): number[] {
  const shape = HOUR_SHAPES[trafficClass][weekday === 0 || weekday === 6 ? "weekend" : "weekday"];
  const hours =
    trafficClass === "commercial"
      ? (port.hours.commercial ?? port.hours.passenger)
      : trafficClass === "pedestrian"
        ? (port.hours.pedestrian ?? port.hours.passenger)
        : (port.hours.passenger ?? port.hours.pedestrian);
  const masked = shape.map((weight, hour) => (open(hours, hour) ? weight : 0));
  // A port that reports traffic of a class it has no listed hours for gets it on the plain shape.
  return masked.some((weight) => weight > 0) ? masked : [...shape];
}

/** The UTC offset of a time zone at an instant, in minutes (negative west of Greenwich). */
export function utcOffsetMinutes(timeZone: string, at: number): number {
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
      .formatToParts(new Date(at))
      .find((part) => part.type === "timeZoneName")?.value ?? "GMT";
  const match = /GMT([+-])(\d{2}):(\d{2})/u.exec(name);
  return match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}
