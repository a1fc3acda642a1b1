// Helpers for the border benchmark: a synthetic lookout index of a million entities (persons with Zipf-distributed
// Spanish and English names, plates in border-state jurisdictions, VINs with valid check digits, USDOT numbers), the
// workload's planted lookouts added to it, a screening service over it on a throw-away node, and the screening of a
// stream of crossings through that service in batches, timed.
import { cpus, loadavg } from "node:os";
import type { Crossing } from "../src/border/model.ts";
import { LookoutIndex } from "../src/border/screening/lookout-index.ts";
import type { LookoutSubject, Severity } from "../src/border/screening/lookouts.ts";
import type { ScreeningRules } from "../src/border/screening/rules.ts";
import { ScreeningService } from "../src/border/screening/screening-service.ts";
import type { LookoutPlant } from "../src/border/workload.ts";
import { Random } from "../src/demo/random.ts";
import { testPrincipal } from "../src/federation/test-federation.ts";
import { createTestNode } from "../src/node/test-node.ts";
import { vinCheckDigit } from "../src/normalize/identifiers.ts";
import type { Principal } from "../src/policy/access.ts";
import { BorderRepository } from "../src/store/border-repository.ts";
import { percentile, settledRss } from "./measure.ts";
import { syntheticPersons } from "./synthetic-persons.ts";

/** Shares of the index by kind of lookout. */
export interface LookoutMix {
  persons: number;
  plates: number;
  vins: number;
  usdot: number;
}

/** Most lookouts are on people; vehicles and carriers make up the rest. */
export const DEFAULT_MIX: LookoutMix = { persons: 0.5, plates: 0.25, vins: 0.15, usdot: 0.1 };
const SEVERITY_WEIGHTS: ReadonlyArray<readonly [Severity, number]> = [
  ["low", 0.3],
  ["medium", 0.5],
  ["high", 0.2],
];
const JURISDICTIONS = ["US-CA", "US-AZ", "US-NM", "US-TX", "MX-BCN", "MX-SON", "MX-CHH", "MX-COA", "MX-NLE", "MX-TAM"];
const PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
const VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
const EXPIRES_AT = "2099-01-01T00:00:00.000Z";

export interface SyntheticLookout {
  id: string;
  severity: Severity;
  expiresAt: string;
  subject: LookoutSubject;
}

function vin(rng: Random): string {
  const body = `${rng.pick(["1", "2", "3", "5"])}${rng.chars(7, VIN_CHARS)}0${rng.chars(8, VIN_CHARS)}`;
  return `${body.slice(0, 8)}${vinCheckDigit(body)}${body.slice(9)}`;
}

/** `count` lookouts in the mix's shares, deterministic for a seed, one at a time. */
export function* syntheticLookouts(
  count: number,
  seed: number,
  mix: LookoutMix = DEFAULT_MIX,
): Generator<SyntheticLookout> {
  const rng = new Random(seed);
  const total = mix.persons + mix.plates + mix.vins + mix.usdot;
  const persons = syntheticPersons(Math.round((count * mix.persons) / total), seed);
  const kinds: Array<[keyof LookoutMix, number]> = (Object.keys(mix) as Array<keyof LookoutMix>).map((kind) => [
    kind,
    mix[kind],
  ]);
  for (let i = 0; i < count; i++) {
    let kind = rng.weighted(kinds);
    let subject: LookoutSubject | undefined;
    if (kind === "persons") {
      const next = persons.next();
      if (next.done) kind = "plates";
      else {
        const { firstName, lastName, birthDate } = next.value.values;
        subject = {
          person: {
            name: `${firstName?.[0]} ${lastName?.[0]}`,
            ...(birthDate?.[0] ? { birthDate: birthDate[0] } : {}),
          },
        };
      }
    }
    if (kind === "plates")
      subject = {
        conveyance: {
          plate: `${rng.chars(3, PLATE_LETTERS)}${rng.digits(4)}`,
          plateJurisdiction: rng.pick(JURISDICTIONS),
        },
      };
    else if (kind === "vins") subject = { conveyance: { vin: vin(rng) } };
    else if (kind === "usdot") subject = { conveyance: { usdot: String(rng.int(1, 3_999_999)) } };
    yield {
      id: `LO-${i}`,
      severity: rng.weighted(SEVERITY_WEIGHTS),
      expiresAt: EXPIRES_AT,
      subject: subject as LookoutSubject,
    };
  }
}

