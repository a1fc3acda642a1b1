// `puente init`: creates a node's data directory with its configuration and its Ed25519 identity.
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { generateNodeKeyPair, publicKeyFingerprint, writeNodeKeyPair } from "../crypto/keys.ts";
import {
  CONFIG_FILE,
  ConfigError,
  defaultConfig,
  KEYS_DIR,
  type NodeConfig,
  validateConfig,
  writeConfig,
} from "./config.ts";

export interface InitOptions {
  dir: string;
  nodeId: string;
  country: string;
  agency: string;
  port?: number;
  host?: string;
}

export async function initNode(
  options: InitOptions,
): Promise<{ configPath: string; fingerprint: string; config: NodeConfig }> {
  const dir = resolve(options.dir);
  if (existsSync(join(dir, CONFIG_FILE)))
    throw new ConfigError(`${join(dir, CONFIG_FILE)}: a node is already set up here`);
  const config = defaultConfig(options.nodeId, options.country.toUpperCase(), options.agency);
  if (options.port !== undefined) config.listen.port = options.port;
  if (options.host !== undefined) config.listen.host = options.host;
  validateConfig(config, join(dir, CONFIG_FILE));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const configPath = writeConfig(dir, config);
  const pair = generateNodeKeyPair();
  await writeNodeKeyPair(join(dir, KEYS_DIR), pair);
  return { configPath, fingerprint: publicKeyFingerprint(pair.publicKeyPem), config };
}
