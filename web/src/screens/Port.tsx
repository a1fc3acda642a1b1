// The port officer's screen: the referral queue of crossings sent to secondary inspection with their reasons and the
// outcome form (#/port, ?port=<code> to filter), a shipment's plan, express-lane eligibility, seal reads, GPS fixes and
// route on the map (#/port/shipment/<id>), and the seal alerts raised lately with, for supervisors, the coordinated
// arrivals (#/port/alerts).
import { useTranslation } from "react-i18next";
import { Tabs } from "../components/Tabs.tsx";
import { href } from "../router.ts";
import { Alerts } from "./port/Alerts.tsx";
import { ReferralQueue } from "./port/ReferralQueue.tsx";
import { Shipment } from "./port/Shipment.tsx";
import "./port/port.css";

const TABS = ["queue", "shipment", "alerts"] as const;

export function Port({ params, query }: { params: string[]; query: URLSearchParams }) {
  const { t } = useTranslation("port");
  const current = TABS.find((tab) => tab !== "queue" && tab === params[0]) ?? "queue";
  const tabHref = (tab: (typeof TABS)[number]) => (tab === "queue" ? href("port") : href("port", tab));
  return (
    <div className="port">
      <h1>{t("title")}</h1>
      <Tabs
        label={t("tabs")}
        current={current}
        tabs={TABS.map((tab) => ({ key: tab, label: t(`tab.${tab}`), href: tabHref(tab) }))}
      />
      {current === "queue" && <ReferralQueue port={query.get("port") ?? ""} />}
      {current === "shipment" && <Shipment shipmentId={params[1] ?? ""} />}
      {current === "alerts" && <Alerts within={query.get("within") ?? ""} />}
    </div>
  );
}
