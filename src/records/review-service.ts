// Review and purge (28 CFR Part 23.20(h)): statements reaching their review-by date are listed for a reviewer,
// who either keeps one (with a reason and a new review-by date at most five years from the review) or purges it.
// A purge is a retraction, so it reaches every partner that received the statement through the exchange. The
// reviewer, date and reason go into the audit log.
import type { AuditLog } from "../audit/audit-log.ts";
import { addYears } from "../model/dates.ts";
import { MAX_RETENTION_YEARS, resolveMarkings } from "../model/markings.ts";
import type { Markings, Statement } from "../model/types.ts";
import { mayPerform, type Principal } from "../policy/access.ts";
import type { EntityRepository } from "../store/entity-repository.ts";
import { type EntityService, NotFoundOrNoAccessError, ValidationFailedError } from "./entity-service.ts";

export interface ReviewDecision {
  entityId: string;
  statementId: string;
  decision: "retain" | "purge";
  reason: string;
  /** For "retain": the next review date (default and latest: five years from today). */
  reviewBy?: string;
}

export class ReviewService {
  constructor(
    private readonly repository: EntityRepository,
    private readonly entities: EntityService,
    private readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Statements due for review within `withinDays` days (overdue ones first). */
  async due(principal: Principal, withinDays: number): Promise<Statement[]> {
    if (!mayPerform(principal, "statement:review")) throw new NotFoundOrNoAccessError();
    const until = new Date(this.clock().getTime() + withinDays * 86_400_000).toISOString().slice(0, 10);
    return this.repository.dueForReview(until, 500);
  }

  async decide(principal: Principal, decision: ReviewDecision): Promise<Statement> {
    if (!mayPerform(principal, "statement:review")) throw new NotFoundOrNoAccessError();
    if (!decision.reason.trim())
      throw new ValidationFailedError([
        { path: "reason", code: "reason_required", message: "a review needs a reason" },
      ]);
    const statement = await this.repository.getStatement(decision.entityId, decision.statementId);
    if (!statement || statement.retractedAt) throw new NotFoundOrNoAccessError();
    const today = this.clock().toISOString().slice(0, 10);
    let result: Statement;
    if (decision.decision === "purge")
      result = await this.entities.retractStatement(principal, decision.entityId, decision.statementId);
    else {
      const { gradingOrigin: _origin, ...current } = statement.markings;
      const resolved = resolveMarkings(
        [current, { reviewBy: decision.reviewBy ?? addYears(today, MAX_RETENTION_YEARS) }],
        today,
        "markings",
      );
      if (!resolved.markings) throw new ValidationFailedError(resolved.issues);
      await this.repository.updateMarkings(decision.entityId, decision.statementId, resolved.markings as Markings);
      result = (await this.repository.getStatement(decision.entityId, decision.statementId)) as Statement;
    }
    await this.audit.append({
      kind: decision.decision === "purge" ? "review.purged" : "review.retained",
      actor: `user:${principal.userId}`,
      details: {
        entity: decision.entityId,
        statement: decision.statementId,
        reason: decision.reason,
        reviewedOn: today,
        ...(decision.decision === "retain" ? { reviewBy: result.markings.reviewBy } : {}),
      },
    });
    return result;
  }
}
