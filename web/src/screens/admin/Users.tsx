// User accounts: the list with roles, clearance and status, changing another account's roles and clearance, and
// creating an account, whose authenticator secret (and generated password) the node answers exactly once; this
// screen shows them once, with a warning, and forgets them when the notice is closed.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, Fragment, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CreatedUser, UserView } from "../../../../src/admin/admin-service.ts";
import { TLP_LEVELS, type Tlp } from "../../../../src/model/types.ts";
import { DEFAULT_CLEARANCE, isRole, ROLES } from "../../../../src/policy/roles.ts";
import { api } from "../../api.ts";
import { Choice } from "../../components/Choice.tsx";
import { FormProblem } from "../../components/FormProblem.tsx";
import { TlpBadge } from "../../components/Markings.tsx";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";

type User = UserView;

interface NewUserBody {
  username: string;
  displayName: string;
  roles: string[];
  cfr28Trained: boolean;
  password?: string;
  clearance?: string;
}

const USERS_KEY = ["admin", "users"];

/** The clearance the node gives these roles when none is chosen: the most restricted level any of them reads. */
function defaultClearance(roles: string[]): Tlp | undefined {
  const ranks = roles.filter(isRole).map((role) => TLP_LEVELS.indexOf(DEFAULT_CLEARANCE[role]));
  return ranks.length > 0 ? TLP_LEVELS[Math.max(...ranks)] : undefined;
}

function RoleCheckboxes({
  legend,
  selected,
  onChange,
}: {
  legend: string;
  selected: string[];
  onChange: (roles: string[]) => void;
}) {
  const { t } = useTranslation("admin");
  return (
    <fieldset className="role-choices">
      <legend>{legend}</legend>
      {ROLES.map((role) => (
        <Choice
          key={role}
          type="checkbox"
          checked={selected.includes(role)}
          onChange={(event) =>
            onChange(event.target.checked ? [...selected, role] : selected.filter((name) => name !== role))
          }
        >
          {t(`role.${role}`)}
        </Choice>
      ))}
      <p className="hint">{t("separationHint")}</p>
    </fieldset>
  );
}

/** The clearance select: "the roles' default" (empty value) or a TLP level. */
function ClearanceSelect({ defaultValue, id }: { defaultValue: string; id: string }) {
  const { t } = useTranslation("admin");
  return (
    <label>
      {t("clearance")}
      <select name="clearance" defaultValue={defaultValue} aria-describedby={`${id}-hint`}>
        <option value="">{t("clearanceDefault")}</option>
        {TLP_LEVELS.map((level) => (
          <option key={level} value={level}>
            {t("common:tlp", { level })}
          </option>
        ))}
      </select>
      <span id={`${id}-hint`} className="hint">
        {t("clearanceHint")}
      </span>
    </label>
  );
}

function RoleEditor({ user, onDone }: { user: User; onDone: (message?: string) => void }) {
  const { t } = useTranslation("admin");
  const queries = useQueryClient();
  const [roles, setRoles] = useState(user.roles);
  const save = useMutation({
    mutationFn: (body: { roles: string[]; clearance?: string }) =>
      api<User>(`/api/v1/admin/users/${encodeURIComponent(user.username)}/roles`, { method: "PUT", body }),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: USERS_KEY });
      onDone(t("rolesSaved", { username: user.username }));
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const clearance = String(new FormData(event.currentTarget).get("clearance") ?? "");
    save.mutate({ roles, ...(clearance ? { clearance } : {}) });
  };
  // A clearance lowered below the roles' default stays chosen; otherwise the new roles bring their own.
  const initialClearance = user.clearance === defaultClearance(user.roles) ? "" : user.clearance;
  return (
    <form className="stack role-editor" onSubmit={submit}>
      <RoleCheckboxes legend={t("rolesOf", { username: user.username })} selected={roles} onChange={setRoles} />
      {roles.length === 0 && <p className="hint">{t("needRole")}</p>}
      <ClearanceSelect defaultValue={initialClearance} id={`clearance-${user.username}`} />
      <FormProblem error={save.error} ns="admin" />
      <div className="row">
        <button type="submit" disabled={save.isPending || roles.length === 0}>
          {t("saveRoles")}
        </button>
        <button type="button" className="secondary" onClick={() => onDone()}>
          {t("common:cancel")}
        </button>
      </div>
    </form>
  );
}

function UserStatus({ user }: { user: User }) {
  const { t } = useTranslation("admin");
  const format = useFormat();
  if (user.disabled) return <span className="status-bad">{t("status.disabled")}</span>;
  if (user.locked)
    return (
      <span className="status-bad">
        {user.lockedUntil ? t("status.lockedUntil", { time: format.dateTime(user.lockedUntil) }) : t("status.locked")}
      </span>
    );
  return <span>{t("status.active")}</span>;
}

