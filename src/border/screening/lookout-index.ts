// The lookouts screening compares crossings with, in memory: this node's own and its partners' (from the local cache).
// Persons go through the matching engine and plates and VINs through their canonical forms, both by way of the
// deconfliction target index (one for persons, one for vehicles: a plate is the same within its jurisdiction, and
// only possibly the same when one side does not know it); travel documents and USDOT numbers by exact key, a
// document only possibly the same when one side does not know its issuing country; and plates once more with the
// characters plate readers confuse folded together (0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B), as look-alikes. Expired
// lookouts are never answered; `expired` lists them so they can be taken out.
import { type PreparedSubject, TargetIndex, type TargetSubject } from "../../deconfliction/target-index.ts";
import type { Conveyance, Traveller } from "../model.ts";
import { type LookoutSubject, lookoutSubjectProblem, type Severity } from "./lookouts.ts";
import type { LookoutRuleId } from "./rules.ts";
import {
  documentCountry,
  documentKey,
  jurisdictionOf,
  personSubject,
  plateLookalikeKey,
  usdotKey,
  vehicleSubject,
} from "./subjects.ts";

export interface IndexedLookout {
  /** The lookout's id at its owner. */
  id: string;
  /** The partner node that owns it; undefined for this node's own. */
  owner: string | undefined;
  severity: Severity;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** A document's issuing country, compared on a document hit. */
  documentCountry: string | undefined;
  /** A plate's jurisdiction, compared on a look-alike plate. */
  plateJurisdiction: string | undefined;
  /** Exact keys it is filed under ("usdot:…", "document:…"). */
  keys: readonly string[];
}

export interface LookoutHit {
  lookout: IndexedLookout;
  rule: LookoutRuleId;
  /** The matching engine's score, for a person. */
  similarity?: number;
}

/** One lookout's key in the index: its id, or for a partner's, the owner and the id. */
export const lookoutKey = (id: string, owner: string | undefined) => (owner ? `${owner}\u0000${id}` : id);

const NO_KEYS: readonly string[] = Object.freeze([]);

export class LookoutIndex {
  private readonly lookouts = new Map<string, IndexedLookout>();
  private readonly persons = new TargetIndex();
  private readonly vehicles = new TargetIndex();
  /** Lookout keys by exact key. */
  private readonly byKey = new Map<string, string[]>();

  get size(): number {
    return this.lookouts.size;
  }

  /** Files a lookout (replacing one with the same id and owner). Throws a RangeError for a subject it cannot compare. */
  add(id: string, owner: string | undefined, severity: Severity, expiresAt: string, subject: LookoutSubject): void {
    const problem = lookoutSubjectProblem(subject);
    if (problem) throw new RangeError(`lookout ${id}: ${problem.field}: ${problem.message}`);
    const key = lookoutKey(id, owner);
    this.remove(id, owner);
    const { person, conveyance } = subject;
    const keys: string[] = [];
    if (person) {
      this.persons.add(key, personSubject(person));
      const document = person.document && documentKey(person.document);
      if (document) keys.push(document);
    }
    const vehicle = conveyance && vehicleSubject(conveyance);
    if (vehicle) this.vehicles.add(key, vehicle);
    const lookalike = conveyance?.plate && plateLookalikeKey(conveyance.plate);
    if (lookalike) keys.push(lookalike);
    const usdot = conveyance?.usdot && usdotKey(conveyance.usdot);
    if (usdot) keys.push(usdot);
    for (const exact of keys) {
      const filed = this.byKey.get(exact);
      if (filed) filed.push(key);
      else this.byKey.set(exact, [key]);
    }
    this.lookouts.set(key, {
      id,
      owner,
      severity,
      expiresAt: Date.parse(expiresAt),
      documentCountry: documentCountry(person?.document),
      plateJurisdiction: jurisdictionOf(conveyance?.plateJurisdiction),
      keys: keys.length > 0 ? keys : NO_KEYS,
    });
  }

