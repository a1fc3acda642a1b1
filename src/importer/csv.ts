// A streaming RFC 4180 CSV reader: quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF or LF
// (or a lone CR) between records, a UTF-8 byte-order mark dropped. It reads chunk by chunk, so a large file is never
// held in memory whole, and it reports the physical line each record starts on so errors can point at it.

export interface CsvRecord {
  /** 1-based physical line where the record starts (a quoted field may run over several lines). */
  line: number;
  fields: string[];
}

export interface CsvOptions {
  /** One character; "," unless given (";" is common in spreadsheets exported in Mexico and Québec). */
  delimiter?: string;
  /** Ignore spaces after a delimiter ("a, b"), as some exports (FEBRL among them) write them. */
  skipInitialSpace?: boolean;
}

/** The text is not well-formed CSV; `line` is where the problem is, `reason` what it is. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** The bytes are not UTF-8; `line` is roughly where (counted from the text decoded before). */
export class InvalidUtf8Error extends Error {
  readonly reason = "the text is not valid UTF-8 (save the file as UTF-8)";
  constructor(readonly line: number) {
    super(`line ${line}: the text is not valid UTF-8 (save the file as UTF-8)`);
  }
}

export type TextSource = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * Decodes a byte stream as UTF-8, chunk by chunk (a character split between two chunks is joined). Invalid UTF-8 is
 * an error rather than replacement characters: silently mangled names would be recorded as if they were evidence.
 * The byte-order mark is dropped.
 */
export async function* decodeUtf8(source: TextSource): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let lines = 1;
  const decode = (bytes: Uint8Array | undefined, stream: boolean): string => {
    try {
      return bytes ? decoder.decode(bytes, { stream }) : decoder.decode();
    } catch {
      throw new InvalidUtf8Error(lines);
    }
  };
  let first = true;
  for await (const chunk of source) {
    let text = typeof chunk === "string" ? chunk : decode(chunk, true);
    // TextDecoder drops the BOM of bytes itself; strings given directly may still start with one.
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    // Only to place a decoding error near where it happened; a rough count is enough.
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
    if (text.length > 0) yield text;
  }
  const rest = decode(undefined, false);
  if (rest.length > 0) yield rest;
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const SPACE = 0x20;

enum State {
  /** At the start of a field (after a delimiter or at the start of a record). */
  FieldStart,
  Unquoted,
  Quoted,
  /** Just saw a quote inside a quoted field: either the first of a doubled quote or the closing quote. */
  QuoteInQuoted,
}

/**
 * The CSV state machine, fed one chunk of text at a time; it keeps its state between chunks so a record, a field
 * or a CRLF may be split anywhere.
 */
export class CsvParser {
  private readonly delimiter: number;
  private readonly skipInitialSpace: boolean;
  private state = State.FieldStart;
  private field = "";
  private fields: string[] = [];
  /** Physical line of the next character. */
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  /** The previous character was a CR, so an LF right after it belongs to the same line break. */
  private afterCr = false;

  constructor(options: CsvOptions = {}) {
    const delimiter = options.delimiter ?? ",";
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\r" || delimiter === "\n")
      throw new RangeError(`the CSV delimiter must be one character other than a quote or line break`);
    this.delimiter = delimiter.charCodeAt(0);
    this.skipInitialSpace = options.skipInitialSpace ?? false;
  }

  /** Parses one chunk and appends each record it completes to `out`. */
  push(text: string, out: CsvRecord[]): void {
    const delimiter = this.delimiter;
    const n = text.length;
    // Start of the not-yet-copied part of the current field within this chunk.
    let start = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === LF && this.afterCr) {
        // The LF of a CRLF: the line was already counted at the CR.
        this.afterCr = false;
        if (this.state === State.Quoted) continue;
        start = i + 1;
        continue;
      }
      this.afterCr = c === CR;
      switch (this.state) {
        case State.FieldStart:
          if (this.fields.length === 0 && this.field === "") this.recordLine = this.line;
          if (c === QUOTE) {
            this.state = State.Quoted;
            this.quoteLine = this.line;
            start = i + 1;
          } else if (c === delimiter) {
            this.fields.push("");
            start = i + 1;
          } else if (c === SPACE && this.skipInitialSpace) {
            start = i + 1;
          } else if (c === CR || c === LF) {
            this.line++;
            // A line with nothing on it is not a record; after a delimiter it ends one with an empty last field.
            if (this.fields.length > 0) this.endRecord("", out);
            start = i + 1;
          } else {
            this.state = State.Unquoted;
            start = i;
          }
          break;
        case State.Unquoted:
          if (c === delimiter) {
            this.fields.push(this.field + text.slice(start, i));
            this.field = "";
            this.state = State.FieldStart;
            start = i + 1;
          } else if (c === CR || c === LF) {
            this.line++;
            this.endRecord(this.field + text.slice(start, i), out);
            start = i + 1;
          } else if (c === QUOTE) {
            throw new CsvSyntaxError(
              this.line,
              "a quote inside an unquoted field (quote the whole field and double it)",
            );
          }
          break;
        case State.Quoted:
          if (c === QUOTE) {
            this.field += text.slice(start, i);
            this.state = State.QuoteInQuoted;
          } else if (c === CR || c === LF) {
            this.line++;
          }
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            // A doubled quote stands for one; the second quote starts the next copied part.
            this.state = State.Quoted;
            start = i;
          } else if (c === delimiter) {
            this.fields.push(this.field);
            this.field = "";
            this.state = State.FieldStart;
            start = i + 1;
          } else if (c === CR || c === LF) {
            this.line++;
            this.endRecord(this.field, out);
            start = i + 1;
          } else {
            throw new CsvSyntaxError(
              this.line,
              "text after the closing quote of a field (a quote inside must be doubled)",
            );
          }
          break;
      }
    }
    if (this.state === State.Unquoted || this.state === State.Quoted) this.field += text.slice(start, n);
  }

  /** Ends the input: returns the last record if the text did not end with a line break. */
  end(out: CsvRecord[]): void {
    if (this.state === State.Quoted) throw new CsvSyntaxError(this.quoteLine, "a quoted field is never closed");
    if (this.state === State.Unquoted || this.state === State.QuoteInQuoted || this.fields.length > 0)
      this.endRecord(this.field, out);
  }

  private endRecord(last: string, out: CsvRecord[]): void {
    this.fields.push(last);
    out.push({ line: this.recordLine, fields: this.fields });
    this.fields = [];
    this.field = "";
    this.state = State.FieldStart;
  }
}

/** Reads CSV records from a byte or text stream (a `Readable`, a file stream, or an array of chunks). */
export async function* readCsv(source: TextSource, options: CsvOptions = {}): AsyncGenerator<CsvRecord> {
  const parser = new CsvParser(options);
  const out: CsvRecord[] = [];
  for await (const text of decodeUtf8(source)) {
    parser.push(text, out);
    // Records are handed on per chunk, so at most one chunk's worth is held at a time.
    for (const record of out) yield record;
    out.length = 0;
  }
  parser.end(out);
  for (const record of out) yield record;
}