/** The workload's planted lookouts (written as the lookout list has them), high severity, added to the index. */
export function addPlantedLookouts(index: LookoutIndex, plants: readonly LookoutPlant[]): void {
  for (const plant of plants) {
    const person = plant.person;
    index.add(plant.lookoutId, undefined, "high", EXPIRES_AT, {
      ...(person
        ? {
            person: {
              name: [person.given, person.paternal, person.maternal].filter(Boolean).join(" "),
              birthDate: person.birthDate,
              ...(person.nationality ? { nationality: person.nationality } : {}),
            },
          }
        : {}),
      ...(plant.plate ? { conveyance: { plate: plant.plate.plate, plateJurisdiction: plant.plate.jurisdiction } } : {}),
    });
  }
}

export interface BuiltIndex {
  index: LookoutIndex;
  entities: number;
  buildMs: number;
  /** Resident memory after the build, and what the build added. */
  rssBytes: number;
  addedBytes: number;
}

/** A lookout index of `entities` synthetic lookouts (1M by default), with the plants added. */
export function buildLookoutIndex(
  options: { entities?: number; seed?: number; mix?: LookoutMix; plants?: readonly LookoutPlant[] } = {},
): BuiltIndex {
  const entities = options.entities ?? 1_000_000;
  const before = settledRss();
  const started = performance.now();
  const index = new LookoutIndex();
  for (const lookout of syntheticLookouts(entities, options.seed ?? 8, options.mix))
    index.add(lookout.id, undefined, lookout.severity, lookout.expiresAt, lookout.subject);
  addPlantedLookouts(index, options.plants ?? []);
  const buildMs = performance.now() - started;
  const rssBytes = settledRss();
  return { index, entities: index.size, buildMs, rssBytes, addedBytes: rssBytes - before };
}

export interface ScreeningBench {
  service: ScreeningService;
  /** A border officer of the throw-away node. */
  officer: Principal;
  close(): Promise<void>;
}

/** A screening service over `index` on a throw-away node (SQLite in a temporary directory), as a node wires it. */
export async function openScreening(
  index: LookoutIndex,
  options: { rules?: ScreeningRules; inspectionSeed?: string; clock?: () => Date } = {},
): Promise<ScreeningBench> {
  const node = await createTestNode("us", "US", options.clock ? { clock: options.clock } : {});
  const service = new ScreeningService({
    federation: node.federation,
    repository: new BorderRepository(node.database.db),
    audit: node.audit,
    inspectionSeed: options.inspectionSeed ?? "bench",
    index,
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await service.ready();
  return { service, officer: testPrincipal("officer", ["border-officer"]), close: () => node.dispose() };
}

export interface ScreeningTimings {
  crossings: number;
  requests: number;
  referred: number;
  randomInspections: number;
  /** For each crossing whose reasons name lookouts: those lookouts, and whether it was referred. */
  lookoutsNamed: Map<string, { lookouts: string[]; referred: boolean }>;
  /** Wall time of all requests, decisions, referral inserts and audit entries included. */
  totalMs: number;
  /** totalMs per crossing, in microseconds. */
  meanUsPerCrossing: number;
  /** Per request, in milliseconds. */
  requestMs: { p50: number; p99: number; max: number };
  machine: string;
}

/**
 * Screens the crossings through the service in requests of `batchSize` (10,000 by default; 1 times single-crossing
 * requests), one after another, and times them.
 */
export async function screenCrossings(
  bench: ScreeningBench,
  crossings: Iterable<Crossing>,
  options: { batchSize?: number } = {},
): Promise<ScreeningTimings> {
  const batchSize = options.batchSize ?? 10_000;
  const latencies: number[] = [];
  const timings = {
    crossings: 0,
    referred: 0,
    randomInspections: 0,
    lookoutsNamed: new Map<string, { lookouts: string[]; referred: boolean }>(),
  };
  let batch: Crossing[] = [];
  const flush = async () => {
    const started = performance.now();
    const decisions = await bench.service.screen(bench.officer, batch);
    latencies.push(performance.now() - started);
    timings.crossings += decisions.length;
    for (const decision of decisions) {
      if (decision.refer) timings.referred++;
      const lookouts = decision.reasons.flatMap((reason) => (reason.lookoutId ? [reason.lookoutId] : []));
      if (lookouts.length > 0) timings.lookoutsNamed.set(decision.crossingId, { lookouts, referred: decision.refer });
      if (decision.randomInspection) timings.randomInspections++;
    }
    batch = [];
  };
  const started = performance.now();
  for (const crossing of crossings) {
    batch.push(crossing);
    if (batch.length === batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  const totalMs = performance.now() - started;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    ...timings,
    requests: latencies.length,
    totalMs,
    meanUsPerCrossing: timings.crossings > 0 ? (1000 * totalMs) / timings.crossings : 0,
    requestMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? 0 },
    machine: `node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length}, load ${loadavg()
      .map((load) => load.toFixed(1))
      .join(" / ")}`,
  };
}
