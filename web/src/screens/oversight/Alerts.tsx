// Insider-threat alerts of the last week: who, what kind, when, the node's summary, and the audit entries that
// are the evidence (a link opens the explorer at the newest of them).
import { useQuery } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { type Formatters, useFormat } from "../../format.ts";
import { auditEntryHref } from "./AuditExplorer.tsx";
import { describeActor } from "./actors.ts";

interface Alert {
  kind: string;
  who: string;
  /** An hour ("2025-01-31T13:00Z"), a day ("2025-01-31") or "since <ISO time>". */
  window: string;
  /** The node's own sentence (English). */
  summary: string;
  evidence: number[];
}

function windowText(window: string, format: Formatters, t: TFunction<"oversight">): string {
  if (window.startsWith("since ")) return t("windowSince", { time: format.dateTime(window.slice(6)) });
  if (/^\d{4}-\d{2}-\d{2}$/u.test(window)) return format.date(window);
  return t("windowHour", { time: format.dateTime(window) });
}

export function Alerts() {
  const { t } = useTranslation("oversight");
  const format = useFormat();
  const alerts = useQuery({
    queryKey: ["oversight", "alerts"],
    queryFn: () => api<{ alerts: Alert[] }>("/api/v1/oversight/alerts"),
  });
  return (
    <section aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t("alertsTitle")}</h2>
      <p className="hint">{t("alertsHint")}</p>
      <ProblemMessage error={alerts.error} />
      {alerts.isPending && <p>{t("common:loading")}</p>}
      {alerts.data?.alerts.length === 0 && <p className="status-ok">{t("noAlerts")}</p>}
      {alerts.data && alerts.data.alerts.length > 0 && (
        <table>
          <caption className="visually-hidden">{t("alertsTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("alertKind")}</th>
              <th scope="col">{t("who")}</th>
              <th scope="col">{t("when")}</th>
              <th scope="col">{t("summary")}</th>
              <th scope="col">{t("evidence")}</th>
            </tr>
          </thead>
          <tbody>
            {alerts.data.alerts.map((alert) => (
              <tr key={`${alert.kind}-${alert.who}-${alert.window}`}>
                <td>
                  <strong>{t(`alert.${alert.kind}`, { defaultValue: alert.kind })}</strong>
                  <br />
                  <span className="hint">{t(`alertHint.${alert.kind}`, { defaultValue: "" })}</span>
                </td>
                <td>{describeActor(alert.who, t)}</td>
                <td>{windowText(alert.window, format, t)}</td>
                <td lang="en">{alert.summary}</td>
                <td>
                  {t("evidenceCount", { entries: format.number(alert.evidence.length) })}
                  {alert.evidence.length > 0 && (
                    <>
                      <br />
                      <a href={auditEntryHref(Math.max(...alert.evidence))}>{t("showEvidence")}</a>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
