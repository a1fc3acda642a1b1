// The link chart and the timeline of one record, as the asking user may see them. Every entity is read through the
// same check as GET /api/v1/entities/{id} (visibleEntity): statements the user may not read are not there, an entity
// with none left is not there, and links are drawn only from live (unretracted) statements the user may read. A
// relation with two ends (Associate, Family, Ownership, Membership, Payment, …) becomes one edge between its ends.
// Details partners released to the user, which are kept apart from the node's records, join the chart as nodes of
// their own where they may be a person in it or share an identifier with a record in it.

import { isIndexedSchema, matchRecordOf } from "../matching/entity-records.ts";
import { type PreparedRecord, prepareRecord } from "../matching/prepare.ts";
import { BANDS, scorePair } from "../matching/scoring.ts";
import { getSchema, isA } from "../model/schema.ts";
import type { Entity, Statement } from "../model/types.ts";
import { mayPerform, type Principal, visibleEntity } from "../policy/access.ts";
import type { EntityRepository } from "../store/entity-repository.ts";
import { type NodeIdentity, NotFoundOrNoAccessError } from "./entity-service.ts";

/** How far from the record a chart reaches, and how many nodes it holds at most. */
export const MAX_DEPTH = 2;
export const MAX_NODES = 200;
/** Entities naming the records of one step that are read at most; a hub (a busy port, a big case) is cut there. */
const REFERENCES_PER_STEP = 2_000;
/** Events a timeline lists at most. */
export const MAX_EVENTS = 500;
/** Ids per read from the store. */
const READ_BATCH = 1_000;

export interface GraphNode {
  id: string;
  schema: string;
  caption: string;
  latitude?: number;
  longitude?: number;
  date?: string;
  /** A record a partner released to this user (not one of this node's records). */
  released?: true;
  /** For a released record: the node that owns it, and the release it came in. */
  owner?: string;
  releaseId?: string;
}

export interface GraphEdge {
  source: string;
  target: string;
  /** The property that links them ("owner", "holder", "involved", …), the relation's schema ("Associate", …), or
   * for a released record "match", "possible-match" or "same-identifier". */
  label: string;
  /** For an edge drawn from a relation: the relation's own entity id. */
  relation?: string;
  /** For a released record's match: the matching score. */
  score?: number;
}

export interface Neighbourhood {
  root: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Whether nodes were left out to keep the chart within MAX_NODES (or a hub's references were cut). */
  truncated: boolean;
}

export interface TimelineEvent {
  id: string;
  eventType?: string;
  date?: string;
  port?: string;
  location?: string;
  latitude?: number;
  longitude?: number;
  summary?: string;
  /** The vehicle through which the event involves the record, when it does not involve the record itself. */
  via?: string;
}

/** A record a partner released to the user, its statements those the user may read, values in canonical form. */
export interface ReleasedRecord {
  releaseId: string;
  owner: string;
  /** The owner's country, which reads phones and identifiers written without one. */
  ownerCountry: string;
  reference: string;
  schema: string;
  issuedAt: string;
  statements: Statement[];
}

/** The records partners released to this user in answer to the user's own requests. */
export type ReleasedRecords = (principal: Principal) => Promise<ReleasedRecord[]>;

const NAME_PARTS = ["firstName", "secondName", "middleName", "lastName"];
const DATE_PROPERTIES = ["date", "startDate"];
const IDENTIFYING_TYPES = new Set(["identifier", "phone", "email"]);

/** The live values of one property. */
function valuesOf(entity: Entity, property: string): string[] {
  return entity.statements.filter((s) => s.property === property && !s.retractedAt).map((s) => s.value);
}

const first = (entity: Entity, property: string): string | undefined => valuesOf(entity, property)[0];

/** Code-unit order, the same on every machine (ids and labels are ASCII in practice). */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The links an entity draws: its live values of entity-typed properties. */
function linksOf(entity: Entity): Array<{ property: string; target: string }> {
  const schema = getSchema(entity.schema);
  if (!schema) return [];
  return entity.statements
    .filter((s) => !s.retractedAt && schema.properties.get(s.property)?.type === "entity")
    .map((s) => ({ property: s.property, target: s.value }));
}

/** For a relation with two ends, each (source, target) pair its live values name; undefined for other entities. */
function relationEnds(entity: Entity): Array<[string, string]> | undefined {
  const edge = getSchema(entity.schema)?.edge;
  if (!edge) return undefined;
  const targets = valuesOf(entity, edge.target);
  return valuesOf(entity, edge.source).flatMap((source) => targets.map((target): [string, string] => [source, target]));
}

/**
 * What a chart shows of an entity: its name (or number, plate, address…); empty when it has none the user may read,
 * so that the client names the schema in the user's language.
 */
export function captionOf(entity: Entity): string {
  const schema = getSchema(entity.schema);
  for (const property of schema?.caption ?? ["name"]) {
    if (NAME_PARTS.includes(property)) {
      const parts = NAME_PARTS.map((part) => first(entity, part)).filter((part): part is string => !!part);
      if (parts.length > 0) return parts.join(" ");
      continue;
    }
    const value = first(entity, property);
    if (value) return value;
  }
  return "";
}

function coordinate(entity: Entity, property: string, limit: number): number | undefined {
  const text = first(entity, property);
  const value = Number(text);
  return text !== undefined && text.trim() !== "" && Number.isFinite(value) && Math.abs(value) <= limit
    ? value
    : undefined;
}

function nodeOf(entity: Entity): GraphNode {
  const node: GraphNode = { id: entity.id, schema: entity.schema, caption: captionOf(entity) };
  const latitude = coordinate(entity, "latitude", 90);
  const longitude = coordinate(entity, "longitude", 180);
  if (latitude !== undefined && longitude !== undefined) Object.assign(node, { latitude, longitude });
  const date = DATE_PROPERTIES.map((property) => first(entity, property)).find((value) => value !== undefined);
  if (date !== undefined) node.date = date;
  return node;
}

/** The chart being built: its nodes (at most `maxNodes`) and edges, each edge drawn once. */
class Chart {
  readonly entities = new Map<string, Entity>();
  readonly released: Array<{ node: GraphNode; edges: GraphEdge[] }> = [];
  private readonly edges = new Map<string, GraphEdge>();
  truncated = false;

