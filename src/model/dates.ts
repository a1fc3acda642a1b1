// Dates in canonical ISO 8601 form: full (YYYY-MM-DD), partial (YYYY-MM, YYYY) or a UTC date-time.
// Input in another layout is read only with an explicit format, because 03/04/2020 means different days
// in Mexico and the United States.
import type { NormalizeResult } from "./property-types.ts";

const ISO_PARTIAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/u;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/u;
const FORMAT_TOKEN = /YYYY|MM|DD|M|D/gu;

function invalid(raw: string, expected: string): NormalizeResult {
  return { ok: false, code: "invalid_date", message: `"${raw}" is not a valid date (expected ${expected})` };
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function assemble(raw: string, year: number, month?: number, day?: number): NormalizeResult {
  if (year < 1800 || year > 2200) return invalid(raw, "a year between 1800 and 2200");
  const y = String(year).padStart(4, "0");
  if (month === undefined) return { ok: true, value: y };
  if (month < 1 || month > 12) return invalid(raw, "a month between 01 and 12");
  const m = String(month).padStart(2, "0");
  if (day === undefined) return { ok: true, value: `${y}-${m}` };
  if (!isRealDate(year, month, day)) return invalid(raw, "a day that exists in the calendar");
  return { ok: true, value: `${y}-${m}-${String(day).padStart(2, "0")}` };
}

interface CompiledFormat {
  tokens: string[];
  pattern: RegExp;
}

// A file has a handful of formats and many rows: each format is compiled once.
const compiledFormats = new Map<string, CompiledFormat>();

function compileFormat(format: string): CompiledFormat {
  let compiled = compiledFormats.get(format);
  if (!compiled) {
    const tokens: string[] = [];
    const pattern = format.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&").replace(FORMAT_TOKEN, (token) => {
      tokens.push(token);
      return token === "YYYY" ? "(\\d{4})" : token.length === 2 ? "(\\d{2})" : "(\\d{1,2})";
    });
    compiled = { tokens, pattern: new RegExp(`^${pattern}$`, "u") };
    if (compiledFormats.size > 64) compiledFormats.clear();
    compiledFormats.set(format, compiled);
  }
  return compiled;
}

/** Reads a date with an explicit layout made of YYYY, MM, DD, M and D and literal separators. */
function parseWithFormat(raw: string, format: string): NormalizeResult {
  const { tokens, pattern } = compileFormat(format);
  if (!tokens.includes("YYYY")) return invalid(raw, `a format containing YYYY, not "${format}"`);
  const match = pattern.exec(raw.trim());
  if (!match) return invalid(raw, format);
  const parts: Record<string, number> = {};
  tokens.forEach((token, index) => {
    parts[token[0] as string] = Number(match[index + 1]);
  });
  return assemble(raw, parts.Y as number, parts.M, parts.M === undefined ? undefined : parts.D);
}

export function normalizeDate(raw: string, format?: string): NormalizeResult {
  const value = raw.trim();
  if (format) return parseWithFormat(value, format);
  const match = ISO_PARTIAL.exec(value);
  if (match)
    return assemble(
      raw,
      Number(match[1]),
      match[2] === undefined ? undefined : Number(match[2]),
      match[3] === undefined ? undefined : Number(match[3]),
    );
  if (ISO_DATE_TIME.test(value)) {
    const time = Date.parse(value);
    return Number.isNaN(time)
      ? invalid(raw, "an ISO 8601 date-time")
      : { ok: true, value: new Date(time).toISOString() };
  }
  return invalid(raw, "YYYY-MM-DD, YYYY-MM or YYYY; give --map column=property:FORMAT for other layouts");
}

/**
 * Epoch milliseconds of an ISO 8601 date-time with a zone ("2026-03-01T14:05:00Z"), NaN for anything else. What
 * comes over the wire is read with this, never with Date.parse alone, which takes "=U{;.e]!b{&2" for 1 February 2001.
 */
export function parseInstant(value: unknown): number {
  return typeof value === "string" && ISO_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
}

/** Adds whole years to an ISO date, clamping 29 February to 28 February. */
export function addYears(isoDate: string, years: number): string {
  const [y, m, d] = isoDate.slice(0, 10).split("-").map(Number) as [number, number, number];
  const day = m === 2 && d === 29 && !isRealDate(y + years, 2, 29) ? 28 : d;
  return `${String(y + years).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
