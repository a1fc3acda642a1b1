// Opens a node from its data directory: configuration, keys, database (migrated) and the services on top.
// This is the composition root; the API and the CLI receive the services from here.
import { join } from "node:path";
import { AdminService } from "../admin/admin-service.ts";
import { AuditLog } from "../audit/audit-log.ts";
import { MIN_RETENTION_DAYS, type PruneReport } from "../audit/retention.ts";
import { AuthService } from "../auth/auth-service.ts";
import { BurstAlertService } from "../border/burst-alerts.ts";
import { loadRules } from "../border/screening/rules.ts";
import { ScreeningService } from "../border/screening/screening-service.ts";
import { DEFAULT_SEAL_SETTINGS } from "../border/seals/seal-monitor.ts";
import { SealService } from "../border/seals/seal-service.ts";
import { loadNodeKeyPair, type NodeKeyPair } from "../crypto/keys.ts";
import { DEFAULT_DECONFLICTION, DeconflictionService } from "../deconfliction/deconfliction-service.ts";
import { hashSeed } from "../demo/random.ts";
import { Admission } from "../federation/admission.ts";
import { ExchangeService } from "../federation/exchange-service.ts";
import { Federation } from "../federation/federation.ts";
import { HitReferences } from "../federation/hit-references.ts";
import { Outbox } from "../federation/outbox.ts";
import { DEFAULT_SEARCHES_AT_ONCE, FederatedSearchService } from "../federation/search-service.ts";
import { SubscriptionService } from "../federation/subscription-service.ts";
import { Witness } from "../federation/witness.ts";
import { NodePolicy } from "../policy/node-policy.ts";
import { EntityService } from "../records/entity-service.ts";
import { GraphService } from "../records/graph-service.ts";
import { MatchService } from "../records/match-service.ts";
import { OversightService } from "../records/oversight-service.ts";
import { ReviewService } from "../records/review-service.ts";
import { AuditRepository } from "../store/audit-repository.ts";
import { BorderAlertRepository } from "../store/border-alert-repository.ts";
import { BorderRepository } from "../store/border-repository.ts";
import { type Database, openDatabase } from "../store/database.ts";
import { DeconflictionRepository } from "../store/deconfliction-repository.ts";
import { EntityRepository } from "../store/entity-repository.ts";
import { ExchangeRepository } from "../store/exchange-repository.ts";
import { HitReferenceRepository } from "../store/hit-reference-repository.ts";
import { OutboxRepository } from "../store/outbox-repository.ts";
import { SealRepository } from "../store/seal-repository.ts";
import { SubscriptionRepository } from "../store/subscription-repository.ts";
import { UserRepository } from "../store/user-repository.ts";
import { KEYS_DIR, loadConfig, type NodeConfig } from "./config.ts";

export interface PuenteNode {
  dir: string;
  config: NodeConfig;
  keys: NodeKeyPair;
  database: Database;
  entities: EntityService;
  entityRepository: EntityRepository;
  /** The matching index over this node's records: built on first use, or by `startBackgroundWork`. */
  matches: MatchService;
  /** The federation this node belongs to, as its manifest says, and how it signs. */
  federation: Federation;
  federatedSearch: FederatedSearchService;
  /** Step two: requests for details, the owner's decisions, and releases. */
  exchange: ExchangeService;
  outbox: Outbox;
  /** Standing watches: this node's subscriptions at partners, and partners' watches over its records. */
  subscriptions: SubscriptionService;
  auth: AuthService;
  /** The tamper-evident audit log (a Merkle tree whose heads the node signs). */
  audit: AuditLog;
  /** Drops the details of audit entries older than the node's retention (`auditRetentionDays`); logged itself. */
  pruneAudit(actor: string): Promise<PruneReport>;
  /** The 28 CFR Part 23 review queue: keep with a reason, or purge (a retraction that reaches every recipient). */
  review: ReviewService;
  /** Oversight: who saw each of the node's records; the audit log read, filtered and verified. */
  oversight: OversightService;
  /** A record's link chart and timeline, as the asking user may see them. */
  graph: GraphService;
  /** Accounts, the federation's membership and the node's Cedar policies, for administrators. */
  admin: AdminService;
  /** Witnessing: sending this log's signed heads to partners, and checking theirs. */
  witness: Witness;
  /** Targets, operations and protected sources, and the deconfliction desk. */
  deconfliction: DeconflictionService;
  /** Electronic seals and GPS corridors of shipments, and their express-lane eligibility (an ExpressEligibility). */
  seals: SealService;
  /** Port-of-entry screening: lookouts (own, and partners' from a local cache), referrals and suppressions. */
  screening: ScreeningService;
  /** Coordinated arrivals: the detector screening asks about every crossing, and the supervisor's burst alerts. */
  burstAlerts: BurstAlertService;
  /** The node's clock (real time, or a test's). */
  clock: () => Date;
  /** For a serving node: builds the matching index, watches for bulk imports, and runs the periodic work. */
  startBackgroundWork(): void;
  close(): Promise<void>;
}

