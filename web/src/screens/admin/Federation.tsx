// The federation as this node's signed manifest lists it: this node, the manifest's version, and every member
// (current and revoked) with agency, country, endpoint, key fingerprint, roles and whether it signed this version.
// Read-only: membership changes go through the command line on a node (puente federation invite | join | revoke),
// where the node's signing key is.
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { FederationMemberView, FederationView } from "../../../../src/admin/admin-service.ts";
import { api } from "../../api.ts";
import { ProblemMessage } from "../../components/ProblemMessage.tsx";
import { useFormat } from "../../format.ts";

type Member = FederationMemberView;

function Membership({ member }: { member: Member }) {
  const { t } = useTranslation("admin");
  const format = useFormat();
  if (!member.revoked) return <span className="status-ok">{t("member")}</span>;
  return (
    <span className="status-bad">
      {t("revokedOn", { date: format.date(member.revokedAt) })}
      {member.reason && (
        <>
          <br />
          <span className="hint">{t("revokedReason", { reason: member.reason })}</span>
        </>
      )}
    </span>
  );
}

export function Federation() {
  const { t, i18n } = useTranslation("admin");
  const format = useFormat();
  const federation = useQuery({
    queryKey: ["admin", "federation"],
    queryFn: () => api<FederationView>("/api/v1/admin/federation"),
  });
  const countries = new Intl.DisplayNames([i18n.language], { type: "region" });
  const data = federation.data;
  const missing = <span className="muted">{t("unknown")}</span>;
  return (
    <section aria-labelledby="federation-title">
      <h2 id="federation-title">{t("federationTitle")}</h2>
      <p className="hint">
        {t("federationHint")} <code>puente federation invite</code>, <code>puente federation join</code>,{" "}
        <code>puente federation revoke</code>
      </p>
      <ProblemMessage error={federation.error} />
      {federation.isPending && <p>{t("common:loading")}</p>}
      {data && (
        <p>
          {t("thisNode", { node: data.nodeId })}
          <br />
          {data.federation === null
            ? t("noFederation")
            : t("manifestVersion", {
                federation: data.federation,
                version: data.version ?? "",
                date: format.dateTime(data.issuedAt),
                issuer: data.issuedBy ?? "",
              })}
        </p>
      )}
      {data && data.members.length > 0 && (
        <table className="federation-table">
          <caption className="visually-hidden">{t("federationTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("node")}</th>
              <th scope="col">{t("agency")}</th>
              <th scope="col">{t("country")}</th>
              <th scope="col">{t("endpoint")}</th>
              <th scope="col">{t("fingerprint")}</th>
              <th scope="col">{t("memberRoles")}</th>
              <th scope="col">{t("signed")}</th>
              <th scope="col">{t("membership")}</th>
            </tr>
          </thead>
          <tbody>
            {data.members.map((member) => (
              <tr key={`${member.nodeId}-${member.fingerprint}`} className={member.revoked ? "revoked" : undefined}>
                <th scope="row">
                  {member.nodeId} {member.self && <span className="badge">{t("thisNodeBadge")}</span>}
                </th>
                <td>{member.agency ?? missing}</td>
                <td>{member.country ? (countries.of(member.country) ?? member.country) : missing}</td>
                <td>{member.endpoint ? <code>{member.endpoint}</code> : missing}</td>
                <td>
                  <code className="fingerprint">{member.fingerprint}</code>
                </td>
                <td>
                  {member.roles.length > 0
                    ? member.roles.map((role) => t(`memberRole.${role}`, { defaultValue: role })).join(", ")
                    : missing}
                </td>
                <td>{member.signed ? t("common:yes") : t("common:no")}</td>
                <td>
                  <Membership member={member} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
