// The response clock of a request: time left until it is due, or how long it is overdue (said in words, not by
// colour alone), kept current by a clock that ticks once a minute.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../format.ts";

/** The current time, refreshed every minute. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

export function isOverdue(due: string, now: number): boolean {
  return Date.parse(due) < now;
}

export function ResponseClock({ due, now, expected = false }: { due: string; now: number; expected?: boolean }) {
  const { t } = useTranslation("requests");
  const format = useFormat();
  const left = Date.parse(due) - now;
  const at = format.dateTime(due);
  if (left < 0) return <span className="status-bad">⚠ {t("clock.overdue", { time: format.duration(-left), at })}</span>;
  return <span>{t(expected ? "clock.expected" : "clock.left", { time: format.duration(left), at })}</span>;
}
