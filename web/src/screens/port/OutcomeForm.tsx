// What secondary inspection found for a referral: found, nothing found, or a false match, with a note. A false match
// may propose that a lookout's hits on one of the travellers stop counting (a suppression, which a supervisor other
// than the proposer confirms); only lookouts on travellers qualify, and only travellers with a document or a birth
// date can be told apart from namesakes.
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Choice } from "../../components/Choice.tsx";
import { FormProblem } from "../../components/FormProblem.tsx";
import { OUTCOMES, type Outcome, type OutcomeBody, type ReferralView, suppressible, usePortWords } from "./model.ts";

export function OutcomeForm({
  referral,
  submit,
  pending,
  error,
}: {
  referral: ReferralView;
  submit: (body: OutcomeBody) => void;
  pending: boolean;
  error: unknown;
}) {
  const { t } = useTranslation("port");
  const words = usePortWords();
  const [outcome, setOutcome] = useState<Outcome | "">("");
  const lookouts = referral.decision.reasons.filter(suppressible);
  const travellers = referral.crossing.people.flatMap((person, index) =>
    person.document || person.birthDate ? [{ person, index }] : [],
  );

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!outcome) return;
    const data = new FormData(event.currentTarget);
    const note = String(data.get("note") ?? "").trim();
    const suppress =
      outcome === "false-match"
        ? lookouts.flatMap((reason, index) => {
            const traveller = String(data.get(`suppress.${index}`) ?? "");
            return traveller === ""
              ? []
              : [
                  {
                    lookoutId: reason.lookoutId as string,
                    ...(reason.owner ? { owner: reason.owner } : {}),
                    traveller: Number(traveller),
                  },
                ];
          })
        : [];
    submit({ outcome, ...(note ? { note } : {}), ...(suppress.length > 0 ? { suppress } : {}) });
  };

  return (
    <form className="stack outcome-form" onSubmit={onSubmit}>
      <fieldset>
        <legend>{t("field.outcome")}</legend>
        <div className="row">
          {OUTCOMES.map((value) => (
            <Choice
              key={value}
              type="radio"
              name="outcome"
              value={value}
              required
              checked={outcome === value}
              onChange={() => setOutcome(value)}
            >
              {words.outcome(value)}
            </Choice>
          ))}
        </div>
      </fieldset>
      <label>
        {t("field.note")}
        <span className="hint">{t("noteHint")}</span>
        <textarea name="note" maxLength={2000} rows={2} />
      </label>
      {outcome === "false-match" && lookouts.length > 0 && (
        <fieldset>
          <legend>{t("suppressLegend")}</legend>
          <p className="hint">{t(travellers.length > 0 ? "suppressHint" : "suppressNoTraveller")}</p>
          {travellers.length > 0 &&
            lookouts.map((reason, index) => (
              <label key={`${reason.owner ?? ""}:${reason.lookoutId}`}>
                {t("suppressFor", { rule: words.rule(reason), lookout: reason.lookoutId })}
                <select name={`suppress.${index}`} defaultValue="">
                  <option value="">{t("noProposal")}</option>
                  {travellers.map(({ person, index: place }) => (
                    <option key={place} value={place}>
                      {t("travellerOption", { number: place + 1, name: person.name })}
                    </option>
                  ))}
                </select>
              </label>
            ))}
        </fieldset>
      )}
      <div>
        <button type="submit" disabled={pending || !outcome}>
          {t("recordOutcome")}
        </button>
      </div>
      <FormProblem error={error} ns="port" />
    </form>
  );
}
