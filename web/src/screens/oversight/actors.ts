// Who did something, as the audit log names them ("user:<id>", "node:<id>", "node:<id>/<user>" for a partner's
// user, "address:<ip>" for an unauthenticated caller, "system"), in words of the user's language.
import type { TFunction } from "i18next";

export function describeActor(actor: string, t: TFunction<"oversight">, username?: string): string {
  const partnerUser = /^node:([^/]+)\/(.+)$/u.exec(actor);
  if (partnerUser) return t("actor.partnerUser", { user: partnerUser[2], node: partnerUser[1] });
  const [prefix, ...rest] = actor.split(":");
  const id = rest.join(":");
  switch (prefix) {
    case "node":
      return t("actor.node", { node: id });
    case "user":
      return t("actor.user", { user: username ?? id });
    case "address":
      return t("actor.address", { address: id });
    case "system":
      return t("actor.system");
    case "":
      return t("actor.none");
    default:
      return actor;
  }
}
