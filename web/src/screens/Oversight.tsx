// The oversight screen: the audit log explorer with its chain check, who saw a record, insider-threat alerts
// (oversight officers) and the 28 CFR Part 23 review queue (supervisors). Each tab is its own hash route:
// #/oversight/audit, #/oversight/alerts, #/oversight/record/<entity id>, #/oversight/review.
import { useTranslation } from "react-i18next";
import { Tabs } from "../components/Tabs.tsx";
import { href } from "../router.ts";
import { useSession } from "../session.tsx";
import { Alerts } from "./oversight/Alerts.tsx";
import { AuditExplorer } from "./oversight/AuditExplorer.tsx";
import { RecordAccess } from "./oversight/RecordAccess.tsx";
import { ReviewQueue } from "./oversight/ReviewQueue.tsx";
import "./oversight/oversight.css";

/** The tabs and the roles that see them (the API refuses the others whatever the menu shows). */
const TABS = [
  { key: "audit", roles: ["oversight"] },
  { key: "alerts", roles: ["oversight"] },
  { key: "record", roles: ["oversight"] },
  { key: "review", roles: ["supervisor"] },
] as const;

export function Oversight({ params, query }: { params: string[]; query: URLSearchParams }) {
  const { t } = useTranslation("oversight");
  const session = useSession();
  const allowed = TABS.filter((tab) => session.hasRole(...tab.roles));
  const shown = allowed.length > 0 ? allowed : TABS;
  const current = shown.find((tab) => tab.key === params[0]) ?? shown[0] ?? TABS[0];
  return (
    <>
      <h1>{t("title")}</h1>
      <Tabs
        label={t("tabs")}
        current={current.key}
        tabs={shown.map((tab) => ({ key: tab.key, label: t(`tab.${tab.key}`), href: href("oversight", tab.key) }))}
      />
      {current.key === "audit" && <AuditExplorer query={query} />}
      {current.key === "alerts" && <Alerts />}
      {current.key === "record" && <RecordAccess entityId={params[1] ?? ""} />}
      {current.key === "review" && <ReviewQueue />}
    </>
  );
}
