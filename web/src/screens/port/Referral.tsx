// One referred crossing: when and where, lane, conveyance, manifest (with a link to the shipment's seals and route),
// the people numbered as screening numbers them, the risk band in words, the reasons with their weights, the node's
// own explanation and whom to call about each lookout, and the outcome of secondary inspection or the form for it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { ContactLines } from "../../components/ContactLines.tsx";
import { useFormat } from "../../format.ts";
import { href } from "../../router.ts";
import {
  type Crossing,
  type OutcomeBody,
  REFERRALS,
  type ReferralView,
  type ScreeningBand,
  type SuppressionView,
  type Traveller,
  usePortWords,
  weightText,
} from "./model.ts";
import { OutcomeForm } from "./OutcomeForm.tsx";

/** The risk band in words with a symbol of its own, so that it does not rest on colour. */
const BAND_SYMBOL: Record<ScreeningBand, string> = { low: "▽", medium: "◆", high: "▲" };

function BandBadge({ band }: { band: ScreeningBand }) {
  const words = usePortWords();
  return (
    <strong className={`badge band band-${band}`}>
      <span aria-hidden="true">{BAND_SYMBOL[band] ?? "•"}</span> {words.band(band)}
    </strong>
  );
}

function Conveyance({ crossing }: { crossing: Crossing }) {
  const { t } = useTranslation("port");
  const words = usePortWords();
  const { kind, plate, plateJurisdiction, vin, usdot } = crossing.conveyance;
  const parts = [
    plate && t("plate", { plate, jurisdiction: plateJurisdiction ?? t("jurisdictionUnknown") }),
    vin && t("vin", { vin }),
    usdot && t("usdot", { usdot }),
  ].filter(Boolean);
  return (
    <>
      {words.conveyance(kind)}
      {parts.length > 0 && <span className="muted">{` · ${parts.join(" · ")}`}</span>}
    </>
  );
}

function Person({ person }: { person: Traveller }) {
  const { t } = useTranslation("port");
  const format = useFormat();
  const words = usePortWords();
  const details = [
    person.role && words.role(person.role),
    person.birthDate && t("born", { date: format.date(person.birthDate) }),
    person.nationality && t("nationality", { country: person.nationality }),
    person.document &&
      t("documentText", {
        type: words.document(person.document.type),
        number: person.document.number,
        country: person.document.country ?? "",
      }).trim(),
  ].filter(Boolean);
  return (
    <>
      <span className="person-name">{person.name}</span>
      {details.length > 0 && <span className="muted"> ({details.join("; ")})</span>}
    </>
  );
}

