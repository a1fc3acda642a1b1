// Tabs of a screen as a row of links (each tab has its own hash route, so a reload or a shared link keeps it);
// the current one is marked with aria-current and an underline, not by colour alone.
import "./tabs.css";

export interface Tab {
  key: string;
  label: string;
  href: string;
}

export function Tabs({ label, tabs, current }: { label: string; tabs: Tab[]; current: string }) {
  return (
    <nav aria-label={label} className="tabs">
      <ul>
        {tabs.map((tab) => (
          <li key={tab.key}>
            <a href={tab.href} aria-current={tab.key === current ? "page" : undefined}>
              {tab.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
