// Deconfliction speed: a TargetIndex of 1M active targets (60 % synthetic persons, 40 % phones, plates, accounts and
// wallets) and an OperationIndex of 100k active operations along the US–Mexico border, then 10k conflict checks, half
// targets and half operations, some planted to conflict, each timed alone; next to linear scans in the same run (all
// operations, and 10k persons scored one by one), with the machine it ran on.
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import {
  type Area,
  METRES_PER_DEGREE,
  type PreparedArea,
  prepareArea,
  preparedAreasConflict,
  windowsConflict,
} from "../src/deconfliction/geometry.ts";
import { type ConflictRules, type IndexedOperation, OperationIndex } from "../src/deconfliction/operation-index.ts";
import { TargetIndex, type TargetSubject } from "../src/deconfliction/target-index.ts";
import { Random } from "../src/demo/random.ts";
import { type PreparedRecord, prepareRecord } from "../src/matching/prepare.ts";
import type { MatchRecord } from "../src/matching/record.ts";
import { BANDS, scorePair } from "../src/matching/scoring.ts";
import { base58CheckEncode } from "../src/normalize/identifiers/crypto-address.ts";
import { clabeCheckDigit } from "../src/normalize/identifiers.ts";
import { foldName } from "../src/normalize/names.ts";
import { percentileOf, settledRss } from "./measure.ts";
import { syntheticPersons } from "./synthetic-persons.ts";

const GOAL_P99_MS = 5;
/** The deconfliction service's default rules: 500 m and 120 minutes. */
const RULES: ConflictRules = { bufferM: 500, bufferMs: 120 * 60_000 };
const SEED = 20260301;
const PERSON_SHARE = 0.6;
/** Share of checks built from an indexed target or operation, so that they must conflict. */
const PLANTED_SHARE = 0.25;
const WARM_UP_CHECKS = 200;
const OPERATION_BASELINE_CHECKS = 500;
const PERSON_BASELINE_SIZE = 10_000;
const PERSON_BASELINE_CHECKS = 200;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1);

/** The 1, 5 and 15 minute load averages: above the number of cores, checks also wait for a core. */
const load = () =>
  loadavg()
    .map((average) => average.toFixed(1))
    .join(" / ");

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

function latencyLine(label: string, latencies: number[]): string {
  return `${label.padEnd(24)} median ${percentileOf(latencies, 0.5).toFixed(3)} ms   p99 ${percentileOf(latencies, 0.99).toFixed(3)} ms   max ${Math.max(...latencies).toFixed(2)} ms   (${latencies.length.toLocaleString("en-US")} checks)`;
}

/** Box–Muller: a standard normal draw. */
function normal(rng: Random): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

// ── targets ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Border area codes, so the numbers parse and validate as real ones. */
const AREA_CODES = {
  MX: ["664", "686", "653", "631", "656", "878", "867", "899", "868", "81", "55"],
  US: ["619", "760", "928", "520", "915", "432", "830", "956", "210"],
} as const;
const JURISDICTIONS = ["BC", "SON", "CHIH", "COAH", "NL", "TAMPS", "CA", "AZ", "NM", "TX"];
const PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";

/** An identifier target, and the same target written as another agency would write it. */
interface IdentifierTarget {
  subject: TargetSubject;
  rewritten: TargetSubject;
}

function phoneTarget(rng: Random): IdentifierTarget {
  const country = rng.chance(0.55) ? "MX" : "US";
  const area = rng.pick(AREA_CODES[country]);
  const local = country === "US" ? `${rng.int(2, 9)}${rng.digits(6)}` : rng.digits(10 - area.length);
  const code = country === "MX" ? "52" : "1";
  const formats = [
    () => ({ phone: `+${code} ${area} ${local.slice(0, -4)} ${local.slice(-4)}` }),
    () => ({ phone: `(${area}) ${local.slice(0, -4)}-${local.slice(-4)}`, country }),
    () => ({ phone: `${area}${local}`, country }),
    () => ({ phone: `+${code}-${area}-${local}` }),
  ];
  const [first, second] = rng.sample(formats, 2).map((format) => format());
  const subject = (written: { phone: string; country?: string }): TargetSubject => ({
    kind: "phone",
    values: { phone: [written.phone] },
    ...(written.country ? { country: written.country } : {}),
  });
  return { subject: subject(first as { phone: string }), rewritten: subject(second as { phone: string }) };
}

