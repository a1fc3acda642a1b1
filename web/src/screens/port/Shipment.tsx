// A monitored shipment (#/port/shipment/<id>): a form to open one by id; its express-lane eligibility in words (and,
// when revoked, the alerts that revoked it); its declared plan; the map of its declared route, authorised places,
// GPS fixes and alert positions; its alerts; its electronic-seal reads; and its latest GPS fixes.
import { useQuery } from "@tanstack/react-query";
import { type FormEvent, lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";
import { navigate } from "../../router.ts";
import { AlertTable } from "./Alerts.tsx";
import { type RaisedAlert, SHIPMENT, type ShipmentView, usePortWords } from "./model.ts";

const ShipmentMap = lazy(() => import("./ShipmentMap.tsx").then((module) => ({ default: module.ShipmentMap })));

function Lookup({ shipmentId }: { shipmentId: string }) {
  const { t } = useTranslation("port");
  const open = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = String(new FormData(event.currentTarget).get("shipmentId") ?? "").trim();
    if (id) navigate("port", "shipment", id);
  };
  return (
    <form className="row" onSubmit={open} aria-label={t("lookupTitle")}>
      <label>
        {t("field.shipmentId")}
        <input name="shipmentId" required maxLength={100} defaultValue={shipmentId} key={shipmentId} />
      </label>
      <button type="submit">{t("openButton")}</button>
    </form>
  );
}

