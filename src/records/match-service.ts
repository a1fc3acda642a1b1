// The node's matching index over its own records, kept in step with its store, and the one way search, screening
// and deconfliction ask "who in our records is this?". Writes made through this process update the index at
// once; bulk writes made by another process (`puente import` while the node runs) change the store's generation,
// which a periodic check notices and answers with a rebuild in the background.

import { isIndexedSchema, MATCH_FIELDS, matchRecordOf } from "../matching/entity-records.ts";
import { MatchIndex } from "../matching/match-index.ts";
import { prepareRecord } from "../matching/prepare.ts";
import type { MatchRecord } from "../matching/record.ts";
import { type PairScore, scorePair } from "../matching/scoring.ts";
import type { Entity, EntityInput } from "../model/types.ts";
import { buildEntity } from "../model/validate.ts";
import { mayPerform, type Principal, visibleEntity } from "../policy/access.ts";
import type { EntityRepository } from "../store/entity-repository.ts";
import { type NodeIdentity, NotFoundOrNoAccessError, ValidationFailedError } from "./entity-service.ts";

const PAGE = 1000;
/**
 * The index ranks candidates on everything it holds; the best of them (at least this many, and twice the limit)
 * are read from the store and scored again on what the asker may see. Scoring on hidden values can only leave a
 * record out, never bring one in.
 */
const RESCORED = 20;
/**
 * Candidates scoring below half the threshold on all their values are not worth reading from the store: values
 * the asker may not see would have to weigh heavily against them for their visible part to reach the threshold.
 */
const RESCORE_FLOOR = 0.05;

export interface MatchHit extends PairScore {
  id: string;
  schema: string;
}

/** What of an entity the asker may see: a copy with only those statements, or undefined for nothing. */
export type Viewer = (entity: Entity) => Entity | undefined;

export interface MatchOptions {
  /** Lowest score returned (default 0.5: possible matches and better). */
  threshold?: number;
  limit?: number;
}

export class MatchService {
  private index = new MatchIndex();
  private generation: string | undefined;
  private building: Promise<void> | undefined;
  /** Ids written while a rebuild reads the store: applied to the new index before it replaces the old one. */
  private changedDuringBuild: string[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  private readonly country: string;

  constructor(
    private readonly repository: EntityRepository,
    /** The node: its country reads phones and identifiers written without one. */
    private readonly node: NodeIdentity,
  ) {
    this.country = node.country;
  }

  get size(): number {
    return this.index.size;
  }

  /** Builds the index from the store; later calls wait for the build under way. */
  ready(): Promise<void> {
    this.building ??= this.rebuild();
    return this.building;
  }

  /** Checks every `intervalMs` whether another process changed the store in bulk, and rebuilds if so. */
  watch(intervalMs: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      this.sync().catch(() => {
        // A failed check (database briefly locked) is retried at the next tick.
      });
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops watching and cuts short a build under way; resolves when nothing reads the store any more. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.building?.catch(() => {});
  }

  /** Rebuilds when the store's bulk-write generation moved since the last build; resolves when done. */
  async sync(): Promise<void> {
    await this.ready();
    if ((await this.repository.generation()) === this.generation) return;
    this.building = this.rebuild();
    await this.building;
  }

  /** Brings one entity's entry up to date after this process wrote or deleted it. */
  async refresh(id: string): Promise<void> {
    this.changedDuringBuild?.push(id);
    const [entity] = await this.repository.getEntities([id]);
    this.apply(this.index, id, entity);
  }

  private apply(index: MatchIndex, id: string, entity: Entity | undefined): void {
    const record = entity ? matchRecordOf(entity, this.country) : undefined;
    if (record) index.add(record);
    else index.remove(id);
  }

  private async rebuild(): Promise<void> {
    const changed: string[] = [];
    this.changedDuringBuild = changed;
    try {
      const generation = await this.repository.generation();
      const fresh = new MatchIndex();
      for (const schema of Object.keys(MATCH_FIELDS)) {
        let after: string | undefined;
        for (;;) {
          if (this.stopped) return;
          const page = await this.repository.listEntities({ schema, limit: PAGE, ...(after ? { after } : {}) });
          for (const entity of page) this.apply(fresh, entity.id, entity);
          if (page.length < PAGE) break;
          after = page.at(-1)?.id;
        }
      }
      // Writes made meanwhile may be missing from the pages read before them: read those entities again, until
      // none is left, and swap without waiting in between.
      for (let done = 0; done < changed.length; ) {
        const ids = changed.slice(done, done + PAGE);
        done += ids.length;
        const current = new Map((await this.repository.getEntities(ids)).map((entity) => [entity.id, entity]));
        for (const id of ids) this.apply(fresh, id, current.get(id));
      }
      this.index = fresh;
      this.generation = generation;
    } finally {
      this.changedDuringBuild = undefined;
    }
  }

  /**
   * A query written as an entity (`{ schema: "Person", properties: { firstName: […] } }`) as a match record: its
   * values are checked and normalised as a record's would be, and bad ones are refused with their paths.
   */
  queryRecord(input: EntityInput, askedBy: string): MatchRecord {
    const built = buildEntity(input, {
      nodeId: this.node.nodeId,
      country: this.country,
      defaultMarkings: this.node.defaultMarkings,
      recordedBy: askedBy,
      recordedAt: new Date().toISOString(),
    });
    if (!built.ok) throw new ValidationFailedError(built.issues);
    const query = matchRecordOf(built.entity, this.country);
    if (!query)
      throw new ValidationFailedError([
        { path: "properties", code: "nothing_to_match", message: "none of these properties is compared when matching" },
      ]);
    return query;
  }

  /** `search` for a query written as an entity (see `queryRecord`). */
  async searchEntity(principal: Principal, input: EntityInput, options: MatchOptions = {}): Promise<MatchHit[]> {
    if (!mayPerform(principal, "entity:read")) throw new NotFoundOrNoAccessError();
    return this.search(principal, this.queryRecord(input, `user:${principal.username}`), options);
  }

  /** The node's records that may be `query`, as this user may see them (see `searchVisible`). */
  async search(principal: Principal, query: MatchRecord, options: MatchOptions = {}): Promise<MatchHit[]> {
    if (!mayPerform(principal, "entity:read")) throw new NotFoundOrNoAccessError();
    return this.searchVisible(query, (entity) => visibleEntity(principal, entity), options);
  }

  /**
   * The node's records that may be `query`, best first. Each candidate is scored again on what `view` leaves of
   * it (the statements a user may read, or that may be released to a partner), so a score never reflects a value
   * the asker could not see; records of which nothing is left are absent.
   */
  async searchVisible(query: MatchRecord, view: Viewer, options: MatchOptions = {}): Promise<MatchHit[]> {
    await this.ready();
    const threshold = options.threshold ?? 0.5;
    const limit = options.limit ?? 20;
    const prepared = prepareRecord({ ...query, ...(query.country ? {} : { country: this.country }) });
    const ranked = this.index.query(prepared, Math.max(RESCORE_FLOOR, threshold / 2), Math.max(RESCORED, 2 * limit));
    const entities = await this.repository.getEntities(ranked.map((hit) => hit.id));
    const hits: MatchHit[] = [];
    for (const entity of entities) {
      const visible = view(entity);
      const record = visible && isIndexedSchema(visible.schema) ? matchRecordOf(visible, this.country) : undefined;
      if (!record) continue;
      const score = scorePair(prepared, prepareRecord(record));
      if (score.score >= threshold) hits.push({ id: entity.id, schema: entity.schema, ...score });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}
