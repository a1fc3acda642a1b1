// Person-name normalisation for matching: folding (accents, case, punctuation), parsing a full name into given
// names, surnames, particles and initials, and the nickname/abbreviation variants a given name may stand for
// (Pepe → José, J.-F. → Jean-François, Bill → William). Runs millions of times per linkage, so the hot paths scan
// char codes, cache per code point and avoid regexes and intermediate arrays where they can.
import { readFileSync } from "node:fs";

// ---------------------------------------------------------------------------------------------------------------
// Folding

// Letters that NFKD leaves alone but that writers (and keyboards) replace by plain Latin letters.
const SPECIAL_LETTERS: ReadonlyMap<string, string> = new Map([
  ["ß", "ss"],
  ["œ", "oe"],
  ["æ", "ae"],
  ["ø", "o"],
  ["đ", "d"],
  ["ð", "d"],
  ["ł", "l"],
  ["ı", "i"],
  ["þ", "th"],
  ["ħ", "h"],
  ["ŧ", "t"],
  ["ŀ", "l"],
]);

const MARK = /^\p{M}$/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

function foldAsciiCode(c: number): string {
  if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) return String.fromCharCode(c);
  if (c >= 65 && c <= 90) return String.fromCharCode(c + 32);
  return " ";
}

// One pass of the slow fold over one code point; may yield characters that fold further (NFKD of a lower-cased
// letter can give an upper-case or decomposable one), hence the fixpoint loop in foldCodePoint.
function foldOnce(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 128) return foldAsciiCode(cp);
  if (MARK.test(ch)) return "";
  if (!LETTER_OR_DIGIT.test(ch)) return " ";
  const lower = ch.toLowerCase();
  const special = SPECIAL_LETTERS.get(lower);
  if (special !== undefined) return special;
  let out = "";
  for (const part of lower.normalize("NFKD")) {
    const pc = part.codePointAt(0) ?? 0;
    if (pc < 128) out += foldAsciiCode(pc);
    else if (MARK.test(part)) continue;
    else if (!LETTER_OR_DIGIT.test(part)) out += " ";
    else out += part;
  }
  return out;
}

const codePointCache = new Map<number, string>();

function foldCodePoint(cp: number): string {
  const cached = codePointCache.get(cp);
  if (cached !== undefined) return cached;
  // Lone surrogates are not text: treat them as separators.
  let result = cp >= 0xd800 && cp <= 0xdfff ? " " : String.fromCodePoint(cp);
  if (result !== " ") {
    for (let round = 0; round < 4; round++) {
      let next = "";
      for (const ch of result) next += foldOnce(ch);
      if (next === result) break;
      result = next;
    }
  }
  codePointCache.set(cp, result);
  return result;
}

function isFoldedAscii(text: string): boolean {
  const n = text.length;
  if (n === 0) return true;
  if (text.charCodeAt(0) === 32 || text.charCodeAt(n - 1) === 32) return false;
  let prevSpace = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) return false;
      prevSpace = true;
    } else if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) prevSpace = false;
    else return false;
  }
  return true;
}

/**
 * NFKD, strip combining marks, lower-case, ß→ss, œ→oe, æ→ae (ñ→n and ç→c fall out of NFKD), everything that is not
 * a letter or digit (punctuation, hyphens, apostrophes, spaces) → one space, trimmed.
 */
