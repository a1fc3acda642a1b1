// Federated search: three `puente serve` processes on loopback, each holding 100k synthetic persons (a fifth of
// them known to all three agencies), federated by signed manifest. A client keeps 32 searches in flight against
// one node, each fanning out to the two partners, and reports latency percentiles and searches per second, next
// to the baseline of the same node matching only its own records (POST /api/v1/match) in the same run.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import { loadNodeKeyPair } from "../src/crypto/keys.ts";
import type { Manifest } from "../src/federation/manifest.ts";
import { inviteMember, joinFederation, selfMember } from "../src/federation/membership.ts";
import { importFile } from "../src/importer/import-service.ts";
import type { MatchRecord } from "../src/matching/record.ts";
import { CONFIG_FILE, KEYS_DIR, loadConfig, validateConfig } from "../src/node/config.ts";
import { initNode } from "../src/node/init.ts";
import { openNode } from "../src/node/node.ts";
import { machineSpeed } from "./machine-speed.ts";
import { median, percentile } from "./measure.ts";
import { syntheticPersons } from "./synthetic-persons.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const NODES = [
  { nodeId: "us", country: "US", agency: "US bench agency" },
  { nodeId: "mx", country: "MX", agency: "MX bench agency" },
  { nodeId: "ca", country: "CA", agency: "CA bench agency" },
] as const;
const SHARED_SEED = 501;
/** Seeds of persons no node holds (the nodes' own persons come from seeds 1000–1002). */
const NOBODY_SEED = 9000;
const GOAL_P99_MS = 250;
const GOAL_PER_SECOND = 200;
const WARM_UP = 3000;
/** Queries set aside for the searches that wait for the nodes to be ready. */
const READINESS_CHECKS = 200;
/** The kernel's USER_HZ, the unit of /proc/<pid>/stat times: 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

function toFtm(person: MatchRecord, id: string): string {
  const { firstName, lastName, birthDate, gender } = person.values;
  return JSON.stringify({ id, schema: "Person", properties: { firstName, lastName, birthDate, gender } });
}

/** A node's file: the shared persons (same people at every agency) and then persons of its own. */
async function writeNodeFile(path: string, persons: number, shared: number, seed: number): Promise<void> {
  const out = createWriteStream(path);
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  };
  for (const person of syntheticPersons(shared, SHARED_SEED)) await write(toFtm(person, `shared-${person.id}`));
  for (const person of syntheticPersons(persons - shared, seed)) await write(toFtm(person, `own-${person.id}`));
  out.end();
  await finished(out);
}

interface Run {
  latencies: number[];
  seconds: number;
  statuses: Record<string, number>;
  /** CPU the client itself used (user + system): it shares the two cores with the nodes. */
  clientCpuSeconds: number;
}

/** A POST through node:http over kept-alive connections: the client shares the cores, so it should weigh little. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  agent: http.Agent,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** Keeps `concurrency` requests in flight until `total` are done. */
async function load(total: number, concurrency: number, request: () => Promise<string[]>): Promise<Run> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const t = performance.now();
        for (const status of await request()) statuses[status] = (statuses[status] ?? 0) + 1;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    latencies: latencies.sort((a, b) => a - b),
    seconds: (performance.now() - started) / 1000,
    statuses,
    clientCpuSeconds: (used.user + used.system) / 1e6,
  };
}

/** CPU seconds (user + system) each process has used so far, from /proc; empty where there is no /proc. */
function cpuSecondsOf(children: ChildProcess[]): number[] {
  try {
    return children.map((child) => {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in ticks.
      const fields = (readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1] ?? "").split(" ");
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
    });
  } catch {
    return [];
  }
}

/** Runs a load and adds what each node process spent on it, per request: a figure less noisy than latency. */
async function measured(children: ChildProcess[], running: () => Promise<Run>): Promise<Run & { nodeCpu: number[] }> {
  const before = cpuSecondsOf(children);
  const run = await running();
  const nodeCpu = cpuSecondsOf(children).map((seconds, index) => seconds - (before[index] ?? 0));
  return { ...run, nodeCpu };
}

