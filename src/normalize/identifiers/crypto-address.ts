// Normalisers for cryptocurrency addresses: Bitcoin (Base58Check P2PKH/P2SH, BIP-173 Bech32 and BIP-350
// Bech32m segwit addresses) and Ethereum (EIP-55 mixed-case checksum). Hashes come from node:crypto and
// @noble/hashes; the Bech32 code follows the BIPs' reference implementation.
import { createHash } from "node:crypto";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { type IdentifierInfo, type IdentifierResult, result } from "./common.ts";

const BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/** Mainnet version bytes: 0x00 pay-to-pubkey-hash ("1…"), 0x05 pay-to-script-hash ("3…"). */
const BASE58_VERSIONS: Readonly<Record<number, string>> = { 0: "p2pkh", 5: "p2sh" };
const BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32_GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3] as const;
/** The constant the checksum polymod must equal: 1 for Bech32 (BIP-173), 0x2bc830a3 for Bech32m (BIP-350). */
const BECH32_CONST = 1;
const BECH32M_CONST = 0x2bc830a3;
/** Segwit human-readable parts: mainnet and testnet. */
const SEGWIT_NETWORKS: Readonly<Record<string, string>> = { bc: "mainnet", tb: "testnet" };

export type Bech32Encoding = "bech32" | "bech32m";

function sha256(data: Uint8Array): Uint8Array {
  return createHash("sha256").update(data).digest();
}

/** Base58 decoding (leading "1"s are leading zero bytes); undefined on characters outside the alphabet. */
function base58Decode(text: string): Uint8Array | undefined {
  let number = 0n;
  for (const char of text) {
    const digit = BASE58_ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    number = number * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (number > 0n) {
    bytes.unshift(Number(number & 0xffn));
    number >>= 8n;
  }
  const zeros = /^1*/u.exec(text)?.[0].length ?? 0;
  return Uint8Array.from([...new Array<number>(zeros).fill(0), ...bytes]);
}

/** Base58Check encoding of a version byte and payload (for building test addresses). */
export function base58CheckEncode(version: number, payload: Uint8Array): string {
  const body = Uint8Array.from([version, ...payload]);
  const bytes = [...body, ...sha256(sha256(body)).slice(0, 4)];
  let number = 0n;
  for (const byte of bytes) number = number * 256n + BigInt(byte);
  let text = "";
  while (number > 0n) {
    text = BASE58_ALPHABET[Number(number % 58n)] + text;
    number /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = `1${text}`;
  }
  return text;
}

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const value of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ value) >>> 0;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk = (chk ^ (BECH32_GENERATOR[i] ?? 0)) >>> 0;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const chars = [...hrp].map((char) => char.charCodeAt(0));
  return [...chars.map((code) => code >>> 5), 0, ...chars.map((code) => code & 31)];
}

/** Regroups bits (BIP-173 convertbits); undefined when padding is not allowed and is not zero. */
function convertBits(data: readonly number[], from: number, to: number, pad: boolean): number[] | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  const maxv = (1 << to) - 1;
  for (const value of data) {
    if (value < 0 || value >> from !== 0) return undefined;
    acc = ((acc << from) | value) & 0xffffff;
    bits += from;
    while (bits >= to) {
      bits -= to;
      out.push((acc >> bits) & maxv);
    }
  }
  if (pad) {
    if (bits > 0) out.push((acc << (to - bits)) & maxv);
  } else if (bits >= from || ((acc << (to - bits)) & maxv) !== 0) return undefined;
  return out;
}

/** A segwit address for a witness version and program (for building test addresses). */
export function segwitEncode(hrp: string, version: number, program: Uint8Array): string {
  const data = [version, ...(convertBits([...program], 8, 5, true) ?? [])];
  const mod = polymod([...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0]) ^ (version === 0 ? BECH32_CONST : BECH32M_CONST);
  const checksum = Array.from({ length: 6 }, (_, i) => (mod >>> (5 * (5 - i))) & 31);
  return `${hrp}1${[...data, ...checksum].map((d) => BECH32_CHARSET[d]).join("")}`;
}

/** Decodes a Bech32/Bech32m string (BIP-173/BIP-350); a string as problem when it is not one. */
function bech32Decode(text: string): { hrp: string; data: number[]; encoding: Bech32Encoding } | string {
  if ([...text].some((char) => char.charCodeAt(0) < 33 || char.charCodeAt(0) > 126)) return "character out of range";
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return "mixed case";
  const lower = text.toLowerCase();
  const separator = lower.lastIndexOf("1");
  if (separator < 1 || separator + 7 > lower.length || lower.length > 90) return "no valid separator or length";
  const hrp = lower.slice(0, separator);
  const data: number[] = [];
  for (const char of lower.slice(separator + 1)) {
    const value = BECH32_CHARSET.indexOf(char);
    if (value < 0) return `"${char}" is not a Bech32 character`;
    data.push(value);
  }
  const check = polymod([...hrpExpand(hrp), ...data]);
  const encoding = check === BECH32_CONST ? "bech32" : check === BECH32M_CONST ? "bech32m" : undefined;
  if (!encoding) return "the checksum does not match";
  return { hrp, data: data.slice(0, -6), encoding };
}