export function foldName(text: string): string {
  // Most calls after the first see already-folded text (lexicon tokens, re-folded fields): no allocation then.
  if (isFoldedAscii(text)) return text;
  let out = "";
  let pendingSpace = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let piece: string;
    if (c < 128) {
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (pendingSpace && out.length > 0) out += " ";
        pendingSpace = false;
        out += text[i];
        continue;
      }
      if (c >= 65 && c <= 90) piece = String.fromCharCode(c + 32);
      else {
        pendingSpace = true;
        continue;
      }
    } else {
      let cp = c;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          i++;
        }
      }
      piece = foldCodePoint(cp);
      if (piece === "") continue;
    }
    // A folded piece may itself contain spaces (NFKD of "¼" is "1⁄4"): merge them with the pending separator.
    for (let j = 0; j < piece.length; j++) {
      const pc = piece.charCodeAt(j);
      if (pc === 32) {
        pendingSpace = true;
        continue;
      }
      if (pendingSpace && out.length > 0) out += " ";
      pendingSpace = false;
      out += piece[j];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Lexicon and variants, loaded once

interface GivenNameData {
  nicknames?: Record<string, string[]>;
  abbreviations?: Record<string, string[]>;
  surnameAbbreviations?: Record<string, string[]>;
  givenNames?: string[];
  generic?: string[];
}

interface GivenNameList {
  male?: string[];
  female?: string[];
}

interface SurnameList {
  surnames?: string[];
}

function readData(relative: string): string {
  return readFileSync(new URL(relative, import.meta.url), "utf8");
}

function readJson<T>(relative: string): T {
  return JSON.parse(readData(relative)) as T;
}

const PARTICLES: ReadonlySet<string> = new Set([
  "de",
  "del",
  "la",
  "las",
  "los",
  "y",
  "e",
  "da",
  "das",
  "do",
  "dos",
  "van",
  "von",
  "der",
  "den",
  "le",
  "du",
  "des",
  "di",
  "della",
  "saint",
  "st",
  "sainte",
  "ste",
]);

// Particles that also occur as names or name parts on their own ("Van Morrison", "Le" as a surname), so a name is
// not taken to start with them unless more particles follow.
const STRONG_LEADING_PARTICLES: ReadonlySet<string> = new Set([
  "de",
  "del",
  "da",
  "das",
  "do",
  "dos",
  "du",
  "des",
  "von",
  "d",
  "l",
]);

const TITLES: ReadonlySet<string> = new Set([
  "mr",
  "mrs",
  "ms",
  "miss",
  "dr",
  "dra",
  "sr",
  "sra",
  "srta",
  "lic",
  "ing",
  "mme",
  "mlle",
  "prof",
]);
const SUFFIXES: ReadonlySet<string> = new Set(["jr", "sr", "ii", "iii", "iv", "jnr", "snr"]);

// Old English clerical abbreviations (Wm. for William) that the nickname list does not carry.
const ENGLISH_ABBREVIATIONS: Record<string, string[]> = {
  "Wm.": ["William"],
  "Chas.": ["Charles"],
  "Robt.": ["Robert"],
  "Thos.": ["Thomas"],
  "Jas.": ["James"],
  "Jno.": ["John"],
  "Geo.": ["George"],
  "Benj.": ["Benjamin"],
  "Edw.": ["Edward"],
  "Saml.": ["Samuel"],
  "Richd.": ["Richard"],
  "Danl.": ["Daniel"],
};

function compact(folded: string): string {
  return folded.includes(" ") ? folded.split(" ").join("") : folded;
}

/** Folded name tokens of a formal name, particles dropped: "María de la Luz" → ["maria", "luz"]. */
function nameTokens(name: string): string[] {
  const out: string[] = [];
  for (const token of foldName(name).split(" ")) if (token.length > 1 && !PARTICLES.has(token)) out.push(token);
  return out;
}

const lexicon = new Set<string>();
const surnameLexicon = new Set<string>();
// Short form (compact folded) → [itself, formal tokens...]; built mutable, frozen after loading.
const variants = new Map<string, string[]>();
// Short form → each formal name it may stand for, as token lists; for expanding abbreviations while parsing.
const abbreviations = new Map<string, string[][]>();
// Letter initialisms of compound names ("J.-F." → Jean-François), kept apart from abbreviations so that "M.-A."
// (Marc-André) does not make the Spanish "Ma." (María) ambiguous.
const initialisms = new Map<string, string[][]>();
// Initialisms give variants only to keys no abbreviation or nickname claims ("ma" stays María).
const pendingInitialismVariants: Array<[string, string[]]> = [];
const surnameAbbreviations = new Map<string, string[]>();
const genericForms = new Set<string>();

function addVariant(short: string, formal: string[]): void {
  if (short === "" || formal.length === 0) return;
  let list = variants.get(short);
  if (list === undefined) {
    list = [short];
    variants.set(short, list);
  }
  for (const token of formal) if (!list.includes(token)) list.push(token);
}

/** "j f" (from "J.-F.", "J.F."): two or more single letters, an initialism rather than an abbreviation. */
function isLetterRun(folded: string): boolean {
  if (folded.length < 3) return false;
  for (let i = 0; i < folded.length; i++) if ((i % 2 === 1) !== (folded.charCodeAt(i) === 32)) return false;
  return folded.length % 2 === 1;
}

function addExpansion(map: Map<string, string[][]>, short: string, formal: string[]): void {
  if (short === "" || formal.length === 0) return;
  let list = map.get(short);
  if (list === undefined) {
    list = [];
    map.set(short, list);
  }
  const key = formal.join(" ");
  if (!list.some((existing) => existing.join(" ") === key)) list.push(formal);
}

function loadGivenNameData(data: GivenNameData): void {
  for (const name of data.givenNames ?? []) for (const token of nameTokens(name)) lexicon.add(token);
  for (const [short, formals] of Object.entries(data.nicknames ?? {})) {
    const key = compact(foldName(short));
    for (const formal of formals) {
      const tokens = nameTokens(formal);
      for (const token of tokens) lexicon.add(token);
      addVariant(key, tokens);
    }
  }
  for (const [short, formals] of Object.entries(data.abbreviations ?? {})) {
    const folded = foldName(short);
    const key = compact(folded);
    const initialism = isLetterRun(folded);
    for (const formal of formals) {
      const tokens = nameTokens(formal);
      for (const token of tokens) lexicon.add(token);
      if (initialism) {
        addExpansion(initialisms, key, tokens);
        pendingInitialismVariants.push([key, tokens]);
      } else {
        addVariant(key, tokens);
        addExpansion(abbreviations, key, tokens);
      }
    }
  }
  for (const [short, formals] of Object.entries(data.surnameAbbreviations ?? {})) {
    const tokens = formals.length === 1 && formals[0] !== undefined ? nameTokens(formals[0]) : [];
    if (tokens.length > 0) surnameAbbreviations.set(compact(foldName(short)), tokens);
  }
  for (const name of data.generic ?? []) genericForms.add(compact(foldName(name)));
}

function loadEnglishNicknames(csv: string): void {
  let start = 0;
  let first = true;
  while (start < csv.length) {
    let end = csv.indexOf("\n", start);
    if (end < 0) end = csv.length;
    const line = csv.slice(start, end).trim();
    start = end + 1;
    if (first) {
      first = false; // header: name1,relationship,name2
      continue;
    }
    const [formal, relationship, nickname] = line.split(",");
    if (relationship !== "has_nickname" || !formal || !nickname) continue;
    const formalTokens = nameTokens(formal);
    for (const token of formalTokens) lexicon.add(token);
    addVariant(compact(foldName(nickname)), formalTokens);
  }
}

function loadGivenNameList(data: GivenNameList): void {
  for (const name of [...(data.male ?? []), ...(data.female ?? [])])
    for (const token of nameTokens(name)) lexicon.add(token);
}

function loadSurnameList(data: SurnameList): void {
  for (const name of data.surnames ?? []) for (const token of nameTokens(name)) surnameLexicon.add(token);
}

loadGivenNameData(readJson<GivenNameData>("./data/given-names-es.json"));
loadGivenNameData(readJson<GivenNameData>("./data/given-names-fr.json"));
loadGivenNameData(readJson<GivenNameData>("./data/given-names-pt.json"));
loadGivenNameData({ abbreviations: ENGLISH_ABBREVIATIONS });
loadEnglishNicknames(readData("./data/english-nicknames.csv"));
for (const language of ["es", "en", "fr"]) {
  loadGivenNameList(readJson<GivenNameList>(`./data/${language}-given.json`));
  loadSurnameList(readJson<SurnameList>(`./data/${language}-surnames.json`));
}
const claimed = new Set(variants.keys());
for (const [key, tokens] of pendingInitialismVariants) if (!claimed.has(key)) addVariant(key, tokens);
for (const list of variants.values()) Object.freeze(list);

/**
 * Folded formal forms a given-name token may stand for, the token itself first: "pepe" → ["pepe", "jose"],
 * "chema" → ["chema", "jose", "maria"], "jf" → ["jf", "jean", "francois"]. Unknown tokens give [token].
 * The returned array is shared and frozen: copy before changing it.
 */
export function givenNameVariants(token: string): string[] {
  const folded = compact(foldName(token));
  return variants.get(folded) ?? [folded];
}

/** Whether a token (or every token of a multi-word name) is a formal given name in the lexicon. */
export function isKnownGivenName(token: string): boolean {
  const folded = foldName(token);
  if (folded === "") return false;
  if (!folded.includes(" ")) return lexicon.has(folded);
  for (const part of folded.split(" ")) if (!PARTICLES.has(part) && !lexicon.has(part)) return false;
  return true;
}

function isGivenLike(token: string): boolean {
  return lexicon.has(token) || variants.has(token) || genericForms.has(token);
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

export interface ParsedName {
  /** Folded given-name tokens in order; abbreviations expanded ("Ma." → "maria"), nicknames kept as written. */
  given: string[];
  /** Folded surname tokens in order, particles removed, hyphenated surnames split. */
  family: string[];
  /** The particles removed, a run of them joined by a space ("de la"). */
  particles: string[];
  /** Given-name initials ("j" for "J."). */
  initials: string[];
  /** The input was in "LAST, First" form. */
  surnameFirst: boolean;
}

const WORD = 0;
const PARTICLE = 1;
const INITIAL = 2;
const ABBREVIATION = 3;
// A conjunction ("y", "e") is a particle only between two words.
const CONJUNCTION = 4;

interface Item {
  kind: number;
  token: string;
  /** Given-name expansion of an abbreviation. */
  given?: readonly string[];
  /** Surname expansion of a surname abbreviation. */
  family?: readonly string[];
}

function isApostrophe(c: number): boolean {
  return c === 39 || c === 0x2019 || c === 0x2bc || c === 0x60 || c === 0xb4 || c === 0x2018;
}

function isSpace(c: number): boolean {
  return c <= 32 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200b) || c === 0x202f || c === 0x205f;
}

function pushToken(token: string, hasPeriod: boolean, out: Item[]): void {
  if (token.length === 1) {
    out.push({ kind: !hasPeriod && (token === "y" || token === "e") ? CONJUNCTION : INITIAL, token });
    return;
  }
  const abbreviation = abbreviations.get(token);
  if (abbreviation !== undefined && (hasPeriod || !lexicon.has(token))) {
    pushAbbreviation(token, abbreviation, out, false);
    return;
  }
  // "JF" written without its punctuation, unless it is a name in its own right.
  const initialism = token.length <= 3 ? initialisms.get(token) : undefined;
  if (initialism !== undefined && !lexicon.has(token)) {
    pushAbbreviation(token, initialism, out, true);
    return;
  }
  const family = surnameAbbreviations.get(token);
  if (family !== undefined) out.push({ kind: WORD, token, family });
  else if (PARTICLES.has(token) && (!hasPeriod || token === "st" || token === "ste"))
    out.push({ kind: PARTICLE, token });
  else out.push({ kind: WORD, token });
}

function pushAbbreviation(token: string, expansions: string[][], out: Item[], letters: boolean): void {
  const only = expansions.length === 1 ? expansions[0] : undefined;
  if (only !== undefined) out.push({ kind: ABBREVIATION, token, given: only });
  // Ambiguous letter initialisms ("J.-P.": Jean-Pierre or Jean-Philippe) stay initials; the variants keep the options.
  else if (letters) for (const letter of token) out.push({ kind: INITIAL, token: letter });
  else out.push({ kind: WORD, token });
}

/** Splits one whitespace-delimited piece of raw text ("J.-F.", "García-López", "O'Brien", "Ma.Gpe.") into items. */
function segmentItems(raw: string, out: Item[]): void {
  const folded = foldName(raw);
  if (folded === "") return;
  const hasPeriod = raw.includes(".") || raw.includes("º") || raw.includes("ª");
  if (!folded.includes(" ")) {
    pushToken(folded, hasPeriod, out);
    return;
  }
  const whole = compact(folded);
  const letters = isLetterRun(folded);
  const expansion = letters ? (initialisms.get(whole) ?? []) : abbreviations.get(whole);
  if (expansion !== undefined) {
    pushAbbreviation(whole, expansion, out, letters);
    return;
  }
  const parts = folded.split(" ");
  const first = parts[0] ?? "";
  // O'Brien is one name; d'Amours and l'Heureux carry an elided particle.
  if (first.length === 1 && raw.length > 1 && isApostrophe(raw.charCodeAt(1))) {
    const second = parts[1] ?? "";
    if (first === "d" || first === "l") {
      out.push({ kind: PARTICLE, token: first });
      for (let i = 1; i < parts.length; i++) pushToken(parts[i] ?? "", hasPeriod, out);
    } else {
      pushToken(first + second, false, out);
      for (let i = 2; i < parts.length; i++) pushToken(parts[i] ?? "", hasPeriod, out);
    }
    return;
  }
  for (const part of parts) pushToken(part, hasPeriod, out);
}

/** Items of a stretch of raw text, split on whitespace (and on commas, which only the caller gives meaning). */
function textItems(text: string, out: Item[]): void {
  let start = -1;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (isSpace(c) || c === 44 || c === 0xff0c || c === 59) {
      if (start >= 0) segmentItems(text.slice(start, i), out);
      start = -1;
    } else if (start < 0) start = i;
  }
  // "Mc Donald" is McDonald written with a space.
  for (let i = 0; i + 1 < out.length; i++) {
    const item = out[i];
    const next = out[i + 1];
    if (item?.token === "mc" && next?.kind === WORD) {
      out.splice(i, 2, { kind: WORD, token: `mc${next.token}` });
    }
  }
}

