// Lookouts: whom or what officers at the ports should stop (a person, a vehicle, a carrier, or a person with their
// vehicle), why, how urgently and until when, with the markings that decide which partners receive it. What a partner
// receives is minimal: what is needed to match, the severity, the expiry, the TLP level and whom to call.
import { parseInstant } from "../../model/dates.ts";
import type { Tlp } from "../../model/types.ts";
import type { PointOfContact } from "../../node/config.ts";
import {
  isProblem,
  preparePerson,
  prepareVehicle,
  type ScreenedPerson,
  type ScreenedVehicle,
  type SubjectProblem,
} from "./subjects.ts";

export const SEVERITIES = ["low", "medium", "high"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** At most this far ahead a lookout may expire; it is registered again to last longer. */
export const MAX_LOOKOUT_DAYS = 366;

export interface LookoutSubject {
  person?: ScreenedPerson;
  conveyance?: ScreenedVehicle;
}

/** The markings a lookout is registered with: who may receive it (the node's defaults fill in the rest). */
export interface LookoutMarkingsInput {
  tlp: string;
  releasableCountries?: string[];
  releasableAgencies?: string[];
  handlingCode?: string;
}

export interface LookoutInput {
  subject: LookoutSubject;
  reason: string;
  severity: Severity;
  caseReference: string;
  expiresAt: string;
  markings: LookoutMarkingsInput;
  /** Whom partners and officers call about it (default: the node's point of contact). */
  contact?: PointOfContact;
}

/** A lookout as a partner receives it. */
export interface PartnerLookout {
  id: string;
  subject: LookoutSubject;
  severity: Severity;
  expiresAt: string;
  tlp: Tlp;
  contact: PointOfContact;
}

/** The first value of a lookout's subject that cannot be compared, its field named from `subject`. */
export function lookoutSubjectProblem(subject: LookoutSubject): SubjectProblem | undefined {
  const { person, conveyance } = subject;
  if (!person && !(conveyance?.plate || conveyance?.vin || conveyance?.usdot))
    return { field: "subject", message: "a lookout needs a person, or a plate, VIN or USDOT number" };
  const problem = person && preparePerson(person);
  if (problem && isProblem(problem)) return { field: `subject.person.${problem.field}`, message: problem.message };
  const vehicle = conveyance && prepareVehicle(conveyance);
  if (vehicle && isProblem(vehicle)) return { field: `subject.conveyance.${vehicle.field}`, message: vehicle.message };
  return undefined;
}

const TRAVELLING_TLP: readonly Tlp[] = ["CLEAR", "GREEN", "AMBER"];

/**
 * Why a partner's lookout cannot be kept (malformed, expired, or marked to stay home: a partner never sends those,
 * and is not trusted to have got that right); undefined when it can.
 */
export function partnerLookoutProblem(lookout: PartnerLookout, now: number): string | undefined {
  // What a partner sends is checked, not trusted: an entry of the list may be anything at all.
  if (typeof lookout !== "object" || lookout === null) return "it is not an object";
  if (typeof lookout.id !== "string" || !/^[\w.:-]{1,64}$/u.test(lookout.id)) return "its id is not usable";
  if (!(SEVERITIES as readonly unknown[]).includes(lookout.severity)) return "its severity is not known";
  if (!TRAVELLING_TLP.includes(lookout.tlp)) return `TLP:${lookout.tlp} does not leave its node`;
  if (!(parseInstant(lookout.expiresAt) > now)) return "it has expired";
  if (typeof lookout.contact?.name !== "string" || typeof lookout.contact.email !== "string") return "no contact";
  try {
    return lookoutSubjectProblem(lookout.subject ?? {})?.message;
  } catch {
    // Values of the wrong types (a number for a document number, say) break the normalisers.
    return "its subject is malformed";
  }
}

/** Only the fields of a subject that screening compares, whatever else the object carries. */
export function minimalSubject(subject: LookoutSubject): LookoutSubject {
  const out: LookoutSubject = {};
  const { person, conveyance } = subject;
  if (person) {
    const { name, aliases, birthDate, nationality, document } = person;
    out.person = {
      name,
      ...(aliases?.length ? { aliases } : {}),
      ...(birthDate ? { birthDate } : {}),
      ...(nationality ? { nationality } : {}),
      ...(document
        ? {
            document: {
              type: document.type,
              number: document.number,
              ...(document.country ? { country: document.country } : {}),
            },
          }
        : {}),
    };
  }
  if (conveyance) {
    const { plate, plateJurisdiction, vin, usdot } = conveyance;
    out.conveyance = {
      ...(plate ? { plate } : {}),
      ...(plateJurisdiction ? { plateJurisdiction } : {}),
      ...(vin ? { vin } : {}),
      ...(usdot ? { usdot } : {}),
    };
  }
  return out;
}
