// Tests for the target index: persons through the matching engine, identifiers by their canonical forms, both ways
// between a person and a phone, removal, and subject validation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { TargetIndex, type TargetSubject, validateTargetSubject } from "./target-index.ts";

const ids = (index: TargetIndex, subject: TargetSubject) => index.conflicts(subject).map((hit) => hit.id);

test("the same person under Spanish and English spellings conflicts, a different person does not", () => {
  const index = new TargetIndex();
  index.add("mx-1", {
    kind: "person",
    values: { name: ["José Luis Hernández García"], birthDate: ["1980-03-05"] },
    country: "MX",
  });
  index.add("mx-2", { kind: "person", values: { name: ["María Hernández López"], birthDate: ["1975-11-20"] } });
  const query: TargetSubject = {
    kind: "person",
    values: { firstName: ["Jose L."], lastName: ["Hernandez"], birthDate: ["1980-03-05"] },
    country: "US",
  };
  const [hit, ...rest] = index.conflicts(query);
  assert.equal(hit?.id, "mx-1");
  assert.equal(rest.length, 0);
  assert.ok(hit.band === "match" || hit.band === "possible");
  assert.equal(hit.explanation.by, "matching");
  // Same names, another birth date: the engine's "different birth date" weighs it out.
  assert.deepEqual(ids(index, { ...query, values: { ...query.values, birthDate: ["1962-08-14"] } }), []);
  assert.deepEqual(
    ids(index, { kind: "person", values: { name: ["Luis Alberto Martínez Cruz"], birthDate: ["1980-03-05"] } }),
    [],
  );
  // An organisation of the same name is another kind of target.
  assert.deepEqual(ids(index, { kind: "organization", values: { name: ["José Luis Hernández García"] } }), []);
});

test("a phone written in two formats conflicts, as does a person carrying it", () => {
  const index = new TargetIndex();
  index.add("phone-1", { kind: "phone", values: { phone: ["+52 55 1234 5678"] } });
  const query: TargetSubject = { kind: "phone", values: { phone: ["5512345678"] }, country: "MX" };
  const [hit] = index.conflicts(query);
  assert.equal(hit?.id, "phone-1");
  assert.equal(hit.band, "match");
  assert.deepEqual(hit.explanation, { by: "identifier", identifier: "phone", value: "+525512345678" });
  assert.deepEqual(ids(index, { kind: "phone", values: { phone: ["5512345679"] }, country: "MX" }), []);

  // A person with that phone, or with it as an id number, meets the phone target, and the phone target meets them.
  const person: TargetSubject = {
    kind: "person",
    values: { name: ["Ramón Ortega"], phone: ["(55) 1234-5678"] },
    country: "MX",
  };
  assert.deepEqual(ids(index, person), ["phone-1"]);
  const byIdNumber: TargetSubject = { kind: "person", values: { name: ["R. Ortega"], idNumber: ["+525512345678"] } };
  assert.deepEqual(ids(index, byIdNumber), ["phone-1"]);
  index.add("person-1", person);
  assert.deepEqual(ids(index, query).sort(), ["person-1", "phone-1"]);
});

test("a plate with separators conflicts in the same jurisdiction, possibly when one is unknown, not in another", () => {
  const index = new TargetIndex();
  index.add("car-1", { kind: "vehicle", values: { plate: ["ABC-123"], jurisdiction: ["BC"] } });
  index.add("car-2", { kind: "vehicle", values: { plate: ["XYZ 987"] }, country: "US" });
  const [same] = index.conflicts({ kind: "vehicle", values: { plate: ["abc 123"], jurisdiction: ["BC"] } });
  assert.equal(same?.id, "car-1");
  assert.equal(same.band, "match");
  assert.deepEqual(ids(index, { kind: "vehicle", values: { plate: ["ABC123"], jurisdiction: ["SON"] } }), []);
  const [unknown] = index.conflicts({ kind: "vehicle", values: { plate: ["A.B.C.1.2.3"] } });
  assert.equal(unknown?.band, "possible");
  assert.match(String(unknown.explanation.by === "identifier" && unknown.explanation.caveat), /jurisdiction/);
  // VINs are unique worldwide; a misread O for 0 still meets.
  index.add("car-3", { kind: "vehicle", values: { vin: ["1HGCM82633A004352"] } });
  assert.deepEqual(ids(index, { kind: "vehicle", values: { vin: ["1HGCM82633AOO4352"] }, country: "MX" }), ["car-3"]);
});

