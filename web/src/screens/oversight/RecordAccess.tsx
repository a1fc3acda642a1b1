// Who saw a record: for one of this node's records, every user of this node who opened it, and every partner user
// that was served a hit on it, asked for its details, received a release of it or was notified about it, with when,
// purpose and case, from the audit log.
import { useQuery } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";
import { href, navigate } from "../../router.ts";
import { auditEntryHref } from "./AuditExplorer.tsx";

interface Access {
  at: string;
  kind: string;
  node: string;
  user: string;
  purpose?: string;
  caseReference?: string;
  auditEntry: number;
}

function AccessTable({ entityId }: { entityId: string }) {
  const { t } = useTranslation("oversight");
  const format = useFormat();
  const access = useQuery({
    queryKey: ["oversight", "access", entityId],
    queryFn: () => api<{ access: Access[] }>(`/api/v1/oversight/records/${encodeURIComponent(entityId)}/access`),
  });
  return (
    <section aria-labelledby="access-title">
      <h2 id="access-title">{t("accessTitle", { id: entityId })}</h2>
      <p>
        <a href={href("entity", entityId)}>{t("openRecord")}</a>
      </p>
      <ProblemMessage error={access.error} />
      {access.isPending && <p>{t("common:loading")}</p>}
      {access.data?.access.length === 0 && <p>{t("noAccess")}</p>}
      {access.data && access.data.access.length > 0 && (
        <table>
          <caption className="visually-hidden">{t("accessTitle", { id: entityId })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("time")}</th>
              <th scope="col">{t("accessKind")}</th>
              <th scope="col">{t("accessNode")}</th>
              <th scope="col">{t("accessUser")}</th>
              <th scope="col">{t("purpose")}</th>
              <th scope="col">{t("caseReference")}</th>
              <th scope="col">{t("auditEntry")}</th>
            </tr>
          </thead>
          <tbody>
            {access.data.access.map((row) => (
              <tr key={`${row.auditEntry}-${row.kind}`}>
                <td>{format.dateTime(row.at)}</td>
                <td>{t(`access.${row.kind}`, { defaultValue: row.kind })}</td>
                <td>{row.node}</td>
                <td>{row.user || <span className="muted">{t("empty")}</span>}</td>
                <td>{row.purpose ?? <span className="muted">{t("empty")}</span>}</td>
                <td>{row.caseReference ?? <span className="muted">{t("empty")}</span>}</td>
                <td>
                  <a href={auditEntryHref(row.auditEntry)}>
                    {t("entryNumber", { seq: format.number(row.auditEntry) })}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function RecordAccess({ entityId }: { entityId: string }) {
  const { t } = useTranslation("oversight");
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = String(new FormData(event.currentTarget).get("entity") ?? "").trim();
    if (id) navigate("oversight", "record", id);
  };
  return (
    <>
      <p className="hint">{t("accessHint")}</p>
      <form key={entityId} className="row" onSubmit={submit}>
        <label>
          {t("recordId")}
          <input name="entity" defaultValue={entityId} required maxLength={300} size={40} />
        </label>
        <button type="submit">{t("showAccess")}</button>
      </form>
      {entityId && <AccessTable entityId={entityId} />}
    </>
  );
}
