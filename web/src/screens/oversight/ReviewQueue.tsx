// The review queue (28 CFR Part 23.20(h)): statements reaching their review-by date, overdue first, with their
// markings; a supervisor keeps one (with a reason and the next review date) or purges it, which retracts it at
// every partner that received it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, Fragment, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Statement } from "../../../../src/model/types.ts";
import { api } from "../../api.ts";
import { Choice } from "../../components/Choice.tsx";
import { FormProblem } from "../../components/FormProblem.tsx";
import { Markings } from "../../components/Markings.tsx";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";
import { href } from "../../router.ts";
import { useSession } from "../../session.tsx";

type Decision = "retain" | "purge";

const DEFAULT_DAYS = 30;

/** A statement's schema and property in the user's language (the model namespace names them all). */
function useModelLabels() {
  const { t } = useTranslation("model");
  return {
    property: (statement: Statement) => t(`property.${statement.property}`, { defaultValue: statement.property }),
    schema: (statement: Statement) => t(`schema.${statement.schema}`, { defaultValue: statement.schema }),
  };
}

function DecisionForm({
  statement,
  onDone,
  onCancel,
}: {
  statement: Statement;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("oversight");
  const format = useFormat();
  const queries = useQueryClient();
  const property = useModelLabels().property(statement);
  const [decision, setDecision] = useState<Decision>("retain");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const decide = useMutation({
    mutationFn: (body: { decision: Decision; reason: string; reviewBy?: string }) =>
      api<Statement>("/api/v1/review/decision", {
        body: { entityId: statement.entityId, statementId: statement.id, ...body },
      }),
    onSuccess: (result, body) => {
      void queries.invalidateQueries({ queryKey: ["review"] });
      onDone(
        body.decision === "purge"
          ? t("purgedMessage", { property, id: statement.entityId })
          : t("retainedMessage", {
              property,
              id: statement.entityId,
              date: format.date(result.markings.reviewBy),
            }),
      );
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const reviewBy = String(form.get("reviewBy") ?? "");
    decide.mutate({
      decision,
      reason: String(form.get("reason") ?? "").trim(),
      ...(decision === "retain" && reviewBy ? { reviewBy } : {}),
    });
  };
  const titleId = `decide-${statement.id}`;
  return (
    <form className="stack review-decision" onSubmit={submit} aria-labelledby={titleId}>
      <h3 id={titleId} ref={heading} tabIndex={-1}>
        {t("decideTitle", { property, id: statement.entityId })}
      </h3>
      <fieldset>
        <legend>{t("decisionLegend")}</legend>
        <Choice
          type="radio"
          name="decision"
          value="retain"
          checked={decision === "retain"}
          onChange={() => setDecision("retain")}
        >
          {t("decision.retain")}
        </Choice>
        <Choice
          type="radio"
          name="decision"
          value="purge"
          checked={decision === "purge"}
          onChange={() => setDecision("purge")}
        >
          {t("decision.purge")}
        </Choice>
      </fieldset>
      <label>
        {t("reason")}
        <textarea name="reason" required maxLength={2000} rows={3} />
      </label>
      {decision === "retain" ? (
        <label>
          {t("nextReview")}
          <input name="reviewBy" type="date" aria-describedby={`${titleId}-hint`} />
          <span id={`${titleId}-hint`} className="hint">
            {t("nextReviewHint")}
          </span>
        </label>
      ) : (
        <p className="notice">{t("purgeWarning")}</p>
      )}
      <FormProblem error={decide.error} ns="oversight" />
      <div className="row">
        <button type="submit" className={decision === "purge" ? "danger" : undefined} disabled={decide.isPending}>
          {decision === "purge" ? t("purge") : t("retain")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("common:cancel")}
        </button>
      </div>
    </form>
  );
}

export function ReviewQueue() {
  const { t } = useTranslation("oversight");
  const format = useFormat();
  const session = useSession();
  const model = useModelLabels();
  const canDecide = session.hasRole("supervisor");
  const [withinDays, setWithinDays] = useState(DEFAULT_DAYS);
  const [open, setOpen] = useState<string>();
  const [message, setMessage] = useState<string>();
  const due = useQuery({
    queryKey: ["review", withinDays],
    queryFn: () => api<{ statements: Statement[] }>(`/api/v1/review?withinDays=${withinDays}`),
  });
  const today = new Date().toISOString().slice(0, 10);
  const columns = canDecide ? 6 : 5;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const days = Number(new FormData(event.currentTarget).get("withinDays"));
    if (Number.isInteger(days) && days >= 0) setWithinDays(days);
  };
  return (
    <section aria-labelledby="review-title">
      <h2 id="review-title">{t("reviewTitle")}</h2>
      <p className="hint">{t("reviewHint")}</p>
      <form className="row" onSubmit={submit}>
        <label>
          {t("withinDays")}
          <input name="withinDays" type="number" min={0} max={3650} defaultValue={DEFAULT_DAYS} required />
        </label>
        <button type="submit">{t("showDue")}</button>
      </form>
      <div role="status">{message && <p className="status-ok">{message}</p>}</div>
      <ProblemMessage error={due.error} />
      {due.isPending && <p>{t("common:loading")}</p>}
      {due.data?.statements.length === 0 && <p>{t("nothingDue", { days: format.number(withinDays) })}</p>}
      {due.data && due.data.statements.length > 0 && (
        <table>
          <caption className="visually-hidden">{t("reviewTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("record")}</th>
              <th scope="col">{t("property")}</th>
              <th scope="col">{t("value")}</th>
              <th scope="col">{t("common:markings")}</th>
              <th scope="col">{t("reviewByColumn")}</th>
              {canDecide && <th scope="col">{t("action")}</th>}
            </tr>
          </thead>
          <tbody>
            {due.data.statements.map((statement) => {
              const key = `${statement.entityId}/${statement.id}`;
              return (
                <Fragment key={key}>
                  <tr>
                    <td>
                      <a href={href("entity", statement.entityId)}>{statement.entityId}</a>
                      <br />
                      <span className="hint">{model.schema(statement)}</span>
                    </td>
                    <td>{model.property(statement)}</td>
                    <td>{statement.value}</td>
                    <td>
                      <Markings markings={statement.markings} />
                    </td>
                    <td>
                      {format.date(statement.markings.reviewBy)}
                      {statement.markings.reviewBy < today && (
                        <>
                          <br />
                          <span className="badge overdue">{t("overdue")}</span>
                        </>
                      )}
                    </td>
                    {canDecide && (
                      <td>
                        <button
                          type="button"
                          className="secondary"
                          aria-expanded={open === key}
                          aria-label={t("reviewLabel", { property: model.property(statement), id: statement.entityId })}
                          onClick={() => {
                            setMessage(undefined);
                            setOpen(open === key ? undefined : key);
                          }}
                        >
                          {t("reviewButton")}
                        </button>
                      </td>
                    )}
                  </tr>
                  {open === key && (
                    <tr>
                      <td colSpan={columns}>
                        <DecisionForm
                          statement={statement}
                          onCancel={() => setOpen(undefined)}
                          onDone={(text) => {
                            setOpen(undefined);
                            setMessage(text);
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
