// The entity profile, #/entity/<id>: the record's caption and schema, its statements grouped by property with
// provenance and markings (retracted ones struck through), the releases partners sent that concern it, and on
// further tabs (?view=links|map|timeline) its link graph, its places on a map and its timeline. Oversight officers
// get a link to who saw the record. The graph and the map load their libraries only when their tab is opened.
import { lazy, type ReactNode, Suspense } from "react";
import { useTranslation } from "react-i18next";
import type { Entity as EntityRecord, Statement } from "../../../src/model/types.ts";
import { ProblemMessage } from "../components/ProblemMessage.tsx";
import { Tabs } from "../components/Tabs.tsx";
import { useFormat } from "../format.ts";
import { href } from "../router.ts";
import { useSession } from "../session.tsx";
import { Links } from "./entity/Links.tsx";
import { useEntity, useNeighbourhood } from "./entity/queries.ts";
import { ReleasesReceived } from "./entity/ReleasesReceived.tsx";
import { StatementTable } from "./entity/StatementTable.tsx";
import { captionOf, propertyType } from "./entity/schemata.ts";
import { Timeline } from "./entity/Timeline.tsx";
import { useVocabulary } from "./entity/vocabulary.ts";
import "./entity/entity.css";

const EntityMap = lazy(() => import("./entity/EntityMap.tsx").then((module) => ({ default: module.EntityMap })));

const VIEWS = ["profile", "links", "map", "timeline"] as const;
type View = (typeof VIEWS)[number];
/** Roles that ask partners for details and so receive releases (the API refuses the others). */
const REQUESTERS = ["analyst", "supervisor", "prosecutor", "border-officer"];

/**
 * A statement's value as the profile shows it: linked records by caption; dates, countries and event types in the
 * user's language.
 */
function useValueText(schema: string, captions: Map<string, string>) {
  const format = useFormat();
  const vocabulary = useVocabulary();
  return (statement: Statement): ReactNode => {
    if (statement.property === "eventType") return vocabulary.eventType(statement.value);
    switch (propertyType(schema, statement.property)) {
      case "entity":
        return <a href={href("entity", statement.value)}>{captions.get(statement.value) ?? statement.value}</a>;
      case "date":
        return format.date(statement.value);
      case "country":
        return vocabulary.country(statement.value);
      default:
        return statement.value;
    }
  };
}

function Profile({ entity, view }: { entity: EntityRecord; view: View }) {
  const { t } = useTranslation("entity");
  const vocabulary = useVocabulary();
  const session = useSession();
  const neighbourhood = useNeighbourhood(entity.id);
  const captions = new Map((neighbourhood.data?.nodes ?? []).map((node) => [node.id, node.caption]));
  const valueText = useValueText(entity.schema, captions);
  const current = entity.statements.filter((statement) => !statement.retractedAt);
  // The node's own caption once the chart has come (it joins name parts), the schema's caption property until then.
  const caption = captions.get(entity.id) ?? captionOf(entity.schema, current) ?? entity.id;
  const origins = [...new Set(entity.statements.map((statement) => statement.provenance.originNode))];
  const retracted = entity.statements.length - current.length;
  const base = href("entity", entity.id);

  return (
    <>
      <h1>
        {caption} <span className="entity-schema">({vocabulary.schema(entity.schema)})</span>
      </h1>
      <p className="entity-meta">
        <span>{t("recordId", { id: entity.id })}</span>
        {origins.length > 0 && <span>{t("heldBy", { nodes: origins.join(", ") })}</span>}
        {session.hasRole("oversight") && <a href={href("oversight", "record", entity.id)}>{t("whoSawThisRecord")}</a>}
      </p>
      <Tabs
        label={t("views")}
        current={view}
        tabs={VIEWS.map((key) => ({
          key,
          label: t(`view.${key}`),
          href: key === "profile" ? base : `${base}?view=${key}`,
        }))}
      />
      {view === "profile" && (
        <>
          <h2>{t("statementsHeading")}</h2>
          {retracted > 0 && <p className="muted">{t("retractedNote", { number: retracted })}</p>}
          <StatementTable
            caption={t("statementsCaption", { caption })}
            statements={entity.statements.map((statement) => ({
              id: statement.id,
              property: statement.property,
              value: valueText(statement),
              originalValue: statement.originalValue !== statement.value ? statement.originalValue : null,
              provenance: statement.provenance,
              markings: statement.markings,
              recordedAt: statement.recordedAt,
              retractedAt: statement.retractedAt,
            }))}
          />
          <h2>{t("releasesHeading")}</h2>
          <ReleasesReceived id={entity.id} allowed={session.hasRole(...REQUESTERS)} />
        </>
      )}
      {view === "links" && (
        <>
          <h2>{t("view.links")}</h2>
          <Links id={entity.id} caption={caption} />
        </>
      )}
      {view === "map" && (
        <>
          <h2>{t("view.map")}</h2>
          <Suspense fallback={<p>{t("common:loading")}</p>}>
            <EntityMap entity={entity} caption={caption} />
          </Suspense>
        </>
      )}
      {view === "timeline" && (
        <>
          <h2>{t("view.timeline")}</h2>
          <Timeline id={entity.id} caption={caption} />
        </>
      )}
    </>
  );
}

export function Entity({ params, query }: { params: string[]; query: URLSearchParams }) {
  const { t } = useTranslation("entity");
  const id = params[0] ?? "";
  const entity = useEntity(id);
  const requested = query.get("view");
  const view: View = VIEWS.find((key) => key === requested) ?? "profile";
  if (!id)
    return (
      <>
        <h1>{t("title")}</h1>
        <p>{t("noRecord")}</p>
      </>
    );
  if (entity.isPending)
    return (
      <>
        <h1>{t("title")}</h1>
        <p>{t("common:loading")}</p>
      </>
    );
  if (entity.isError)
    return (
      <>
        <h1>{t("title")}</h1>
        <ProblemMessage error={entity.error} />
      </>
    );
  return <Profile entity={entity.data} view={view} />;
}
