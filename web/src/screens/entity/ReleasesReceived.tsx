// The releases partners sent this user (step two of the exchange) that concern the record on screen, as the
// node's link chart finds them (a match or possible match by the matching engine, or a shared identifier): the
// released values with their markings, the owner node, the release id and watermark, the caveat that travels with
// the copy, and "lead only" / "not for court" restrictions set apart at the top. A release the owner purged is gone
// from this node; values the owner retracted are gone from the release, and listed as retracted when the node says
// which.
import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";
import { type NeighbourEdge, type OutgoingRequest, type Release, useNeighbourhood, useRequests } from "./queries.ts";
import { StatementTable } from "./StatementTable.tsx";
import { useVocabulary } from "./vocabulary.ts";

interface Concerning {
  request: OutgoingRequest;
  release: Release;
  /** The chart's link between the release and the record: why the release is shown here. */
  link: NeighbourEdge;
}

function RestrictionNotice({ release }: { release: Release }) {
  const { t } = useTranslation("entity");
  const restricted = release.statements.filter((statement) => !statement.usableInEvidence);
  if (restricted.length === 0) return null;
  const reasons = new Set<string>();
  for (const statement of restricted) {
    for (const restriction of statement.markings.useRestrictions) reasons.add(t(`common:restriction.${restriction}`));
    if (statement.markings.handlingCode === "H1") reasons.add(t("release.h1"));
  }
  return (
    <div className="notice release-restricted" role="note">
      <p>
        <strong>
          {t("release.notForEvidence", { restricted: restricted.length, total: release.statements.length })}
        </strong>
      </p>
      <p>{t("release.restrictions", { list: [...reasons].join(" · ") })}</p>
    </div>
  );
}

function ReleaseCard({ request, release, link }: Concerning) {
  const { t } = useTranslation("entity");
  const format = useFormat();
  const vocabulary = useVocabulary();
  const { withdrawn } = release;
  return (
    <article className="panel release-card">
      <h3>{t("release.title", { owner: release.owner, date: format.dateTime(release.issuedAt) })}</h3>
      <RestrictionNotice release={release} />
      {withdrawn.length > 0 && (
        <p className="notice">
          <span className="retracted">{t("release.withdrawnValues", { number: withdrawn.length })}</span>{" "}
          {t("release.withdrawnNote")}
        </p>
      )}
      <dl className="facts">
        <dt>{t("release.owner")}</dt>
        <dd>{release.owner}</dd>
        <dt>{t("release.id")}</dt>
        <dd>
          <code>{release.releaseId}</code>
        </dd>
        <dt>{t("release.watermark")}</dt>
        <dd>
          <code>{release.watermark}</code>
        </dd>
        <dt>{t("release.case")}</dt>
        <dd>{request.case_reference}</dd>
        <dt>{t("release.caveat")}</dt>
        {/* Written by the owner node in English and signed with the release: shown as sent. */}
        <dd lang="en">{release.caveat}</dd>
        <dt>{t("release.why")}</dt>
        <dd>
          {t(`linkKind.${link.label}`, {
            defaultValue: link.label,
            score: link.score === undefined ? "" : format.number(link.score, 2),
          })}
        </dd>
        {release.redacted.length > 0 && (
          <>
            <dt>{t("release.redacted")}</dt>
            <dd>{release.redacted.map(vocabulary.property).join(", ")}</dd>
          </>
        )}
      </dl>
      <StatementTable
        caption={t("release.valuesCaption", { owner: release.owner })}
        statements={release.statements.map((statement) => ({
          id: statement.statementId,
          property: statement.property,
          // As released: the layout of each value marks this copy, so it is shown exactly as received.
          value: statement.value,
          provenance: statement.provenance,
          markings: statement.markings,
          usableInEvidence: statement.usableInEvidence,
        }))}
      />
    </article>
  );
}

export function ReleasesReceived({ id, allowed }: { id: string; allowed: boolean }) {
  const { t } = useTranslation("entity");
  const neighbourhood = useNeighbourhood(id);
  const requests = useRequests(allowed);
  if (!allowed) return <p className="muted">{t("release.notForRole")}</p>;
  if (neighbourhood.isPending || requests.isPending) return <p>{t("common:loading")}</p>;
  if (neighbourhood.isError || requests.isError)
    return <ProblemMessage error={neighbourhood.error ?? requests.error} />;
  const received = new Map(
    requests.data.requests.flatMap((request) =>
      request.releases.map((release) => [release.releaseId, { request, release }]),
    ),
  );
  const concerning = neighbourhood.data.nodes.flatMap((node): Concerning[] => {
    const found = node.released && node.releaseId ? received.get(node.releaseId) : undefined;
    const link = neighbourhood.data.edges.find(
      (edge) => (edge.source === node.id && edge.target === id) || (edge.source === id && edge.target === node.id),
    );
    return found && link ? [{ ...found, link }] : [];
  });
  if (concerning.length === 0) return <p>{t("release.none")}</p>;
  return (
    <>
      <p className="muted">{t("release.explanation")}</p>
      {concerning.map((item) => (
        <ReleaseCard key={item.release.releaseId} {...item} />
      ))}
    </>
  );
}