function UserTable() {
  const { t } = useTranslation("admin");
  const format = useFormat();
  const users = useQuery({ queryKey: USERS_KEY, queryFn: () => api<{ users: User[] }>("/api/v1/admin/users") });
  const [editing, setEditing] = useState<string>();
  const [message, setMessage] = useState<string>();
  const columns = 9;
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">{t("usersTitle")}</h2>
      <div role="status">{message && <p className="status-ok">{message}</p>}</div>
      <ProblemMessage error={users.error} />
      {users.isPending && <p>{t("common:loading")}</p>}
      {users.data?.users.length === 0 && <p>{t("noUsers")}</p>}
      {users.data && users.data.users.length > 0 && (
        <table className="users-table">
          <caption className="visually-hidden">{t("usersTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("username")}</th>
              <th scope="col">{t("displayName")}</th>
              <th scope="col">{t("roles")}</th>
              <th scope="col">{t("clearance")}</th>
              <th scope="col">{t("cfr28Trained")}</th>
              <th scope="col">{t("statusColumn")}</th>
              <th scope="col">{t("createdAt")}</th>
              <th scope="col">{t("lastSignIn")}</th>
              <th scope="col">{t("action")}</th>
            </tr>
          </thead>
          <tbody>
            {users.data.users.map((user) => (
              <Fragment key={user.username}>
                <tr>
                  <th scope="row" id={`user-${user.username}`}>
                    {user.username}
                  </th>
                  <td>{user.displayName}</td>
                  <td>{user.roles.map((role) => t(`role.${role}`, { defaultValue: role })).join(", ")}</td>
                  <td>
                    <TlpBadge level={user.clearance} />
                  </td>
                  <td>{user.cfr28Trained ? t("common:yes") : t("common:no")}</td>
                  <td>
                    <UserStatus user={user} />
                  </td>
                  <td>{format.dateTime(user.createdAt)}</td>
                  <td>{user.lastSignInAt ? format.dateTime(user.lastSignInAt) : t("never")}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      aria-expanded={editing === user.username}
                      aria-describedby={`user-${user.username}`}
                      onClick={() => {
                        setMessage(undefined);
                        setEditing(editing === user.username ? undefined : user.username);
                      }}
                    >
                      {t("changeRoles")}
                    </button>
                  </td>
                </tr>
                {editing === user.username && (
                  <tr>
                    <td colSpan={columns}>
                      <RoleEditor
                        user={user}
                        onDone={(text) => {
                          setEditing(undefined);
                          setMessage(text);
                        }}
                      />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function EnrolmentPanel({ created, onDone }: { created: CreatedUser; onDone: () => void }) {
  const { t } = useTranslation("admin");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="panel enrolment" aria-labelledby="enrolment-title">
      <h3 id="enrolment-title" ref={heading} tabIndex={-1}>
        {t("enrolmentTitle", { username: created.user.username })}
      </h3>
      <p className="notice">
        <strong>{t("enrolmentWarning")}</strong>
      </p>
      <p>{t("enrolmentHint")}</p>
      <dl className="enrolment-values">
        {created.password !== undefined && (
          <>
            <dt>{t("generatedPassword")}</dt>
            <dd>
              <code>{created.password}</code>
            </dd>
          </>
        )}
        <dt>{t("totpSecret")}</dt>
        <dd>
          <code>{created.totpSecret}</code>
        </dd>
        <dt>{t("otpauthUri")}</dt>
        <dd>
          <code>{created.otpauthUri}</code>
        </dd>
      </dl>
      <button type="button" onClick={onDone}>
        {t("enrolmentDone")}
      </button>
    </section>
  );
}

function NewUser() {
  const { t } = useTranslation("admin");
  const queries = useQueryClient();
  const form = useRef<HTMLFormElement>(null);
  const [roles, setRoles] = useState<string[]>([]);
  const [missingRole, setMissingRole] = useState(false);
  const create = useMutation({
    mutationFn: (body: NewUserBody) => api<CreatedUser>("/api/v1/admin/users", { body }),
    onSuccess: () => {
      form.current?.reset();
      setRoles([]);
      void queries.invalidateQueries({ queryKey: USERS_KEY });
    },
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setMissingRole(roles.length === 0);
    if (roles.length === 0) return;
    const data = new FormData(event.currentTarget);
    const password = String(data.get("password") ?? "");
    const clearance = String(data.get("clearance") ?? "");
    create.mutate({
      username: String(data.get("username") ?? "").trim(),
      displayName: String(data.get("displayName") ?? "").trim(),
      roles,
      cfr28Trained: data.get("cfr28Trained") === "on",
      ...(password ? { password } : {}),
      ...(clearance ? { clearance } : {}),
    });
  };
  return (
    <section aria-labelledby="new-user-title">
      <h2 id="new-user-title">{t("newUserTitle")}</h2>
      {create.data && <EnrolmentPanel created={create.data} onDone={() => create.reset()} />}
      <form ref={form} className="stack new-user" onSubmit={submit}>
        <label>
          {t("username")}
          <input
            name="username"
            required
            maxLength={64}
            pattern="[a-z0-9][a-z0-9._\-]{1,63}"
            autoComplete="off"
            aria-describedby="username-hint"
          />
          <span id="username-hint" className="hint">
            {t("usernameHint")}
          </span>
        </label>
        <label>
          {t("displayName")}
          <input name="displayName" required maxLength={200} autoComplete="off" />
        </label>
        <label>
          {t("initialPassword")}
          <input
            name="password"
            type="password"
            minLength={12}
            maxLength={256}
            autoComplete="new-password"
            aria-describedby="password-hint"
          />
          <span id="password-hint" className="hint">
            {t("passwordHint")}
          </span>
        </label>
        <RoleCheckboxes legend={t("roles")} selected={roles} onChange={setRoles} />
        {missingRole && (
          <p role="alert" className="problem">
            {t("needRole")}
          </p>
        )}
        <ClearanceSelect defaultValue="" id="new-user-clearance" />
        <Choice type="checkbox" name="cfr28Trained" aria-describedby="cfr28-hint">
          {t("cfr28TrainedLabel")}
        </Choice>
        <span id="cfr28-hint" className="hint">
          {t("cfr28Hint")}
        </span>
        <FormProblem error={create.error} ns="admin" />
        <div>
          <button type="submit" disabled={create.isPending}>
            {t("createUser")}
          </button>
        </div>
      </form>
    </section>
  );
}

export function Users() {
  return (
    <>
      <UserTable />
      <NewUser />
    </>
  );
}
