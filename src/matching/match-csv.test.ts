// Tests for reading `puente match` input: maps, joined columns, date formats, tolerant CSV and precise errors.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import fc from "fast-check";
import { MatchInputError, readMatchRecords } from "./match-csv.ts";

const dir = mkdtempSync(join(tmpdir(), "puente-match-csv-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

test("columns map to properties, several columns join in order, and dates are read with their format", async () => {
  const path = file(
    "us.csv",
    '\uFEFFid, first, last, dob, street, city\r\n7, "Smith, Jr", Ann, 03/04/1980, 12 Main St, "El Paso"\r\n8, Bo,, 31/12/1999,,\r\n',
  );
  const records = await readMatchRecords({
    file: path,
    idColumn: "id",
    map: "first=firstName,last=lastName,dob=birthDate:MM/DD/YYYY,street=address,city=address",
    country: "US",
  });
  assert.deepEqual(records, [
    {
      id: "7",
      values: {
        firstName: ["Smith, Jr"],
        lastName: ["Ann"],
        birthDate: ["1980-03-04"],
        address: ["12 Main St El Paso"],
      },
      country: "US",
    },
    // 31/12 read as month 31 is no date: treated as missing, not as evidence.
    { id: "8", values: { firstName: ["Bo"] }, country: "US" },
  ]);
});

test("without a map, columns named like properties are used, and ids default to line numbers", async () => {
  const path = file("plain.csv", "name,birthDate,curp\nAna López,1990-01-02,X\n");
  const records = await readMatchRecords({ file: path });
  assert.deepEqual(records, [{ id: "2", values: { name: ["Ana López"], birthDate: ["1990-01-02"] } }]);
});

test("bad input is refused naming the file, the line and what is wrong", async () => {
  const ragged = file("ragged.csv", "name,phone\nAna,1\nLuis\n");
  await assert.rejects(readMatchRecords({ file: ragged }), /ragged\.csv:3: the row has 1 fields, the header 2/u);
  const unknownColumn = file("cols.csv", "name\nAna\n");
  await assert.rejects(
    readMatchRecords({ file: unknownColumn, map: "nombre=name" }),
    /cols\.csv:1: .*no column "nombre"/u,
  );
  await assert.rejects(readMatchRecords({ file: unknownColumn, map: "name=fullName" }), /"fullName" is not one of/u);
  await assert.rejects(readMatchRecords({ file: unknownColumn, map: "name=birthDate:QQQ" }), /not a date format/u);
  const empty = file("empty.csv", "");
  await assert.rejects(readMatchRecords({ file: empty }), /empty\.csv: the file is empty/u);
  const latin1 = file("latin1.csv", Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x4c, 0xf3, 0x70, 0x65, 0x7a, 0x0a]));
  await assert.rejects(
    readMatchRecords({ file: latin1 }),
    (error: Error) => error instanceof MatchInputError && /latin1\.csv:\d+: .*UTF-8/u.test(error.message),
  );
  const duplicate = file("dup.csv", "id,name\n1,Ana\n1,Eva\n");
  await assert.rejects(readMatchRecords({ file: duplicate, idColumn: "id" }), /dup\.csv:3: id: id "1" appears twice/u);
  await assert.rejects(readMatchRecords({ file: join(dir, "missing.csv") }), /missing\.csv: cannot read the file/u);
});

test("property: any bytes at all are read, or refused with an error naming the file (and a line for a bad row)", async () => {
  // Fragments that CSV readers trip on, strung together at random with arbitrary bytes between them.
  const fragment = fc.oneof(
    {
      arbitrary: fc.constantFrom(",", '"', '""', "\n", "\r\n", "\r", " ", "1985-13-45", "19850230", "Ana", "José"),
      weight: 30,
    },
    { arbitrary: fc.string({ maxLength: 8 }), weight: 10 },
    { arbitrary: fc.uint8Array({ maxLength: 6 }), weight: 1 },
  );
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(fragment, { maxLength: 30 }),
      fc.constantFrom(undefined, "name=name,birth=birthDate:YYYYMMDD", "name=lastName,id=idNumber"),
      async (parts, map) => {
        const name = `fuzz-${n++}.csv`;
        const content = Buffer.concat([Buffer.from("id,name,birth\n"), ...parts.map((part) => Buffer.from(part))]);
        const path = file(name, content);
        try {
          await readMatchRecords({ file: path, idColumn: "id", ...(map ? { map } : {}) });
        } catch (error) {
          assert.ok(error instanceof MatchInputError, `${String(error)} is not a MatchInputError`);
          assert.ok(error.message.startsWith(`${path}:`), error.message);
          assert.match(error.message.slice(path.length), /^:\d+: \S/u, "the line is named");
        }
      },
    ),
    { numRuns: 500, includeErrorInReport: true },
  );
});
