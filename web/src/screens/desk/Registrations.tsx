// The user's own registrations: operations on the outline map and in a table (type, place, window, risk, case),
// and targets (kind, values, case).
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { type MapArea, OutlineMap } from "../../components/OutlineMap.tsx";
import { useFormat } from "../../format.ts";
import type { OperationInput, OperationRow, TargetInput, TargetRow } from "./kinds.ts";

type Area = OperationInput["area"];

function parse<T>(json: string): T | undefined {
  try {
    return JSON.parse(json) as T;
  } catch {
    return undefined;
  }
}

export function Operations({ operations }: { operations: OperationRow[] }) {
  const { t } = useTranslation("desk");
  const format = useFormat();
  const areas = useMemo(
    () =>
      operations.flatMap((operation, index): MapArea[] => {
        const area = parse<Area>(operation.area);
        const label = t("operationLabel", {
          number: index + 1,
          type: t(`operationType.${operation.operation_type}`, { defaultValue: operation.operation_type }),
          caseReference: operation.case_reference,
        });
        if (area?.kind === "circle")
          return [{ id: operation.id, label, circle: { lat: area.lat, lon: area.lon, radiusM: area.radiusM } }];
        if (area?.kind === "polygon") return [{ id: operation.id, label, polygon: area.points }];
        return [];
      }),
    [operations, t],
  );
  if (operations.length === 0) return <p>{t("noOperations")}</p>;
  return (
    <>
      <OutlineMap points={[]} areas={areas} title={t("mapTitle")} />
      <table>
        <caption className="visually-hidden">{t("operationsTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("field.type")}</th>
            <th scope="col">{t("field.caseReference")}</th>
            <th scope="col">{t("field.place")}</th>
            <th scope="col">{t("field.window")}</th>
            <th scope="col">{t("field.risk")}</th>
          </tr>
        </thead>
        <tbody>
          {operations.map((operation) => {
            const area = parse<Area>(operation.area);
            return (
              <tr key={operation.id}>
                <th scope="row">
                  {t(`operationType.${operation.operation_type}`, { defaultValue: operation.operation_type })}
                </th>
                <td>{operation.case_reference}</td>
                <td>
                  {area?.kind === "circle"
                    ? t("circleText", {
                        lat: format.number(area.lat, 5),
                        lon: format.number(area.lon, 5),
                        radius: format.number(area.radiusM),
                      })
                    : t("polygonText", { count: area?.kind === "polygon" ? area.points.length : 0 })}
                </td>
                <td>
                  {t("windowText", {
                    start: format.dateTime(operation.starts_at),
                    end: format.dateTime(operation.ends_at),
                  })}
                </td>
                <td>{t(`risk.${operation.risk}`, { defaultValue: operation.risk })}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

export function Targets({ targets }: { targets: TargetRow[] }) {
  const { t } = useTranslation("desk");
  const format = useFormat();
  if (targets.length === 0) return <p>{t("noTargets")}</p>;
  return (
    <table>
      <caption className="visually-hidden">{t("targetsTitle")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("field.kind")}</th>
          <th scope="col">{t("field.caseReference")}</th>
          <th scope="col">{t("field.values")}</th>
          <th scope="col">{t("field.registeredAt")}</th>
        </tr>
      </thead>
      <tbody>
        {targets.map((target) => {
          const subject = parse<TargetInput["subject"]>(target.subject);
          return (
            <tr key={target.id}>
              <th scope="row">{t(`kind.${target.kind}`, { defaultValue: target.kind })}</th>
              <td>{target.case_reference}</td>
              <td>
                {Object.entries(subject?.values ?? {}).map(([field, values]) => (
                  <div key={field}>
                    {t("valueText", { field: t(`field.${field}`, { defaultValue: field }), values: values.join("; ") })}
                  </div>
                ))}
              </td>
              <td>{format.dateTime(target.created_at)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