/** How often a serving node checks whether another process imported records in bulk. */
const INDEX_SYNC_MS = 30_000;
/** How often a serving node retries undelivered messages and flags requests whose response clock ran out. */
const OUTBOX_MS = 10_000;
/** How often a serving node reads its partners' changed lookouts and drops expired ones. */
const LOOKOUT_SYNC_MS = 30_000;
/** How often a serving node signs the head of its audit log. */
const HEAD_EVERY_MS = 600_000;
/** How often a serving node prunes audit entries past their retention. */
const PRUNE_EVERY_MS = 86_400_000;

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
  const matches = new MatchService(entityRepository, config);
  const federation = new Federation(absolute, config, keys);
  const references = new HitReferences(new HitReferenceRepository(database.db), keys.privateKeyPem, clock);
  const auditRepository = new AuditRepository(database.db);
  const audit = new AuditLog(
    auditRepository,
    { nodeId: config.nodeId, privateKeyPem: keys.privateKeyPem, publicKeyPem: keys.publicKeyPem },
    clock,
    database.transactions,
  );
  const policy = new NodePolicy(absolute);
  const outbox = new Outbox(new OutboxRepository(database.db), federation, clock, database.transactions);
  const deconfliction = new DeconflictionService(
    federation,
    new DeconflictionRepository(database.db),
    outbox,
    audit,
    { ...DEFAULT_DECONFLICTION, ...config.deconfliction },
    clock,
    database.transactions,
  );
  const seals = new SealService(
    new SealRepository(database.db),
    audit,
    clock,
    DEFAULT_SEAL_SETTINGS,
    database.transactions,
  );
  // Whom a burst's referrals fall on is drawn from the node's key, so that no one outside can predict it.
  const burstAlerts = new BurstAlertService(
    new BorderAlertRepository(database.db),
    { seed: hashSeed("coordinated-arrivals", keys.privateKeyPem) },
    clock,
  );
  const screening = new ScreeningService({
    federation,
    repository: new BorderRepository(database.db),
    audit,
    inspectionSeed: keys.privateKeyPem,
    rules: loadRules(absolute),
    clock,
    expressEligibility: seals,
    coordinatedArrivals: burstAlerts.detector,
    transactions: database.transactions,
  });
  const federatedSearch = new FederatedSearchService(
    federation,
    matches,
    references,
    entityRepository,
    policy,
    audit,
    clock,
    (peer, query) => deconfliction.searched(peer, query),
    new Admission(config.searchesAtOnce ?? DEFAULT_SEARCHES_AT_ONCE),
  );
  const exchange = new ExchangeService(
    federation,
    new ExchangeRepository(database.db),
    entityRepository,
    references,
    outbox,
    policy,
    audit,
    keys.privateKeyPem,
    clock,
  );
  const subscriptions = new SubscriptionService(
    federation,
    new SubscriptionRepository(database.db),
    matches,
    entityRepository,
    references,
    outbox,
    policy,
    audit,
    clock,
  );
  const witness = new Witness(federation, audit, auditRepository, clock);
  // What follows a change to the records waits for the change to commit: a write undone (its audit entry could not
  // be written) leaves the index, the watches and the partners as they were.
  const afterCommit = (work: () => Promise<void>) => database.transactions.afterCommit(work);
  const entities = new EntityService(entityRepository, config, clock, [
    { changed: (id) => afterCommit(() => matches.refresh(id)) },
    { changed: (id) => afterCommit(() => subscriptions.recordChanged(id)) },
    {
      retracted: (id, statementId) => afterCommit(() => exchange.retract(id, statementId)),
      purged: (id) => afterCommit(() => exchange.purge(id)),
    },
  ]);
  const users = new UserRepository(database.db);
  const auth = new AuthService(users, `Puente ${config.nodeId}`, clock);
  const pruneAudit = (actor: string) => audit.prune(config.auditRetentionDays ?? MIN_RETENTION_DAYS, actor);
  let exchangeTimer: NodeJS.Timeout | undefined;
  let lastHead = 0;
  let lastPrune = 0;
  return {
    dir: absolute,
    config,
    keys,
    database,
    entityRepository,
    matches,
    federation,
    federatedSearch,
    exchange,
    outbox,
    subscriptions,
    audit,
    pruneAudit,
    oversight: new OversightService(auditRepository, config.nodeId, clock, audit, users),
    graph: new GraphService(entityRepository, config, (principal) => exchange.releasedRecords(principal)),
    admin: new AdminService(auth, users, federation, policy, audit),
    witness,
    deconfliction,
    seals,
    screening,
    burstAlerts,
    clock,
    entities,
    review: new ReviewService(entityRepository, entities, audit, clock),
    auth,
    startBackgroundWork() {
      matches.ready().catch((error: unknown) => {
        console.error(`node ${config.nodeId}: building the matching index failed: ${String(error)}`);
      });
      matches.watch(INDEX_SYNC_MS);
      seals.ready().catch((error: unknown) => {
        console.error(`node ${config.nodeId}: loading seal monitoring failed (tried again on use): ${String(error)}`);
      });
      screening.ready().catch((error: unknown) => {
        console.error(`node ${config.nodeId}: loading the lookouts failed (tried again on use): ${String(error)}`);
      });
      screening.watch(LOOKOUT_SYNC_MS);
      outbox.watch(OUTBOX_MS);
      exchangeTimer = setInterval(() => {
        exchange.escalateOverdue().catch(() => {
          // tried again at the next tick
        });
        seals.sweep().catch(() => {
          // alerts not written wait in memory for the next tick
        });
        if (clock().getTime() - lastHead >= HEAD_EVERY_MS) {
          lastHead = clock().getTime();
          witness.publish().catch(() => {
            // signed and sent at the next tick
          });
        }
        if (clock().getTime() - lastPrune >= PRUNE_EVERY_MS) {
          lastPrune = clock().getTime();
          pruneAudit("system").catch((error: unknown) => {
            console.error(
              `node ${config.nodeId}: pruning the audit log failed (tried again tomorrow): ${String(error)}`,
            );
          });
        }
      }, OUTBOX_MS);
      exchangeTimer.unref();
    },
    async close() {
      if (exchangeTimer) clearInterval(exchangeTimer);
      await outbox.stop();
      await screening.stop();
      await burstAlerts.flush();
      await matches.stop();
      await database.close();
    },
  };
}
