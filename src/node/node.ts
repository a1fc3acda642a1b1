// Opens a node from its data directory: configuration, keys, database (migrated) and the services on top.
// This is the composition root; the API and the CLI receive the services from here.
import { join } from "node:path";
import { AuthService } from "../auth/auth-service.ts";
import { loadNodeKeyPair, type NodeKeyPair } from "../crypto/keys.ts";
import { EntityService } from "../records/entity-service.ts";
import { type Database, openDatabase } from "../store/database.ts";
import { EntityRepository } from "../store/entity-repository.ts";
import { UserRepository } from "../store/user-repository.ts";
import { KEYS_DIR, loadConfig, type NodeConfig } from "./config.ts";

export interface PuenteNode {
  dir: string;
  config: NodeConfig;
  keys: NodeKeyPair;
  database: Database;
  entities: EntityService;
  entityRepository: EntityRepository;
  auth: AuthService;
  close(): Promise<void>;
}

export interface OpenNodeOptions {
  /** PostgreSQL URL; defaults to the DATABASE_URL environment variable, else the node's SQLite file. */
  databaseUrl?: string | undefined;
  clock?: () => Date;
}

export async function openNode(dir: string, options: OpenNodeOptions = {}): Promise<PuenteNode> {
  const { dir: absolute, config } = loadConfig(dir);
  const keys = await loadNodeKeyPair(join(absolute, KEYS_DIR));
  const database = await openDatabase({
    databaseUrl: options.databaseUrl ?? process.env.DATABASE_URL,
    sqlitePath: join(absolute, config.sqliteFile),
  });
  const clock = options.clock ?? (() => new Date());
  const entityRepository = new EntityRepository(database.db, database.sqliteFile);
  return {
    dir: absolute,
    config,
    keys,
    database,
    entityRepository,
    entities: new EntityService(entityRepository, config, clock),
    auth: new AuthService(new UserRepository(database.db), `Puente ${config.nodeId}`, clock),
    close: () => database.close(),
  };
}
