// The alerts tab (#/port/alerts, ?within=1h|24h|7d): seal alerts raised in the period (kind in words, the time the
// alert is about, when it was raised, the node's own explanation, the position and a link to the shipment), newest
// first and polled; the API pages forward from `since`, so every page of the period is fetched (up to MAX_PAGES).
// Supervisors also see the coordinated arrivals of the period. The seal alert table is also the shipment view's.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";
import { href } from "../../router.ts";
import { useSession } from "../../session.tsx";
import { BurstAlerts } from "./BurstAlerts.tsx";
import { type RaisedAlert, SEAL_ALERTS, usePortWords } from "./model.ts";

const HOUR = 3_600_000;
const WINDOWS = { "1h": HOUR, "24h": 24 * HOUR, "7d": 7 * 24 * HOUR } as const;
type Window = keyof typeof WINDOWS;
const DEFAULT_WINDOW: Window = "24h";
const PAGE = 1000;
const MAX_PAGES = 5;

export function AlertTable({
  alerts,
  caption,
  linkShipments,
}: {
  alerts: RaisedAlert[];
  caption: string;
  /** Whether to show a column linking each alert's shipment (not on the shipment's own view). */
  linkShipments: boolean;
}) {
  const { t } = useTranslation("port");
  const format = useFormat();
  const words = usePortWords();
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("field.alertKind")}</th>
          {linkShipments && <th scope="col">{t("field.shipment")}</th>}
          <th scope="col">{t("field.time")}</th>
          <th scope="col">{t("field.raisedAt")}</th>
          <th scope="col">{t("field.detail")}</th>
          <th scope="col">{t("field.position")}</th>
        </tr>
      </thead>
      <tbody>
        {alerts.map((alert) => (
          <tr key={alert.id}>
            <th scope="row">⚠ {words.alertKind(alert.kind)}</th>
            {linkShipments && (
              <td>
                <a href={href("port", "shipment", alert.shipmentId)}>{alert.shipmentId}</a>
              </td>
            )}
            <td>{format.dateTime(alert.time)}</td>
            <td>{format.dateTime(alert.raisedAt)}</td>
            <td lang="en" className="prose">
              {alert.detail}
            </td>
            <td>
              {alert.lat === undefined || alert.lon === undefined
                ? "—"
                : t("map:coordinates", { lat: format.number(alert.lat, 4), lon: format.number(alert.lon, 4) })}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SealAlertList({ since }: { since: string }) {
  const { t } = useTranslation("port");
  const alerts = useInfiniteQuery({
    queryKey: [...SEAL_ALERTS, since],
    initialPageParam: "",
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ since, limit: String(PAGE), ...(pageParam ? { after: pageParam } : {}) });
      return api<{ alerts: RaisedAlert[]; next: string | null }>(`/api/v1/border/seal-alerts?${query}`);
    },
    getNextPageParam: (page) => page.next ?? undefined,
    refetchInterval: 60_000,
  });
  const pages = alerts.data?.pages.length ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = alerts;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && pages < MAX_PAGES) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, pages, fetchNextPage]);
  // Newest first: an officer looks at what just happened.
  const list = (alerts.data?.pages.flatMap((page) => page.alerts) ?? []).reverse();
  return (
    <section aria-labelledby="seal-alerts-title">
      <h2 id="seal-alerts-title">{t("alertsTitle")}</h2>
      <p className="hint">{t("alertsHint")}</p>
      <ProblemMessage error={alerts.error} />
      {alerts.isPending && <p>{t("common:loading")}</p>}
      {alerts.data && list.length === 0 && <p className="status-ok">✓ {t("noAlerts")}</p>}
      {list.length > 0 && <AlertTable alerts={list} caption={t("alertsTitle")} linkShipments />}
      {hasNextPage && pages >= MAX_PAGES && <p className="notice">{t("tooManyAlerts", { count: list.length })}</p>}
    </section>
  );
}

export function Alerts({ within }: { within: string }) {
  const { t } = useTranslation("port");
  const session = useSession();
  const span = within in WINDOWS ? (within as Window) : DEFAULT_WINDOW;
  // The period counts back from when the tab was opened, so polling and paging ask for the same alerts.
  const [openedAt] = useState(() => Date.now());
  const since = new Date(openedAt - WINDOWS[span]).toISOString();
  return (
    <>
      <div className="row port-filters">
        <label>
          {t("field.within")}
          <select
            value={span}
            onChange={(event) => {
              window.location.hash = `${href("port", "alerts")}?${new URLSearchParams({ within: event.target.value })}`;
            }}
          >
            {Object.keys(WINDOWS).map((key) => (
              <option key={key} value={key}>
                {t(`window.${key}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <SealAlertList since={since} />
      {session.hasRole("supervisor") && <BurstAlerts since={since} />}
    </>
  );
}
