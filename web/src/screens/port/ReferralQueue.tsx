// The referral queue: crossings screening sent to secondary inspection, newest first, at one southern-border port or
// all of them (the filter is in the route, so a reload keeps it), polled so new referrals appear on their own; those
// with an outcome already can be hidden (those the user decides stay in view until they leave the queue).
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { Choice } from "../../components/Choice.tsx";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";
import { href } from "../../router.ts";
import { REFERRALS, type ReferralView, SOUTHERN_BORDER_PORTS, usePortWords } from "./model.ts";
import { Referral } from "./Referral.tsx";

function queueHref(port: string): string {
  return port ? `${href("port")}?${new URLSearchParams({ port })}` : href("port");
}

export function ReferralQueue({ port }: { port: string }) {
  const { t } = useTranslation("port");
  const format = useFormat();
  const words = usePortWords();
  const [openOnly, setOpenOnly] = useState(true);
  const [decidedHere, setDecidedHere] = useState<ReadonlySet<string>>(new Set());
  const referrals = useQuery({
    queryKey: [...REFERRALS, port],
    queryFn: () =>
      api<{ referrals: ReferralView[] }>(`/api/v1/border/referrals${port ? `?${new URLSearchParams({ port })}` : ""}`),
    refetchInterval: 30_000,
  });
  const all = referrals.data?.referrals ?? [];
  const shown = openOnly ? all.filter((referral) => !referral.outcome || decidedHere.has(referral.id)) : all;
  const known = SOUTHERN_BORDER_PORTS.some((candidate) => candidate.code === port);

  return (
    <section aria-labelledby="queue-title">
      <h2 id="queue-title">{t("queueTitle")}</h2>
      <p className="hint">{t("queueHint")}</p>
      <div className="row port-filters">
        <label>
          {t("portFilter")}
          <select
            value={port}
            onChange={(event) => {
              window.location.hash = queueHref(event.target.value);
            }}
          >
            <option value="">{t("allPorts")}</option>
            {port && !known && <option value={port}>{port}</option>}
            {SOUTHERN_BORDER_PORTS.map((candidate) => (
              <option key={candidate.code} value={candidate.code}>
                {t("portOption", { code: candidate.code, name: candidate.name, state: candidate.state })}
              </option>
            ))}
          </select>
        </label>
        <Choice type="checkbox" checked={openOnly} onChange={(event) => setOpenOnly(event.target.checked)}>
          {t("openOnly")}
        </Choice>
      </div>
      <ProblemMessage error={referrals.error} />
      {referrals.isPending && <p>{t("common:loading")}</p>}
      {referrals.data && (
        <p aria-live="polite">
          {t(port ? "queueCount" : "queueCountAll", {
            shown: format.number(shown.length),
            total: format.number(all.length),
            port: words.port(port),
          })}
        </p>
      )}
      {referrals.data && shown.length === 0 && <p className="status-ok">✓ {t("noReferrals")}</p>}
      {shown.map((referral) => (
        <Referral
          key={referral.id}
          referral={referral}
          onDecided={(id) => setDecidedHere((before) => new Set([...before, id]))}
        />
      ))}
    </section>
  );
}
