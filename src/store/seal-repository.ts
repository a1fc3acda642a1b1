// Seal monitoring's storage: shipments' plans, GPS fixes and seal reads written a batch at a time (each kept once,
// however often a tracker sends it), the alerts raised, and what the monitor reads back to rebuild its state.
import type { Kysely, Selectable } from "kysely";
import type { GpsFixesTable, SealAlertsTable, SealEventsTable, SealShipmentsTable, Tables } from "./tables.ts";

export type ShipmentRow = Selectable<SealShipmentsTable>;
export type FixRow = Selectable<GpsFixesTable>;
export type SealEventRow = Selectable<SealEventsTable>;
export type SealAlertRow = Selectable<SealAlertsTable>;

/** Rows per INSERT: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters at nine columns. */
const INSERT_ROWS = 1_000;
/** Shipment ids per IN list. */
const IDS_PER_QUERY = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class SealRepository {
  constructor(private readonly db: Kysely<Tables>) {}

  /** Keeps a shipment's plan; false when the shipment already has one (plans are not replaced). */
  async addPlan(row: ShipmentRow): Promise<boolean> {
    const result = await this.db
      .insertInto("seal_shipments")
      .values(row)
      .onConflict((oc) => oc.column("shipment_id").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async plans(shipmentIds: readonly string[]): Promise<ShipmentRow[]> {
    const rows: ShipmentRow[] = [];
    for (const ids of chunks(shipmentIds, IDS_PER_QUERY))
      rows.push(...(await this.db.selectFrom("seal_shipments").selectAll().where("shipment_id", "in", ids).execute()));
    return rows;
  }

  /** Plans registered at or after `since`: the shipments a monitor loads when it starts. */
  async plansSince(since: string): Promise<ShipmentRow[]> {
    return this.db.selectFrom("seal_shipments").selectAll().where("created_at", ">=", since).execute();
  }

  /** Writes a batch of fixes in one transaction; fixes already stored are skipped. */
  async addFixes(rows: readonly FixRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const batch of chunks(rows, INSERT_ROWS))
        await trx
          .insertInto("gps_fixes")
          .values(batch)
          .onConflict((oc) => oc.columns(["shipment_id", "time"]).doNothing())
          .execute();
    });
  }

  /** Writes a batch of seal reads in one transaction; reads already stored are skipped. */
  async addEvents(rows: readonly SealEventRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const batch of chunks(rows, INSERT_ROWS))
        await trx
          .insertInto("seal_events")
          .values(batch)
          .onConflict((oc) => oc.columns(["shipment_id", "time", "manufacturer", "serial", "state"]).doNothing())
          .execute();
    });
  }

  /** Keeps alerts; one already kept (same id) changes nothing. */
  async addAlerts(rows: readonly SealAlertRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const batch of chunks(rows, INSERT_ROWS))
        await trx
          .insertInto("seal_alerts")
          .values(batch)
          .onConflict((oc) => oc.column("id").doNothing())
          .execute();
    });
  }

  /** The latest `perShipment` fixes of each shipment, in shipment and time order. */
  async recentFixes(shipmentIds: readonly string[], perShipment: number): Promise<FixRow[]> {
    return (await this.latest("gps_fixes", shipmentIds, perShipment)) as FixRow[];
  }

  /** The latest `perShipment` seal reads of each shipment, in shipment and time order. */
  async recentEvents(shipmentIds: readonly string[], perShipment: number): Promise<SealEventRow[]> {
    return (await this.latest("seal_events", shipmentIds, perShipment)) as SealEventRow[];
  }

  private async latest(
    table: "gps_fixes" | "seal_events",
    shipmentIds: readonly string[],
    perShipment: number,
  ): Promise<Array<FixRow | SealEventRow>> {
    const rows: Array<FixRow | SealEventRow> = [];
    for (const ids of chunks(shipmentIds, IDS_PER_QUERY)) {
      const ranked = await this.db
        .selectFrom((eb) =>
          eb
            .selectFrom(table)
            .selectAll()
            .select((e) =>
              e.fn
                .agg<number>("row_number")
                .over((ob) => ob.partitionBy("shipment_id").orderBy("time", "desc"))
                .as("recency"),
            )
            .where("shipment_id", "in", ids)
            .as("ranked"),
        )
        .selectAll()
        .where("recency", "<=", perShipment)
        .orderBy("shipment_id")
        .orderBy("time")
        .execute();
      for (const { recency: _recency, ...row } of ranked) rows.push(row as FixRow | SealEventRow);
    }
    return rows;
  }

  async alertsOf(shipmentIds: readonly string[]): Promise<SealAlertRow[]> {
    const rows: SealAlertRow[] = [];
    for (const ids of chunks(shipmentIds, IDS_PER_QUERY))
      rows.push(
        ...(await this.db
          .selectFrom("seal_alerts")
          .selectAll()
          .where("shipment_id", "in", ids)
          .orderBy("time")
          .orderBy("id")
          .execute()),
      );
    return rows;
  }

  /** Alerts raised at or after `since`, in the order raised, a page at a time (keyset after the given one). */
  async alertsRaisedSince(
    since: string,
    after: { raisedAt: string; id: string } | undefined,
    limit: number,
  ): Promise<SealAlertRow[]> {
    let query = this.db
      .selectFrom("seal_alerts")
      .selectAll()
      .where("raised_at", ">=", since)
      .orderBy("raised_at")
      .orderBy("id")
      .limit(limit);
    if (after)
      query = query.where((eb) =>
        eb.or([
          eb("raised_at", ">", after.raisedAt),
          eb.and([eb("raised_at", "=", after.raisedAt), eb("id", ">", after.id)]),
        ]),
      );
    return query.execute();
  }
}