function report(label: string, run: Run & { nodeCpu: number[] }): void {
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(
    `${label.padEnd(44)} p50 ${f(percentile(run.latencies, 0.5))}  p95 ${f(percentile(run.latencies, 0.95))}  p99 ${f(percentile(run.latencies, 0.99))}  ${(run.latencies.length / run.seconds).toFixed(0)} requests/s  (${run.latencies.length} in ${run.seconds.toFixed(1)} s; client CPU ${run.clientCpuSeconds.toFixed(1)} s)`,
  );
  if (run.nodeCpu.length === NODES.length) {
    const perRequest = run.nodeCpu.map((seconds) => (seconds * 1000) / run.latencies.length);
    const each = NODES.map((node, index) => `${node.nodeId} ${perRequest[index]?.toFixed(2)}`).join(", ");
    const total = perRequest.reduce((sum, ms) => sum + ms, 0);
    console.log(`${"".padEnd(44)} node CPU per request: ${total.toFixed(2)} ms (${each})`);
  }
}

interface SetUp {
  persons: number;
  shared: number;
  basePort: number;
  tokenFile: string;
}

/** Creates the three nodes, imports their persons, federates them, and then leaves an API token for the client. */
async function setUpNodes(
  root: string,
  dirs: string[],
  { persons, shared, basePort, tokenFile }: SetUp,
): Promise<void> {
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  let token = "";
  for (const [index, node] of NODES.entries()) {
    const dir = dirs[index] as string;
    await initNode({ dir, ...node, port: basePort + index });
    const { config } = loadConfig(dir);
    // The client is one address making thousands of requests a minute.
    const tuned = { ...config, rateLimitPerMinute: 1_000_000 };
    writeFileSync(join(dir, CONFIG_FILE), JSON.stringify(validateConfig(tuned, "bench"), null, 2));
    const file = join(root, `${node.nodeId}.jsonl`);
    await writeNodeFile(file, persons, shared, 1000 + index);
    const opened = await openNode(dir, { databaseUrl: "" });
    try {
      const summary = await importFile({
        path: file,
        context: {
          nodeId: node.nodeId,
          country: node.country,
          defaultMarkings: opened.config.defaultMarkings,
          recordedBy: "bench",
          recordedAt: new Date().toISOString(),
        },
        repository: opened.entityRepository,
      });
      if (!summary.written) throw new Error(`import into ${node.nodeId} failed: ${JSON.stringify(summary.issues[0])}`);
      if (index === 0) {
        await opened.auth.createAccount({
          username: "bench",
          password: "bench password 2026",
          roles: ["analyst"],
          cfr28Trained: true,
        });
        token = (await opened.auth.createApiToken("bench", "federated-search bench")).token;
      }
    } finally {
      await opened.close();
    }
  }
  let manifest: Manifest | undefined;
  for (const dir of dirs.slice(1)) {
    const keys = await loadNodeKeyPair(join(dir, KEYS_DIR));
    manifest = await inviteMember(dirs[0] as string, selfMember(loadConfig(dir).config, keys.publicKeyPem));
  }
  for (const dir of dirs.slice(1)) if (manifest) await joinFederation(dir, manifest);
  writeFileSync(tokenFile, token, { mode: 0o600 });
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      persons: { type: "string", default: "100000" },
      searches: { type: "string", default: "3000" },
      rounds: { type: "string", default: "3" },
      // The nodes' searchesAtOnce (default: the node's own default).
      "searches-at-once": { type: "string" },
      concurrency: { type: "string", default: "32" },
      "base-port": { type: "string", default: "7601" },
      // Keeps the three nodes under this directory and reuses them on later runs with the same size and ports
      // (set-up takes minutes); without it they live in a temporary directory removed at the end.
      dir: { type: "string" },
    },
  });
  const persons = Number(values.persons);
  const searches = Number(values.searches);
  const rounds = Number(values.rounds);
  const concurrency = Number(values.concurrency);
  const basePort = Number(values["base-port"]);
  const shared = Math.floor(persons / 5);
  const root = values.dir ? join(values.dir, `${persons}`) : mkdtempSync(join(tmpdir(), "puente-bench-federation-"));
  const tokenFile = join(root, "bench-token");
  const children: ChildProcess[] = [];
  console.log(
    `federated search benchmark: 3 nodes × ${persons.toLocaleString("en-US")} persons (${shared.toLocaleString("en-US")} shared), ${concurrency} searches in flight, ${searches} searches`,
  );
  console.log(
    `  node ${process.version}, ${cpus()[0]?.model ?? "unknown CPU"} × ${cpus().length} cores; all processes on this machine`,
  );
  console.log(`  ${machineSpeed()}`);
  try {
    const dirs = NODES.map((node) => join(root, node.nodeId));
    let setup = performance.now();
    if (!existsSync(tokenFile)) await setUpNodes(root, dirs, { persons, shared, basePort, tokenFile });
    const token = readFileSync(tokenFile, "utf8");
    console.log(`  set-up (write, import, federate): ${((performance.now() - setup) / 1000).toFixed(1)} s`);

    setup = performance.now();
    for (const dir of dirs) {
      const { searchesAtOnce: _, ...config } = loadConfig(dir).config;
      const atOnce = values["searches-at-once"] ? { searchesAtOnce: Number(values["searches-at-once"]) } : {};
      writeFileSync(join(dir, CONFIG_FILE), JSON.stringify(validateConfig({ ...config, ...atOnce }, "bench"), null, 2));
      const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve", "--dir", dir], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "error" },
        stdio: ["ignore", "ignore", "inherit"],
      });
      children.push(child);
    }
    const url = `http://127.0.0.1:${basePort}`;
    const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
    // Every other query is a shared person (a hit at both partners), the others someone no one holds. Made before
    // the clock starts: the client shares the machine's two cores with the nodes.
    // Every query is asked once: a search that repeated an earlier one would find the answers' pages, hit
    // references and decisions it left behind, and measure those caches rather than a node's work.
    const asked = READINESS_CHECKS + WARM_UP + searches * (rounds + 1);
    const sharedPersons = syntheticPersons(Math.min(shared, Math.ceil(asked / 2)), SHARED_SEED);
    const queries = Array.from({ length: asked }, (_, i) => {
      const person = (
        i % 2 === 0 ? sharedPersons.next().value : [...syntheticPersons(1, NOBODY_SEED + i)][0]
      ) as MatchRecord;
      return {
        name: [`${person.values.firstName?.[0]} ${person.values.lastName?.[0]}`],
        birthDate: person.values.birthDate,
      };
    });
    let nextQuery = 0;
    const queryOf = () => queries[nextQuery++ % queries.length];
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const searchOnce = async (): Promise<string[]> => {
      const body = JSON.stringify({
        schema: "Person",
        properties: queryOf(),
        purpose: "benchmark",
        caseReference: "BENCH-1",
        urgency: "standard",
      });
      const response = await post(`${url}/api/v1/search`, headers, body, agent);
      if (response.status !== 200) return [`http-${response.status}`];
      const answer = JSON.parse(response.text) as { partners: Array<{ status: string; hits: unknown[] }> };
      return answer.partners.map((partner) => `${partner.status}${partner.hits.length > 0 ? "+hit" : ""}`);
    };
    // Ready when a search gets answers from both partners (each node builds its index at start).
    for (;;) {
      try {
        const statuses = await searchOnce();
        if (statuses.length === 2 && statuses.every((status) => status.startsWith("ok"))) break;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    console.log(`  nodes up and indexes built: ${((performance.now() - setup) / 1000).toFixed(1)} s`);
    await load(WARM_UP, concurrency, searchOnce);

    const baseline = await measured(children, () =>
      load(searches, concurrency, async () => {
        const body = JSON.stringify({ schema: "Person", properties: queryOf() });
        const response = await post(`${url}/api/v1/match`, headers, body, agent);
        return [response.status === 200 ? "ok" : `http-${response.status}`];
      }),
    );
    report("baseline: local match only (POST /api/v1/match)", baseline);
    // Several rounds on the same nodes: this machine's timing varies from one minute to the next, so one round
    // alone says little; each is shown, then the median.
    const p99s: number[] = [];
    const rates: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const federated = await measured(children, () => load(searches, concurrency, searchOnce));
      report(`federated search (POST /api/v1/search) ${round}/${rounds}`, federated);
      console.log(`  partner answers: ${JSON.stringify(federated.statuses)}`);
      p99s.push(percentile(federated.latencies, 0.99));
      rates.push(federated.latencies.length / federated.seconds);
    }
    const p99 = median(p99s);
    const rate = median(rates);
    const met = p99s.filter((value, index) => value < GOAL_P99_MS && (rates[index] as number) >= GOAL_PER_SECOND);
    console.log(
      `goals (median of ${rounds} rounds): p99 < ${GOAL_P99_MS} ms — ${p99 < GOAL_P99_MS ? "met" : "NOT met"} (${p99.toFixed(1)} ms); ≥ ${GOAL_PER_SECOND} searches/s — ${rate >= GOAL_PER_SECOND ? "met" : "NOT met"} (${rate.toFixed(0)}/s); both met in ${met.length} of ${rounds} rounds`,
    );
  } finally {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((child) => (child.exitCode === null ? new Promise((r) => child.once("exit", r)) : undefined)),
    );
    if (!values.dir) rmSync(root, { recursive: true, force: true });
  }
}
