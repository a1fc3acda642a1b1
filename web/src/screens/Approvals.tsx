// The owner's approvals (supervisors): partners' requests for this node's records, overdue ones first, each with
// the requesting node, the requesting user's assertion (agency, purpose, case reference, justification, urgency),
// its response clock, the record asked for with its values and markings, and the decision: approve, approve with
// properties withheld (the API redacts by property name), or deny with a reason. A decided request leaves the queue.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Entity, Statement } from "../../../src/model/types.ts";
import { api } from "../api.ts";
import { Choice } from "../components/Choice.tsx";
import { FormProblem } from "../components/FormProblem.tsx";
import { Markings } from "../components/Markings.tsx";
import { ProblemMessage } from "../components/ProblemMessage.tsx";
import { useFormat } from "../format.ts";
import { href } from "../router.ts";
import { isOverdue, ResponseClock, useNow } from "./requests/clock.tsx";
import { assertionOf, type IncomingRequest, propertyLabel } from "./requests/model.ts";
import "./requests/requests.css";

const QUEUE = ["requests", "incoming"];

type Mode = "approve" | "redact" | "deny";
const MODES: Mode[] = ["approve", "redact", "deny"];

export function Approvals(_props: { params: string[]; query: URLSearchParams }) {
  const { t } = useTranslation("requests");
  const now = useNow();
  const [confirmation, setConfirmation] = useState("");
  const queue = useQuery({
    queryKey: QUEUE,
    queryFn: () => api<{ requests: IncomingRequest[] }>("/api/v1/requests/incoming"),
    refetchInterval: 60_000,
  });
  const overdue = (request: IncomingRequest) => request.escalated_at !== null || isOverdue(request.due_at, now);
  const ordered = [...(queue.data?.requests ?? [])].sort(
    (a, b) => Number(overdue(b)) - Number(overdue(a)) || a.due_at.localeCompare(b.due_at),
  );
  return (
    <div className="exchange">
      <h1>{t("approvalsTitle")}</h1>
      <p className="muted">{t("approvalsIntro")}</p>
      <p role="status" className={confirmation ? "notice" : undefined}>
        {confirmation}
      </p>
      {queue.isPending && <p>{t("common:loading")}</p>}
      <ProblemMessage error={queue.error} />
      {queue.data && ordered.length === 0 && <p>{t("queueEmpty")}</p>}
      {ordered.map((request) => (
        <IncomingItem
          key={request.id}
          request={request}
          now={now}
          overdue={overdue(request)}
          onDecided={setConfirmation}
        />
      ))}
    </div>
  );
}