function Reasons({ referral }: { referral: ReferralView }) {
  const { t } = useTranslation("port");
  const format = useFormat();
  const words = usePortWords();
  const { reasons } = referral.decision;
  if (reasons.length === 0) return <p className="muted">{t("noReasons")}</p>;
  return (
    <table className="reasons">
      <caption className="visually-hidden">{t("reasonsTitle")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("field.rule")}</th>
          <th scope="col">{t("field.weight")}</th>
          <th scope="col">{t("field.detail")}</th>
          <th scope="col">{t("field.whomToCall")}</th>
        </tr>
      </thead>
      <tbody>
        {reasons.map((reason, index) => {
          const contact = referral.contacts.find(
            (candidate) => candidate.lookoutId === reason.lookoutId && candidate.owner === reason.owner,
          );
          return (
            // Reasons have no id; their order is the decision's and never changes.
            // biome-ignore lint/suspicious/noArrayIndexKey: a stored decision's reasons are fixed
            <tr key={index}>
              <th scope="row">{words.rule(reason)}</th>
              <td className="number">{weightText(reason.weight, format.number)}</td>
              <td lang="en" className="prose">
                {reason.detail}
              </td>
              <td>
                {contact ? (
                  <ContactLines contact={contact.contact} />
                ) : (
                  <span className="muted">{reason.lookoutId ? t("noContact") : "—"}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function RecordedOutcome({ referral, proposed }: { referral: ReferralView; proposed: SuppressionView[] }) {
  const { t } = useTranslation("port");
  const format = useFormat();
  const words = usePortWords();
  if (!referral.outcome) return null;
  return (
    <div className="recorded-outcome">
      <p>
        <strong>{t("outcomeRecorded", { outcome: words.outcome(referral.outcome) })}</strong>{" "}
        <span className="muted">{format.dateTime(referral.outcomeAt)}</span>
      </p>
      {referral.outcomeNote && <p className="prose">{referral.outcomeNote}</p>}
      {proposed.length > 0 && (
        <p className="notice" role="status">
          {t("suppressionsProposed", { count: proposed.length })}
        </p>
      )}
    </div>
  );
}

/** One referral; `onDecided` is told when this user records its outcome (the queue keeps it in view). */
export function Referral({ referral, onDecided }: { referral: ReferralView; onDecided: (id: string) => void }) {
  const { t } = useTranslation("port");
  const format = useFormat();
  const words = usePortWords();
  const headingId = useId();
  const queries = useQueryClient();
  const { crossing, decision } = referral;
  const decide = useMutation({
    mutationFn: (body: OutcomeBody) =>
      api<{ referral: ReferralView; suppressions: SuppressionView[] }>(
        `/api/v1/border/referrals/${encodeURIComponent(referral.id)}/outcome`,
        { body },
      ),
    onSuccess: () => {
      onDecided(referral.id);
      return queries.invalidateQueries({ queryKey: REFERRALS });
    },
  });
  const manifest = crossing.manifest;
  return (
    <article className="panel referral" aria-labelledby={headingId}>
      <h3 id={headingId}>{t("referralHeading", { id: crossing.id, port: words.port(crossing.port) })}</h3>
      <p className="referral-band">
        <BandBadge band={decision.band} />
        <span>{t("score", { score: weightText(decision.score, format.number) })}</span>
        {decision.randomInspection && <span className="badge random">{t("randomInspection")}</span>}
        {referral.outcome && <span className="badge">✓ {t("closed")}</span>}
      </p>
      <dl className="facts">
        <div>
          <dt>{t("field.time")}</dt>
          <dd>{format.dateTime(crossing.time)}</dd>
        </div>
        <div>
          <dt>{t("field.port")}</dt>
          <dd>{words.port(crossing.port)}</dd>
        </div>
        <div>
          <dt>{t("field.lane")}</dt>
          <dd>{words.lane(crossing.lane)}</dd>
        </div>
        <div>
          <dt>{t("field.conveyance")}</dt>
          <dd>
            <Conveyance crossing={crossing} />
          </dd>
        </div>
        {manifest?.commodity && (
          <div>
            <dt>{t("field.commodity")}</dt>
            <dd>{manifest.commodity}</dd>
          </div>
        )}
        {(manifest?.shipper || manifest?.consignee) && (
          <div>
            <dt>{t("field.parties")}</dt>
            <dd>
              {t("parties", {
                shipper: manifest.shipper ?? t("notDeclared"),
                consignee: manifest.consignee ?? t("notDeclared"),
              })}
            </dd>
          </div>
        )}
        {manifest?.sealNumbers && manifest.sealNumbers.length > 0 && (
          <div>
            <dt>{t("field.seals")}</dt>
            <dd>{manifest.sealNumbers.join(", ")}</dd>
          </div>
        )}
        {manifest?.shipmentId && (
          <div>
            <dt>{t("field.shipment")}</dt>
            <dd>
              <a href={href("port", "shipment", manifest.shipmentId)}>
                {t("openShipment", { id: manifest.shipmentId })}
              </a>
            </dd>
          </div>
        )}
        <div>
          <dt>{t("field.screenedAt")}</dt>
          <dd>
            {format.dateTime(referral.screenedAt)}{" "}
            <span className="muted">{t("rulesVersion", { version: decision.rulesVersion })}</span>
          </dd>
        </div>
      </dl>
      <h4>{t("peopleTitle")}</h4>
      {crossing.people.length === 0 ? (
        <p className="muted">{t("noPeople")}</p>
      ) : (
        <ol className="people">
          {crossing.people.map((person, index) => (
            // Screening names travellers by their place in the crossing ("traveller 2"): the place is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: the crossing's people are fixed
            <li key={index}>
              <Person person={person} />
            </li>
          ))}
        </ol>
      )}
      <h4>{t("reasonsTitle")}</h4>
      <Reasons referral={referral} />
      <h4>{t("outcomeTitle")}</h4>
      {referral.outcome ? (
        <RecordedOutcome referral={referral} proposed={decide.data?.suppressions ?? []} />
      ) : (
        <OutcomeForm referral={referral} submit={decide.mutate} pending={decide.isPending} error={decide.error} />
      )}
    </article>
  );
}