/**
 * Decides which particle-like items really are particles: only before a later non-particle item of the same part,
 * conjunctions only between two words, and at the start only if `leading` allows it.
 */
function resolveParticles(items: Item[], leading: "always" | "strong"): void {
  let lastWord = -1;
  for (let i = items.length - 1; i >= 0; i--) {
    const kind = items[i]?.kind;
    if (kind !== PARTICLE && kind !== CONJUNCTION) {
      lastWord = i;
      break;
    }
  }
  let seenWord = false;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined) continue;
    if (item.kind === CONJUNCTION) {
      if (!seenWord || i > lastWord) item.kind = INITIAL;
      else item.kind = PARTICLE;
    } else if (item.kind === PARTICLE) {
      if (i > lastWord) item.kind = WORD;
      else if (!seenWord && leading === "strong") {
        const next = items[i + 1];
        if (!STRONG_LEADING_PARTICLES.has(item.token) && next?.kind !== PARTICLE) item.kind = WORD;
      }
    }
    if (item.kind !== PARTICLE) seenWord = true;
  }
}

function collectParticles(items: Item[], particles: string[]): void {
  let run = "";
  for (const item of items) {
    if (item.kind === PARTICLE) run = run === "" ? item.token : `${run} ${item.token}`;
    else if (run !== "") {
      particles.push(run);
      run = "";
    }
  }
  if (run !== "") particles.push(run);
}

