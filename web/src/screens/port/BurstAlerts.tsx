// Coordinated arrivals, for port supervisors: bursts of linked crossings at one port whose last crossing falls in the
// chosen period, newest first, with when they arrived, how many crossed and how many the capacity plan referred, what
// links them (kind in words, the shared value as recorded), their crossings, and a link to the port's referral queue.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";
import { href } from "../../router.ts";
import { BURST_ALERTS, type BurstAlertView, usePortWords } from "./model.ts";

const LIMIT = 500;

function Crossings({ alert }: { alert: BurstAlertView }) {
  const { t } = useTranslation("port");
  const referred = new Set(alert.referred);
  return (
    <details>
      <summary>{t("burstCrossings", { count: alert.crossingIds.length })}</summary>
      <ul className="plain">
        {alert.crossingIds.map((id) => (
          <li key={id}>
            {id}
            {referred.has(id) && <strong> — {t("referredMark")}</strong>}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function BurstAlerts({ since }: { since: string }) {
  const { t } = useTranslation("port");
  const format = useFormat();
  const words = usePortWords();
  const alerts = useQuery({
    queryKey: [...BURST_ALERTS, since],
    queryFn: () =>
      api<{ alerts: BurstAlertView[] }>(
        `/api/v1/border/alerts?${new URLSearchParams({ since, limit: String(LIMIT) })}`,
      ),
    refetchInterval: 60_000,
  });
  const list = alerts.data?.alerts ?? [];
  return (
    <section aria-labelledby="bursts-title">
      <h2 id="bursts-title">{t("burstsTitle")}</h2>
      <p className="hint">{t("burstsHint")}</p>
      <ProblemMessage error={alerts.error} />
      {alerts.isPending && <p>{t("common:loading")}</p>}
      {alerts.data && list.length === 0 && <p className="status-ok">✓ {t("noBursts")}</p>}
      {list.length > 0 && (
        <table>
          <caption className="visually-hidden">{t("burstsTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("field.alertKind")}</th>
              <th scope="col">{t("field.port")}</th>
              <th scope="col">{t("field.arrivals")}</th>
              <th scope="col">{t("field.burstSize")}</th>
              <th scope="col">{t("field.links")}</th>
              <th scope="col">{t("field.updatedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((alert) => (
              <tr key={alert.burstId}>
                <th scope="row">
                  ⚠ {t("burstKind")}
                  <div className="muted">{alert.burstId}</div>
                </th>
                <td>
                  <a href={`${href("port")}?${new URLSearchParams({ port: alert.port })}`}>{words.port(alert.port)}</a>
                </td>
                <td>{t("fromTo", { from: format.dateTime(alert.firstSeen), to: format.dateTime(alert.lastSeen) })}</td>
                <td>
                  {t("burstSize", {
                    size: format.number(alert.size),
                    referred: format.number(alert.referred.length),
                  })}
                  <Crossings alert={alert} />
                </td>
                <td>
                  <ul className="plain">
                    {alert.links.map((link) => (
                      <li key={`${link.kind}:${link.value}`}>
                        {t("linkItem", { kind: words.linkKind(link.kind), crossings: format.number(link.crossings) })}{" "}
                        <span className="prose">{link.value}</span>
                      </li>
                    ))}
                  </ul>
                </td>
                <td>{format.dateTime(alert.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
