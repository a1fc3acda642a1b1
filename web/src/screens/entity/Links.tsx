// The links tab: the record's neighbourhood as a graph (loaded on demand with Cytoscape) and, for keyboard and
// screen-reader users, the same records as a table with links to their profiles, their type, how they are linked
// and, for records partners released, which node owns them.
import { lazy, Suspense, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";
import { href } from "../../router.ts";
import { useNeighbourhood } from "./queries.ts";
import { useVocabulary } from "./vocabulary.ts";

/** Labels of the links the chart draws from a partner's released record to this node's records. */
const RELEASE_LINKS = new Set(["match", "possible-match", "same-identifier"]);

const LinkGraph = lazy(() => import("./LinkGraph.tsx").then((module) => ({ default: module.LinkGraph })));

export function Links({ id, caption }: { id: string; caption: string }) {
  const { t, i18n } = useTranslation("entity");
  const vocabulary = useVocabulary();
  const format = useFormat();
  const neighbourhood = useNeighbourhood(id);
  // Labels are translated here, once per answer and language, so the graph is drawn again only when they change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the vocabulary and t follow i18n.language
  const edges = useMemo(
    () =>
      (neighbourhood.data?.edges ?? []).map((edge) => ({
        ...edge,
        label: RELEASE_LINKS.has(edge.label)
          ? t(`linkKind.${edge.label}`, { score: edge.score === undefined ? "" : format.number(edge.score, 2) })
          : vocabulary.link(edge.label),
      })),
    [neighbourhood.data, i18n.language],
  );

  if (neighbourhood.isPending) return <p>{t("common:loading")}</p>;
  if (neighbourhood.isError) return <ProblemMessage error={neighbourhood.error} />;
  // A record without a caption the user may read is named by its schema, in the user's language.
  const nodes = neighbourhood.data.nodes.map((node) => ({
    ...node,
    caption: node.caption || vocabulary.schema(node.schema),
  }));
  const { truncated } = neighbourhood.data;
  const neighbours = nodes.filter((node) => node.id !== id);
  const linksOf = (other: string) =>
    [
      ...new Set(
        edges
          .filter(
            (edge) => (edge.source === id && edge.target === other) || (edge.target === id && edge.source === other),
          )
          .map((edge) => edge.label),
      ),
    ].join(", ");

  if (neighbours.length === 0) return <p>{t("links.none")}</p>;
  return (
    <div className="links">
      <Suspense fallback={<p>{t("links.loadingGraph")}</p>}>
        <LinkGraph
          focus={id}
          nodes={nodes}
          edges={edges}
          label={t("links.graphLabel", { caption, number: neighbours.length })}
        />
      </Suspense>
      <p className="muted">{t("links.hint")}</p>
      {truncated && <p className="notice">{t("links.truncated")}</p>}
      <table>
        <caption className="visually-hidden">{t("links.tableCaption", { caption })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("links.record")}</th>
            <th scope="col">{t("links.type")}</th>
            <th scope="col">{t("links.link")}</th>
            <th scope="col">{t("links.heldBy")}</th>
          </tr>
        </thead>
        <tbody>
          {neighbours.map((node) => (
            <tr key={node.id}>
              <th scope="row">
                <a href={node.released ? href("requests") : href("entity", node.id)}>{node.caption}</a>
              </th>
              <td>{vocabulary.schema(node.schema)}</td>
              <td>{linksOf(node.id) || t("links.indirect")}</td>
              <td>{node.released ? t("links.releasedBy", { node: node.owner ?? "" }) : t("links.thisNode")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
