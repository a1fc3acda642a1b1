// Blocking: the keys under which a record is filed, so that only records sharing a key are compared. Several kinds
// of key are unioned (name pairs by sound, birth date, identifiers, phones, e-mails) so that a true pair is lost
// only if it differs in all of them at once.

import { phoneticKey } from "../normalize/phonetic.ts";
import type { PreparedRecord } from "./prepare.ts";

/**
 * Keys of one record; each is compared only with records sharing it. Not kept on the record: in a large index
 * the key strings of every record would cost more memory than computing them again when a record is queried.
 */
export function blockingKeys(record: PreparedRecord): string[] {
  const keys = new Set<string>();
  for (const name of record.names) {
    // Every name token by sound, with the formal forms of given names (a nickname files under its formal name).
    const tokens = new Set<string>(name.familyPhonetic);
    for (const variants of name.givenVariants) for (const variant of variants) tokens.add(phoneticKey(variant));
    const sounds = [...tokens].filter(Boolean).sort();
    // Pairs of name tokens survive a dropped maternal surname, a swapped order and one misspelt token.
    for (let i = 0; i < sounds.length; i++)
      for (let j = i + 1; j < sounds.length; j++) keys.add(`n:${sounds[i]}:${sounds[j]}`);
    // One name token plus the birth year catches single-token names and initials.
    if (record.birth) for (const sound of sounds) keys.add(`ny:${sound}:${record.birth.year}`);
    if (name.initials.length > 0 && record.birth)
      for (const sound of name.familyPhonetic) keys.add(`ny:${sound}:${record.birth.year}`);
  }
  const birth = record.birth;
  if (birth?.month !== undefined && birth.day !== undefined) {
    // Month and day sorted, so a swap at data entry still meets.
    const [low, high] = [birth.month, birth.day].sort((x, y) => x - y);
    keys.add(`b:${birth.year}:${low}:${high}`);
  }
  for (const [kind, identifiers] of record.identifiers)
    for (const { value } of identifiers) keys.add(`i:${kind}:${value}`);
  for (const phone of record.phones) keys.add(`p:${phone}`);
  for (const email of record.emails) keys.add(`e:${email}`);
  return [...keys];
}