/** Drops a leading title ("Sr.", "Dr") and a trailing generational suffix ("Jr", "III") when enough is left. */
function dropTitleAndSuffix(items: Item[], title: boolean, suffixMinimum: number): void {
  if (title && items.length >= 2 && items[0]?.kind === WORD && TITLES.has(items[0].token)) items.shift();
  const last = items[items.length - 1];
  if (items.length >= suffixMinimum && last?.kind === WORD && SUFFIXES.has(last.token)) items.pop();
}

function addGiven(item: Item, result: ParsedName): void {
  if (item.kind === INITIAL) result.initials.push(item.token);
  else if (item.kind === ABBREVIATION && item.given !== undefined)
    for (const token of item.given) result.given.push(token);
  else result.given.push(item.token);
}

function addFamily(item: Item, result: ParsedName): void {
  if (item.family !== undefined) for (const token of item.family) result.family.push(token);
  else result.family.push(item.token);
}

function isGivenLikeItem(item: Item): boolean {
  if (item.kind === INITIAL || item.kind === ABBREVIATION) return true;
  return item.family === undefined && isGivenLike(item.token);
}

function assignGiven(items: Item[], result: ParsedName): void {
  for (const item of items) if (item.kind !== PARTICLE) addGiven(item, result);
}

function assignFamily(items: Item[], result: ParsedName): void {
  for (const item of items) if (item.kind !== PARTICLE) addFamily(item, result);
}

