// The desk's notices: conflicts with the other side's point of contact and node, and (for a source's handler alone)
// alerts that someone touched a protected source; each can be acknowledged and given an outcome.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { ContactLines } from "../../components/ContactLines.tsx";
import { FormProblem } from "../../components/FormProblem.tsx";
import { useFormat } from "../../format.ts";
import { useNodeInfo, usePartners } from "../../node-info.ts";
import { NOTICES, type NoticeView, OUTCOMES } from "./kinds.ts";

/** The desk's notices, polled: partners' conflicts arrive through their outboxes some time after a registration. */
export function useNotices() {
  return useQuery({
    queryKey: NOTICES,
    queryFn: () => api<{ notices: NoticeView[] }>("/api/v1/deconfliction/notices"),
    refetchInterval: 30_000,
  });
}

/** Which node the other side is: this one (by its agency) or a partner (by its agency, when it is known). */
export function Counterpart({ node }: { node: string }) {
  const { t } = useTranslation("desk");
  const me = useNodeInfo().data;
  const partner = usePartners().data?.find((candidate) => candidate.nodeId === node);
  if (me?.nodeId === node) return <>{t("thisNode", { agency: me.agency })}</>;
  return <>{partner ? t("partnerAgency", { agency: partner.agency, node }) : t("partnerNode", { node })}</>;
}

/** Notices as a table; `describe` names the user's own registration a notice is about, when it is known. */
export function Notices({ notices, describe }: { notices: NoticeView[]; describe: (id: string | null) => string }) {
  const { t } = useTranslation("desk");
  if (notices.length === 0) return <p>{t("noNotices")}</p>;
  return (
    <table>
      <caption className="visually-hidden">{t("noticesTitle")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("field.noticeKind")}</th>
          <th scope="col">{t("field.about")}</th>
          <th scope="col">{t("field.otherSide")}</th>
          <th scope="col">{t("field.contact")}</th>
          <th scope="col">{t("field.when")}</th>
          <th scope="col">{t("field.status")}</th>
          <th scope="col">{t("field.actions")}</th>
        </tr>
      </thead>
      <tbody>
        {notices.map((notice) => (
          <NoticeRow key={notice.id} notice={notice} describe={describe} />
        ))}
      </tbody>
    </table>
  );
}

function NoticeRow({ notice, describe }: { notice: NoticeView; describe: (id: string | null) => string }) {
  const { t } = useTranslation("desk");
  const format = useFormat();
  const about = describe(notice.itemId);
  return (
    <tr className={notice.kind === "source-alert" ? "source-alert" : undefined}>
      <th scope="row">
        {notice.kind === "source-alert" ? <strong>⚠ {t("noticeKind.source-alert")}</strong> : t("noticeKind.conflict")}
      </th>
      <td>
        {t(`itemKind.${notice.itemKind}`, { defaultValue: notice.itemKind })}
        {about && <div className="muted">{about}</div>}
      </td>
      <td>
        <Counterpart node={notice.counterpartNode} />
      </td>
      <td>
        <ContactLines contact={notice.counterpartContact} />
      </td>
      <td>{format.dateTime(notice.createdAt)}</td>
      <td>
        <NoticeStatus notice={notice} />
      </td>
      <td>
        <NoticeActions notice={notice} />
      </td>
    </tr>
  );
}

function NoticeStatus({ notice }: { notice: NoticeView }) {
  const { t } = useTranslation("desk");
  const format = useFormat();
  if (notice.outcome)
    return (
      <>
        <span className="status-ok">✓ {t(`outcome.${notice.outcome}`, { defaultValue: notice.outcome })}</span>
        {notice.outcomeNote && <div className="prose">{notice.outcomeNote}</div>}
      </>
    );
  if (notice.acknowledgedAt)
    return <span>{t("status.acknowledged", { date: format.dateTime(notice.acknowledgedAt) })}</span>;
  return <strong className="status-bad">{t("status.new")}</strong>;
}

function NoticeActions({ notice }: { notice: NoticeView }) {
  const { t } = useTranslation("desk");
  const queries = useQueryClient();
  const path = `/api/v1/deconfliction/notices/${encodeURIComponent(notice.id)}`;
  const refresh = () => queries.invalidateQueries({ queryKey: NOTICES });
  const acknowledge = useMutation({
    mutationFn: () => api<NoticeView>(`${path}/acknowledge`, { method: "POST" }),
    onSuccess: refresh,
  });
  const decide = useMutation({
    mutationFn: (body: { outcome: string; note?: string }) => api<NoticeView>(`${path}/outcome`, { body }),
    onSuccess: refresh,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const note = String(data.get("note") ?? "").trim();
    decide.mutate({ outcome: String(data.get("outcome")), ...(note ? { note } : {}) });
  };
  if (notice.outcome) return null;
  return (
    <div className="stack notice-actions">
      {!notice.acknowledgedAt && (
        <button
          type="button"
          className="secondary"
          disabled={acknowledge.isPending}
          onClick={() => acknowledge.mutate()}
        >
          {t("acknowledge")}
        </button>
      )}
      <FormProblem error={acknowledge.error} ns="desk" />
      <details>
        <summary>{t("recordOutcome")}</summary>
        <form className="stack" onSubmit={submit}>
          <label>
            {t("field.outcome")}
            <select name="outcome" required defaultValue="">
              <option value="" disabled>
                {t("chooseOutcome")}
              </option>
              {OUTCOMES.map((outcome) => (
                <option key={outcome} value={outcome}>
                  {t(`outcome.${outcome}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("field.note")}
            <input name="note" maxLength={2000} />
          </label>
          <button type="submit" disabled={decide.isPending}>
            {t("recordOutcome")}
          </button>
          <FormProblem error={decide.error} ns="desk" />
        </form>
      </details>
    </div>
  );
}