function Eligibility({ shipment }: { shipment: ShipmentView }) {
  const { t } = useTranslation("port");
  const format = useFormat();
  const words = usePortWords();
  const { eligible, reasons } = shipment.eligibility;
  if (eligible) return <p className="status-ok">✓ {t("eligible")}</p>;
  const why = !shipment.plan.express
    ? t("notRequested")
    : reasons.length > 0
      ? t("revokedBecause")
      : shipment.fixes.length === 0
        ? t("notTracked")
        : t("notHeld");
  return (
    <>
      <p>
        <strong className="status-bad">✗ {t("notEligible")}</strong> {why}
      </p>
      {reasons.length > 0 && (
        <ul>
          {reasons.map((reason) => (
            <li key={`${reason.kind}:${reason.time}`}>
              {t("reasonItem", { kind: words.alertKind(reason.kind), time: format.dateTime(reason.time) })}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Plan({ shipment }: { shipment: ShipmentView }) {
  const { t } = useTranslation("port");
  const format = useFormat();
  const { plan } = shipment;
  const position = (lat: number, lon: number) =>
    t("map:coordinates", { lat: format.number(lat, 4), lon: format.number(lon, 4) });
  const first = plan.route[0];
  const last = plan.route.at(-1);
  return (
    <dl className="facts">
      <div>
        <dt>{t("field.expressRequested")}</dt>
        <dd>{plan.express ? t("common:yes") : t("common:no")}</dd>
      </div>
      <div>
        <dt>{t("field.seals")}</dt>
        <dd>{plan.sealNumbers.length > 0 ? plan.sealNumbers.join(", ") : t("noSeals")}</dd>
      </div>
      <div>
        <dt>{t("field.route")}</dt>
        <dd>
          {first && last
            ? t("routeText", {
                points: format.number(plan.route.length),
                from: position(first[0], first[1]),
                to: position(last[0], last[1]),
              })
            : t("noRoute")}
        </dd>
      </div>
      <div>
        <dt>{t("field.authorisedPlaces")}</dt>
        <dd>
          {plan.authorisedPlaces.length === 0 ? (
            t("noPlaces")
          ) : (
            <ul className="plain">
              {plan.authorisedPlaces.map((place) => (
                <li key={`${place.name}:${place.lat}:${place.lon}`}>
                  {place.name}{" "}
                  <span className="muted">
                    {t("map:circle", { radius: format.number(place.radiusM), centre: position(place.lat, place.lon) })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
      <div>
        <dt>{t("field.scheduledStops")}</dt>
        <dd>
          {(plan.scheduledStops ?? []).length === 0 ? (
            t("noStops")
          ) : (
            <ul className="plain">
              {(plan.scheduledStops ?? []).map((stop) => (
                <li key={`${stop.lat}:${stop.lon}`}>
                  {t("map:circle", { radius: format.number(stop.radiusM), centre: position(stop.lat, stop.lon) })}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </div>
    </dl>
  );
}

function SealReads({ shipment }: { shipment: ShipmentView }) {
  const { t } = useTranslation("port");
  const format = useFormat();
  const manifest = new Set(shipment.plan.sealNumbers);
  if (shipment.events.length === 0) return <p className="muted">{t("noSealReads")}</p>;
  return (
    <table>
      <caption className="visually-hidden">{t("sealReadsTitle")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("field.time")}</th>
          <th scope="col">{t("field.seal")}</th>
          <th scope="col">{t("field.state")}</th>
          <th scope="col">{t("field.battery")}</th>
          <th scope="col">{t("field.position")}</th>
        </tr>
      </thead>
      <tbody>
        {shipment.events.map((event) => {
          const seal = `${event.manufacturer}:${event.serial}`;
          return (
            <tr key={`${seal}@${event.time}:${event.state}`}>
              <th scope="row">{format.dateTime(event.time)}</th>
              <td>
                {seal}
                {!manifest.has(seal) && <div className="status-bad">✗ {t("notOnManifest")}</div>}
              </td>
              <td>
                {event.state === "opened" ? (
                  <strong className="status-bad">⚠ {t("state.opened")}</strong>
                ) : (
                  t("state.sealed")
                )}
              </td>
              <td className="number">
                {event.battery === undefined ? "—" : t("percent", { value: format.number(event.battery) })}
              </td>
              <td>
                {event.lat === undefined || event.lon === undefined
                  ? "—"
                  : t("map:coordinates", { lat: format.number(event.lat, 4), lon: format.number(event.lon, 4) })}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function Fixes({ shipment }: { shipment: ShipmentView }) {
  const { t } = useTranslation("port");
  const format = useFormat();
  if (shipment.fixes.length === 0) return <p className="muted">{t("noFixes")}</p>;
  return (
    <details>
      <summary>{t("showFixes", { count: shipment.fixes.length })}</summary>
      <table>
        <caption className="visually-hidden">{t("fixesTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("field.time")}</th>
            <th scope="col">{t("field.lat")}</th>
            <th scope="col">{t("field.lon")}</th>
            <th scope="col">{t("field.speed")}</th>
          </tr>
        </thead>
        <tbody>
          {shipment.fixes.map((fix) => (
            <tr key={fix.time}>
              <th scope="row">{format.dateTime(fix.time)}</th>
              <td className="number">{format.number(fix.lat, 5)}</td>
              <td className="number">{format.number(fix.lon, 5)}</td>
              <td className="number">
                {fix.speed === undefined ? "—" : t("speed", { value: format.number(fix.speed) })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function Detail({ shipmentId }: { shipmentId: string }) {
  const { t } = useTranslation("port");
  const shipment = useQuery({
    queryKey: [...SHIPMENT, shipmentId],
    queryFn: () => api<ShipmentView>(`/api/v1/border/shipments/${encodeURIComponent(shipmentId)}`),
    refetchInterval: 60_000,
  });
  if (shipment.isPending) return <p>{t("common:loading")}</p>;
  if (shipment.isError) return <ProblemMessage error={shipment.error} />;
  const data = shipment.data;
  const alerts: RaisedAlert[] = data.alerts;
  return (
    <section aria-labelledby="shipment-title">
      <h2 id="shipment-title">{t("shipmentTitle", { id: data.plan.shipmentId })}</h2>
      <h3>{t("eligibilityTitle")}</h3>
      <Eligibility shipment={data} />
      <h3>{t("planTitle")}</h3>
      <Plan shipment={data} />
      <h3>{t("mapTitle")}</h3>
      <Suspense fallback={<p>{t("common:loading")}</p>}>
        <ShipmentMap shipment={data} />
      </Suspense>
      <h3>{t("shipmentAlertsTitle")}</h3>
      {alerts.length === 0 ? (
        <p className="status-ok">✓ {t("noShipmentAlerts")}</p>
      ) : (
        <AlertTable alerts={alerts} caption={t("shipmentAlertsTitle")} linkShipments={false} />
      )}
      <h3>{t("sealReadsTitle")}</h3>
      <SealReads shipment={data} />
      <h3>{t("fixesTitle")}</h3>
      <Fixes shipment={data} />
    </section>
  );
}

export function Shipment({ shipmentId }: { shipmentId: string }) {
  const { t } = useTranslation("port");
  return (
    <>
      <Lookup shipmentId={shipmentId} />
      {shipmentId ? <Detail shipmentId={shipmentId} /> : <p className="hint">{t("lookupHint")}</p>}
    </>
  );
}
