// What the port officer's screen reads from the API (referrals, shipments, seal alerts, coordinated arrivals) and
// how it names the border vocabulary in the user's language: ports by name and code, lanes, conveyances, risk bands,
// screening rules, seal alert kinds, what links coordinated arrivals, and travel documents. Unknown values (a node's
// own rule, a new alert kind) show as the API sent them.
import { useTranslation } from "react-i18next";
import type { ScreeningReason } from "../../../../src/border/model.ts";
import { SOUTHERN_BORDER_PORTS, southernBorderPort } from "../../../../src/border/ports.ts";
import type { Outcome, OutcomeInput } from "../../../../src/border/screening/screening-service.ts";

export type { BurstAlertView } from "../../../../src/border/burst-alerts.ts";
export type { Crossing, ScreeningBand, ScreeningReason, Traveller } from "../../../../src/border/model.ts";
export type { ReferralView, SuppressionView } from "../../../../src/border/screening/screening-service.ts";
export type { RaisedAlert } from "../../../../src/border/seals/seal-monitor.ts";
export type { ShipmentView } from "../../../../src/border/seals/seal-service.ts";
export type { Outcome };
/** The body of POST /api/v1/border/referrals/:id/outcome. */
export type OutcomeBody = OutcomeInput;
export { SOUTHERN_BORDER_PORTS };

/** The outcomes of secondary inspection, in the order the form offers them (the API's OUTCOMES). */
export const OUTCOMES: readonly Outcome[] = ["found", "nothing-found", "false-match"];

export const REFERRALS = ["port", "referrals"] as const;
export const SHIPMENT = ["port", "shipment"] as const;
export const SEAL_ALERTS = ["port", "seal-alerts"] as const;
export const BURST_ALERTS = ["port", "burst-alerts"] as const;

/** Lookout rules whose hits are on a traveller (not the conveyance): only these may be suppressed for one. */
const TRAVELLER_RULES = /^(partner-)?lookout\.(person|document)/u;

/** Whether a false match on this reason may propose a suppression for a traveller of the crossing. */
export function suppressible(reason: ScreeningReason): boolean {
  return reason.lookoutId !== undefined && TRAVELLER_RULES.test(reason.rule);
}

/** A weight or score as the rules produce it: whole, or with one decimal. */
export function weightText(value: number, number: (value: number, digits?: number) => string): string {
  return number(value, Number.isInteger(value) ? 0 : 1);
}

/** Names of the border vocabulary in the user's language. */
export function usePortWords() {
  const { t, i18n } = useTranslation("port");
  const known = (key: string) => i18n.exists(`port:${key}`);
  return {
    /** "San Ysidro (2504)" for a southern-border port, else the code as it came. */
    port(code: string): string {
      const port = southernBorderPort(code);
      return port ? t("portName", { name: port.name, code }) : code;
    },
    lane: (lane: string) => (known(`lane.${lane}`) ? t(`lane.${lane}`) : lane),
    conveyance: (kind: string) => (known(`conveyance.${kind}`) ? t(`conveyance.${kind}`) : kind),
    band: (band: string) => (known(`band.${band}`) ? t(`band.${band}`) : band),
    role: (role: string) => (known(`role.${role}`) ? t(`role.${role}`) : role),
    document: (type: string) => (known(`document.${type}`) ? t(`document.${type}`) : type),
    alertKind: (kind: string) => (known(`alert.${kind}`) ? t(`alert.${kind}`) : kind),
    linkKind: (kind: string) => (known(`link.${kind}`) ? t(`link.${kind}`) : kind),
    outcome: (outcome: string) => (known(`outcome.${outcome}`) ? t(`outcome.${outcome}`) : outcome),
    /** A reason's rule by name; a partner's lookout says whose it is. */
    rule(reason: ScreeningReason): string {
      const partner = reason.rule.startsWith("partner-");
      const rule = partner ? reason.rule.slice("partner-".length) : reason.rule;
      const name = known(`rule.${rule}`) ? t(`rule.${rule}`) : rule;
      return partner ? t("partnerRule", { rule: name, owner: reason.owner ?? "" }) : name;
    },
  };
}