function plateTarget(rng: Random): IdentifierTarget {
  const letters = rng.chars(3, PLATE_LETTERS);
  const digits = rng.digits(rng.chance(0.5) ? 3 : 4);
  const jurisdiction = [rng.pick(JURISDICTIONS)];
  return {
    subject: { kind: "vehicle", values: { plate: [`${letters}-${digits}`], jurisdiction } },
    rewritten: { kind: "vehicle", values: { plate: [`${letters.toLowerCase()} ${digits}`], jurisdiction } },
  };
}

function accountTarget(rng: Random): IdentifierTarget {
  if (rng.chance(0.3)) {
    const number = rng.digits(10);
    return {
      subject: { kind: "account", values: { accountNumber: [number] } },
      rewritten: { kind: "account", values: { accountNumber: [`${number.slice(0, 3)}-${number.slice(3)}`] } },
    };
  }
  const first17 = `${rng.pick(["002", "012", "014", "021", "072"])}${rng.digits(14)}`;
  const clabe = `${first17}${clabeCheckDigit(first17)}`;
  return {
    subject: { kind: "account", values: { clabe: [clabe] } },
    rewritten: {
      kind: "account",
      values: { accountNumber: [clabe.replace(/(\d{3})(\d{3})(\d{11})(\d)/u, "$1 $2 $3 $4")] },
    },
  };
}

function walletTarget(rng: Random): IdentifierTarget {
  if (rng.chance(0.6)) {
    const hex = rng.chars(40, "0123456789abcdef");
    return {
      subject: { kind: "wallet", values: { address: [`0x${hex}`] } },
      rewritten: { kind: "wallet", values: { address: [`0x${hex.toUpperCase()}`] } },
    };
  }
  const address = base58CheckEncode(
    0,
    Uint8Array.from({ length: 20 }, () => rng.int(0, 255)),
  );
  return {
    subject: { kind: "wallet", values: { address: [address] } },
    rewritten: { kind: "wallet", values: { address: [` ${address} `] } },
  };
}

/** The identifier mix: phones 40 %, plates 30 %, accounts 20 %, wallets 10 %. */
function identifierTarget(rng: Random): IdentifierTarget {
  return rng.weighted([
    [phoneTarget, 0.4],
    [plateTarget, 0.3],
    [accountTarget, 0.2],
    [walletTarget, 0.1],
  ] as const)(rng);
}

/** A synthetic person as a target; one in seven carries a phone. */
function personTarget(person: MatchRecord, rng: Random): TargetSubject {
  const subject: TargetSubject = { kind: "person", values: person.values as Record<string, string[]> };
  if (!rng.chance(1 / 7)) return subject;
  const phone = phoneTarget(rng).subject;
  return {
    ...subject,
    values: { ...subject.values, ...phone.values },
    ...(phone.country ? { country: phone.country } : {}),
  };
}

/** The person as another agency files them: one full name, unaccented and lower-case, no gender. */
function rewrittenPerson(subject: TargetSubject): TargetSubject {
  const { firstName, lastName, birthDate } = subject.values;
  return {
    kind: "person",
    values: { name: [foldName(`${firstName?.[0]} ${lastName?.[0]}`)], birthDate: birthDate ?? [] },
  };
}

// ── operations ──────────────────────────────────────────────────────────────────────────────────────────────────

/** Border crossings west to east, and cities inland, weighted by how many operations they see. */
const BORDER: Array<[number, number]> = [
  [32.54, -117.03],
  [32.66, -115.47],
  [32.49, -114.78],
  [31.33, -110.94],
  [31.34, -109.55],
  [31.75, -106.45],
  [29.56, -104.39],
  [29.35, -100.9],
  [28.7, -100.5],
  [27.5, -99.5],
  [26.1, -98.25],
  [25.9, -97.5],
];
const CITIES: Array<readonly [[number, number], number]> = [
  ...BORDER.map((point, i) => [point, [10, 5, 2, 4, 1, 9, 1, 2, 2, 6, 6, 5][i] ?? 1] as const),
  [[33.45, -112.07], 6],
  [[32.22, -110.97], 3],
  [[29.42, -98.49], 5],
  [[25.68, -100.31], 7],
  [[29.07, -110.96], 3],
  [[28.63, -106.07], 3],
];

function offset(from: [number, number], north: number, east: number): [number, number] {
  return [
    from[0] + north / METRES_PER_DEGREE,
    from[1] + east / (METRES_PER_DEGREE * Math.cos((from[0] * Math.PI) / 180)),
  ];
}