test("accounts, wallets and addresses meet under their canonical forms", () => {
  const index = new TargetIndex();
  index.add("clabe", { kind: "account", values: { clabe: ["002010077777777771"] } });
  index.add("iban", { kind: "account", values: { iban: ["GB82 WEST 1234 5698 7654 32"] } });
  index.add("eth", { kind: "wallet", values: { address: ["0x52908400098527886E0F7030069857D2E4169EE7"] } });
  index.add("home", {
    kind: "address",
    values: { address: ["Calle Morelos 1520"], city: ["Tijuana"], postalCode: ["22000"] },
  });
  const account = (accountNumber: string): TargetSubject => ({
    kind: "account",
    values: { accountNumber: [accountNumber] },
  });
  assert.deepEqual(ids(index, account("0020 1007 7777 7777 71")), ["clabe"]);
  assert.deepEqual(ids(index, account("gb82west12345698765432")), ["iban"]);
  assert.equal(index.conflicts(account("7777777")).length, 0);
  assert.deepEqual(
    ids(index, { kind: "wallet", values: { address: ["0x52908400098527886e0f7030069857d2e4169ee7"] } }),
    ["eth"],
  );
  // A person whose id number is the CLABE meets the account.
  assert.deepEqual(ids(index, { kind: "person", values: { name: ["Ana Ruiz"], idNumber: ["002010077777777771"] } }), [
    "clabe",
  ]);
  const [home] = index.conflicts({
    kind: "address",
    values: { address: ["C. Morelos #1520"], city: ["Tijuana"], postalCode: ["22000"] },
  });
  assert.equal(home?.id, "home");
  assert.equal(home.band, "match");
  assert.deepEqual(
    ids(index, {
      kind: "address",
      values: { address: ["Calle Morelos 1522"], city: ["Tijuana"], postalCode: ["22000"] },
    }),
    [],
    "the neighbours",
  );
});

test("remove takes a target out of every way it is found; add with the same id replaces", () => {
  const index = new TargetIndex();
  const person: TargetSubject = {
    kind: "person",
    values: { name: ["José Luis Hernández García"], birthDate: ["1980-03-05"], phone: ["+52 664 123 4567"] },
  };
  index.add("p", person);
  index.add("tel", { kind: "phone", values: { phone: ["+52 664 123 4567"] } });
  index.add("tel-2", { kind: "phone", values: { phone: ["+52 664 123 4567"] } });
  assert.equal(index.size, 3);
  assert.deepEqual(ids(index, person).sort(), ["p", "tel", "tel-2"]);
  assert.deepEqual(ids(index, { kind: "phone", values: { phone: ["+526641234567"] } }).sort(), ["p", "tel", "tel-2"]);
  assert.equal(index.remove("tel"), true);
  assert.equal(index.remove("tel"), false);
  assert.equal(index.remove("p"), true);
  assert.deepEqual(ids(index, { kind: "phone", values: { phone: ["+526641234567"] } }), ["tel-2"]);
  assert.deepEqual(
    ids(index, { kind: "person", values: { name: ["Jose Luis Hernandez"], birthDate: ["1980-03-05"] } }),
    [],
  );
  index.add("tel-2", { kind: "phone", values: { phone: ["+1 915 555 0123"] } });
  assert.equal(index.size, 1);
  assert.deepEqual(ids(index, { kind: "phone", values: { phone: ["+526641234567"] } }), []);
  assert.throws(() => index.add("bad", { kind: "phone", values: { phone: ["n/a"] } }), /has no digits/);
});

test("validateTargetSubject accepts good subjects and names what is wrong with bad ones", () => {
  assert.equal(
    validateTargetSubject({ kind: "vehicle", values: { plate: ["ABC-123"], jurisdiction: ["TX"] } }),
    undefined,
  );
  assert.equal(
    validateTargetSubject({ kind: "person", values: { lastName: ["Ruiz"], birthDate: ["1980"] } }),
    undefined,
  );
  const problems: Array<[unknown, RegExp]> = [
    [undefined, /object with kind and values/],
    [{ kind: "boat", values: {} }, /kind must be one of person, organization, .*, not "boat"/],
    [{ kind: "phone", values: [] }, /values must be an object/],
    [{ kind: "phone", values: { plate: ["X1"] } }, /values.plate is not a field of a phone target/],
    [{ kind: "phone", values: { phone: "5512345678" } }, /values.phone must be a list of strings/],
    [{ kind: "phone", values: { phone: [""] } }, /values.phone\[0\] is empty/],
    [
      { kind: "person", values: { name: ["Ana"], birthDate: ["1980-02-30"] } },
      /birthDate\[0\] "1980-02-30" is not a date/,
    ],
    [{ kind: "person", values: { name: ["Ana"], birthDate: ["05/03/1980"] } }, /not a date/],
    [{ kind: "person", values: { birthDate: ["1980-03-05"] } }, /a person target needs at least one of name, /],
    [{ kind: "account", values: { iban: ["--"] } }, /has no letters or digits/],
    [{ kind: "phone", values: { phone: ["1"] }, country: "Mexico" }, /country must be an ISO 3166-1 alpha-2 code/],
  ];
  for (const [subject, expected] of problems)
    assert.match(validateTargetSubject(subject) ?? "", expected, JSON.stringify(subject));
});
