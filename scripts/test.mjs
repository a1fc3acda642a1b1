// Runs Node's test runner on every test file under src/ and web/ with the given suffix (default ".test.ts").
// Node 20's --test does not expand glob patterns (Node 21+ does), so the files are listed here instead.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const suffix = process.argv[2] ?? ".test.ts";
const concurrency = process.argv[3] ?? "2";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return find(path);
    return entry.name.endsWith(suffix) ? [path] : [];
  });
}

const files = ["src", "web"].flatMap((dir) => find(dir)).sort();
if (files.length === 0) {
  console.error(`no test files ending in ${suffix} under src/ or web/`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