function normalizeSegwit(value: string): IdentifierResult {
  const decoded = bech32Decode(value);
  if (typeof decoded === "string") return result("btc", value, false, decoded);
  const network = SEGWIT_NETWORKS[decoded.hrp];
  if (!network) return result("btc", value, false, `"${decoded.hrp}" is not a Bitcoin network prefix`);
  const info: IdentifierInfo = { region: network };
  const [version, ...words] = decoded.data;
  if (version === undefined || version > 16) return result("btc", value, false, "invalid witness version", info);
  const program = convertBits(words, 5, 8, false);
  if (!program || program.length < 2 || program.length > 40)
    return result("btc", value, false, "invalid witness program", info);
  if (version === 0 && program.length !== 20 && program.length !== 32)
    return result("btc", value, false, "a version 0 witness program has 20 or 32 bytes", info);
  // BIP-350: version 0 keeps Bech32, every later version must use Bech32m.
  if ((version === 0) !== (decoded.encoding === "bech32"))
    return result("btc", value, false, `witness version ${version} with the wrong checksum kind`, info);
  return result("btc", value, true, undefined, info);
}

/**
 * NFKC without white space, normalised again: NFKC can turn a character into a space and a combining mark
 * ("΄" → " ́"), and once the space is gone the mark composes with what precedes it. Idempotent.
 */
function withoutSpaces(raw: string): string {
  return raw.normalize("NFKC").replace(/\s+/gu, "").normalize("NFKC");
}

export function normalizeBtc(raw: string): IdentifierResult | undefined {
  const trimmed = withoutSpaces(raw);
  if (trimmed === "") return undefined;
  // Segwit addresses are case-insensitive (canonically lower-case); Base58 is case-sensitive and kept as is.
  if (/^(bc|tb)1/iu.test(trimmed)) {
    const value = trimmed === trimmed.toUpperCase() ? trimmed.toLowerCase() : trimmed;
    return normalizeSegwit(value);
  }
  if (!/^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/u.test(trimmed))
    return result("btc", trimmed, false, "not a Base58 (1…, 3…) or segwit (bc1…) Bitcoin address");
  const bytes = base58Decode(trimmed);
  if (bytes?.length !== 25) return result("btc", trimmed, false, "a Base58Check address decodes to 25 bytes");
  const version = bytes[0] ?? -1;
  if (BASE58_VERSIONS[version] === undefined)
    return result("btc", trimmed, false, `version byte ${version} is not a mainnet address`);
  const checksum = sha256(sha256(bytes.slice(0, 21))).slice(0, 4);
  if (checksum.some((byte, i) => byte !== bytes[21 + i]))
    return result("btc", trimmed, false, "the Base58Check checksum does not match");
  return result("btc", trimmed, true, undefined, { region: "mainnet" });
}

/** The EIP-55 checksummed form of a 40-digit hex address (without 0x). */
export function eip55Checksum(hex: string): string {
  const lower = hex.toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  return [...lower]
    .map((char, i) => {
      const byte = hash[i >> 1] ?? 0;
      const nibble = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
      return nibble >= 8 ? char.toUpperCase() : char;
    })
    .join("");
}

export function normalizeEth(raw: string): IdentifierResult | undefined {
  const trimmed = withoutSpaces(raw);
  if (trimmed === "") return undefined;
  // Anything but ASCII cannot be an address; kept as given (prefixing it could compose with what follows).
  if (!/^[\x21-\x7e]+$/u.test(trimmed))
    return result("eth", trimmed, false, "an Ethereum address is 0x and 40 hex digits");
  // A bare 40-digit hex string in an Ethereum column is an address missing its prefix; accept it.
  const hex = /^0x/iu.test(trimmed) ? trimmed.slice(2) : trimmed;
  const value = `0x${hex.toLowerCase()}`;
  if (!/^[0-9a-fA-F]{40}$/u.test(hex))
    return result("eth", value, false, "an Ethereum address is 0x and 40 hex digits");
  // All-lower and all-upper carry no checksum (pre-EIP-55 form); mixed case must be the EIP-55 pattern.
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return result("eth", value, true);
  if (eip55Checksum(hex) !== hex) return result("eth", value, false, "the mixed-case EIP-55 checksum does not match");
  return result("eth", value, true);
}
