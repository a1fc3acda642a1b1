// Confirmed false matches: a lookout and a traveller it keeps resembling who is known not to be its subject. A
// traveller is known by their travel document (issuing country and number) or, without one, by name and birth date;
// screening still lists a suppressed resemblance, with weight 0, so the officer knows it was there.
import { compact } from "../../normalize/identifiers/common.ts";
import { foldName } from "../../normalize/names.ts";
import type { Traveller } from "../model.ts";
import { documentCountry } from "./subjects.ts";

/** The identity a suppression is recorded under: the document if the traveller shows one, else name and birth date. */
export function identityKey(traveller: Pick<Traveller, "name" | "birthDate" | "document">): string | undefined {
  if (traveller.document)
    return `document:${documentCountry(traveller.document) ?? ""}:${compact(traveller.document.number)}`;
  return traveller.birthDate ? `person:${foldName(traveller.name)}:${traveller.birthDate}` : undefined;
}

/** Every identity a traveller may have been suppressed under: by document, and by name and birth date. */
export function identityKeys(traveller: Traveller): string[] {
  const keys: string[] = [];
  const byDocument = identityKey(traveller);
  if (byDocument) keys.push(byDocument);
  if (traveller.document && traveller.birthDate) {
    const byName = identityKey({ name: traveller.name, birthDate: traveller.birthDate });
    if (byName) keys.push(byName);
  }
  return keys;
}

/** The confirmed suppressions in force, by lookout key and identity key. */
export class SuppressionList {
  private readonly byLookout = new Map<string, Map<string, string>>();

  add(lookout: string, identity: string, suppressionId: string): void {
    const identities = this.byLookout.get(lookout) ?? new Map<string, string>();
    identities.set(identity, suppressionId);
    this.byLookout.set(lookout, identities);
  }

  remove(lookout: string, identity: string): void {
    const identities = this.byLookout.get(lookout);
    identities?.delete(identity);
    if (identities?.size === 0) this.byLookout.delete(lookout);
  }

  /** The suppression of this lookout for any of the identities, if there is one. */
  find(lookout: string, identities: readonly string[]): string | undefined {
    const suppressed = this.byLookout.get(lookout);
    if (!suppressed) return undefined;
    for (const identity of identities) {
      const id = suppressed.get(identity);
      if (id) return id;
    }
    return undefined;
  }
}