function IncomingItem({
  request,
  now,
  overdue,
  onDecided,
}: {
  request: IncomingRequest;
  now: number;
  overdue: boolean;
  onDecided: (confirmation: string) => void;
}) {
  const { t } = useTranslation("requests");
  const format = useFormat();
  const user = assertionOf(request);
  const record = useQuery({
    queryKey: ["approvals", "record", request.entity_id],
    queryFn: () => api<Entity>(`/api/v1/entities/${encodeURIComponent(request.entity_id)}`),
  });
  const byProperty = new Map<string, Statement[]>();
  for (const statement of record.data?.statements ?? [])
    if (!statement.retractedAt)
      byProperty.set(statement.property, [...(byProperty.get(statement.property) ?? []), statement]);
  const titleId = `incoming-${request.id}`;
  return (
    <article className={`panel${overdue ? " overdue" : ""}`} aria-labelledby={titleId}>
      <h2 id={titleId}>
        {overdue && <span className="badge restriction">{t("overdueBadge")}</span>}{" "}
        {t("incomingFrom", { node: request.requester_node, agency: user?.agency ?? request.requester_node })}
      </h2>
      <dl className="facts">
        <dt>{t("field.clock")}</dt>
        <dd>
          <ResponseClock due={request.due_at} now={now} />
          {request.escalated_at && (
            <span className="muted"> · {t("escalatedAt", { date: format.dateTime(request.escalated_at) })}</span>
          )}
        </dd>
        <dt>{t("field.urgency")}</dt>
        <dd>{t(`urgency.${request.urgency}`, { defaultValue: request.urgency })}</dd>
        <dt>{t("field.receivedAt")}</dt>
        <dd>{format.dateTime(request.created_at)}</dd>
        <dt>{t("field.requester")}</dt>
        <dd>
          {user
            ? t("requesterText", { user: user.username, agency: user.agency, country: user.country, node: user.node })
            : request.requester_node}
        </dd>
        {user && (
          <>
            <dt>{t("field.roles")}</dt>
            <dd>{user.roles.map((role) => t(`role.${role}`, { defaultValue: role })).join(", ")}</dd>
            <dt>{t("field.cfr28")}</dt>
            <dd>{user.cfr28Trained ? t("common:yes") : t("common:no")}</dd>
          </>
        )}
        <dt>{t("field.purpose")}</dt>
        <dd className="prose">{request.purpose}</dd>
        <dt>{t("field.caseReference")}</dt>
        <dd>{request.case_reference}</dd>
        <dt>{t("field.justification")}</dt>
        <dd className="prose">{request.justification}</dd>
      </dl>
      <h3>
        {record.data
          ? t("recordTitleSchema", {
              schema: t(`model:schema.${record.data.schema}`, { defaultValue: record.data.schema }),
            })
          : t("recordTitle")}
      </h3>
      <p>
        <a href={href("entity", request.entity_id)}>{t("openRecord", { id: request.entity_id })}</a>
      </p>
      {record.isPending && <p>{t("common:loading")}</p>}
      <ProblemMessage error={record.error} />
      {byProperty.size > 0 && (
        <table>
          <caption className="visually-hidden">{t("recordTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("field.property")}</th>
              <th scope="col">{t("field.value")}</th>
              <th scope="col">{t("common:markings")}</th>
            </tr>
          </thead>
          <tbody>
            {[...byProperty].flatMap(([property, statements]) =>
              statements.map((statement, index) => (
                <tr key={statement.id}>
                  {index === 0 && (
                    <th scope="row" rowSpan={statements.length}>
                      {propertyLabel(t, property)}
                    </th>
                  )}
                  <td>{statement.value}</td>
                  <td>
                    <Markings markings={statement.markings} />
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      <DecisionForm request={request} properties={[...byProperty.keys()]} onDecided={onDecided} />
    </article>
  );
}

function DecisionForm({
  request,
  properties,
  onDecided,
}: {
  request: IncomingRequest;
  properties: string[];
  onDecided: (confirmation: string) => void;
}) {
  const { t } = useTranslation("requests");
  const queries = useQueryClient();
  const [mode, setMode] = useState<Mode>("approve");
  const [withheld, setWithheld] = useState<string[]>([]);
  const [reason, setReason] = useState("");
  const decide = useMutation({
    mutationFn: (body: { decision: "approve" | "deny"; redact?: string[]; reason?: string }) =>
      api<IncomingRequest>(`/api/v1/requests/incoming/${encodeURIComponent(request.id)}/decision`, { body }),
    onSuccess: async (decided) => {
      queries.setQueryData<{ requests: IncomingRequest[] }>(QUEUE, (old) =>
        old ? { requests: old.requests.filter((item) => item.id !== request.id) } : old,
      );
      onDecided(
        t(decided.status === "denied" ? "decidedDenied" : "decidedApproved", {
          node: request.requester_node,
          caseReference: request.case_reference,
          count: withheld.length,
        }),
      );
      await queries.invalidateQueries({ queryKey: QUEUE });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (mode === "deny") decide.mutate({ decision: "deny", reason: reason.trim() });
    else decide.mutate({ decision: "approve", redact: mode === "redact" ? withheld : [] });
  };
  const name = `decision-${request.id}`;
  return (
    <form className="stack decision" onSubmit={submit}>
      <h3>{t("decisionTitle")}</h3>
      <fieldset>
        <legend>{t("field.decision")}</legend>
        {MODES.map((option) => (
          <Choice
            key={option}
            type="radio"
            name={name}
            value={option}
            checked={mode === option}
            onChange={() => setMode(option)}
          >
            {t(`mode.${option}`)}
          </Choice>
        ))}
      </fieldset>
      {mode === "redact" && (
        <fieldset>
          <legend>{t("withholdLegend")}</legend>
          <p className="hint">{t("withholdHint")}</p>
          {properties.length === 0 && <p>{t("noProperties")}</p>}
          {properties.map((property) => (
            <Choice
              key={property}
              type="checkbox"
              checked={withheld.includes(property)}
              onChange={(event) =>
                setWithheld((list) =>
                  event.target.checked ? [...list, property] : list.filter((item) => item !== property),
                )
              }
            >
              {propertyLabel(t, property)}
            </Choice>
          ))}
        </fieldset>
      )}
      {mode === "deny" && (
        <label>
          {t("field.reason")}
          <span className="hint">{t("reasonHint")}</span>
          <textarea required maxLength={2000} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
      )}
      <FormProblem error={decide.error} ns="requests" />
      <div className="row">
        <button
          type="submit"
          className={mode === "deny" ? "danger" : undefined}
          disabled={decide.isPending || (mode === "redact" && withheld.length === 0)}
        >
          {t(`submit.${mode}`)}
        </button>
      </div>
    </form>
  );
}
