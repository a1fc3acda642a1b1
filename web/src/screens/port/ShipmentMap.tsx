// A shipment on the outline map: its declared route as a line, its authorised places and scheduled stops as circles,
// its GPS fixes, the seal reads that carry a position, and where each alert was raised. Loaded with the shipment view
// only, so the queue does not fetch the map's libraries.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { type MapArea, type MapLine, type MapPoint, OutlineMap } from "../../components/OutlineMap.tsx";
import { useFormat } from "../../format.ts";
import { type ShipmentView, usePortWords } from "./model.ts";

/** The least span of the map in degrees (about 110 km north to south): a trip to the border fills it. */
const ROAD_SPAN = 1;

export function ShipmentMap({ shipment }: { shipment: ShipmentView }) {
  const { t, i18n } = useTranslation("port");
  const format = useFormat();
  const words = usePortWords();
  const { plan } = shipment;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the labels follow i18n.language
  const drawn = useMemo(() => {
    const lines: MapLine[] =
      plan.route.length >= 2 ? [{ id: "route", label: t("declaredRoute"), points: plan.route }] : [];
    const areas: MapArea[] = [
      ...plan.authorisedPlaces.map((place, index) => ({
        id: `place-${index}`,
        label: t("authorisedPlace", { name: place.name }),
        circle: { lat: place.lat, lon: place.lon, radiusM: place.radiusM },
      })),
      ...(plan.scheduledStops ?? []).map((stop, index) => ({
        id: `stop-${index}`,
        label: t("scheduledStop", { number: index + 1 }),
        circle: stop,
      })),
    ];
    const fixes: MapPoint[] = shipment.fixes.map((fix) => ({
      id: `fix-${fix.time}`,
      lat: fix.lat,
      lon: fix.lon,
      kind: "fix",
      label:
        fix.speed === undefined
          ? t("fixLabel", { time: format.dateTime(fix.time) })
          : t("fixLabelSpeed", {
              time: format.dateTime(fix.time),
              speed: t("speed", { value: format.number(fix.speed) }),
            }),
    }));
    const alerts: MapPoint[] = shipment.alerts.flatMap((alert) =>
      alert.lat === undefined || alert.lon === undefined
        ? []
        : [
            {
              id: `alert-${alert.id}`,
              lat: alert.lat,
              lon: alert.lon,
              kind: "alert",
              label: t("reasonItem", { kind: words.alertKind(alert.kind), time: format.dateTime(alert.time) }),
            },
          ],
    );
    const reads: MapPoint[] = shipment.events.flatMap((event) =>
      event.lat === undefined || event.lon === undefined
        ? []
        : [
            {
              id: `read-${event.manufacturer}:${event.serial}@${event.time}:${event.state}`,
              lat: event.lat,
              lon: event.lon,
              kind: "seal-read",
              label: t("readLabel", {
                seal: `${event.manufacturer}:${event.serial}`,
                state: t(`state.${event.state}`),
                time: format.dateTime(event.time),
              }),
            },
          ],
    );
    return { lines, areas, points: [...fixes, ...alerts, ...reads] };
  }, [shipment, i18n.language]);

  return (
    <OutlineMap
      points={drawn.points}
      areas={drawn.areas}
      lines={drawn.lines}
      minSpan={ROAD_SPAN}
      title={t("mapOf", { id: plan.shipmentId })}
      kindLabel={(kind) => t(`pointKind.${kind}`)}
    />
  );
}
