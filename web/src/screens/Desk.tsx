// The deconfliction desk: the notices (conflicts with the other side's point of contact; alerts about protected
// sources, for their handler alone) with acknowledge and outcome actions; forms to register a target and an
// operation, after which the conflicts reported for it are shown; for supervisors, a form to register a protected
// source (kept on this node only); and the user's own registrations, operations on an outline map.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api.ts";
import { ProblemMessage } from "../components/ProblemMessage.tsx";
import { useSession } from "../session.tsx";
import { OperationForm, SourceForm, TargetForm } from "./desk/forms.tsx";
import { OPERATIONS, type OperationRow, TARGETS, type TargetRow } from "./desk/kinds.ts";
import { Notices, useNotices } from "./desk/Notices.tsx";
import { Operations, Targets } from "./desk/Registrations.tsx";
import "./desk/desk.css";

export function Desk(_props: { params: string[]; query: URLSearchParams }) {
  const { t } = useTranslation("desk");
  const session = useSession();
  const notices = useNotices();
  const operations = useQuery({
    queryKey: OPERATIONS,
    queryFn: () => api<{ operations: OperationRow[] }>("/api/v1/deconfliction/operations"),
  });
  const targets = useQuery({
    queryKey: TARGETS,
    queryFn: () => api<{ targets: TargetRow[] }>("/api/v1/deconfliction/targets"),
  });

  /** The user's own registration a notice is about, in words; empty when it is not one of theirs. */
  const describe = (id: string | null) => {
    const operation = operations.data?.operations.find((row) => row.id === id);
    if (operation)
      return t("yourOperation", {
        type: t(`operationType.${operation.operation_type}`, { defaultValue: operation.operation_type }),
        caseReference: operation.case_reference,
      });
    const target = targets.data?.targets.find((row) => row.id === id);
    if (target)
      return t("yourTarget", {
        kind: t(`kind.${target.kind}`, { defaultValue: target.kind }),
        caseReference: target.case_reference,
      });
    return "";
  };

  return (
    <div className="desk">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>

      <section aria-labelledby="notices-title">
        <h2 id="notices-title">{t("noticesTitle")}</h2>
        {notices.isPending && <p>{t("common:loading")}</p>}
        <ProblemMessage error={notices.error} />
        {notices.data && <Notices notices={notices.data.notices} describe={describe} />}
      </section>

      <section aria-labelledby="register-title">
        <h2 id="register-title">{t("registerTitle")}</h2>
        <TargetForm describe={describe} />
        <OperationForm describe={describe} />
        {session.hasRole("supervisor") && <SourceForm />}
      </section>

      <section aria-labelledby="mine-title">
        <h2 id="mine-title">{t("mineTitle")}</h2>
        <h3>{t("operationsTitle")}</h3>
        <ProblemMessage error={operations.error} />
        {operations.data && <Operations operations={operations.data.operations} />}
        <h3>{t("targetsTitle")}</h3>
        <ProblemMessage error={targets.error} />
        {targets.data && <Targets targets={targets.data.targets} />}
      </section>
    </div>
  );
}
