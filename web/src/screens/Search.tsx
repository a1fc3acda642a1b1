// Federated search (step one of the exchange): a person's names, birth date and identifiers with the purpose and
// case reference the law asks for; this node's matches with their explanation, and each partner's status,
// latency and hit or no hit, with a link to ask for details (step two).
import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { FederatedSearchResult, PartnerHit, PartnerResult } from "../../../src/federation/search-service.ts";
import type { MatchHit } from "../../../src/records/match-service.ts";
import { api } from "../api.ts";
import { ProblemMessage } from "../components/ProblemMessage.tsx";
import { useFormat } from "../format.ts";
import { href } from "../router.ts";

const NAME_FIELDS = ["name", "firstName", "lastName", "motherName"] as const;
const OTHER_FIELDS = ["birthDate", "nationality", "idNumber", "passportNumber", "phone"] as const;
const URGENCIES = ["standard", "urgent", "other"] as const;
const LABELS: Record<string, string> = { name: "fullName" };

interface SearchInput {
  properties: Record<string, string[]>;
  purpose: string;
  caseReference: string;
  urgency: string;
}

function BandText({ band }: { band: string }) {
  const { t } = useTranslation("search");
  return <span className={`band-${band}`}>{t(`band.${band}`)}</span>;
}

function Explanation({ hit }: { hit: MatchHit }) {
  const { t } = useTranslation("search");
  const format = useFormat();
  return (
    <details>
      <summary>{t("explanation")}</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("feature")}</th>
            <th scope="col">{t("outcome")}</th>
            <th scope="col">{t("weight")}</th>
          </tr>
        </thead>
        <tbody>
          {hit.explanation.map((item) => (
            <tr key={`${item.feature}:${item.outcome}`}>
              <td>{item.feature}</td>
              <td>
                <code>{item.outcome}</code>
              </td>
              <td>{format.number(item.weight, 1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** A local hit's caption comes from the record itself, as far as the user may read it. */
function LocalCaption({ id }: { id: string }) {
  const entity = useQuery({
    queryKey: ["entity", id],
    queryFn: () =>
      api<{ statements: Array<{ property: string; value: string }> }>(`/api/v1/entities/${encodeURIComponent(id)}`),
  });
  const name = entity.data?.statements.find((statement) => statement.property === "name")?.value;
  return <a href={href("entity", id)}>{name ?? id}</a>;
}

function LocalResults({ hits }: { hits: MatchHit[] }) {
  const { t } = useTranslation("search");
  const format = useFormat();
  if (hits.length === 0) return <p>{t("noLocal")}</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t("record")}</th>
          <th scope="col">{t("band")}</th>
          <th scope="col">{t("score")}</th>
        </tr>
      </thead>
      <tbody>
        {hits.map((hit) => (
          <tr key={hit.id}>
            <td>
              <LocalCaption id={hit.id} />
              <Explanation hit={hit} />
            </td>
            <td>
              <BandText band={hit.band} />
            </td>
            <td>{format.number(hit.score, 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PartnerHitView({ partner, hit, input }: { partner: PartnerResult; hit: PartnerHit; input: SearchInput }) {
  const { t } = useTranslation("search");
  const released = Object.entries(hit.released);
  const ask = new URLSearchParams({
    partner: partner.nodeId,
    reference: hit.reference,
    purpose: input.purpose,
    caseReference: input.caseReference,
    urgency: input.urgency,
  });
  return (
    <li className="panel">
      <BandText band={hit.band} /> · {t("reference")} <code>{hit.reference}</code>
      <div>
        {t("contact")}: {hit.pointOfContact.name} · {hit.pointOfContact.email}
        {hit.pointOfContact.phone ? ` · ${hit.pointOfContact.phone}` : ""}
      </div>
      {released.length > 0 && (
        <div>
          {t("releasedWithHit")}:{" "}
          {released.map(([property, values]) => (
            <span key={property} className="badge">
              {property}: {values.join(", ")}
            </span>
          ))}
        </div>
      )}
      <a href={`${href("requests", "new")}?${ask.toString()}`}>{t("requestDetails")}</a>
    </li>
  );
}

function PartnerResults({ partners, input }: { partners: PartnerResult[]; input: SearchInput }) {
  const { t } = useTranslation("search");
  const format = useFormat();
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{t("partner")}</th>
          <th scope="col">{t("status")}</th>
          <th scope="col">{t("latency")}</th>
          <th scope="col">{t("hits")}</th>
        </tr>
      </thead>
      <tbody>
        {partners.map((partner) => (
          <tr key={partner.nodeId} data-partner={partner.nodeId}>
            <td>
              {partner.agency} ({partner.nodeId}, {partner.country})
            </td>
            <td className={partner.status === "ok" ? "status-ok" : "status-bad"}>{t(`status.${partner.status}`)}</td>
            <td>{t("latencyMs", { value: format.number(partner.latencyMs) })}</td>
            <td>
              {partner.hits.length === 0 ? (
                partner.status === "ok" && t("noHit")
              ) : (
                <ul className="stack" style={{ listStyle: "none", padding: 0, margin: 0 }}>
                  {partner.hits.map((hit) => (
                    <PartnerHitView key={hit.reference} partner={partner} hit={hit} input={input} />
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Search(_props: { params: string[]; query: URLSearchParams }) {
  const { t } = useTranslation("search");
  const [input, setInput] = useState<SearchInput>();
  const [missing, setMissing] = useState(false);
  const search = useMutation({
    mutationFn: (body: SearchInput) =>
      api<FederatedSearchResult>("/api/v1/search", { body: { schema: "Person", ...body } }),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const properties: Record<string, string[]> = {};
    for (const field of [...NAME_FIELDS, ...OTHER_FIELDS]) {
      const value = String(form.get(field) ?? "").trim();
      if (value) properties[field] = [value];
    }
    setMissing(Object.keys(properties).length === 0);
    if (Object.keys(properties).length === 0) return;
    const body = {
      properties,
      purpose: String(form.get("purpose")),
      caseReference: String(form.get("caseReference")),
      urgency: String(form.get("urgency")),
    };
    setInput(body);
    search.mutate(body);
  };

  const field = (name: string, type = "text") => (
    <label key={name}>
      {t(LABELS[name] ?? name)}
      <input name={name} type={type} maxLength={200} />
    </label>
  );
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <form onSubmit={submit} className="panel stack" aria-describedby={missing ? "search-missing" : undefined}>
        <fieldset className="row">
          <legend>{t("person")}</legend>
          {NAME_FIELDS.map((name) => field(name))}
        </fieldset>
        <div className="row">
          {field("birthDate", "date")}
          {OTHER_FIELDS.filter((name) => name !== "birthDate").map((name) => field(name))}
        </div>
        <div className="row">
          <label>
            {t("purpose")}
            <input name="purpose" required maxLength={500} />
          </label>
          <label>
            {t("caseReference")}
            <input name="caseReference" required maxLength={100} />
          </label>
          <label>
            {t("urgency")}
            <select name="urgency" defaultValue="standard">
              {URGENCIES.map((urgency) => (
                <option key={urgency} value={urgency}>
                  {t(`urgency.${urgency}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={search.isPending}>
            {search.isPending ? t("searching") : t("search")}
          </button>
        </div>
        {missing && (
          <p id="search-missing" role="alert" className="problem">
            {t("needOneField")}
          </p>
        )}
        <ProblemMessage error={search.error} />
      </form>
      {search.data && input && (
        <>
          <h2>{t("partnersTitle")}</h2>
          <PartnerResults partners={search.data.partners} input={input} />
          <h2>{t("localTitle")}</h2>
          <LocalResults hits={search.data.local} />
        </>
      )}
    </>
  );
}
