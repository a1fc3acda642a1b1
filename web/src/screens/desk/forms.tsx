// The desk's registration forms: a target, an operation (a circle and a time window), and, for supervisors, a
// protected source, which never leaves this node. A registration answers with its id only; the conflicts it meets
// arrive as notices about that id (at once for this node's own items, later for partners'), shown by the screen.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { api } from "../../api.ts";
import { Choice } from "../../components/Choice.tsx";
import { FormProblem } from "../../components/FormProblem.tsx";
import { CircleFields, ContactFields, circleFrom, contactFrom, SubjectFields, subjectFrom } from "./fields.tsx";
import {
  NOTICES,
  OPERATION_TYPES,
  OPERATIONS,
  type OperationInput,
  RISK_LEVELS,
  type SourceInput,
  TARGET_KINDS,
  TARGETS,
  type TargetInput,
  type TargetKind,
} from "./kinds.ts";
import { Notices, useNotices } from "./Notices.tsx";

type What = "target" | "operation" | "source";
/** Names the user's own registration a notice is about (see Notices). */
type Describe = (id: string | null) => string;

/**
 * A registration form: posts what `read` makes of the form's data, refreshes `lists` and the notices, and shows
 * under the form what came of it: for a target or an operation, the conflicts reported so far (the notices about
 * its id, which the desk keeps polling).
 */
