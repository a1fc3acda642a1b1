// A statement's markings as compact badges: TLP colour (FIRST TLP 2.0 palette), Admiralty grades, handling code,
// releasability, use restrictions and review-by date. Every badge has a text label, not colour alone.
import { useTranslation } from "react-i18next";
import type { Markings as StatementMarkings } from "../../../src/model/types.ts";
import { useFormat } from "../format.ts";

export function TlpBadge({ level }: { level: string }) {
  const { t } = useTranslation();
  return <span className={`badge tlp tlp-${level.toLowerCase().replace("+", "-")}`}>{t("tlp", { level })}</span>;
}

export function Markings({ markings }: { markings: StatementMarkings }) {
  const { t } = useTranslation();
  const format = useFormat();
  const releasable = [...markings.releasableCountries, ...markings.releasableAgencies];
  return (
    <span className="markings">
      <TlpBadge level={markings.tlp} />
      <span className="badge">
        {markings.sourceGrade}
        {markings.infoGrade}
        <span className="visually-hidden">
          {" "}
          ({t("sourceGrade", { grade: markings.sourceGrade })}, {t("infoGrade", { grade: markings.infoGrade })})
        </span>
      </span>
      {markings.handlingCode !== "H0" && (
        <span className="badge">{t("handling", { code: markings.handlingCode })}</span>
      )}
      {releasable.length > 0 && <span className="badge">{t("releasableTo", { list: releasable.join(", ") })}</span>}
      {markings.useRestrictions.map((restriction) => (
        <span key={restriction} className="badge restriction">
          {t(`restriction.${restriction}`)}
        </span>
      ))}
      <span className="badge muted">{t("reviewBy", { date: format.date(markings.reviewBy) })}</span>
    </span>
  );
}
