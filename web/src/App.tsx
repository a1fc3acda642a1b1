// The application shell: header with the node, the user and the language switch; navigation by role; and the
// screen the hash route names. Screens load on demand, so the first paint on modest hardware stays small.
import { lazy, type ReactNode, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { LANGUAGES } from "./i18n/index.ts";
import { useNodeInfo } from "./node-info.ts";
import { href, useRoute } from "./router.ts";
import { SignIn } from "./screens/SignIn.tsx";
import { useSession } from "./session.tsx";

interface ScreenEntry {
  /** Message key of the navigation label; absent for screens reached by links only. */
  label?: string;
  /** Roles that see the entry in the navigation (the API checks access whatever the menu shows). */
  roles: string[];
  component: React.LazyExoticComponent<(props: { params: string[]; query: URLSearchParams }) => ReactNode>;
}

const SEARCHERS = ["analyst", "supervisor", "prosecutor", "border-officer"];

const SCREENS: Record<string, ScreenEntry> = {
  search: {
    label: "navSearch",
    roles: SEARCHERS,
    component: lazy(() => import("./screens/Search.tsx").then((m) => ({ default: m.Search }))),
  },
  entity: {
    roles: [...SEARCHERS, "oversight"],
    component: lazy(() => import("./screens/Entity.tsx").then((m) => ({ default: m.Entity }))),
  },
  requests: {
    label: "navRequests",
    roles: SEARCHERS,
    component: lazy(() => import("./screens/Requests.tsx").then((m) => ({ default: m.Requests }))),
  },
  approvals: {
    label: "navApprovals",
    roles: ["supervisor"],
    component: lazy(() => import("./screens/Approvals.tsx").then((m) => ({ default: m.Approvals }))),
  },
  desk: {
    label: "navDesk",
    roles: ["analyst", "supervisor"],
    component: lazy(() => import("./screens/Desk.tsx").then((m) => ({ default: m.Desk }))),
  },
  port: {
    label: "navPort",
    roles: ["border-officer", "supervisor"],
    component: lazy(() => import("./screens/Port.tsx").then((m) => ({ default: m.Port }))),
  },
  oversight: {
    label: "navOversight",
    roles: ["oversight", "supervisor"],
    component: lazy(() => import("./screens/Oversight.tsx").then((m) => ({ default: m.Oversight }))),
  },
  admin: {
    label: "navAdmin",
    roles: ["admin"],
    component: lazy(() => import("./screens/Admin.tsx").then((m) => ({ default: m.Admin }))),
  },
};

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      {t("language")}{" "}
      <select value={i18n.language} onChange={(event) => void i18n.changeLanguage(event.target.value)}>
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>
            {new Intl.DisplayNames([language], { type: "language" }).of(language)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function App() {
  const { t } = useTranslation();
  const session = useSession();
  const route = useRoute();
  const node = useNodeInfo();

  if (session.state.status !== "signed-in")
    return (
      <>
        <header className="top">
          <span className="brand">{t("appName")}</span>
          <LanguageSwitch />
        </header>
        <SignIn {...(session.state.status === "locked" ? { lockedMinutes: session.state.idleMinutes } : {})} />
      </>
    );

  const { user } = session.state;
  const visible = Object.entries(SCREENS).filter(([, entry]) => entry.label && session.hasRole(...entry.roles));
  const fallback = visible[0]?.[0] ?? "search";
  const name = SCREENS[route.screen] ? route.screen : fallback;
  const Screen = (SCREENS[name] as ScreenEntry).component;
  return (
    <>
      {/* A button, not a link: the hash is the router's, so "#main" would change the screen. */}
      <button type="button" className="skip" onClick={() => document.getElementById("main")?.focus()}>
        {t("skipToContent")}
      </button>
      <header className="top">
        <span className="brand">{t("appName")}</span>
        <span className="muted">
          {t("signedInAs", {
            name: user.displayName,
            node: node.data ? `${node.data.agency} (${node.data.nodeId})` : "",
          })}
        </span>
        <LanguageSwitch />
        <button type="button" className="secondary" onClick={() => void session.signOut()}>
          {t("signOut")}
        </button>
      </header>
      <nav aria-label={t("navigation")} className="main-nav">
        <ul>
          {visible.map(([key, entry]) => (
            <li key={key}>
              <a href={href(key)} aria-current={key === name ? "page" : undefined}>
                {t(entry.label as string)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p>{t("loading")}</p>}>
          <Screen params={route.params} query={route.query} />
        </Suspense>
      </main>
    </>
  );
}
