// Blocking: the keys under which a record is filed, so that only records sharing a key are compared. Several kinds
// of key are unioned (name pairs by sound, birth date, identifiers, phones, e-mails, house number with a street
// or place word) so that a true pair is lost only if it differs in all of them at once.

import { phoneticKey } from "../normalize/phonetic.ts";
import type { PreparedRecord } from "./prepare.ts";

/** Receives one blocking key as its prefix and parts, which joined with ":" are the key ("n:garsia:xuan"). */
export type KeySink = (prefix: string, a: string | number, b?: string | number, c?: string | number) => void;

/**
 * Hands `key` each blocking key of one record, as parts (the same key may come more than once); each is compared
 * only with records sharing it. The match index hashes the parts without joining them: a million-record index
 * would otherwise build and drop some twenty strings for every record filed and every query. Not kept on the
 * record: in a large index the keys of every record would cost more memory than computing them again.
 */
export function eachBlockingKey(record: PreparedRecord, key: KeySink): void {
  for (const name of record.names) {
    // Every name token by sound, with the formal forms of given names (a nickname files under its formal name).
    const givenSounds = new Set<string>();
    for (const variants of name.givenVariants) for (const variant of variants) givenSounds.add(phoneticKey(variant));
    const sounds = [...new Set([...name.familyPhonetic, ...givenSounds])].filter(Boolean).sort();
    // Pairs of name tokens survive a dropped maternal surname, a swapped order and one misspelt token.
    for (let i = 0; i < sounds.length; i++)
      for (let j = i + 1; j < sounds.length; j++) key("n", sounds[i] as string, sounds[j] as string);
    // A family name alone, for a record that has nothing else in common but the birth date or the address.
    for (const sound of name.familyPhonetic) if (sound) key("n1", sound);
    if (sounds.length === 1) key("n1", sounds[0] as string);
    // A given name by sound with a family name's initial, and the other way round: one of the two misspelt past
    // its first letter. And pairs of three-letter prefixes, for slips at the end of both, which change the sound.
    const givenInitials = new Set(name.given.map((token) => token.charAt(0)));
    const familyInitials = new Set(name.family.map((token) => token.charAt(0)));
    for (const sound of name.familyPhonetic) for (const initial of givenInitials) key("ni", sound, initial);
    for (const sound of givenSounds) for (const initial of familyInitials) key("ni", sound, initial);
    for (const given of name.given)
      for (const family of name.family) {
        const x = given.slice(0, 3);
        const y = family.slice(0, 3);
        if (x <= y) key("np", x, y);
        else key("np", y, x);
      }
    // One name token plus the birth year catches single-token names and initials.
    if (record.birth) for (const sound of sounds) key("ny", sound, record.birth.year);
  }
  const birth = record.birth;
  if (birth?.month !== undefined && birth.day !== undefined) {
    // Month and day in order, so a swap at data entry still meets.
    const { year, month, day } = birth;
    if (month <= day) key("b", year, month, day);
    else key("b", year, day, month);
  }
  for (const [kind, identifiers] of record.identifiers) for (const { value } of identifiers) key("i", kind, value);
  for (const phone of record.phones) key("p", phone);
  for (const email of record.emails) key("e", email);
  addressKeys(record, key);
}

/** The blocking keys of one record as text, each once, in the order `eachBlockingKey` gives them. */
export function blockingKeys(record: PreparedRecord): string[] {
  const keys = new Set<string>();
  eachBlockingKey(record, (prefix, ...parts) =>
    keys.add([prefix, ...parts.filter((part) => part !== undefined)].join(":")),
  );
  return [...keys];
}

// Words of street types and directions: shared by too many addresses to block on.
const ADDRESS_WORDS = new Set(
  (
    "street st road rd avenue ave av place pl crescent cres circuit drive dr court ct lane ln way close terrace " +
    "parade boulevard blvd highway hwy north south east west the calle avenida colonia col numero num ext int " +
    "privada andador carretera camino barrio fraccionamiento rue chemin rang boul route apt apartment unit suite"
  ).split(" "),
);

/**
 * A house number, and the postal code, each with each distinctive word of the address (street, locality) by
 * sound; and the number with the postal code: a person whose names were all misspelt or replaced and whose birth
 * date was mistyped still meets the record at the same address. At most the first number and four words, so a
 * long address adds few keys.
 */
function addressKeys(record: PreparedRecord, key: KeySink): void {
  const number = record.addressTokens.find((token) => /^\d{1,6}[a-z]?$/u.test(token));
  const postal = record.postalCode;
  if (number && postal) key("ap", number, postal);
  if (!number && !postal) return;
  let words = 0;
  for (const token of record.addressTokens) {
    if (token.length < 4 || /\d/u.test(token) || ADDRESS_WORDS.has(token)) continue;
    const sound = phoneticKey(token);
    if (number) key("a", number, sound);
    // With the postal code instead of the number, for addresses written without one.
    if (postal) key("aw", postal, sound);
    if (++words === 4) break;
  }
}
