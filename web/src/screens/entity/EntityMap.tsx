// The map tab: the record's places (its own coordinates, its neighbourhood's addresses and events, its timeline's
// events) on the outline map, with the user's own operation areas nearby (from the deconfliction register), so
// that a planned operation close to a subject's address or crossings stands out.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { Entity } from "../../../../src/model/types.ts";
import { type MapArea, type MapPoint, OutlineMap } from "../../components/OutlineMap.tsx";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";
import { useSession } from "../../session.tsx";
import { type Operation, useNeighbourhood, useOperations, useTimeline } from "./queries.ts";
import { useVocabulary } from "./vocabulary.ts";

/** How far from the record's places an operation area may be and still be shown. */
const NEARBY_M = 100_000;

function coordinate(value: unknown): number | undefined {
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
}

function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const radians = Math.PI / 180;
  const dLat = (b.lat - a.lat) * radians;
  const dLon = (b.lon - a.lon) * radians;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * radians) * Math.cos(b.lat * radians) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}

type OperationArea =
  | { kind: "circle"; lat: number; lon: number; radiusM: number }
  | { kind: "polygon"; points: Array<[number, number]> };

function areaOf(operation: Operation): OperationArea | undefined {
  try {
    return JSON.parse(operation.area) as OperationArea;
  } catch {
    return undefined;
  }
}

export function EntityMap({ entity, caption }: { entity: Entity; caption: string }) {
  const { t, i18n } = useTranslation("entity");
  const format = useFormat();
  const vocabulary = useVocabulary();
  const session = useSession();
  const neighbourhood = useNeighbourhood(entity.id);
  const timeline = useTimeline(entity.id);
  const mayPlan = session.hasRole("analyst", "supervisor");
  const operations = useOperations(mayPlan);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the vocabulary follows i18n.language
  const points = useMemo(() => {
    const found = new Map<string, MapPoint>();
    const own = (property: string) =>
      coordinate(entity.statements.find((s) => s.property === property && !s.retractedAt)?.value);
    const [lat, lon] = [own("latitude"), own("longitude")];
    if (lat !== undefined && lon !== undefined)
      found.set(entity.id, { id: entity.id, lat, lon, label: caption, kind: entity.schema });
    for (const event of timeline.data?.events ?? []) {
      const [eventLat, eventLon] = [coordinate(event.latitude), coordinate(event.longitude)];
      if (eventLat === undefined || eventLon === undefined) continue;
      const place = event.port ?? event.location ?? "";
      const kind = event.eventType ?? "other";
      const label = [vocabulary.eventType(kind), format.date(event.date), place].filter(Boolean).join(", ");
      found.set(event.id, { id: event.id, lat: eventLat, lon: eventLon, label, kind });
    }
    for (const node of neighbourhood.data?.nodes ?? []) {
      const [nodeLat, nodeLon] = [coordinate(node.latitude), coordinate(node.longitude)];
      if (nodeLat === undefined || nodeLon === undefined || found.has(node.id)) continue;
      found.set(node.id, {
        id: node.id,
        lat: nodeLat,
        lon: nodeLon,
        label: node.caption || vocabulary.schema(node.schema),
        kind: node.schema,
      });
    }
    return [...found.values()];
  }, [entity, caption, timeline.data, neighbourhood.data, i18n.language]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the labels follow i18n.language
  const areas = useMemo(() => {
    const now = new Date().toISOString();
    return (operations.data?.operations ?? []).flatMap((operation): MapArea[] => {
      const area = areaOf(operation);
      if (!area || operation.closed_at || operation.ends_at < now) return [];
      const corners =
        area.kind === "circle" ? [{ lat: area.lat, lon: area.lon }] : area.points.map(([lat, lon]) => ({ lat, lon }));
      if (!corners.some((corner) => points.some((point) => distanceM(corner, point) <= NEARBY_M))) return [];
      const label = t("map.operation", {
        type: t(`operationType.${operation.operation_type}`, { defaultValue: operation.operation_type }),
        case: operation.case_reference,
        from: format.dateTime(operation.starts_at),
        to: format.dateTime(operation.ends_at),
      });
      return [
        area.kind === "circle"
          ? { id: operation.id, label, circle: { lat: area.lat, lon: area.lon, radiusM: area.radiusM } }
          : { id: operation.id, label, polygon: area.points },
      ];
    });
  }, [operations.data, points, i18n.language]);

  const kindLabel = (kind: string) =>
    i18n.exists(`model:eventType.${kind}`) ? vocabulary.eventType(kind) : vocabulary.schema(kind);
  return (
    <>
      {(neighbourhood.isPending || timeline.isPending) && <p>{t("common:loading")}</p>}
      <ProblemMessage error={neighbourhood.error ?? timeline.error} />
      <OutlineMap points={points} areas={areas} title={t("map.title", { caption })} kindLabel={kindLabel} />
      {mayPlan && <p className="muted">{t("map.operationsNote", { km: format.number(NEARBY_M / 1000) })}</p>}
      {operations.isError && <ProblemMessage error={operations.error} />}
    </>
  );
}
