// The node's own records: create, read, list, re-mark, retract and delete, each checked by the access module.
// Anything the user may not see is reported exactly like something that does not exist.

import { resolveMarkings } from "../model/markings.ts";
import type {
  Entity,
  EntityInput,
  Markings,
  MarkingsInput,
  Statement,
  ValidationIssue,
  ValueInput,
} from "../model/types.ts";
import { buildEntity, type RecordContext } from "../model/validate.ts";
import { mayPerform, mayReadStatement, type Principal, visibleEntity } from "../policy/access.ts";
import type { Action } from "../policy/roles.ts";
import { type EntityRepository, SchemaConflictError } from "../store/entity-repository.ts";

export class NotFoundOrNoAccessError extends Error {
  constructor() {
    super("not found or no access");
  }
}

export class ValidationFailedError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(`validation failed: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`);
  }
}

export interface NodeIdentity {
  nodeId: string;
  country: string;
  defaultMarkings: MarkingsInput;
}

/** What may follow changes to the node's records. */
export interface RecordListener {
  changed?(entityId: string): Promise<void>;
  retracted?(entityId: string, statementId: string): Promise<void>;
  purged?(entityId: string): Promise<void>;
}

export interface EntityPage {
  entities: Entity[];
  /** Pass as `after` for the next page; absent on the last page. */
  next?: string;
}

function markingsAsInput(markings: Markings): MarkingsInput {
  const { gradingOrigin: _origin, ...rest } = markings;
  return rest;
}

export class EntityService {
  /**
   * `listeners` hear of every entity this service wrote, retracted from or purged: the node's matching index
   * follows them, and the exchange passes retractions and purges on to every partner that received the data.
   */
  constructor(
    private readonly repository: EntityRepository,
    private readonly node: NodeIdentity,
    private readonly clock: () => Date = () => new Date(),
    private readonly listeners: RecordListener[] = [],
  ) {}

  private async tell(event: (listener: RecordListener) => Promise<void> | undefined): Promise<void> {
    for (const listener of this.listeners) await event(listener);
  }

  private require(principal: Principal, action: Action): void {
    if (!mayPerform(principal, action)) throw new NotFoundOrNoAccessError();
  }

  private context(principal: Principal): RecordContext {
    return {
      nodeId: this.node.nodeId,
      country: this.node.country,
      defaultMarkings: this.node.defaultMarkings,
      recordedBy: `user:${principal.username}`,
      recordedAt: this.clock().toISOString(),
    };
  }

  /** Records an entity's statements; statements for an existing entity of the same schema are added to it. */
  async saveEntity(principal: Principal, input: EntityInput): Promise<Entity> {
    this.require(principal, "entity:write");
    const built = buildEntity(input, this.context(principal));
    if (!built.ok) throw new ValidationFailedError(built.issues);
    try {
      await this.repository.saveEntities([built.entity], this.clock().toISOString());
      await this.tell((l) => l.changed?.(built.entity.id));
    } catch (error) {
      if (error instanceof SchemaConflictError)
        throw new ValidationFailedError([
          { path: "id", code: "id_unavailable", message: "this id cannot be used for this schema" },
        ]);
      throw error;
    }
    return this.getEntity(principal, built.entity.id);
  }

  async getEntity(principal: Principal, id: string): Promise<Entity> {
    this.require(principal, "entity:read");
    const entity = visibleEntity(principal, await this.repository.getEntity(id));
    if (!entity) throw new NotFoundOrNoAccessError();
    return entity;
  }

  async listEntities(
    principal: Principal,
    options: { schema?: string; after?: string; limit: number },
  ): Promise<EntityPage> {
    this.require(principal, "entity:read");
    const scanned = await this.repository.listEntities(options);
    const entities = scanned.map((entity) => visibleEntity(principal, entity)).filter((e): e is Entity => !!e);
    const last = scanned.at(-1);
    return scanned.length === options.limit && last ? { entities, next: last.id } : { entities };
  }

  async addStatement(principal: Principal, entityId: string, property: string, value: ValueInput): Promise<Entity> {
    const entity = await this.getEntity(principal, entityId);
    return this.saveEntity(principal, { id: entity.id, schema: entity.schema, properties: { [property]: [value] } });
  }

  private async readableStatement(principal: Principal, entityId: string, id: string): Promise<Statement> {
    const statement = await this.repository.getStatement(entityId, id);
    if (!statement || !mayReadStatement(principal, statement)) throw new NotFoundOrNoAccessError();
    return statement;
  }

  async getStatement(principal: Principal, entityId: string, id: string): Promise<Statement> {
    this.require(principal, "entity:read");
    return this.readableStatement(principal, entityId, id);
  }

  async retractStatement(principal: Principal, entityId: string, id: string): Promise<Statement> {
    this.require(principal, "statement:retract");
    await this.readableStatement(principal, entityId, id);
    await this.repository.retractStatement(entityId, id, this.clock().toISOString());
    await this.tell((l) => l.changed?.(entityId));
    await this.tell((l) => l.retracted?.(entityId, id));
    return this.readableStatement(principal, entityId, id);
  }

  /** Changes a statement's markings; the result must still be readable by the person who changed it. */
  async remarkStatement(
    principal: Principal,
    entityId: string,
    id: string,
    changes: MarkingsInput,
  ): Promise<Statement> {
    this.require(principal, "statement:remark");
    const statement = await this.readableStatement(principal, entityId, id);
    const resolved = resolveMarkings(
      [markingsAsInput(statement.markings), changes],
      statement.recordedAt.slice(0, 10),
      "markings",
    );
    if (!resolved.markings) throw new ValidationFailedError(resolved.issues);
    await this.repository.updateMarkings(entityId, id, resolved.markings);
    return this.readableStatement(principal, entityId, id);
  }

  async deleteEntity(principal: Principal, id: string): Promise<void> {
    this.require(principal, "entity:delete");
    await this.getEntity(principal, id);
    await this.repository.deleteEntity(id);
    await this.tell((l) => l.changed?.(id));
    await this.tell((l) => l.purged?.(id));
  }
}
