// The audit log explorer: entries newest first, filtered by kind, actor and dates, a page at a time by position
// in the log ("older" goes on where the node says the page ended); and the check of the whole hash chain.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";
import oversightMessages from "../../i18n/messages/oversight.ts";
import { href } from "../../router.ts";
import { describeActor } from "./actors.ts";
import { DetailsList } from "./DetailsList.tsx";

interface AuditEntry {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  /** For a user of this node: their user name. */
  actorUsername?: string;
  details: Record<string, unknown>;
}

interface AuditPage {
  entries: AuditEntry[];
  /** Pass as `before` for the next (older) page; absent on the last page. */
  next?: number;
}

interface VerifyAnswer {
  ok: boolean;
  entries: number;
  heads: number;
  firstBadSeq?: number;
  reason?: string;
}

const FILTERS = ["kind", "actor", "from", "to"] as const;
const PAGE_SIZES = ["25", "50", "100", "200"];
const DEFAULT_LIMIT = "50";

/**
 * Kinds offered as suggestions in the kind filter (any other kind may still be typed): every kind the messages
 * name, so that a kind added to the log and named there is offered too.
 */
const KNOWN_KINDS = Object.keys(oversightMessages.en)
  .filter((key) => key.startsWith("kind."))
  .map((key) => key.slice("kind.".length));

/** The day after an ISO date (UTC). */
function nextDay(date: string): string {
  const time = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(time) ? date : new Date(time + 86_400_000).toISOString().slice(0, 10);
}

/** The filters that are set, as a query string's parameters. */
function searchOf(filters: Record<string, string | undefined>): URLSearchParams {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) search.set(name, value);
  return search;
}

/** A link to the explorer with these filters. */
export function auditHref(filters: Record<string, string | undefined>): string {
  const text = searchOf(filters).toString();
  return text ? `${href("oversight", "audit")}?${text}` : href("oversight", "audit");
}

/** A link to the explorer whose first row is this entry. */
export function auditEntryHref(seq: number): string {
  return auditHref({ before: String(seq + 1) });
}

function useKindLabel(): (kind: string) => string {
  const { t } = useTranslation("oversight");
  return (kind) => t(`kind.${kind}`, { defaultValue: kind });
}

function ChainStatus({ answer }: { answer: VerifyAnswer }) {
  const { t } = useTranslation("oversight");
  const format = useFormat();
  if (answer.ok)
    return (
      <p className="status-ok">
        <span aria-hidden="true">✔ </span>
        {t("chainOk", { entries: format.number(answer.entries), heads: format.number(answer.heads) })}
      </p>
    );
  return (
    <div className="status-bad">
      <p>
        <span aria-hidden="true">✘ </span>
        {answer.firstBadSeq === undefined ? t("chainBad") : t("chainBadAt", { seq: format.number(answer.firstBadSeq) })}
      </p>
      {answer.reason && (
        <p>
          {t("chainReason")} <span lang="en">{answer.reason}</span>
        </p>
      )}
      {answer.firstBadSeq !== undefined && <a href={auditEntryHref(answer.firstBadSeq)}>{t("showEntry")}</a>}
    </div>
  );
}

function VerifyChain() {
  const { t } = useTranslation("oversight");
  const verify = useMutation({
    mutationFn: () => api<VerifyAnswer>("/api/v1/oversight/audit/verify"),
  });
  return (
    <section className="panel" aria-labelledby="verify-title">
      <h2 id="verify-title">{t("verifyTitle")}</h2>
      <p className="hint">{t("verifyHint")}</p>
      <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? t("verifying") : t("verify")}
      </button>
      <div role="status">{verify.data && !verify.isPending && <ChainStatus answer={verify.data} />}</div>
      <ProblemMessage error={verify.error} />
    </section>
  );
}

