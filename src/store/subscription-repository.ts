// Standing watches: the subscriber's subscriptions and the notices partners sent it, and on the owner the
// partners' watches over its records and the records it already told them of.
import type { Kysely, Selectable } from "kysely";
import type { SubscriptionNoticesTable, SubscriptionsTable, Tables, WatchesTable } from "./tables.ts";

export type Subscription = Selectable<SubscriptionsTable>;
export type SubscriptionNotice = Selectable<SubscriptionNoticesTable>;
export type Watch = Selectable<WatchesTable>;

export class SubscriptionRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  async addSubscription(subscription: Subscription): Promise<void> {
    await this.db.insertInto("subscriptions").values(subscription).execute();
  }

  async subscription(id: string): Promise<Subscription | undefined> {
    return this.db.selectFrom("subscriptions").selectAll().where("id", "=", id).executeTakeFirst();
  }

  async subscriptionsBy(userId: string | undefined): Promise<Subscription[]> {
    let query = this.db.selectFrom("subscriptions").selectAll().orderBy("created_at", "desc").limit(500);
    if (userId !== undefined) query = query.where("created_by", "=", userId);
    return query.execute();
  }

  /** Keeps a notice once; the same notice again changes nothing. */
  async addNotice(notice: SubscriptionNotice): Promise<void> {
    await this.db
      .insertInto("subscription_notices")
      .values(notice)
      .onConflict((oc) => oc.columns(["subscription_id", "owner_node", "reference"]).doNothing())
      .execute();
  }

  async noticesFor(ids: string[]): Promise<SubscriptionNotice[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom("subscription_notices").selectAll().where("subscription_id", "in", ids).execute();
  }

  async addWatch(watch: Watch): Promise<void> {
    await this.db
      .insertInto("watches")
      .values(watch)
      .onConflict((oc) => oc.columns(["subscriber_node", "subscription_id"]).doNothing())
      .execute();
  }

  async activeWatches(now: string): Promise<Watch[]> {
    return this.db.selectFrom("watches").selectAll().where("expires_at", ">", now).execute();
  }

  /** Records that the subscriber was told of this record; false if it already was. */
  async markNoticed(subscriberNode: string, subscriptionId: string, entityId: string, now: string): Promise<boolean> {
    const result = await this.db
      .insertInto("watch_notices")
      .values({
        subscriber_node: subscriberNode,
        subscription_id: subscriptionId,
        entity_id: entityId,
        created_at: now,
      })
      .onConflict((oc) => oc.columns(["subscriber_node", "subscription_id", "entity_id"]).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }
}
