// Follow-up requests (step two of the exchange), for the requester: the form that asks a partner for the details
// of a hit (#/requests/new?partner=…&reference=…&purpose=…&caseReference=…, opened from a search hit), and the
// user's requests with their status, the expected response clock and the releases received: each released value
// with its markings, withheld properties shown as redacted, the owner's watermark, and "lead only / not for court"
// restrictions set apart. Releases are kept as the owner signed them, not as records, so they have no entity page.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../api.ts";
import { FormProblem } from "../components/FormProblem.tsx";
import { Markings } from "../components/Markings.tsx";
import { ProblemMessage } from "../components/ProblemMessage.tsx";
import { useFormat } from "../format.ts";
import { href, navigate } from "../router.ts";
import { ResponseClock, useNow } from "./requests/clock.tsx";
import { expectedDue, type MyRequest, propertyLabel, type ReleaseView, URGENCIES } from "./requests/model.ts";
import "./requests/requests.css";

const MINE = ["requests", "mine"];

export function Requests({ params, query }: { params: string[]; query: URLSearchParams }) {
  const { t } = useTranslation("requests");
  const [sent, setSent] = useState<string>();
  const asking = params[0] === "new";
  return (
    <div className="exchange">
      <h1>{t("title")}</h1>
      <p role="status" className={!asking && sent ? "notice" : undefined}>
        {!asking && sent ? t("sentTo", { partner: sent }) : ""}
      </p>
      {asking ? (
        <RequestForm
          key={query.toString()}
          query={query}
          onSent={(partner) => {
            setSent(partner);
            navigate("requests");
          }}
        />
      ) : (
        <p>
          <a href={href("search")}>{t("askFromSearch")}</a>
        </p>
      )}
      <MyRequests />
    </div>
  );
}