function Filters({ query }: { query: URLSearchParams }) {
  const { t } = useTranslation("oversight");
  const kindLabel = useKindLabel();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const filters: Record<string, string> = {};
    for (const name of [...FILTERS, "limit"]) filters[name] = String(form.get(name) ?? "").trim();
    if (filters.limit === DEFAULT_LIMIT) delete filters.limit;
    window.location.hash = auditHref(filters);
  };
  return (
    // Keyed by the query so that following a link (an alert's evidence, "newest") shows its filters.
    <form key={query.toString()} className="audit-filters" onSubmit={submit} aria-label={t("filters")}>
      <label>
        {t("filterKind")}
        <input
          name="kind"
          list="audit-kinds"
          defaultValue={query.get("kind") ?? ""}
          maxLength={100}
          pattern="[A-Za-z0-9._:\-]*\*?"
          aria-describedby="kind-hint"
        />
        <span id="kind-hint" className="hint">
          {t("filterKindHint")}
        </span>
        <datalist id="audit-kinds">
          {KNOWN_KINDS.map((kind) => (
            <option key={kind} value={kind} label={kindLabel(kind)} />
          ))}
        </datalist>
      </label>
      <label>
        {t("filterActor")}
        <input name="actor" defaultValue={query.get("actor") ?? ""} maxLength={200} aria-describedby="actor-hint" />
        <span id="actor-hint" className="hint">
          {t("filterActorHint")}
        </span>
      </label>
      <label>
        {t("filterFrom")}
        <input name="from" type="date" defaultValue={query.get("from") ?? ""} />
      </label>
      <label>
        {t("filterTo")}
        <input name="to" type="date" defaultValue={query.get("to") ?? ""} />
      </label>
      <label>
        {t("pageSize")}
        <select name="limit" defaultValue={query.get("limit") ?? DEFAULT_LIMIT}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <div className="row filter-actions">
        <button type="submit">{t("applyFilters")}</button>
        <a href={auditHref({})}>{t("clearFilters")}</a>
      </div>
    </form>
  );
}

export function AuditExplorer({ query }: { query: URLSearchParams }) {
  const { t } = useTranslation("oversight");
  const format = useFormat();
  const kindLabel = useKindLabel();
  const filters = Object.fromEntries(
    [...FILTERS, "limit", "before"].map((name) => [name, query.get(name) ?? undefined]),
  ) as Record<string, string | undefined>;
  const search = searchOf(filters);
  if (!filters.limit) search.set("limit", DEFAULT_LIMIT);
  // The node reads "to" as "before this time"; the form's "to" date includes its whole day.
  if (filters.to) search.set("to", nextDay(filters.to));
  const page = useQuery({
    queryKey: ["oversight", "audit", search.toString()],
    queryFn: () => api<AuditPage>(`/api/v1/oversight/audit?${search.toString()}`),
    placeholderData: keepPreviousData,
  });
  const entries = page.data?.entries ?? [];
  const next = page.data?.next;
  return (
    <>
      <VerifyChain />
      <section aria-labelledby="audit-title">
        <h2 id="audit-title">{t("auditTitle")}</h2>
        <p className="hint">{t("auditHint")}</p>
        <Filters query={query} />
        <ProblemMessage error={page.error} />
        {page.isPending && <p>{t("common:loading")}</p>}
        {page.data && entries.length === 0 && <p>{t("noEntries")}</p>}
        {entries.length > 0 && (
          <table aria-busy={page.isFetching}>
            <caption className="visually-hidden">{t("auditTitle")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("seq")}</th>
                <th scope="col">{t("time")}</th>
                <th scope="col">{t("kindColumn")}</th>
                <th scope="col">{t("actorColumn")}</th>
                <th scope="col">{t("details")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq}>
                  <th scope="row">{format.number(entry.seq)}</th>
                  <td>{format.dateTime(entry.at)}</td>
                  <td>
                    {kindLabel(entry.kind)}
                    <br />
                    <code className="muted">{entry.kind}</code>
                  </td>
                  <td>{describeActor(entry.actor, t, entry.actorUsername)}</td>
                  <td>
                    <DetailsList value={entry.details} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {(filters.before || next !== undefined) && (
          <p className="row audit-paging">
            {filters.before && <a href={auditHref({ ...filters, before: undefined })}>{t("newest")}</a>}
            {next !== undefined && <a href={auditHref({ ...filters, before: String(next) })}>{t("older")}</a>}
          </p>
        )}
      </section>
    </>
  );
}