  constructor(
    readonly root: Entity,
    private readonly maxNodes: number,
  ) {
    this.entities.set(root.id, root);
  }

  get size(): number {
    return this.entities.size + this.released.length;
  }

  has(id: string): boolean {
    return this.entities.has(id);
  }

  /** Adds an entity as a node unless the chart is full; says whether it is in the chart now. */
  add(entity: Entity): boolean {
    if (this.entities.has(entity.id)) return true;
    if (this.size >= this.maxNodes) {
      this.truncated = true;
      return false;
    }
    this.entities.set(entity.id, entity);
    return true;
  }

  addRelease(node: GraphNode, edges: GraphEdge[]): boolean {
    if (this.size >= this.maxNodes) {
      this.truncated = true;
      return false;
    }
    this.released.push({ node, edges });
    return true;
  }

  edge(edge: GraphEdge): void {
    const key = [edge.source, edge.target, edge.label, edge.relation ?? ""].join("\u0000");
    if (!this.edges.has(key)) this.edges.set(key, edge);
  }

  /** Every link a node draws to another node of the chart. */
  linkNodes(): void {
    for (const entity of this.entities.values())
      for (const { property, target } of linksOf(entity))
        if (target !== entity.id && this.entities.has(target))
          this.edge({ source: entity.id, target, label: property });
  }

  /** The root first, then the other nodes by id, then released records; edges by source, target and label. */
  result(): Neighbourhood {
    const [root, ...others] = [...this.entities.values()].map(nodeOf);
    const edges = [...this.edges.values(), ...this.released.flatMap((release) => release.edges)];
    return {
      root: this.root.id,
      nodes: [
        ...(root ? [root] : []),
        ...others.sort((a, b) => compare(a.id, b.id)),
        ...this.released.map((release) => release.node),
      ],
      edges: edges.sort(
        (a, b) => compare(a.source, b.source) || compare(a.target, b.target) || compare(a.label, b.label),
      ),
      truncated: this.truncated,
    };
  }
}

export class GraphService {
  constructor(
    private readonly repository: EntityRepository,
    private readonly node: NodeIdentity,
    private readonly releases?: ReleasedRecords,
  ) {}

  /** The record as GET /api/v1/entities/{id} shows it to this user, or "not found or no access". */
  private async visibleRoot(principal: Principal, id: string): Promise<Entity> {
    if (!mayPerform(principal, "entity:read")) throw new NotFoundOrNoAccessError();
    const entity = visibleEntity(principal, await this.repository.getEntity(id));
    if (!entity) throw new NotFoundOrNoAccessError();
    return entity;
  }

  /** These entities as the user may see them (absent: missing, or nothing of it readable), by id. */
  private async visible(principal: Principal, ids: Iterable<string>): Promise<Map<string, Entity>> {
    const wanted = [...new Set(ids)];
    const found = new Map<string, Entity>();
    for (let start = 0; start < wanted.length; start += READ_BATCH)
      for (const entity of await this.repository.getEntities(wanted.slice(start, start + READ_BATCH))) {
        const visible = visibleEntity(principal, entity);
        if (visible) found.set(visible.id, visible);
      }
    return found;
  }

