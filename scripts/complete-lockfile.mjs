// Adds lock entries for platform-specific optional packages that `npm install` could not record because the
// registry this machine reaches does not serve them (e.g. Biome's macOS and Windows binaries). Without the
// entries `npm ci` refuses the lock file; with them it skips those packages on platforms they are not for.
// Run after any `npm install` that rewrites package-lock.json: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from "node:fs";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const PLATFORM = /^@biomejs\/cli-(?<os>[a-z0-9]+)-(?<cpu>[a-z0-9]+)(?:-(?<libc>musl))?$/u;
let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const platform = PLATFORM.exec(name)?.groups;
    if (lock.packages[key] || !platform) continue;
    lock.packages[key] = {
      version,
      cpu: [platform.cpu],
      dev: entry.dev ?? undefined,
      ...(platform.os === "linux" ? { libc: [platform.libc ?? "glibc"] } : {}),
      license: entry.license,
      optional: true,
      os: [platform.os],
    };
    added += 1;
    console.log(`added ${key}@${version} (for ${path})`);
  }
}
writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${added} entries added`);