  remove(id: string, owner: string | undefined): boolean {
    const key = lookoutKey(id, owner);
    const lookout = this.lookouts.get(key);
    if (!lookout) return false;
    this.persons.remove(key);
    this.vehicles.remove(key);
    for (const exact of lookout.keys) {
      const rest = (this.byKey.get(exact) ?? []).filter((other) => other !== key);
      if (rest.length > 0) this.byKey.set(exact, rest);
      else this.byKey.delete(exact);
    }
    this.lookouts.delete(key);
    return true;
  }

  /** Lookouts that expired at or before `now`. */
  expired(now: number): IndexedLookout[] {
    return [...this.lookouts.values()].filter((lookout) => lookout.expiresAt <= now);
  }

  /** The lookouts of one partner. */
  ownedBy(owner: string): IndexedLookout[] {
    return [...this.lookouts.values()].filter((lookout) => lookout.owner === owner);
  }

  has(id: string, owner: string | undefined): boolean {
    return this.lookouts.has(lookoutKey(id, owner));
  }

  private live(key: string, now: number): IndexedLookout | undefined {
    const lookout = this.lookouts.get(key);
    return lookout && lookout.expiresAt > now ? lookout : undefined;
  }

  private exact(key: string | undefined): readonly string[] {
    return (key === undefined ? undefined : this.byKey.get(key)) ?? NO_KEYS;
  }

  /**
   * Live lookouts the traveller may be: by the engine (match or possible band), and by their travel document. The
   * traveller's subject may come prepared (`preparePerson`).
   */
  travellerHits(
    traveller: Traveller,
    now: number,
    subject: TargetSubject | PreparedSubject = personSubject(traveller),
  ): LookoutHit[] {
    const hits: LookoutHit[] = [];
    for (const conflict of this.persons.conflicts(subject)) {
      const lookout = this.live(conflict.id, now);
      if (lookout)
        hits.push({
          lookout,
          rule: conflict.band === "match" ? "lookout.person.match" : "lookout.person.possible",
          similarity: conflict.score,
        });
    }
    const document = traveller.document;
    if (document) {
      const country = documentCountry(document);
      for (const key of this.exact(documentKey(document))) {
        const lookout = this.live(key, now);
        if (!lookout || (country && lookout.documentCountry && country !== lookout.documentCountry)) continue;
        const known = country !== undefined && lookout.documentCountry !== undefined;
        hits.push({ lookout, rule: known ? "lookout.document" : "lookout.document.country-unknown" });
      }
    }
    return hits;
  }

  /**
   * Live lookouts on the conveyance: its plate (in its jurisdiction), VIN or carrier's USDOT number. Its plate and VIN
   * may come prepared (`prepareVehicle`).
   */
  conveyanceHits(
    conveyance: Conveyance,
    now: number,
    subject: TargetSubject | PreparedSubject | undefined = vehicleSubject(conveyance),
  ): LookoutHit[] {
    const hits: LookoutHit[] = [];
    const plates = new Set<string>();
    if (subject)
      for (const conflict of this.vehicles.conflicts(subject)) {
        const lookout = this.live(conflict.id, now);
        const explanation = conflict.explanation;
        if (!lookout || explanation.by !== "identifier") continue;
        if (explanation.identifier !== "vin") plates.add(conflict.id);
        const rule =
          explanation.identifier === "vin"
            ? "lookout.vin"
            : explanation.caveat
              ? "lookout.plate.jurisdiction-unknown"
              : "lookout.plate";
        hits.push({ lookout, rule });
      }
    // A plate one reader got wrong: the same but for characters readers confuse, in the same jurisdiction (or one
    // side does not know it), on a lookout whose plate did not hit as written.
    const jurisdiction = jurisdictionOf(conveyance.plateJurisdiction);
    for (const key of this.exact(conveyance.plate ? plateLookalikeKey(conveyance.plate) : undefined)) {
      const lookout = this.live(key, now);
      if (!lookout || plates.has(key)) continue;
      if (!(jurisdiction && lookout.plateJurisdiction && jurisdiction !== lookout.plateJurisdiction))
        hits.push({ lookout, rule: "lookout.plate.lookalike" });
    }
    for (const key of this.exact(conveyance.usdot ? usdotKey(conveyance.usdot) : undefined)) {
      const lookout = this.live(key, now);
      if (lookout) hits.push({ lookout, rule: "lookout.usdot" });
    }
    return hits;
  }
}