/** "given… family…" order with no comma: find where the given names end. */
function assignUnordered(items: Item[], result: ParsedName): void {
  const words: Item[] = [];
  for (const item of items) if (item.kind !== PARTICLE) words.push(item);
  const n = words.length;
  if (n === 0) return;
  let k: number;
  if (n === 1) k = 0;
  else if (n === 2) k = 1;
  else {
    k = 0;
    while (k < n - 1 && isGivenLikeItem(words[k] as Item)) k++;
    if (k === 0) k = 1;
    // Hispanic names usually end in two surnames: "Juan Carlos Santos Martínez" has Santos as a surname although it
    // is also a given name.
    if (n >= 4 && k === n - 1 && k > 1) {
      const boundary = words[k - 1] as Item;
      if (boundary.kind === WORD && surnameLexicon.has(boundary.token)) k--;
    }
  }
  for (let i = 0; i < n; i++) {
    const item = words[i] as Item;
    if (i < k) addGiven(item, result);
    else addFamily(item, result);
  }
}

function hasText(value: string | undefined): value is string {
  if (value === undefined) return false;
  for (let i = 0; i < value.length; i++) if (!isSpace(value.charCodeAt(i))) return true;
  return false;
}

/** Cleans and assigns names already split into given and family parts; particles are listed in reading order. */
function finishGivenAndFamily(given: Item[], family: Item[], result: ParsedName, familyFirst: boolean): ParsedName {
  dropTitleAndSuffix(given, true, 2);
  dropTitleAndSuffix(family, false, 2);
  resolveParticles(given, "strong");
  resolveParticles(family, "always");
  const [first, second] = familyFirst ? [family, given] : [given, family];
  collectParticles(first, result.particles);
  collectParticles(second, result.particles);
  assignGiven(given, result);
  assignFamily(family, result);
  return result;
}

