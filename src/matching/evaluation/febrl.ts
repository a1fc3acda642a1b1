// The FEBRL record-linkage sets in ../shared/data/febrl: how to read them with `puente match` options, and their
// ground truth (records rec-<n>-org and rec-<n>-dup-<k> describe the same person).
import type { MatchRecord } from "../record.ts";

/** --map for FEBRL columns, with and without the social-security column. */
export const FEBRL_MAP_ALL =
  "given_name=firstName,surname=lastName,street_number=address,address_1=address,address_2=address,suburb=city,postcode=postalCode,state=region,date_of_birth=birthDate:YYYYMMDD,soc_sec_id=idNumber";
export const FEBRL_MAP_NO_ID = FEBRL_MAP_ALL.replace(",soc_sec_id=idNumber", "");
export const FEBRL_MAP_NAMES_DOB = "given_name=firstName,surname=lastName,date_of_birth=birthDate:YYYYMMDD";

export function febrlEntity(recordId: string): string {
  const match = /^rec-(\d+)-/u.exec(recordId);
  if (!match?.[1]) throw new Error(`not a FEBRL record id: ${recordId}`);
  return match[1];
}

/** Every pair of records of the same entity, once each. */
export function febrlTruePairs(records: MatchRecord[]): Array<[string, string]> {
  const byEntity = new Map<string, string[]>();
  for (const record of records) {
    const entity = febrlEntity(record.id);
    const list = byEntity.get(entity) ?? [];
    list.push(record.id);
    byEntity.set(entity, list);
  }
  const pairs: Array<[string, string]> = [];
  for (const ids of byEntity.values())
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) pairs.push([ids[i] as string, ids[j] as string]);
  return pairs;
}
