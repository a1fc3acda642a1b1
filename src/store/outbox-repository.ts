// The outbox's rows: messages to partner nodes kept until acknowledged, and when to try each again.
import type { Kysely, Selectable } from "kysely";
import type { OutboxTable, Tables } from "./tables.ts";

export type OutboxMessage = Selectable<OutboxTable>;

export class OutboxRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async add(message: { id: string; destination: string; path: string; body: string }, now: string): Promise<void> {
    await this.db
      .insertInto("outbox")
      .values({ ...message, attempts: 0, next_attempt_at: now, delivered_at: null, last_error: null, created_at: now })
      .execute();
  }

  async due(now: string, limit: number): Promise<OutboxMessage[]> {
    return this.db
      .selectFrom("outbox")
      .selectAll()
      .where("delivered_at", "is", null)
      .where("next_attempt_at", "<=", now)
      .orderBy("next_attempt_at")
      .limit(limit)
      .execute();
  }

  async delivered(id: string, now: string): Promise<void> {
    await this.db.updateTable("outbox").set({ delivered_at: now }).where("id", "=", id).execute();
  }

  async failed(id: string, attempts: number, nextAttemptAt: string, error: string): Promise<void> {
    await this.db
      .updateTable("outbox")
      .set({ attempts, next_attempt_at: nextAttemptAt, last_error: error })
      .where("id", "=", id)
      .execute();
  }

  async pending(): Promise<OutboxMessage[]> {
    return this.db.selectFrom("outbox").selectAll().where("delivered_at", "is", null).orderBy("created_at").execute();
  }
}
