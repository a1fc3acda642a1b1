// Messages that must reach a partner (releases, decisions, later retractions): stored first, then delivered over
// the signed transport, and retried with growing pauses until the partner acknowledges. Receivers treat a
// message they already have as done, so a retry after a lost acknowledgement is harmless.
import { randomUUID } from "node:crypto";
import type { OutboxRepository } from "../store/outbox-repository.ts";
import { afterCommitOf, type TransactionScopes } from "../store/transaction-scope.ts";
import { callPartner } from "./client.ts";
import type { Federation } from "./federation.ts";

const DELIVERY_DEADLINE_MS = 5000;
const FIRST_RETRY_MS = 5000;
const LONGEST_RETRY_MS = 3_600_000;

export class Outbox {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly repository: OutboxRepository,
    private readonly federation: Federation,
    private readonly clock: () => Date = () => new Date(),
    /** The database's transaction scopes: a message stored inside one is tried once the scope commits. */
    private readonly transactions?: TransactionScopes,
  ) {}

  /**
   * Stores a message for `destination` and tries to deliver it at once, or, inside a transaction, once it commits (a
   * message whose transaction rolls back was never sent).
   */
  async send(destination: string, path: string, body: unknown): Promise<string> {
    const id = randomUUID();
    await this.repository.add({ id, destination, path, body: JSON.stringify(body) }, this.clock().toISOString());
    await afterCommitOf(this.transactions, () => {
      this.deliverDue().catch(() => {
        // stays due: the next pass tries again
      });
    });
    return id;
  }

  /** Delivers every message that is due; one pass at a time. */
  deliverDue(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    for (const message of await this.repository.due(this.clock().toISOString(), 100)) {
      const partner = this.federation.member(message.destination);
      const outcome = partner
        ? await callPartner(
            this.federation,
            partner,
            message.path,
            JSON.parse(message.body),
            DELIVERY_DEADLINE_MS,
            this.clock,
          )
        : { status: "error" as const, detail: `${message.destination} is not a member` };
      const now = this.clock();
      if (outcome.status === "ok") await this.repository.delivered(message.id, now.toISOString());
      else {
        const attempts = message.attempts + 1;
        const pause = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
        const detail = outcome.detail;
        await this.repository.failed(message.id, attempts, new Date(now.getTime() + pause).toISOString(), detail);
      }
    }
  }

  watch(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => {
      this.deliverDue().catch(() => {
        // retried at the next tick
      });
    }, intervalMs);
    this.timer.unref();
  }

  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return this.running ?? Promise.resolve();
  }
}
