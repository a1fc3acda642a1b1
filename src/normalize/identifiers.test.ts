// Tests for the identifier normalisers: published vectors from the standards, and property tests per kind
// (never throws, idempotent, valid generated identifiers accepted, single-character corruptions rejected
// where the check algorithm guarantees detection).
import assert from "node:assert/strict";
import { test } from "node:test";
import { keccak_256 } from "@noble/hashes/sha3.js";
import fc from "fast-check";
import { curpCharValue, rfcCharValue, vinCharValue } from "./identifiers/check-digits.ts";
import { base58CheckEncode, segwitEncode } from "./identifiers/crypto-address.ts";
import { CURP_STATE_CODES } from "./identifiers/mexico.ts";
import {
  clabeCheckDigit,
  curpCheckDigit,
  detectIdentifierKinds,
  IDENTIFIER_KINDS,
  type IdentifierKind,
  ibanIsValid,
  isLuhnValid,
  luhnCheckDigit,
  mrzCheckDigit,
  normalizeIdentifier,
  rfcCheckDigit,
  vinCheckDigit,
} from "./identifiers.ts";

const RUNS = { numRuns: 300 };
const valid = (kind: IdentifierKind, raw: string, options = {}) => normalizeIdentifier(kind, raw, options)?.valid;

// --- arbitraries -----------------------------------------------------------------------------------------

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
const chars = (alphabet: string, min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
const two = (n: number) => String(n).padStart(2, "0");
/** A real date; day ≤ 28 keeps every month valid, so the check digit, not the date, decides validity. */
const date = (minYear: number, maxYear: number) =>
  fc.record({
    y: fc.integer({ min: minYear, max: maxYear }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  });

const curpArb = fc
  .record({
    initials: fc.tuple(chars(UPPER, 1), chars("AEIOUX", 1), chars(UPPER, 2)),
    date: date(1930, 2024),
    sex: fc.constantFrom("H", "M"),
    state: fc.constantFrom(...CURP_STATE_CODES),
    consonants: chars("BCDFGHJKLMNPQRSTVWXYZ", 3),
    homo: fc.nat(),
  })
  .map(({ initials, date: { y, m, d }, sex, state, consonants, homo }) => {
    // Position 17 is a digit for births before 2000 and a letter from 2000 on.
    const h = y < 2000 ? DIGITS[homo % 10] : UPPER[homo % 26];
    const first17 = `${initials.join("")}${two(y % 100)}${two(m)}${two(d)}${sex}${state}${consonants}${h}`;
    return first17 + curpCheckDigit(first17);
  });

const rfcArb = fc
  .record({
    physical: fc.boolean(),
    letters: chars(`${UPPER}Ñ&`, 4),
    date: date(1950, 2020),
    homo: chars(`${UPPER}${DIGITS}`, 2),
  })
  .map(({ physical, letters, date: { y, m, d }, homo }) => {
    const first = `${physical ? letters : letters.slice(1)}${two(y % 100)}${two(m)}${two(d)}${homo}`;
    return first + rfcCheckDigit(first);
  });

const VIN_ALPHABET = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
const vinArb = fc.tuple(chars("12345", 1), chars(VIN_ALPHABET, 16)).map(([wmi, rest]) => {
  const draft = `${wmi}${rest}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
});

const sinArb = fc.tuple(chars("12345679", 1), chars(DIGITS, 7)).map(([a, b]) => a + b + luhnCheckDigit(a + b));

const ssnArb = fc
  .record({
    area: fc.integer({ min: 1, max: 899 }),
    group: fc.integer({ min: 1, max: 99 }),
    serial: fc.integer({ min: 1, max: 9999 }),
  })
  .filter(({ area }) => area !== 666)
  .map(
    ({ area, group, serial }) => `${String(area).padStart(3, "0")}-${two(group)}-${String(serial).padStart(4, "0")}`,
  );

const clabeArb = chars(DIGITS, 17).map((first17) => first17 + clabeCheckDigit(first17));

/** MOD 97-10 remainder written independently of the module under test (BigInt over the numeric string). */
function mod97(iban: string): number {
  const moved = iban.slice(4) + iban.slice(0, 4);
  const numeric = [...moved].map((c) => (/\d/u.test(c) ? c : String(c.charCodeAt(0) - 55))).join("");
  return Number(BigInt(numeric) % 97n);
}
const IBAN_SAMPLE_LENGTHS: Record<string, number> = { DE: 22, GB: 22, FR: 27, ES: 24, CR: 22, GT: 28, NL: 18, NO: 15 };
const ibanArb = fc
  .constantFrom(...Object.entries(IBAN_SAMPLE_LENGTHS))
  .chain(([country, length]) => chars(DIGITS, length - 4).map((bban) => ({ country, bban })))
  .map(({ country, bban }) => {
    const check = 98 - mod97(`${country}00${bban}`);
    return `${country}${two(check)}${bban}`;
  });

const mrzArb = fc
  .record({
    state: chars(UPPER, 3),
    name: chars(`${UPPER}<`, 39),
    doc: chars(`${UPPER}${DIGITS}`, 9),
    birth: date(1940, 2020),
    sex: fc.constantFrom("M", "F", "<"),
    expiry: date(2025, 2035),
    optional: chars(`${UPPER}${DIGITS}<`, 14),
  })
  .map(({ state, name, doc, birth, sex, expiry, optional }) => {
    const line1 = `P<${state}${name}`;
    const b = `${two(birth.y % 100)}${two(birth.m)}${two(birth.d)}`;
    const e = `${two(expiry.y % 100)}${two(expiry.m)}${two(expiry.d)}`;
    const docField = `${doc}${mrzCheckDigit(doc)}`;
    const birthField = `${b}${mrzCheckDigit(b)}`;
    const expiryField = `${e}${mrzCheckDigit(e)}`;
    const optionalField = `${optional}${mrzCheckDigit(optional)}`;
    const composite = mrzCheckDigit(docField + birthField + expiryField + optionalField);
    return `${line1}\n${docField}${state}${birthField}${sex}${expiryField}${optionalField}${composite}`;
  });

/** EIP-55 checksum written from the EIP's reference JavaScript, independently of the module under test. */
function toChecksumAddress(lowerHex: string): string {
  const hash = Buffer.from(keccak_256(Buffer.from(lowerHex, "ascii"))).toString("hex");
  return `0x${[...lowerHex].map((c, i) => (Number.parseInt(hash[i] ?? "0", 16) >= 8 ? c.toUpperCase() : c)).join("")}`;
}
const ethArb = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((bytes) => toChecksumAddress(Buffer.from(bytes).toString("hex")));

const btcArb = fc.oneof(
  fc
    .tuple(fc.constantFrom(0, 5), fc.uint8Array({ minLength: 20, maxLength: 20 }))
    .map(([version, hash]) => base58CheckEncode(version, hash)),
  fc.uint8Array({ minLength: 20, maxLength: 20 }).map((p) => segwitEncode("bc", 0, p)),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((p) => segwitEncode("bc", 0, p)),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((p) => segwitEncode("bc", 1, p)),
);

const plateArb = chars(`${UPPER}${DIGITS}`, 2, 10);
const passportArb = chars(`${UPPER}${DIGITS}`, 5, 9);
const emailArb = fc.emailAddress();
/** Numbers libphonenumber's metadata accepts, typed the way they appear in records. */
const PHONES = [
  "+52 55 1234 5678",
  "+1 202-456-1111",
  "+1 (416) 555-0123",
  "+502 2245 8800",
  "+503 2271 0000",
  "+506 2222 3333",
];
const phoneArb = fc.constantFrom(...PHONES);

const VALID_ARBS: Record<IdentifierKind, fc.Arbitrary<string>> = {
  curp: curpArb,
  rfc: rfcArb,
  ssn: ssnArb,
  sin: sinArb,
  vin: vinArb,
  plate: plateArb,
  passport: passportArb,
  mrz: mrzArb,
  iban: ibanArb,
  clabe: clabeArb,
  btc: btcArb,
  eth: ethArb,
  email: emailArb,
  phone: phoneArb,
};

/** Replaces the character at `index` by `char`. */
const replaceAt = (text: string, index: number, char: string) => text.slice(0, index) + char + text.slice(index + 1);

// --- published vectors -------------------------------------------------------------------------------------

test("CURP: RENAPO's example is valid and yields birth date, sex and state", () => {
  assert.deepEqual(normalizeIdentifier("curp", " hegg560427mvzrrl04 "), {
    kind: "curp",
    value: "HEGG560427MVZRRL04",
    valid: true,
    info: { country: "MX", birthDate: "1956-04-27", sex: "female", region: "VZ" },
  });
  assert.equal(valid("curp", "HEGG560427MVZRRL05"), false, "wrong check digit");
  assert.equal(valid("curp", "HEGG560431MVZRRL04"), false, "31 April does not exist");
  assert.equal(valid("curp", "HEGG560427MXXRRL04"), false, "XX is not a state code");
});

test("RFC: SAT's example is valid; physical and moral lengths; impossible dates rejected", () => {
  const rfc = normalizeIdentifier("rfc", "gode-561231-gr8");
  assert.equal(rfc?.value, "GODE561231GR8");
  assert.equal(rfc?.valid, true);
  assert.equal(rfc?.info?.birthDate, "1956-12-31");
  assert.equal(valid("rfc", "GODE561231GR9"), false);
  assert.equal(valid("rfc", "GODE561331GR8"), false, "month 13");
  assert.equal(normalizeIdentifier("rfc", "GODE561231GR")?.problem?.includes("layout"), true);
});

test("VIN: the 49 CFR 565 example is valid; I/O/Q mapped and flagged; non-NA check digit optional", () => {
  assert.deepEqual(normalizeIdentifier("vin", "1m8gdm9axkp042788"), {
    kind: "vin",
    value: "1M8GDM9AXKP042788",
    valid: true,
  });
  assert.equal(valid("vin", "1M8GDM9A1KP042788"), false);
  const misread = normalizeIdentifier("vin", "1M8GDM9AXKPO42788");
  assert.equal(misread?.value, "1M8GDM9AXKP042788");
  assert.equal(misread?.valid, false);
  assert.match(misread?.problem ?? "", /I, O or Q/u);
  // Same body under a European WMI: the check digit no longer computes, which is allowed there.
  const european = normalizeIdentifier("vin", "WM8GDM9A1KP042788");
  assert.equal(european?.valid, true);
  assert.match(european?.problem ?? "", /North American/u);
});

test("SSN and SIN rules", () => {
  assert.deepEqual(normalizeIdentifier("ssn", "123 45 6789"), {
    kind: "ssn",
    value: "123456789",
    valid: true,
    info: { country: "US" },
  });
  for (const bad of ["000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "12-345-678"])
    assert.equal(valid("ssn", bad), false, bad);
  // 130 692 544 is the sample SIN Service Canada uses in its documentation.
  assert.equal(valid("sin", "130 692 544"), true);
  assert.equal(valid("sin", "130 692 545"), false);
  assert.equal(valid("sin", "046 454 286"), false, "first digit 0 is never issued");
  assert.equal(valid("sin", "846 454 286"), false, "first digit 8 is never issued");
});

test("CLABE: Banxico's example is valid", () => {
  const clabe = normalizeIdentifier("clabe", "002 010 07777777777 1");
  assert.deepEqual(clabe, {
    kind: "clabe",
    value: "002010077777777771",
    valid: true,
    info: { country: "MX", region: "002" },
  });
  assert.equal(valid("clabe", "002010077777777772"), false);
});

test("plates and passports", () => {
  assert.deepEqual(normalizeIdentifier("plate", "abc-12.3 ", { jurisdiction: "mx-bcn" }), {
    kind: "plate",
    value: "ABC123",
    valid: true,
    info: { jurisdiction: "MX-BCN" },
  });
  assert.equal(valid("plate", "A"), false);
  assert.equal(valid("plate", "ABCDEFGHIJK"), false);
  assert.equal(normalizeIdentifier("passport", "g 1234-5678")?.value, "G12345678");
  assert.equal(valid("passport", "G12345678"), true);
  assert.equal(valid("passport", "1234"), false);
  assert.equal(valid("passport", "1234567890"), false);
});

test("MRZ: the ICAO 9303 specimen validates, given with a newline or joined", () => {
  const line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
  const line2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
  const expected = {
    kind: "mrz",
    value: "L898902C3",
    valid: true,
    info: { country: "UTO", birthDate: "1974-08-12", sex: "female" },
  };
  assert.deepEqual(normalizeIdentifier("mrz", `${line1}\n${line2}`), expected);
  assert.deepEqual(normalizeIdentifier("mrz", line1 + line2), expected);
  assert.equal(mrzCheckDigit("L898902C3"), "6");
  assert.equal(mrzCheckDigit("740812"), "2");
  assert.equal(mrzCheckDigit("120415"), "9");
  assert.equal(valid("mrz", line1 + line2.replace("7408122", "7408132")), false);
});

test("IBAN: registry examples are valid; wrong length or check digits are not", () => {
  for (const iban of ["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00", "gb29 nwbk 6016 1331 9268 19"]) {
    assert.ok(ibanIsValid(iban), iban);
    assert.equal(valid("iban", iban), true, iban);
  }
  assert.equal(normalizeIdentifier("iban", "GB82 WEST 1234 5698 7654 32")?.value, "GB82WEST12345698765432");
  assert.equal(valid("iban", "GB82 WEST 1234 5698 7654 33"), false, "check digits");
  assert.equal(valid("iban", "DE89 3704 0044 0532 0130 0"), false, "length");
});

test("ETH: EIP-55 examples valid; a flipped case is not; all-lower and all-upper carry no checksum", () => {
  for (const address of [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
  ]) {
    assert.deepEqual(normalizeIdentifier("eth", address), { kind: "eth", value: address.toLowerCase(), valid: true });
    assert.equal(valid("eth", address.toLowerCase()), true);
    assert.equal(valid("eth", `0x${address.slice(2).toUpperCase()}`), true);
  }
  assert.equal(valid("eth", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), false);
  assert.equal(valid("eth", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe"), false);
});

test("BTC: BIP-173/BIP-350 segwit vectors and Base58Check addresses", () => {
  // Valid segwit addresses from BIP-350's test vectors (mainnet "bc" and testnet "tb").
  for (const address of [
    "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
    "BC1SW50QGDZ25J",
    "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs",
    "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
    "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
  ]) {
    const r = normalizeIdentifier("btc", address);
    assert.equal(r?.valid, true, `${address}: ${r?.problem}`);
    assert.equal(r?.value, address.toLowerCase());
  }
  // Invalid segwit addresses from BIP-350, each for the reason the BIP gives.
  for (const address of [
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
    "bc1pw5dgrnzv",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
    "bc1gmk9yu",
  ])
    assert.equal(valid("btc", address), false, address);
  // The genesis block's address and the Bitcoin wiki's P2SH example.
  assert.equal(valid("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"), true);
  assert.equal(valid("btc", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"), true);
  assert.equal(valid("btc", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"), false);
});

test("email and phone", () => {
  assert.deepEqual(normalizeIdentifier("email", "  John.Doe@Example.COM "), {
    kind: "email",
    value: "john.doe@example.com",
    valid: true,
  });
  for (const bad of ["john", "john@example", "a@b@c.com", "@example.com", "john@.com", "john@example..com"])
    assert.equal(valid("email", bad), false, bad);
  assert.deepEqual(normalizeIdentifier("phone", "(55) 1234 5678", { defaultCountry: "MX" }), {
    kind: "phone",
    value: "+525512345678",
    valid: true,
    info: { country: "MX" },
  });
  assert.equal(normalizeIdentifier("phone", "+1 202-456-1111")?.info?.country, "US");
  assert.equal(valid("phone", "+1 202-456-111"), false);
  assert.equal(normalizeIdentifier("phone", "no number here"), undefined);
  assert.equal(valid("phone", "5512345678", { defaultCountry: "nonsense" }), false);
});

test("undefined when nothing identifier-like is left after cleaning", () => {
  for (const kind of IDENTIFIER_KINDS) {
    assert.equal(normalizeIdentifier(kind, ""), undefined, kind);
    assert.equal(normalizeIdentifier(kind, "  \n\t "), undefined, kind);
  }
});

test("detectIdentifierKinds recognises shapes", () => {
  assert.deepEqual(detectIdentifierKinds("HEGG560427MVZRRL04"), ["curp"]);
  assert.deepEqual(detectIdentifierKinds("GODE561231GR8"), ["rfc"]);
  assert.deepEqual(detectIdentifierKinds("1M8GDM9AXKP042788"), ["vin"]);
  assert.deepEqual(detectIdentifierKinds("002010077777777771"), ["clabe"]);
  assert.deepEqual(detectIdentifierKinds("GB82 WEST 1234 5698 7654 32"), ["iban"]);
  assert.deepEqual(detectIdentifierKinds("123-45-6789"), ["ssn"]);
  assert.deepEqual(detectIdentifierKinds("130 692 544"), ["sin"]);
  assert.deepEqual(detectIdentifierKinds("123456789"), ["ssn", "sin"]);
  assert.deepEqual(detectIdentifierKinds("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), ["eth"]);
  assert.deepEqual(detectIdentifierKinds("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"), ["btc"]);
  assert.deepEqual(detectIdentifierKinds("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"), ["btc"]);
  assert.deepEqual(detectIdentifierKinds("john@example.com"), ["email"]);
  assert.deepEqual(detectIdentifierKinds("+52 55 1234 5678"), ["phone"]);
  assert.deepEqual(detectIdentifierKinds("ABC 123"), ["plate", "passport"]);
  assert.deepEqual(
    detectIdentifierKinds("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"),
    ["mrz"],
  );
  assert.deepEqual(detectIdentifierKinds("   "), []);
});

test("the check-digit functions agree with the published examples", () => {
  assert.equal(curpCheckDigit("HEGG560427MVZRRL0"), "4");
  assert.equal(rfcCheckDigit("GODE561231GR"), "8");
  assert.equal(clabeCheckDigit("00201007777777777"), "1");
  assert.equal(vinCheckDigit("1M8GDM9AXKP042788"), "X");
  assert.equal(luhnCheckDigit("13069254"), "4");
  assert.ok(isLuhnValid("130692544"));
  assert.ok(!isLuhnValid(""));
});

// --- properties, every kind --------------------------------------------------------------------------------

const anyString = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  // Lone UTF-16 surrogates, which "binary" does not produce but broken imports do.
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)) }),
);

test("property: never throws and is idempotent on arbitrary Unicode, for every kind", () => {
  for (const kind of IDENTIFIER_KINDS) {
    fc.assert(
      fc.property(anyString, (raw) => {
        detectIdentifierKinds(raw);
        const first = normalizeIdentifier(kind, raw, { defaultCountry: "MX", jurisdiction: "MX-BCN" });
        if (!first) return;
        assert.equal(typeof first.value, "string");
        assert.equal(first.kind, kind);
        // For an MRZ this is the document number (or the unparseable text), which an MRZ normaliser leaves as is.
        const again = normalizeIdentifier(kind, first.value, { defaultCountry: "MX", jurisdiction: "MX-BCN" });
        if (first.value === "") return;
        assert.equal(again?.value, first.value, `${kind}: ${JSON.stringify(raw)}`);
      }),
      { numRuns: 200 },
    );
  }
});

test("property: valid generated identifiers are accepted, and their canonical form is a fixed point", () => {
  for (const kind of IDENTIFIER_KINDS) {
    fc.assert(
      fc.property(VALID_ARBS[kind], (raw) => {
        const first = normalizeIdentifier(kind, raw, { defaultCountry: "MX" });
        assert.equal(first?.valid, true, `${kind} ${raw}: ${first?.problem}`);
        const againKind = kind === "mrz" ? "passport" : kind;
        const again = normalizeIdentifier(againKind, first?.value ?? "", { defaultCountry: "MX" });
        assert.equal(again?.value, first?.value);
        assert.equal(again?.valid, true);
        if (kind !== "mrz") assert.deepEqual(again, first);
      }),
      RUNS,
    );
  }
});

test("property: lossless kinds keep validity when the canonical value is normalised again", () => {
  // VIN (I/O/Q mapped to digits) and ETH (checksum case dropped) lose information in canonicalisation on
  // purpose, and MRZ keeps only the document number, so they are covered by the tests above instead.
  const lossless = IDENTIFIER_KINDS.filter((kind) => !["vin", "eth", "mrz"].includes(kind));
  const nearMisses = fc.oneof(anyString, ...Object.values(VALID_ARBS).map((arb) => arb.map((s) => s.slice(1))));
  for (const kind of lossless) {
    fc.assert(
      fc.property(fc.oneof(nearMisses, VALID_ARBS[kind]), (raw) => {
        const first = normalizeIdentifier(kind, raw, { defaultCountry: "MX" });
        if (!first) return;
        assert.equal(normalizeIdentifier(kind, first.value, { defaultCountry: "MX" })?.valid, first.valid, raw);
      }),
      { numRuns: 200 },
    );
  }
});

// --- properties: single-character corruption ---------------------------------------------------------------

const corruption = (arb: fc.Arbitrary<string>, length: number, alphabet: string) =>
  fc.tuple(arb, fc.integer({ min: 0, max: length - 1 }), chars(alphabet, 1));

test("property: Luhn (SIN) detects every single-digit substitution", () => {
  fc.assert(
    fc.property(corruption(sinArb, 9, DIGITS), ([sin, i, d]) => {
      fc.pre(sin[i] !== d);
      assert.equal(valid("sin", replaceAt(sin, i, d)), false);
    }),
    RUNS,
  );
});

test("property: CLABE detects every single-digit substitution (3d and 7d mod 10 are bijections on digits)", () => {
  fc.assert(
    fc.property(corruption(clabeArb, 18, DIGITS), ([clabe, i, d]) => {
      fc.pre(clabe[i] !== d);
      assert.equal(valid("clabe", replaceAt(clabe, i, d)), false);
    }),
    RUNS,
  );
});

test("property: CURP detects a substitution exactly when (Δvalue × weight) mod 10 ≠ 0", () => {
  // Weights 18..2 modulo 10 share factors with 10 (weight 10 at position 9 contributes nothing at all), so
  // RENAPO's digit misses some substitutions; we assert on the ones the arithmetic guarantees to catch.
  const alphabet = `${DIGITS}${UPPER}`;
  fc.assert(
    fc.property(corruption(curpArb, 17, alphabet), ([curp, i, c]) => {
      const old = curp[i] ?? "";
      fc.pre(old !== c);
      const delta = (curpCharValue(c) - curpCharValue(old)) * (18 - i);
      fc.pre(delta % 10 !== 0);
      assert.equal(valid("curp", replaceAt(curp, i, c)), false, `${curp} [${i}] ${old}→${c}`);
    }),
    RUNS,
  );
  fc.assert(
    fc.property(curpArb, chars(DIGITS, 1), (curp, d) => {
      fc.pre(curp[17] !== d);
      assert.equal(valid("curp", replaceAt(curp, 17, d)), false);
    }),
    RUNS,
  );
});

test("property: RFC detects a substitution exactly when (Δvalue × weight) mod 11 ≠ 0", () => {
  // Values span 0..38, so characters 11, 22 or 33 apart (e.g. "0" and "B") weigh the same modulo 11, and the
  // third character of a persona física's RFC has weight 11, so SAT's check never sees it change.
  const alphabet = `${DIGITS}${UPPER}`;
  fc.assert(
    fc.property(rfcArb, fc.nat(), chars(alphabet, 1), (rfc, n, c) => {
      const i = n % (rfc.length - 1);
      const old = rfc[i] ?? "";
      fc.pre(old !== c);
      // A 12-character RFC is weighed as if padded with a leading space.
      const weight = 13 - (i + 13 - rfc.length);
      fc.pre(((rfcCharValue(c) - rfcCharValue(old)) * weight) % 11 !== 0);
      assert.equal(valid("rfc", replaceAt(rfc, i, c)), false, `${rfc} [${i}] ${old}→${c}`);
    }),
    RUNS,
  );
  fc.assert(
    fc.property(rfcArb, chars(`${DIGITS}A`, 1), (rfc, c) => {
      fc.pre(rfc.at(-1) !== c);
      assert.equal(valid("rfc", rfc.slice(0, -1) + c), false);
    }),
    RUNS,
  );
});

test("property: VIN detects a substitution exactly when the transliterated value changes", () => {
  // Modulo 11 is prime and the non-zero weights are below 11, so only a change of transliterated value
  // matters: "A" and "1" (both 1) are indistinguishable. Position 1 stays a North American WMI digit and
  // position 9 is the check digit itself.
  fc.assert(
    fc.property(vinArb, fc.integer({ min: 1, max: 16 }), chars(VIN_ALPHABET, 1), (vin, i, c) => {
      fc.pre(i !== 8 && vinCharValue(vin[i] ?? "") !== vinCharValue(c));
      assert.equal(valid("vin", replaceAt(vin, i, c)), false, `${vin} [${i}] → ${c}`);
    }),
    RUNS,
  );
  fc.assert(
    fc.property(vinArb, chars(`${DIGITS}X`, 1), (vin, c) => {
      fc.pre(vin[8] !== c);
      assert.equal(valid("vin", replaceAt(vin, 8, c)), false);
    }),
    RUNS,
  );
});

test("property: IBAN MOD 97 detects every single-digit substitution", () => {
  // Changing one digit changes the number by Δ×10^k with 0 < |Δ| < 10; 97 is prime and divides neither.
  fc.assert(
    fc.property(ibanArb, fc.nat(), chars(DIGITS, 1), (iban, n, d) => {
      const i = 2 + (n % (iban.length - 2));
      fc.pre(iban[i] !== d);
      assert.equal(valid("iban", replaceAt(iban, i, d)), false, `${iban} [${i}] → ${d}`);
    }),
    RUNS,
  );
});

test("property: MRZ detects a substitution in line 2 when the value changes modulo 10", () => {
  // Weights 7, 3, 1 are prime to 10, so only characters whose values differ by a multiple of 10 ("0", "A",
  // "K", "U", "<") can swap unnoticed. Nationality (11–13) and sex (21) are not covered by any check digit.
  const uncovered = new Set([10, 11, 12, 20]);
  fc.assert(
    fc.property(mrzArb, fc.integer({ min: 0, max: 43 }), chars(`${DIGITS}${UPPER}<`, 1), (mrz, i, c) => {
      fc.pre(!uncovered.has(i));
      const [line1 = "", line2 = ""] = mrz.split("\n");
      const old = line2[i] ?? "";
      const value = (s: string) => (/\d/u.test(s) ? Number(s) : s === "<" ? 0 : s.charCodeAt(0) - 55);
      fc.pre((value(c) - value(old)) % 10 !== 0);
      assert.equal(valid("mrz", `${line1}\n${replaceAt(line2, i, c)}`), false, `${line2} [${i}] → ${c}`);
    }),
    RUNS,
  );
});

test("property: EIP-55 detects flipping the case of any one letter (while the address stays mixed-case)", () => {
  fc.assert(
    fc.property(ethArb, fc.nat(), (address, n) => {
      const letters = [...address.slice(2)].flatMap((c, i) => (/[a-f]/iu.test(c) ? [i + 2] : []));
      fc.pre(letters.length > 0);
      const i = letters[n % letters.length] ?? 2;
      const ch = address[i] ?? "";
      const flipped = replaceAt(address, i, ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase());
      const hex = flipped.slice(2);
      fc.pre(hex !== hex.toLowerCase() && hex !== hex.toUpperCase());
      assert.equal(valid("eth", flipped), false, flipped);
    }),
    RUNS,
  );
});

test("property: Bech32 detects any single substitution; Base58Check almost surely", () => {
  // Bech32/Bech32m guarantee detection of up to 4 substitutions (BIP-173, BIP-350). Base58Check's 32-bit
  // hash guarantees nothing, but misses only with probability 2^-32, far below what 300 runs can hit.
  const bech32Chars = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  const base58Chars = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  fc.assert(
    fc.property(btcArb, fc.nat(), fc.nat(), (address, n, m) => {
      const segwit = address.startsWith("bc1");
      const start = segwit ? 3 : 0;
      const i = start + (n % (address.length - start));
      const alphabet = segwit ? bech32Chars : base58Chars;
      const c = alphabet[m % alphabet.length] ?? "q";
      fc.pre(address[i] !== c);
      assert.equal(valid("btc", replaceAt(address, i, c)), false, `${address} [${i}] → ${c}`);
    }),
    RUNS,
  );
});

// SSN, plate, passport, e-mail and phone numbers have no check digit, so there is no corruption to detect;
// their structural rules are covered by the example tests above.

test("characters whose NFKC form is a space and a combining mark still give fixed points (fast-check finds)", () => {
  for (const raw of ["ᴷ΄", "῭", "0x῭"])
    for (const kind of ["btc", "eth"] as const) {
      const first = normalizeIdentifier(kind, raw);
      assert.ok(first);
      assert.equal(normalizeIdentifier(kind, first.value)?.value, first.value, `${kind} ${JSON.stringify(raw)}`);
    }
});
