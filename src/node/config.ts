// A node's configuration file (puente.json in the node's data directory): who the node is, where it listens,
// where its data lives and the markings its records get by default. `puente init` writes it.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { MIN_RETENTION_DAYS } from "../audit/retention.ts";
import { isCountryCode } from "../model/countries.ts";
import { resolveMarkings } from "../model/markings.ts";
import type { MarkingsInput } from "../model/types.ts";

export const CONFIG_FILE = "puente.json";
export const KEYS_DIR = "keys";

export interface PointOfContact {
  name: string;
  email: string;
  phone?: string;
}

/**
 * Deconfliction settings (defaults in src/deconfliction/deconfliction-service.ts and the README): how near in space
 * and time two operations may come before they conflict, and what a partner hears when it touches a source.
 */
export interface DeconflictionSettings {
  bufferMeters: number;
  bufferMinutes: number;
  /** "desk": the partner gets a notice like any target conflict, naming this node's desk; "none": nothing. */
  sourceConflictNotice: "desk" | "none";
  /** Whom a partner calls about a conflict (default: the node's point of contact). */
  desk?: PointOfContact;
}

export interface NodeConfig {
  nodeId: string;
  country: string;
  agency: string;
  listen: { host: string; port: number };
  /** The base URL partners reach this node at (default: http://listen.host:listen.port). */
  endpoint?: string;
  /** SQLite file, relative to the data directory; ignored when DATABASE_URL is set. */
  sqliteFile: string;
  defaultMarkings: MarkingsInput;
  pointOfContact: PointOfContact;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Requests per minute one client address may make (default 1200). */
  rateLimitPerMinute?: number;
  /** Federated searches of this node's users worked on at once (default 16); the others wait their turn. */
  searchesAtOnce?: number;
  /**
   * TLS for the node's own listener: PEM certificate (chain) and key files, relative to the data directory. Without
   * it the node speaks plain HTTP, for loopback or behind a TLS-terminating proxy.
   */
  tls?: { certFile: string; keyFile: string };
  /** Hours this node has to answer a partner's request for details, by urgency (default 8, 72 and 168). */
  responseHours?: { urgent: number; standard: number; other: number };
  /**
   * Days an audit entry keeps who, what and its details (default and minimum 365); older entries keep only their
   * place in the log's Merkle tree, so the log still verifies.
   */
  auditRetentionDays?: number;
  deconfliction?: Partial<DeconflictionSettings>;
}

export interface LoadedConfig {
  dir: string;
  path: string;
  config: NodeConfig;
}

export class ConfigError extends Error {}

const NODE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/u;

export function defaultConfig(nodeId: string, country: string, agency: string): NodeConfig {
  return {
    nodeId,
    country,
    agency,
    listen: { host: "127.0.0.1", port: 7400 },
    sqliteFile: "puente.db",
    defaultMarkings: {
      tlp: "AMBER",
      sourceGrade: "F",
      infoGrade: "6",
      handlingCode: "H0",
      legalBasis: `Statutory mandate of ${agency}`,
      criminalIntelligence: false,
    },
    pointOfContact: { name: `${agency} duty desk`, email: `duty@${nodeId}.invalid` },
    bodyLimitBytes: 1_048_576,
    auditRetentionDays: MIN_RETENTION_DAYS,
  };
}