function RegistrationForm<Body>({
  title,
  path,
  what,
  lists,
  read,
  identified,
  describe,
  children,
}: {
  title: string;
  path: string;
  what: What;
  lists: string[][];
  read: (data: FormData) => Body;
  /** Whether what was typed identifies anything (a target or source needs a value); checked before posting. */
  identified?: (body: Body) => boolean;
  describe: Describe;
  children: ReactNode;
}) {
  const { t } = useTranslation("desk");
  const queries = useQueryClient();
  const [missing, setMissing] = useState(false);
  const register = useMutation({
    mutationFn: (body: Body) => api<{ id: string }>(path, { body }),
    onSuccess: async () => {
      for (const queryKey of [...lists, NOTICES]) await queries.invalidateQueries({ queryKey });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const body = read(new FormData(form));
    const ok = identified?.(body) ?? true;
    setMissing(!ok);
    if (ok) register.mutate(body, { onSuccess: () => form.reset() });
  };
  const titleId = `register-${what}`;
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h3 id={titleId}>{title}</h3>
      <form className="stack" onSubmit={submit}>
        {children}
        {missing && (
          <p role="alert" className="problem">
            {t("needOneValue")}
          </p>
        )}
        <FormProblem error={register.error} ns="desk" />
        <div>
          <button type="submit" disabled={register.isPending}>
            {t("register")}
          </button>
        </div>
      </form>
      <div role="status">
        {register.data && <RegistrationResult id={register.data.id} what={what} describe={describe} />}
      </div>
    </section>
  );
}

function RegistrationResult({ id, what, describe }: { id: string; what: What; describe: Describe }) {
  const { t } = useTranslation("desk");
  const notices = useNotices();
  const conflicts = (notices.data?.notices ?? []).filter((notice) => notice.itemId === id);
  return (
    <div className="registered">
      <p>
        <strong>{t(`registered.${what}`)}</strong>
      </p>
      {what === "source" ? null : conflicts.length > 0 ? (
        <>
          <p className="status-bad">⚠ {t("conflictsFound", { count: conflicts.length })}</p>
          <Notices notices={conflicts} describe={describe} />
        </>
      ) : (
        <p>{t("noConflictYet")}</p>
      )}
    </div>
  );
}

/** A target or source is identified by its values: none at all is caught here, the rest by the node. */
const hasValues = (body: { subject: TargetInput["subject"] }) => Object.keys(body.subject.values).length > 0;

function CaseReference() {
  const { t } = useTranslation("desk");
  return (
    <label>
      {t("field.caseReference")}
      <input name="caseReference" required maxLength={100} />
    </label>
  );
}

export function TargetForm({ describe }: { describe: Describe }) {
  const { t } = useTranslation("desk");
  const [kind, setKind] = useState<TargetKind>("person");
  return (
    <RegistrationForm<TargetInput>
      title={t("targetTitle")}
      path="/api/v1/deconfliction/targets"
      what="target"
      lists={[TARGETS]}
      identified={hasValues}
      read={(data) => ({
        subject: subjectFrom(data, kind),
        caseReference: String(data.get("caseReference")).trim(),
        contact: contactFrom(data),
      })}
      describe={describe}
    >
      <div className="row">
        <label>
          {t("field.kind")}
          <select value={kind} onChange={(event) => setKind(event.target.value as TargetKind)}>
            {TARGET_KINDS.map((option) => (
              <option key={option} value={option}>
                {t(`kind.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <CaseReference />
      </div>
      <SubjectFields key={kind} kind={kind} />
      <ContactFields />
    </RegistrationForm>
  );
}

/** A datetime-local value (the user's local time) as an ISO 8601 instant; an unreadable one is sent as typed. */
function isoOf(local: string): string {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? local : date.toISOString();
}

export function OperationForm({ describe }: { describe: Describe }) {
  const { t } = useTranslation("desk");
  return (
    <RegistrationForm<OperationInput>
      title={t("operationTitle")}
      path="/api/v1/deconfliction/operations"
      what="operation"
      lists={[OPERATIONS]}
      read={(data) => ({
        type: String(data.get("type")) as OperationInput["type"],
        area: circleFrom(data),
        startsAt: isoOf(String(data.get("startsAt"))),
        endsAt: isoOf(String(data.get("endsAt"))),
        risk: String(data.get("risk")) as OperationInput["risk"],
        caseReference: String(data.get("caseReference")).trim(),
        contact: contactFrom(data),
      })}
      describe={describe}
    >
      <div className="row">
        <label>
          {t("field.type")}
          <select name="type" required>
            {OPERATION_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`operationType.${type}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("field.risk")}
          <select name="risk" required defaultValue="medium">
            {RISK_LEVELS.map((risk) => (
              <option key={risk} value={risk}>
                {t(`risk.${risk}`)}
              </option>
            ))}
          </select>
        </label>
        <CaseReference />
      </div>
      <CircleFields />
      <fieldset>
        <legend>{t("windowLegend")}</legend>
        <p className="hint">{t("windowHint")}</p>
        <div className="row">
          <label>
            {t("field.startsAt")}
            <input name="startsAt" type="datetime-local" required />
          </label>
          <label>
            {t("field.endsAt")}
            <input name="endsAt" type="datetime-local" required />
          </label>
        </div>
      </fieldset>
      <ContactFields />
    </RegistrationForm>
  );
}

export function SourceForm() {
  const { t } = useTranslation("desk");
  const [withPlace, setWithPlace] = useState(false);
  return (
    <RegistrationForm<SourceInput>
      title={t("sourceTitle")}
      path="/api/v1/deconfliction/sources"
      what="source"
      lists={[]}
      identified={hasValues}
      read={(data) => {
        const handler = String(data.get("handlerUserId") ?? "").trim();
        return {
          subject: subjectFrom(data, "person"),
          ...(withPlace ? { area: circleFrom(data) } : {}),
          ...(handler ? { handlerUserId: handler } : {}),
        };
      }}
      describe={() => ""}
    >
      <p className="hint">{t("sourceIntro")}</p>
      <SubjectFields kind="person" />
      <Choice type="checkbox" checked={withPlace} onChange={(event) => setWithPlace(event.target.checked)}>
        {t("sourceWithPlace")}
      </Choice>
      {withPlace && <CircleFields />}
      <label>
        {t("field.handlerUserId")}
        <span className="hint">{t("handlerHint")}</span>
        <input name="handlerUserId" maxLength={64} />
      </label>
    </RegistrationForm>
  );
}
