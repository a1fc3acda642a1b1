// Runs one benchmark by name: `npm run bench -- import` loads bench/import.bench.ts and calls its run(args).
// Unknown or missing names list what there is, so the benches document themselves.
import { readdirSync } from "node:fs";

const SUFFIX = ".bench.ts";

interface BenchModule {
  run(args: string[]): Promise<void>;
}

function available(): string[] {
  return readdirSync(new URL(".", import.meta.url))
    .filter((file) => file.endsWith(SUFFIX))
    .map((file) => file.slice(0, -SUFFIX.length))
    .sort();
}

const [name, ...args] = process.argv.slice(2);
const names = available();
if (!name || !names.includes(name)) {
  console.error(`${name ? `unknown benchmark "${name}". ` : ""}usage: npm run bench -- <name> [options]`);
  console.error(`available: ${names.join(", ") || "(none)"}`);
  process.exit(2);
}
const module = (await import(new URL(`./${name}${SUFFIX}`, import.meta.url).href)) as BenchModule;
await module.run(args);
