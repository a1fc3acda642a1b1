// Statements grouped by property: each value (with the value as originally given, when it differs), where it came
// from, its markings and, for released values, whether it may be used in evidence. Retracted statements stay
// visible, struck through, with their retraction date. Used for the node's own records and for releases received.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Provenance, Markings as StatementMarkings } from "../../../../src/model/types.ts";
import { Markings } from "../../components/Markings.tsx";
import { useFormat } from "../../format.ts";
import { useVocabulary } from "./vocabulary.ts";

export interface ShownStatement {
  id: string;
  property: string;
  /** The value as the screen renders it (a link, a formatted date, the text). */
  value: ReactNode;
  originalValue?: string | null;
  provenance: Provenance;
  markings: StatementMarkings;
  recordedAt?: string;
  retractedAt?: string | null;
  /** Present for released values: whether the owner's markings let them go into evidence. */
  usableInEvidence?: boolean;
}

function ProvenanceText({ provenance, recordedAt }: { provenance: Provenance; recordedAt?: string | undefined }) {
  const { t } = useTranslation("entity");
  const format = useFormat();
  return (
    <span className="provenance">
      <span>{t("provenance.origin", { node: provenance.originNode, record: provenance.sourceRecord })}</span>
      {provenance.collectedAt && (
        <span>{t("provenance.collected", { date: format.date(provenance.collectedAt) })}</span>
      )}
      <span>
        {recordedAt
          ? t("provenance.recordedOn", { who: provenance.recordedBy, date: format.dateTime(recordedAt) })
          : t("provenance.recordedBy", { who: provenance.recordedBy })}
      </span>
    </span>
  );
}

export function StatementTable({ statements, caption }: { statements: ShownStatement[]; caption: string }) {
  const { t, i18n } = useTranslation("entity");
  const format = useFormat();
  const vocabulary = useVocabulary();
  const evidence = statements.some((statement) => statement.usableInEvidence !== undefined);

  const groups = new Map<string, ShownStatement[]>();
  for (const statement of statements)
    groups.set(statement.property, [...(groups.get(statement.property) ?? []), statement]);
  const collator = new Intl.Collator(i18n.language);
  const ordered = [...groups.entries()]
    .map(([property, members]) => ({
      property,
      label: vocabulary.property(property),
      // Current values first, the newest first; retracted ones after them.
      members: members.sort(
        (a, b) =>
          Number(Boolean(a.retractedAt)) - Number(Boolean(b.retractedAt)) ||
          (b.recordedAt ?? "").localeCompare(a.recordedAt ?? ""),
      ),
    }))
    .sort((a, b) => collator.compare(a.label, b.label));

  if (statements.length === 0) return <p>{t("noStatements")}</p>;
  return (
    <table className="statements">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("column.property")}</th>
          <th scope="col">{t("column.value")}</th>
          <th scope="col">{t("column.provenance")}</th>
          <th scope="col">{t("common:markings")}</th>
          {evidence && <th scope="col">{t("column.evidence")}</th>}
        </tr>
      </thead>
      {ordered.map(({ property, label, members }) => (
        <tbody key={property}>
          {members.map((statement, index) => (
            <tr key={statement.id} className={statement.retractedAt ? "is-retracted" : undefined}>
              {index === 0 && (
                <th scope="rowgroup" rowSpan={members.length}>
                  {label}
                </th>
              )}
              <td>
                <span className={statement.retractedAt ? "retracted" : undefined}>{statement.value}</span>
                {statement.retractedAt && (
                  <span className="badge retracted-badge">
                    {t("common:retracted", { date: format.date(statement.retractedAt) })}
                  </span>
                )}
                {statement.originalValue && (
                  <span className="original">{t("originalValue", { value: statement.originalValue })}</span>
                )}
              </td>
              <td>
                <ProvenanceText provenance={statement.provenance} recordedAt={statement.recordedAt} />
              </td>
              <td>
                <Markings markings={statement.markings} />
              </td>
              {evidence && (
                <td>
                  {statement.usableInEvidence ? (
                    <span className="status-ok">{t("evidence.usable")}</span>
                  ) : (
                    <span className="status-bad">{t("evidence.notUsable")}</span>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}
