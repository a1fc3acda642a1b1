// JSON Canonicalization Scheme (RFC 8785): the one byte sequence a JSON value signs as, whatever order its
// producer wrote the keys in. Object keys sort by UTF-16 code units; numbers and strings use ECMAScript's own
// serialisation, which is what the RFC specifies.

export class CanonicalJsonError extends Error {}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new CanonicalJsonError("JSON has no NaN or Infinity");
    return JSON.stringify(value);
  }
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  throw new CanonicalJsonError(`${typeof value} cannot be written as JSON`);
}
