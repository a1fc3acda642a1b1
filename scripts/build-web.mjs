// Builds the web application into web/dist with Vite. With --if-stale it does nothing when web/dist is newer than
// every source file (npm ci runs it through `prepare`, npm start through `prestart`, so a fresh clone works).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["web/src", "web/index.html", "web/vite.config.ts"];
const BUILT = "web/dist/index.html";

function newest(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const stale = !existsSync(BUILT) || Math.max(...SOURCES.map(newest)) > statSync(BUILT).mtimeMs;
if (process.argv.includes("--if-stale") && !stale) process.exit(0);
console.log("Building the web application (web/dist) …");
const result = spawnSync(
  process.execPath,
  ["node_modules/vite/bin/vite.js", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"],
  {
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