/** Where an operation happens: 70 % around a city (σ 8 km), 30 % anywhere along the border (±30 km). */
function operationCentre(rng: Random): [number, number] {
  if (rng.chance(0.7)) return offset(rng.weighted(CITIES), 8_000 * normal(rng), 8_000 * normal(rng));
  const i = rng.int(0, BORDER.length - 2);
  const [a, b] = [BORDER[i] as [number, number], BORDER[i + 1] as [number, number]];
  const t = rng.next();
  return offset([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])], rng.int(-30_000, 30_000), 0);
}

/** 80 % circles with a log-normal radius (median 300 m, 25 m to 5 km); 20 % polygons of 4–8 corners, 200 m–2 km. */
function operationArea(rng: Random, centre: [number, number]): Area {
  if (rng.chance(0.8)) {
    const radiusM = Math.min(5_000, Math.max(25, Math.exp(Math.log(300) + normal(rng))));
    return { kind: "circle", lat: centre[0], lon: centre[1], radiusM };
  }
  const size = rng.int(200, 2_000);
  const angles = Array.from({ length: rng.int(4, 8) }, () => rng.next() * 2 * Math.PI).sort((x, y) => x - y);
  const points = angles.map((angle) => {
    const reach = size * (0.6 + 0.4 * rng.next());
    return offset(centre, reach * Math.sin(angle), reach * Math.cos(angle));
  });
  return { kind: "polygon", points };
}

/** Active: started up to a week ago or starting within 30 days; 60 % last 2–12 h, 30 % 1–7 days, 10 % 2–8 weeks. */
function operationWindow(rng: Random): { start: number; end: number } {
  const start = NOW + rng.int(-7 * DAY, 30 * DAY);
  const length = rng.weighted([
    [rng.int(2, 12) * 3_600_000, 0.6],
    [rng.int(1, 7) * DAY, 0.3],
    [rng.int(14, 56) * DAY, 0.1],
  ] as const);
  return { start, end: start + length };
}

function randomOperation(rng: Random): Omit<IndexedOperation, "id"> {
  return { area: operationArea(rng, operationCentre(rng)), ...operationWindow(rng) };
}

/** A check planted on an operation: a 100 m circle within 200 m of its anchor, in a window overlapping its own. */
function plantedOperation(rng: Random, on: Omit<IndexedOperation, "id">): Omit<IndexedOperation, "id"> {
  const anchor = on.area.kind === "circle" ? ([on.area.lat, on.area.lon] as [number, number]) : on.area.points[0];
  const [lat, lon] = offset(anchor as [number, number], rng.int(-140, 140), rng.int(-140, 140));
  const start = rng.int(on.start - 3_600_000, on.end);
  return { area: { kind: "circle", lat, lon, radiusM: 100 }, start, end: start + rng.int(1, 6) * 3_600_000 };
}

// ── the run ─────────────────────────────────────────────────────────────────────────────────────────────────────

