// What a deconfliction target may be, and the fields each kind takes: plain data with no imports, so that the web
// application's forms offer exactly what the target index accepts.
export const TARGET_KINDS = ["person", "organization", "phone", "vehicle", "account", "wallet", "address"] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/**
 * The fields each kind takes. A person takes every match property a Person record feeds (so a searched person is a
 * subject as it is); a vehicle's plate belongs to its jurisdiction (a state or country code, else the subject's
 * country); a wallet's address is a BTC or ETH address, or any other chain's as written.
 */
export const TARGET_FIELDS: Readonly<Record<TargetKind, readonly string[]>> = {
  person: [
    "name",
    "firstName",
    "middleName",
    "lastName",
    "secondLastName",
    "alias",
    "birthDate",
    "gender",
    "nationality",
    "idNumber",
    "passportNumber",
    "phone",
    "email",
    "address",
    "city",
    "postalCode",
    "country",
  ],
  organization: ["name", "alias", "idNumber", "phone", "email", "address", "city", "postalCode", "country"],
  phone: ["phone"],
  vehicle: ["plate", "vin", "jurisdiction"],
  account: ["iban", "clabe", "accountNumber"],
  wallet: ["address"],
  address: ["address", "city", "postalCode", "country"],
};