  /** Entities (as the user may see them) that may name these ids; `cut` is told when a hub was cut short. */
  private async naming(principal: Principal, ids: string[], cut: () => void): Promise<Map<string, Entity>> {
    const referencing = await this.repository.referencingEntityIds(ids, REFERENCES_PER_STEP);
    if (referencing.length >= REFERENCES_PER_STEP) cut();
    return this.visible(principal, referencing);
  }

  /**
   * The record and what is linked to it, `depth` steps out (1 or 2): the entities it names, those that name it, and
   * the far ends of relations it is an end of, each only if the user may read something of it. Released records of
   * the user's own requests join where they may be a person of the chart or share an identifier with a record in it.
   */
  async neighbourhood(principal: Principal, id: string, depth = 1, maxNodes = MAX_NODES): Promise<Neighbourhood> {
    const chart = new Chart(await this.visibleRoot(principal, id), maxNodes);
    let frontier = [chart.root];
    for (let step = 0; step < Math.min(depth, MAX_DEPTH) && frontier.length > 0; step++)
      frontier = await this.step(principal, chart, frontier);
    chart.linkNodes();
    await this.addReleases(principal, chart);
    return chart.result();
  }

  /** One step out from `frontier`; returns the entities it added to the chart. */
  private async step(principal: Principal, chart: Chart, frontier: Entity[]): Promise<Entity[]> {
    const inFrontier = new Set(frontier.map((entity) => entity.id));
    const named = new Set(frontier.flatMap((entity) => linksOf(entity).map((link) => link.target)));
    const cut = () => {
      chart.truncated = true;
    };
    const near = await this.visible(
      principal,
      [...named].filter((target) => !chart.has(target)),
    );
    // Only what names the frontier in a statement the user may read: a hidden link is no link.
    for (const [nearId, entity] of await this.naming(principal, [...inFrontier], cut))
      if (!chart.has(nearId) && linksOf(entity).some((link) => inFrontier.has(link.target))) near.set(nearId, entity);

    // A relation naming the frontier through one of its ends is an edge to its other end, not a node of its own.
    const relations: Array<{ relation: Entity; ends: Array<[string, string]> }> = [];
    const neighbours: Entity[] = [];
    for (const entity of [...near.values()].sort((a, b) => compare(a.id, b.id))) {
      const ends = relationEnds(entity)?.filter(([s, t]) => inFrontier.has(s) || inFrontier.has(t));
      if (ends && ends.length > 0 && !named.has(entity.id)) relations.push({ relation: entity, ends });
      else neighbours.push(entity);
    }
    const farIds = relations.flatMap(({ ends }) => ends.map(([s, t]) => (inFrontier.has(s) ? t : s)));
    const far = await this.visible(
      principal,
      farIds.filter((farId) => !chart.has(farId) && !near.has(farId)),
    );
    const lookup = (entityId: string) => chart.entities.get(entityId) ?? near.get(entityId) ?? far.get(entityId);

    const added: Entity[] = [];
    const add = (entity: Entity) => {
      const isNew = !chart.has(entity.id);
      if (chart.add(entity) && isNew) added.push(entity);
      return chart.has(entity.id);
    };
    for (const { relation, ends } of relations) {
      let drawn = false;
      for (const [source, target] of ends) {
        const otherId = inFrontier.has(source) ? target : source;
        const other = lookup(otherId);
        if (!other || !add(other)) continue;
        chart.edge({ source, target, label: relation.schema, relation: relation.id });
        drawn = true;
      }
      // A relation whose other end the user may not see is shown as itself, linked to the end they may see.
      if (!drawn) add(relation);
    }
    for (const entity of neighbours) add(entity);
    return added;
  }