/**
 * Parses a person's name. With `parts` (any non-blank), firstName/middleName are the given names and
 * lastName/secondLastName the surnames; otherwise `full` is read as "LAST, First" when it has a comma and as
 * "given… family…" when it has not, the given-name lexicon deciding where the given names end.
 */
export function parsePersonName(
  full: string,
  parts?: { firstName?: string; middleName?: string; lastName?: string; secondLastName?: string },
): ParsedName {
  const result: ParsedName = { given: [], family: [], particles: [], initials: [], surnameFirst: false };
  if (
    parts !== undefined &&
    (hasText(parts.firstName) || hasText(parts.middleName) || hasText(parts.lastName) || hasText(parts.secondLastName))
  ) {
    const given: Item[] = [];
    if (parts.firstName) textItems(parts.firstName, given);
    if (parts.middleName) textItems(parts.middleName, given);
    const family: Item[] = [];
    if (parts.lastName) textItems(parts.lastName, family);
    if (parts.secondLastName) textItems(parts.secondLastName, family);
    return finishGivenAndFamily(given, family, result, false);
  }
  if (typeof full !== "string") return result;
  let comma = full.indexOf(",");
  if (comma < 0) comma = full.indexOf("，");
  if (comma >= 0) {
    const family: Item[] = [];
    textItems(full.slice(0, comma), family);
    if (family.length > 0) {
      const given: Item[] = [];
      textItems(full.slice(comma + 1), given);
      result.surnameFirst = true;
      return finishGivenAndFamily(given, family, result, true);
    }
  }
  const items: Item[] = [];
  textItems(full, items);
  dropTitleAndSuffix(items, true, 3);
  resolveParticles(items, "strong");
  collectParticles(items, result.particles);
  assignUnordered(items, result);
  return result;
}
