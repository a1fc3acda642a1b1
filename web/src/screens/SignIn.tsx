// Sign-in with user name, password and TOTP code; also the idle lock screen, which is sign-in with a notice.
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemMessage } from "../components/ProblemMessage.tsx";
import { useNodeInfo } from "../node-info.ts";
import { useSession } from "../session.tsx";

export function SignIn({ lockedMinutes }: { lockedMinutes?: number }) {
  const { t } = useTranslation();
  const session = useSession();
  const node = useNodeInfo();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn(String(form.get("username")), String(form.get("password")), String(form.get("totp")));
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  const nodeName = node.data ? `${node.data.agency} (${node.data.nodeId})` : "Puente";
  return (
    <main id="main" className="sign-in">
      <h1>{t("signInTitle", { node: nodeName })}</h1>
      <p className="muted">{t("tagline")}</p>
      {lockedMinutes !== undefined && (
        <section aria-labelledby="locked-title" className="notice">
          <h2 id="locked-title">{t("lockedTitle")}</h2>
          <p>{t("lockedText", { minutes: lockedMinutes })}</p>
        </section>
      )}
      <form onSubmit={submit} className="stack">
        <label>
          {t("username")}
          <input name="username" autoComplete="username" required maxLength={64} />
        </label>
        <label>
          {t("password")}
          <input name="password" type="password" autoComplete="current-password" required maxLength={256} />
        </label>
        <label>
          {t("totp")}
          <input
            name="totp"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6,10}"
            required
            aria-describedby="totp-hint"
          />
          <span id="totp-hint" className="hint">
            {t("totpHint")}
          </span>
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t("signingIn") : t("signIn")}
        </button>
        <ProblemMessage error={error} />
      </form>
    </main>
  );
}
