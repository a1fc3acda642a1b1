// The exchange's shapes as the API sends them to the requests and approvals screens, and the response times the
// owner applies by default (DEFAULT_RESPONSE_HOURS in src/federation/exchange-service.ts, which the browser cannot
// import): a requester's list has no due time of its own, so its clock is the expected one.
import type { ExchangeService } from "../../../../src/federation/exchange-service.ts";
import type { Urgency } from "../../../../src/federation/search-service.ts";
import type { UserAssertion } from "../../../../src/federation/transport.ts";
import type { IncomingRequest } from "../../../../src/store/exchange-repository.ts";

export type { ReleaseView } from "../../../../src/federation/exchange-service.ts";
export type { IncomingRequest, Urgency, UserAssertion };

/** One of the user's requests, with the releases received for it. */
export type MyRequest = Awaited<ReturnType<ExchangeService["myRequests"]>>[number];

export const URGENCIES = ["urgent", "standard", "other"] as const satisfies readonly Urgency[];

const RESPONSE_HOURS: Record<Urgency, number> = { urgent: 8, standard: 72, other: 168 };

/** When an owner with the default settings must answer a request sent at `sentAt`. */
export function expectedDue(sentAt: string, urgency: string): string | undefined {
  const hours = RESPONSE_HOURS[urgency as Urgency];
  const sent = Date.parse(sentAt);
  return hours === undefined || Number.isNaN(sent) ? undefined : new Date(sent + hours * 3_600_000).toISOString();
}

/** The requesting user's assertion as the owner received it; undefined if it cannot be read. */
export function assertionOf(request: IncomingRequest): UserAssertion | undefined {
  try {
    return JSON.parse(request.requester_user) as UserAssertion;
  } catch {
    return undefined;
  }
}

/** A record property's name for people, in the user's language (the shared model names; else the name itself). */
export function propertyLabel(t: (key: string, options?: Record<string, unknown>) => string, property: string) {
  return t(`model:property.${property}`, { defaultValue: property });
}
