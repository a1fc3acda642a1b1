// The administration screen: user accounts and their roles, the federation's members as this node knows them,
// and the node's Cedar dissemination policies. Each tab is its own hash route: #/admin/users,
// #/admin/federation, #/admin/policies.
import { useTranslation } from "react-i18next";
import { Tabs } from "../components/Tabs.tsx";
import { href } from "../router.ts";
import { Federation } from "./admin/Federation.tsx";
import { Policies } from "./admin/Policies.tsx";
import { Users } from "./admin/Users.tsx";
import "./admin/admin.css";

const TABS = ["users", "federation", "policies"] as const;

export function Admin({ params }: { params: string[]; query: URLSearchParams }) {
  const { t } = useTranslation("admin");
  const current = TABS.find((tab) => tab === params[0]) ?? TABS[0];
  return (
    <>
      <h1>{t("title")}</h1>
      <Tabs
        label={t("tabs")}
        current={current}
        tabs={TABS.map((tab) => ({ key: tab, label: t(`tab.${tab}`), href: href("admin", tab) }))}
      />
      {current === "users" && <Users />}
      {current === "federation" && <Federation />}
      {current === "policies" && <Policies />}
    </>
  );
}