function RequestForm({ query, onSent }: { query: URLSearchParams; onSent: (partner: string) => void }) {
  const { t } = useTranslation("requests");
  const queries = useQueryClient();
  const send = useMutation({
    mutationFn: (body: Record<string, string>) => api<MyRequest>("/api/v1/requests", { body }),
    onSuccess: async (row) => {
      await queries.invalidateQueries({ queryKey: MINE });
      onSent(row.owner_node);
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const body: Record<string, string> = {};
    for (const name of ["partner", "reference", "justification", "purpose", "caseReference", "urgency"])
      body[name] = String(data.get(name) ?? "").trim();
    send.mutate(body);
  };
  const initialUrgency = query.get("urgency") ?? "standard";
  return (
    <section className="panel" aria-labelledby="ask-title">
      <h2 id="ask-title">{t("askTitle")}</h2>
      <p className="muted">{t("askIntro")}</p>
      <form className="stack" onSubmit={submit}>
        <div className="row">
          <label>
            {t("field.partner")}
            <input name="partner" required maxLength={63} defaultValue={query.get("partner") ?? ""} />
          </label>
          <label>
            {t("field.reference")}
            <input name="reference" required maxLength={64} defaultValue={query.get("reference") ?? ""} />
          </label>
          <label>
            {t("field.urgency")}
            <select
              name="urgency"
              defaultValue={(URGENCIES as readonly string[]).includes(initialUrgency) ? initialUrgency : "standard"}
            >
              {URGENCIES.map((urgency) => (
                <option key={urgency} value={urgency}>
                  {t(`urgency.${urgency}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="row">
          <label className="grow">
            {t("field.purpose")}
            <input name="purpose" required maxLength={500} defaultValue={query.get("purpose") ?? ""} />
          </label>
          <label>
            {t("field.caseReference")}
            <input name="caseReference" required maxLength={100} defaultValue={query.get("caseReference") ?? ""} />
          </label>
        </div>
        <label>
          {t("field.justification")}
          <span className="hint">{t("justificationHint")}</span>
          <textarea name="justification" required maxLength={2000} rows={4} />
        </label>
        <FormProblem error={send.error} ns="requests" />
        <div className="row">
          <button type="submit" disabled={send.isPending}>
            {send.isPending ? t("sending") : t("send")}
          </button>
          <a href={href("requests")}>{t("common:cancel")}</a>
        </div>
      </form>
    </section>
  );
}

function MyRequests() {
  const { t } = useTranslation("requests");
  const now = useNow();
  const list = useQuery({
    queryKey: MINE,
    queryFn: () => api<{ requests: MyRequest[] }>("/api/v1/requests"),
    refetchInterval: 60_000,
  });
  return (
    <section aria-labelledby="mine-title">
      <h2 id="mine-title">{t("mineTitle")}</h2>
      {list.isPending && <p>{t("common:loading")}</p>}
      <ProblemMessage error={list.error} />
      {list.data?.requests.length === 0 && <p>{t("noRequests")}</p>}
      {list.data?.requests.map((request) => (
        <RequestItem key={request.id} request={request} now={now} />
      ))}
    </section>
  );
}

function RequestItem({ request, now }: { request: MyRequest; now: number }) {
  const { t } = useTranslation("requests");
  const format = useFormat();
  // A request that could not be delivered keeps the partner's problem type; a denial, the owner's own words.
  const reasonText = (reason: string) => {
    const code = /^urn:puente:problem:([\w-]+)$/u.exec(reason)?.[1];
    return code ? t(`common:problem.${code}`, { defaultValue: t("partnerProblem", { code }) }) : reason;
  };
  const due = request.status === "pending" ? expectedDue(request.created_at, request.urgency) : undefined;
  return (
    <article className="panel">
      <h3>{t("requestTo", { partner: request.owner_node, caseReference: request.case_reference })}</h3>
      <dl className="facts">
        <dt>{t("field.status")}</dt>
        <dd>
          <span className={`badge request-${request.status}`}>
            {t(`status.${request.status}`, { defaultValue: request.status })}
          </span>
        </dd>
        <dt>{t("field.partner")}</dt>
        <dd>{request.owner_node}</dd>
        <dt>{t("field.reference")}</dt>
        <dd>
          <code>{request.reference}</code>
        </dd>
        <dt>{t("field.urgency")}</dt>
        <dd>{t(`urgency.${request.urgency}`, { defaultValue: request.urgency })}</dd>
        <dt>{t("field.askedAt")}</dt>
        <dd>{format.dateTime(request.created_at)}</dd>
        {due && (
          <>
            <dt>{t("field.clock")}</dt>
            <dd>
              <ResponseClock due={due} now={now} expected />
            </dd>
          </>
        )}
        <dt>{t("field.purpose")}</dt>
        <dd>{request.purpose}</dd>
        <dt>{t("field.justification")}</dt>
        <dd className="prose">{request.justification}</dd>
        {request.decision_reason && (
          <>
            <dt>{t(request.status === "denied" ? "field.denialReason" : "field.failure")}</dt>
            <dd className="prose">{reasonText(request.decision_reason)}</dd>
          </>
        )}
      </dl>
      {request.releases.map((release) => (
        <Release key={release.releaseId} release={release} />
      ))}
    </article>
  );
}

function Release({ release }: { release: ReleaseView }) {
  const { t } = useTranslation("requests");
  const format = useFormat();
  const restricted = release.statements.filter((statement) => !statement.usableInEvidence);
  return (
    <section className="release" aria-label={t("releaseLabel", { id: release.releaseId })}>
      <h4>{t("releaseTitle", { owner: release.owner, date: format.dateTime(release.issuedAt) })}</h4>
      {restricted.length > 0 && (
        <div className="notice restricted-release">
          <strong>{t("restrictedTitle")}</strong> {t("restrictedText", { count: restricted.length })}
        </div>
      )}
      {release.withdrawn.length > 0 && (
        <p className="notice">
          <span className="retracted">{t("withdrawn", { count: release.withdrawn.length })}</span>
        </p>
      )}
      <dl className="facts">
        <dt>{t("field.signature")}</dt>
        <dd>
          <span className="status-ok">✓ {t("signatureVerified", { owner: release.owner })}</span>
        </dd>
        <dt>{t("field.watermark")}</dt>
        <dd>
          <code>{release.watermark}</code>
        </dd>
        <dt>{t("field.releaseId")}</dt>
        <dd>
          <code>{release.releaseId}</code>
        </dd>
        <dt>{t("field.schema")}</dt>
        <dd>{t(`model:schema.${release.schema}`, { defaultValue: release.schema })}</dd>
        <dt>{t("field.caveat")}</dt>
        {/* The owner node writes its caveat in English; it is part of what the owner signed, so it stays as sent. */}
        <dd className="prose" lang="en">
          {release.caveat}
        </dd>
      </dl>
      {release.statements.length === 0 && release.redacted.length === 0 ? (
        <p>{t("emptyRelease")}</p>
      ) : (
        <table>
          <caption className="visually-hidden">{t("releasedValues")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("field.property")}</th>
              <th scope="col">{t("field.value")}</th>
              <th scope="col">{t("common:markings")}</th>
              <th scope="col">{t("field.evidence")}</th>
            </tr>
          </thead>
          <tbody>
            {release.statements.map((statement) => (
              <tr key={statement.statementId}>
                <th scope="row">{propertyLabel(t, statement.property)}</th>
                <td>{statement.value}</td>
                <td>
                  <Markings markings={statement.markings} />
                </td>
                <td>
                  {statement.usableInEvidence ? (
                    t("evidenceOk")
                  ) : (
                    <strong className="status-bad">{t("evidenceNo")}</strong>
                  )}
                </td>
              </tr>
            ))}
            {release.redacted.map((property) => (
              <tr key={`redacted-${property}`} className="redacted">
                <th scope="row">{propertyLabel(t, property)}</th>
                <td colSpan={3}>
                  <span className="badge">{t("redacted")}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