  /** The user's released records that may be a person of the chart, or share an identifier with a record in it. */
  private async addReleases(principal: Principal, chart: Chart): Promise<void> {
    if (!this.releases) return;
    const records = await this.releases(principal);
    if (records.length === 0) return;
    const prepared = new Map<string, PreparedRecord | undefined>();
    const preparedOf = (entity: Entity) => {
      if (!prepared.has(entity.id)) {
        const record = matchRecordOf(entity, this.node.country);
        prepared.set(entity.id, record ? prepareRecord(record) : undefined);
      }
      return prepared.get(entity.id);
    };
    const locals = [...chart.entities.values()];
    for (const record of records) {
      const entity: Entity = {
        id: `release:${record.releaseId}`,
        schema: record.schema,
        statements: record.statements,
      };
      const edges: GraphEdge[] = [];
      if (isIndexedSchema(record.schema)) {
        const query = matchRecordOf(entity, record.ownerCountry);
        const mine = query ? prepareRecord(query) : undefined;
        for (const local of locals) {
          const theirs = local.schema === record.schema && mine ? preparedOf(local) : undefined;
          // The bound only prunes hopeless pairs: a pair that was scored may still fall below the possible band.
          const score = theirs && mine ? scorePair(mine, theirs, BANDS.possible) : undefined;
          if (score && score.band !== "no-match")
            edges.push({
              source: entity.id,
              target: local.id,
              label: score.band === "match" ? "match" : "possible-match",
              score: Math.round(score.score * 1000) / 1000,
            });
        }
      } else {
        const identifiers = identifyingValues(entity);
        for (const local of locals)
          if (local.schema === record.schema && [...identifyingValues(local)].some((value) => identifiers.has(value)))
            edges.push({ source: entity.id, target: local.id, label: "same-identifier" });
      }
      if (edges.length === 0) continue;
      const node: GraphNode = {
        ...nodeOf(entity),
        released: true,
        owner: record.owner,
        releaseId: record.releaseId,
      };
      if (!chart.addRelease(node, edges)) break;
    }
  }

  /**
   * Events involving the record, and for a person or organisation, events involving the vehicles they own or
   * operate; in date order (events without a date the user may read last).
   */
  async timeline(principal: Principal, id: string): Promise<TimelineEvent[]> {
    const root = await this.visibleRoot(principal, id);
    const cut = () => {};
    const naming = await this.naming(principal, [root.id], cut);
    const via = new Map<string, string | undefined>([[root.id, undefined]]);
    if (isA(root.schema, "LegalEntity")) {
      const vehicles = new Set<string>();
      const owned = new Set<string>();
      for (const entity of naming.values()) {
        if (isA(entity.schema, "Vehicle") && ["owner", "operator"].some((p) => valuesOf(entity, p).includes(root.id)))
          vehicles.add(entity.id);
        if (entity.schema === "Ownership" && valuesOf(entity, "owner").includes(root.id))
          for (const asset of valuesOf(entity, "asset")) owned.add(asset);
      }
      for (const asset of (await this.visible(principal, owned)).values())
        if (isA(asset.schema, "Vehicle")) vehicles.add(asset.id);
      for (const vehicle of vehicles) via.set(vehicle, vehicle);
    }
    const vehicleIds = [...via.keys()].filter((key) => key !== root.id);
    const candidates = new Map(naming);
    if (vehicleIds.length > 0)
      for (const [eventId, entity] of await this.naming(principal, vehicleIds, cut)) candidates.set(eventId, entity);
    const events: TimelineEvent[] = [];
    for (const entity of candidates.values()) {
      if (!isA(entity.schema, "Event")) continue;
      const involved = valuesOf(entity, "involved").filter((value) => via.has(value));
      if (involved.length === 0) continue;
      events.push(eventOf(entity, involved.includes(root.id) ? undefined : via.get(involved[0] as string)));
    }
    return events
      .sort((a, b) => {
        if (a.date === b.date) return compare(a.id, b.id);
        return a.date === undefined ? 1 : b.date === undefined ? -1 : compare(a.date, b.date);
      })
      .slice(0, MAX_EVENTS);
  }
}

/** Canonical values of an entity's identifiers, phones and e-mail addresses, by type. */
function identifyingValues(entity: Entity): Set<string> {
  const schema = getSchema(entity.schema);
  const values = new Set<string>();
  for (const statement of entity.statements) {
    const type = schema?.properties.get(statement.property)?.type;
    if (!statement.retractedAt && type && IDENTIFYING_TYPES.has(type)) values.add(`${type}\u0000${statement.value}`);
  }
  return values;
}

function eventOf(entity: Entity, via: string | undefined): TimelineEvent {
  const event: TimelineEvent = { id: entity.id };
  for (const key of ["eventType", "port", "location"] as const) {
    const value = first(entity, key);
    if (value !== undefined) event[key] = value;
  }
  const date = first(entity, "date") ?? first(entity, "startDate");
  if (date !== undefined) event.date = date;
  const summary = first(entity, "summary") ?? first(entity, "description");
  if (summary !== undefined) event.summary = summary;
  const latitude = coordinate(entity, "latitude", 90);
  const longitude = coordinate(entity, "longitude", 180);
  if (latitude !== undefined && longitude !== undefined) Object.assign(event, { latitude, longitude });
  if (via !== undefined) event.via = via;
  return event;
}
