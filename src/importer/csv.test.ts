// Tests for the streaming CSV reader: RFC 4180 quoting, line breaks of every kind, records split across chunks at
// any point, physical line numbers, and precise errors for malformed input.
import assert from "node:assert/strict";
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { test } from "node:test";
import fc from "fast-check";
import { CsvParser, type CsvRecord, CsvSyntaxError, InvalidUtf8Error, readCsv, type TextSource } from "./csv.ts";

async function parse(source: TextSource | string, delimiter?: string): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  const input = typeof source === "string" ? [source] : source;
  for await (const record of readCsv(input, delimiter ? { delimiter } : {})) records.push(record);
  return records;
}

const fieldsOf = (records: CsvRecord[]) => records.map((record) => record.fields);

/** Writes fields as RFC 4180 CSV, quoting only when needed. */
function toCsv(rows: string[][], newline: string): string {
  const quote = (field: string) => (/[",\r\n]/u.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  return rows.map((row) => row.map(quote).join(",")).join(newline) + newline;
}

test("plain, quoted and empty fields, with doubled quotes and delimiters inside quotes", async () => {
  const records = await parse('name,note,age\nAna,"says ""hola"", then leaves",31\n"",,\n');
  assert.deepEqual(fieldsOf(records), [
    ["name", "note", "age"],
    ["Ana", 'says "hola", then leaves', "31"],
    ["", "", ""],
  ]);
});

test("a quoted field may hold line breaks; each record reports the physical line it starts on", async () => {
  const text = 'a,b\n1,"first\nsecond\r\nthird"\n2,x\r\n3,"y"';
  const records = await parse(text);
  assert.deepEqual(fieldsOf(records), [
    ["a", "b"],
    ["1", "first\nsecond\r\nthird"],
    ["2", "x"],
    ["3", "y"],
  ]);
  assert.deepEqual(
    records.map((record) => record.line),
    [1, 2, 5, 6],
  );
});

test("CRLF, LF and lone CR all end records, and blank lines are skipped but still counted", async () => {
  const records = await parse("a,b\r\n\r\n1,2\n\n3,4\r5,6\r\n");
  assert.deepEqual(fieldsOf(records), [
    ["a", "b"],
    ["1", "2"],
    ["3", "4"],
    ["5", "6"],
  ]);
  assert.deepEqual(
    records.map((record) => record.line),
    [1, 3, 5, 6],
  );
});

test("a trailing delimiter gives an empty last field, at the end of a line and at the end of the input", async () => {
  assert.deepEqual(fieldsOf(await parse("a,\nb,")), [
    ["a", ""],
    ["b", ""],
  ]);
});

test("the UTF-8 byte-order mark is dropped, whether given as bytes or as text", async () => {
  const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("nombre\nJosé\n")]);
  assert.deepEqual(fieldsOf(await parse([bytes])), [["nombre"], ["José"]]);
  assert.deepEqual(fieldsOf(await parse("\uFEFFnombre\nJosé\n")), [["nombre"], ["José"]]);
});

test("multi-byte characters split between byte chunks are decoded whole", async () => {
  const bytes = Buffer.from('nombre,ciudad\n"Peña, José",Montréal\n', "utf8");
  const oneByteChunks = [...bytes].map((byte) => Uint8Array.of(byte));
  assert.deepEqual(fieldsOf(await parse(oneByteChunks)), [
    ["nombre", "ciudad"],
    ["Peña, José", "Montréal"],
  ]);
});

test("reads from a Readable and from a file stream in small chunks", async () => {
  const text = toCsv(
    Array.from({ length: 500 }, (_, i) => [`id-${i}`, `línea uno\nline "two" of ${i}`, "a,b"]),
    "\r\n",
  );
  const bytes = Buffer.from(text);
  const sevenByteChunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) =>
    bytes.subarray(i * 7, i * 7 + 7),
  );
  const dir = mkdtempSync(join(tmpdir(), "puente-csv-"));
  try {
    const path = join(dir, "rows.csv");
    writeFileSync(path, bytes);
    for (const source of [Readable.from(sevenByteChunks), createReadStream(path, { highWaterMark: 16 })]) {
      const records = await parse(source);
      assert.equal(records.length, 500);
      assert.deepEqual(records[499]?.fields, ["id-499", 'línea uno\nline "two" of 499', "a,b"]);
      // Each record spans two physical lines.
      assert.equal(records[499]?.line, 999);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("any split of the input into chunks gives the same records as the whole input", async () => {
  const text = 'h1,h2\r\n"a ""quoted"" one","multi\r\nline"\r\nplain,"x"\r\n\r\nlast,"end"';
  const whole = await parse(text);
  for (let cut = 0; cut <= text.length; cut++)
    for (const second of [cut, Math.min(text.length, cut + 1), Math.min(text.length, cut + 3)])
      assert.deepEqual(
        await parse([text.slice(0, cut), text.slice(cut, second), text.slice(second)]),
        whole,
        `cut at ${cut}/${second}`,
      );
});

test("property: whatever the fields, written as CSV and read back in random chunks, they come back the same", async () => {
  const field = fc.string({ unit: fc.constantFrom("a", "é", " ", ",", '"', "\n", "\r\n", "x", "1") });
  // A row of one empty field is a blank line, which readers (this one included) skip; keep rows non-blank.
  const row = fc.array(field, { minLength: 1, maxLength: 5 }).filter((r) => r.length > 1 || r[0] !== "");
  await fc.assert(
    fc.asyncProperty(
      fc.array(row, { minLength: 1, maxLength: 8 }),
      fc.constantFrom("\n", "\r\n"),
      fc.array(fc.nat(), { maxLength: 6 }),
      async (rows, newline, cuts) => {
        const text = toCsv(rows, newline);
        const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((start, i) => text.slice(start, points[i] ?? text.length));
        assert.deepEqual(fieldsOf(await parse(chunks)), rows);
      },
    ),
    { numRuns: 300 },
  );
});

test("another delimiter can be chosen", async () => {
  assert.deepEqual(fieldsOf(await parse('a;b\n"1;2";3\n', ";")), [
    ["a", "b"],
    ["1;2", "3"],
  ]);
  assert.throws(() => new CsvParser({ delimiter: '"' }), RangeError);
});

test("malformed CSV is an error naming the line", async () => {
  await assert.rejects(parse('a,b\n1,"never closed\n2,3\n'), (error: unknown) => {
    assert.ok(error instanceof CsvSyntaxError);
    assert.equal(error.line, 2);
    assert.match(error.message, /never closed/u);
    return true;
  });
  await assert.rejects(parse('a,b\n1,2\n3,x"y\n'), (error: unknown) => {
    assert.ok(error instanceof CsvSyntaxError);
    assert.equal(error.line, 3);
    assert.match(error.message, /quote inside an unquoted field/u);
    return true;
  });
  await assert.rejects(parse('a,b\n"1"x,2\n'), (error: unknown) => error instanceof CsvSyntaxError && error.line === 2);
});

test("bytes that are not UTF-8 are refused rather than replaced", async () => {
  const latin1 = Buffer.from("nombre\nPe\xf1a\n", "latin1");
  await assert.rejects(parse([latin1]), InvalidUtf8Error);
});