/** Checks every field and names the first wrong one with the file it came from. */
export function validateConfig(value: unknown, path: string): NodeConfig {
  const fail = (field: string, message: string): never => {
    throw new ConfigError(`${path}: ${field}: ${message}`);
  };
  if (typeof value !== "object" || value === null) return fail("(file)", "must be a JSON object");
  const config = value as Partial<NodeConfig>;
  if (typeof config.nodeId !== "string" || !NODE_ID.test(config.nodeId))
    fail("nodeId", "lower-case letters, digits and '-', at most 63 characters");
  if (typeof config.country !== "string" || !isCountryCode(config.country))
    fail("country", "an ISO 3166-1 alpha-2 code such as MX, US or CA");
  if (typeof config.agency !== "string" || !config.agency.trim()) fail("agency", "the agency's name is required");
  const port = config.listen?.port;
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65_535)
    fail("listen.port", "a port number from 0 to 65535");
  if (typeof config.listen?.host !== "string") fail("listen.host", "an address to listen on, e.g. 127.0.0.1");
  if (typeof config.sqliteFile !== "string" || !config.sqliteFile) fail("sqliteFile", "a file name");
  if (
    config.endpoint !== undefined &&
    (typeof config.endpoint !== "string" || !/^https?:\/\/\S+$/u.test(config.endpoint))
  )
    fail("endpoint", "an http:// or https:// base URL");
  const markings = resolveMarkings([config.defaultMarkings], "2000-01-01", "defaultMarkings");
  if (!markings.markings) fail(markings.issues[0]?.path ?? "defaultMarkings", markings.issues[0]?.message ?? "invalid");
  if (typeof config.pointOfContact?.name !== "string" || typeof config.pointOfContact?.email !== "string")
    fail("pointOfContact", "needs a name and an email");
  if (
    typeof config.bodyLimitBytes !== "number" ||
    config.bodyLimitBytes < 1024 ||
    config.bodyLimitBytes > 64 * 1_048_576
  )
    fail("bodyLimitBytes", "between 1024 and 67108864");
  if (config.tls !== undefined && (typeof config.tls?.certFile !== "string" || typeof config.tls?.keyFile !== "string"))
    fail("tls", "needs certFile and keyFile (PEM files, relative to the data directory)");
  const hours = config.responseHours;
  if (
    hours !== undefined &&
    (["urgent", "standard", "other"] as const).some((k) => typeof hours?.[k] !== "number" || !(hours[k] > 0))
  )
    fail("responseHours", "hours above 0 for urgent, standard and other");
  const rate = config.rateLimitPerMinute;
  if (rate !== undefined && (typeof rate !== "number" || !Number.isInteger(rate) || rate < 1))
    fail("rateLimitPerMinute", "a whole number of requests per minute, at least 1");
  const atOnce = config.searchesAtOnce;
  if (atOnce !== undefined && (typeof atOnce !== "number" || !Number.isInteger(atOnce) || atOnce < 1))
    fail("searchesAtOnce", "a whole number of searches, at least 1");
  const retention = config.auditRetentionDays;
  if (
    retention !== undefined &&
    (typeof retention !== "number" || !Number.isInteger(retention) || retention < MIN_RETENTION_DAYS)
  )
    fail("auditRetentionDays", `a whole number of days, at least ${MIN_RETENTION_DAYS} (one year)`);
  const deconfliction = config.deconfliction;
  if (deconfliction !== undefined) {
    const { bufferMeters, bufferMinutes, sourceConflictNotice, desk } = deconfliction;
    if (
      bufferMeters !== undefined &&
      !(typeof bufferMeters === "number" && bufferMeters >= 0 && bufferMeters <= 50_000)
    )
      fail("deconfliction.bufferMeters", "metres from 0 to 50000");
    if (
      bufferMinutes !== undefined &&
      !(typeof bufferMinutes === "number" && bufferMinutes >= 0 && bufferMinutes <= 10_080)
    )
      fail("deconfliction.bufferMinutes", "minutes from 0 to 10080 (a week)");
    if (sourceConflictNotice !== undefined && sourceConflictNotice !== "desk" && sourceConflictNotice !== "none")
      fail("deconfliction.sourceConflictNotice", '"desk" or "none"');
    if (desk !== undefined && (typeof desk?.name !== "string" || typeof desk?.email !== "string"))
      fail("deconfliction.desk", "needs a name and an email");
  }
  return config as NodeConfig;
}

export function loadConfig(dir: string): LoadedConfig {
  const absolute = resolve(dir);
  const path = join(absolute, CONFIG_FILE);
  if (!existsSync(path)) throw new ConfigError(`${path}: no node configuration here; run \`puente init\` first`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return { dir: absolute, path, config: validateConfig(parsed, path) };
}

export function writeConfig(dir: string, config: NodeConfig): string {
  const path = join(resolve(dir), CONFIG_FILE);
  validateConfig(config, path);
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { flag: "wx" });
  return path;
}

/** The base URL partners use for this node. */
export function nodeEndpoint(config: NodeConfig): string {
  return config.endpoint ?? `${config.tls ? "https" : "http"}://${config.listen.host}:${config.listen.port}`;
}
