// Shows a failed request in the user's language, by the problem's stable type; unknown types show the title.
import { useTranslation } from "react-i18next";
import { ApiError } from "../api.ts";

const KNOWN = new Set([
  "not-found-or-no-access",
  "authentication-failed",
  "account-locked",
  "unauthenticated",
  "validation-failed",
  "request-invalid",
  "rate-limited",
  "internal",
  "audit-unavailable",
  "busy",
]);

export function problemText(error: unknown, t: (key: string, options?: Record<string, unknown>) => string): string {
  if (error instanceof ApiError) {
    if (KNOWN.has(error.code)) return t(`common:problem.${error.code}`);
    return t("common:problem.other", { title: error.problem.detail ?? error.problem.title });
  }
  return t("common:problem.other", { title: error instanceof Error ? error.message : String(error) });
}

export function ProblemMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p role="alert" className="problem">
      {problemText(error, t)}
    </p>
  );
}
