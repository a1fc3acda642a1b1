// The node's Cedar dissemination policies: the text in force and where it came from, an editor, and saving. The
// node refuses a text Cedar cannot parse, naming the errors; the edited text stays in the editor to be fixed.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { FormProblem } from "../../components/FormProblem.tsx";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";

interface PolicySource {
  source: "file" | "default";
  /** The file the text was read from: the node's policies.cedar, or Puente's defaults while it has none. */
  path: string;
  text: string;
  sha256: string;
  updatedAt?: string;
}

const POLICIES_KEY = ["admin", "policies"];

function Origin({ policy }: { policy: PolicySource }) {
  const { t } = useTranslation("admin");
  const format = useFormat();
  return (
    <dl className="policy-origin">
      <dt>{t("policySource")}</dt>
      <dd>
        {policy.source === "file" ? t("sourceFile") : t("sourceDefault")} <code>{policy.path}</code>
      </dd>
      {policy.updatedAt && (
        <>
          <dt>{t("policyUpdated")}</dt>
          <dd>{format.dateTime(policy.updatedAt)}</dd>
        </>
      )}
      <dt>{t("policyDigest")}</dt>
      <dd>
        <code className="fingerprint">{policy.sha256}</code>
      </dd>
    </dl>
  );
}

export function Policies() {
  const { t } = useTranslation("admin");
  const queries = useQueryClient();
  const policies = useQuery({
    queryKey: POLICIES_KEY,
    queryFn: () => api<PolicySource>("/api/v1/admin/policies"),
  });
  /** The text being edited; undefined until the first change, so the editor shows what the node has. */
  const [draft, setDraft] = useState<string>();
  const save = useMutation({
    mutationFn: (text: string) => api<PolicySource>("/api/v1/admin/policies", { method: "PUT", body: { text } }),
    onSuccess: (saved) => {
      queries.setQueryData(POLICIES_KEY, saved);
      setDraft(undefined);
    },
  });
  const text = draft ?? policies.data?.text ?? "";
  const edit = (value: string | undefined) => {
    save.reset();
    setDraft(value);
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.mutate(text);
  };
  return (
    <section aria-labelledby="policies-title">
      <h2 id="policies-title">{t("policiesTitle")}</h2>
      <p className="hint">{t("policiesHint")}</p>
      <ProblemMessage error={policies.error} />
      {policies.isPending && <p>{t("common:loading")}</p>}
      {policies.data && (
        <form className="stack" onSubmit={submit}>
          <Origin policy={policies.data} />
          <label>
            {t("policyText")}
            <textarea
              className="policy-editor"
              value={text}
              onChange={(event) => edit(event.target.value)}
              rows={24}
              spellCheck={false}
              autoCapitalize="off"
              autoCorrect="off"
              maxLength={262_144}
            />
          </label>
          <div role="status">{save.isSuccess && <p className="status-ok">{t("policiesSaved")}</p>}</div>
          <FormProblem error={save.error} ns="admin" />
          <div className="row">
            <button type="submit" disabled={save.isPending || draft === undefined}>
              {save.isPending ? t("savingPolicies") : t("savePolicies")}
            </button>
            <button type="button" className="secondary" disabled={draft === undefined} onClick={() => edit(undefined)}>
              {t("discardChanges")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
