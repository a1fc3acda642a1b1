// A failed form submission: the problem in the user's language (ProblemMessage) and, when the node names the
// fields at fault (a validation problem's `issues`: path, code, message), one line for each. The screen's namespace
// `ns` words them: `field.<path>` names the field, `issue.<code>` the fault (else the node's own message), and
// `issue` joins the two ("{{field}}: {{text}}").
import { useTranslation } from "react-i18next";
import type { ValidationIssue } from "../../../src/model/types.ts";
import { ApiError } from "../api.ts";
import { ProblemMessage } from "./ProblemMessage.tsx";

/** The field issues a failure carries, if the problem kept them. */
function issuesOf(error: unknown): ValidationIssue[] {
  if (!(error instanceof ApiError)) return [];
  return (error.problem.issues ?? []) as ValidationIssue[];
}

export function FormProblem({ error, ns }: { error: unknown; ns: string }) {
  const { t } = useTranslation(ns);
  if (!error) return null;
  const issues = issuesOf(error);
  return (
    <div>
      <ProblemMessage error={error} />
      {/* A refusal without field issues (a name taken, a weak password) explains itself in the node's words. */}
      {issues.length === 0 && error instanceof ApiError && error.status === 422 && error.problem.detail && (
        <p className="problem" lang="en">
          {error.problem.detail}
        </p>
      )}
      {issues.length > 0 && (
        <ul className="problem">
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.code}`}>
              {t("issue", {
                field: t(`field.${issue.path}`, { defaultValue: issue.path }),
                text: t(`issue.${issue.code}`, { defaultValue: issue.message }),
              })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