interface Check {
  kind: "target" | "operation";
  planted: boolean;
  run: () => number;
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      targets: { type: "string", default: "1000000" },
      operations: { type: "string", default: "100000" },
      checks: { type: "string", default: "10000" },
    },
  });
  const targetCount = Number(values.targets);
  const operationCount = Number(values.operations);
  const checkCount = Number(values.checks);
  for (const [name, value] of Object.entries({ targetCount, operationCount, checkCount }))
    if (!Number.isInteger(value) || value < 2) throw new RangeError(`${name} must be an integer of at least 2`);
  const personCount = Math.round(targetCount * PERSON_SHARE);
  const identifierCount = targetCount - personCount;
  const targetChecks = Math.floor(checkCount / 2);
  const operationChecks = checkCount - targetChecks;

  const cpu = cpus();
  console.log("deconfliction benchmark: conflict checks against in-memory target and operation indexes");
  console.log(
    `  targets:    ${targetCount.toLocaleString("en-US")} (${personCount.toLocaleString("en-US")} synthetic persons, 1 in 7 with a phone; ${identifierCount.toLocaleString("en-US")} identifiers: 40 % phones, 30 % plates, 20 % accounts, 10 % wallets)`,
  );
  console.log(
    `  operations: ${operationCount.toLocaleString("en-US")} along the US–Mexico border (70 % around 18 cities, 30 % along the line; 80 % circles of median 300 m, 20 % polygons; windows from 2 h to 8 weeks over 37 days)`,
  );
  console.log(
    `  checks:     ${checkCount.toLocaleString("en-US")} (half targets, half operations; ${PLANTED_SHARE * 100} % of each planted on an indexed one), after ${WARM_UP_CHECKS} untimed warm-up checks`,
  );
  console.log(
    `  rules:      ${RULES.bufferM} m, ${RULES.bufferMs / 60_000} min; persons conflict from the "possible" band (${BANDS.possible})`,
  );
  console.log(
    `  seed ${SEED}; node ${process.version}; ${cpu[0]?.model ?? "unknown CPU"} × ${cpu.length} cores; load average ${load()}`,
  );
  console.log("");

  // What the planted checks are built from is drawn before the builds and kept as it streams past.
  const rng = new Random(SEED);
  const plantedTargets = Math.round(targetChecks * PLANTED_SHARE);
  const plantedPersons = new Set(Array.from({ length: plantedTargets }, () => rng.int(0, personCount - 1)));
  const keptPersons: TargetSubject[] = [];
  const baselinePersons: PreparedRecord[] = [];
  const rewrittenIdentifiers: TargetSubject[] = [];

  let rssBefore = settledRss();
  let started = performance.now();
  const targets = new TargetIndex();
  let i = 0;
  for (const person of syntheticPersons(personCount, SEED)) {
    const subject = personTarget(person, rng);
    targets.add(`person-${i}`, subject);
    if (plantedPersons.has(i)) keptPersons.push(subject);
    if (i < PERSON_BASELINE_SIZE) baselinePersons.push(prepareRecord({ id: `person-${i}`, values: subject.values }));
    i++;
  }
  const personSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const identifierKeep = plantedTargets / identifierCount;
  for (let j = 0; j < identifierCount; j++) {
    const { subject, rewritten } = identifierTarget(rng);
    targets.add(`identifier-${j}`, subject);
    if (rng.chance(identifierKeep)) rewrittenIdentifiers.push(rewritten);
  }
  const identifierSeconds = (performance.now() - started) / 1000;
  const targetRss = settledRss();
  console.log(
    `target index: ${targets.size.toLocaleString("en-US")} targets built in ${(personSeconds + identifierSeconds).toFixed(1)} s (persons ${personSeconds.toFixed(1)} s, identifiers ${identifierSeconds.toFixed(1)} s); RSS ${gib(targetRss)} (+${gib(targetRss - rssBefore)})`,
  );

  rssBefore = targetRss;
  const allOperations: Array<Omit<IndexedOperation, "id">> = [];
  started = performance.now();
  const operations = new OperationIndex();
  for (let j = 0; j < operationCount; j++) {
    const operation = randomOperation(rng);
    operations.add({ id: `operation-${j}`, ...operation });
    allOperations.push(operation);
  }
  const operationSeconds = (performance.now() - started) / 1000;
  const operationRss = settledRss();
  console.log(
    `operation index: ${operations.size.toLocaleString("en-US")} operations built in ${operationSeconds.toFixed(1)} s; RSS ${gib(operationRss)} (+${gib(operationRss - rssBefore)}, with the operations kept for the baseline)`,
  );

  // Target checks: the planted ones (persons rewritten, identifiers rewritten) and fresh persons and identifiers.
  const targetSubjects: Array<{ subject: TargetSubject; planted: boolean }> = [];
  for (let j = 0; j < plantedTargets; j++) {
    const person = keptPersons[j % Math.max(1, keptPersons.length)];
    const identifier = rewrittenIdentifiers[j % Math.max(1, rewrittenIdentifiers.length)];
    const subject =
      j % 2 === 0 && person ? rewrittenPerson(person) : (identifier ?? rewrittenPerson(person as TargetSubject));
    targetSubjects.push({ subject, planted: true });
  }
  const freshPersons = syntheticPersons(targetChecks, SEED + 1);
  while (targetSubjects.length < targetChecks) {
    const subject = rng.chance(PERSON_SHARE)
      ? personTarget(freshPersons.next().value as MatchRecord, rng)
      : identifierTarget(rng).subject;
    targetSubjects.push({ subject, planted: false });
  }
  const operationQueries: Array<{ query: Omit<IndexedOperation, "id">; planted: boolean }> = [];
  for (let j = 0; j < operationChecks; j++) {
    const planted = rng.chance(PLANTED_SHARE);
    const query = planted ? plantedOperation(rng, rng.pick(allOperations)) : randomOperation(rng);
    operationQueries.push({ query, planted });
  }
  const checks: Check[] = [];
  for (let j = 0; j < Math.max(targetSubjects.length, operationQueries.length); j++) {
    const target = targetSubjects[j];
    if (target)
      checks.push({ kind: "target", planted: target.planted, run: () => targets.conflicts(target.subject).length });
    const operation = operationQueries[j];
    if (operation)
      checks.push({
        kind: "operation",
        planted: operation.planted,
        run: () => operations.conflicts(operation.query, RULES).length,
      });
  }

  for (const check of rng.sample(checks, WARM_UP_CHECKS)) check.run();
  const loadBefore = load();
  const latencies = { target: [] as number[], operation: [] as number[] };
  /** The process's CPU time per check: the wall-clock time less any wait for a core (GC threads included). */
  const cpuTimes = { target: [] as number[], operation: [] as number[] };
  const hits = {
    target: { checks: 0, withHits: 0, planted: 0, plantedFound: 0, total: 0 },
    operation: { checks: 0, withHits: 0, planted: 0, plantedFound: 0, total: 0 },
  };
  for (const check of checks) {
    const cpuBefore = process.cpuUsage();
    const t = performance.now();
    const found = check.run();
    latencies[check.kind].push(performance.now() - t);
    const cpuTime = process.cpuUsage(cpuBefore);
    cpuTimes[check.kind].push((cpuTime.user + cpuTime.system) / 1000);
    const tally = hits[check.kind];
    tally.checks++;
    tally.total += found;
    if (found > 0) tally.withHits++;
    if (check.planted) {
      tally.planted++;
      if (found > 0) tally.plantedFound++;
    }
  }
  const all = [...latencies.target, ...latencies.operation];
  console.log("");
  console.log(`timed checks (load average ${loadBefore} before them, ${load()} after):`);
  console.log(latencyLine("all checks", all));
  console.log(latencyLine("target checks", latencies.target));
  console.log(latencyLine("operation checks", latencies.operation));
  console.log(latencyLine("  CPU time, targets", cpuTimes.target));
  console.log(latencyLine("  CPU time, operations", cpuTimes.operation));
  for (const kind of ["target", "operation"] as const) {
    const tally = hits[kind];
    console.log(
      `  ${kind} checks with a conflict: ${((100 * tally.withHits) / tally.checks).toFixed(1)} % (${(tally.total / tally.checks).toFixed(2)} conflicts per check); planted ones found: ${tally.plantedFound}/${tally.planted}`,
    );
  }

  // Baselines: every operation scanned with the same time filter and exact geometry (areas prepared once, as the
  // index keeps them), which must find the same conflicts; and persons scored one by one against 10k of them.
  const prepared: PreparedArea[] = allOperations.map((operation) => prepareArea(operation.area));
  const sample = operationQueries.filter((_, j) => j % Math.ceil(operationChecks / OPERATION_BASELINE_CHECKS) === 0);
  const scanLatencies: number[] = [];
  let disagreements = 0;
  for (const { query } of sample) {
    const t = performance.now();
    const area = prepareArea(query.area);
    const found: string[] = [];
    for (const [j, operation] of allOperations.entries())
      if (
        windowsConflict(operation, query, RULES.bufferMs) &&
        preparedAreasConflict(area, prepared[j] as PreparedArea, RULES.bufferM)
      )
        found.push(`operation-${j}`);
    scanLatencies.push(performance.now() - t);
    const indexed = operations.conflicts(query, RULES).sort();
    if (indexed.join() !== found.sort().join()) disagreements++;
  }
  console.log("");
  console.log(
    `${latencyLine("baseline: scan all ops", scanLatencies)}; the index agreed on ${sample.length - disagreements}/${sample.length}`,
  );
  const personQueries = targetSubjects
    .filter(({ subject }) => subject.kind === "person")
    .slice(0, PERSON_BASELINE_CHECKS);
  const personScan: number[] = [];
  for (const { subject } of personQueries) {
    const t = performance.now();
    const query = prepareRecord({ id: "query", values: subject.values });
    for (const candidate of baselinePersons) scorePair(query, candidate, BANDS.possible);
    personScan.push(performance.now() - t);
  }
  const scanMedian = percentileOf(personScan, 0.5);
  console.log(
    `${latencyLine(`baseline: score ${baselinePersons.length / 1000}k persons`, personScan)}; scaled to ${personCount.toLocaleString("en-US")} persons, median ≈ ${((scanMedian * personCount) / baselinePersons.length).toFixed(0)} ms`,
  );

  const p99 = {
    all: percentileOf(all, 0.99),
    target: percentileOf(latencies.target, 0.99),
    operation: percentileOf(latencies.operation, 0.99),
  };
  const met = p99.target < GOAL_P99_MS && p99.operation < GOAL_P99_MS;
  console.log("");
  console.log(
    `goal: p99 < ${GOAL_P99_MS} ms per check, for target and for operation checks — ${met ? "met" : "NOT met"} (targets ${p99.target.toFixed(3)} ms, operations ${p99.operation.toFixed(3)} ms, all ${p99.all.toFixed(3)} ms)`,
  );
}
