// Serves the analyst web application (web/dist, built by `npm run build:web`) at `/`. The files are read once at
// start: the application is small, and a node on modest hardware should not touch the disk per request. Hashed
// assets are cached for a year; index.html never, so a node upgrade reaches browsers at once.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";

export const WEB_DIST = fileURLToPath(new URL("../../web/dist", import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

interface WebFile {
  body: Buffer;
  type: string;
}

function readTree(root: string, dir = root, files = new Map<string, WebFile>()): Map<string, WebFile> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readTree(root, path, files);
    else
      files.set(`/${relative(root, path).split("\\").join("/")}`, {
        body: readFileSync(path),
        type: CONTENT_TYPES[extname(entry.name)] ?? "application/octet-stream",
      });
  }
  return files;
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Puente</title></head><body>
<h1>Puente</h1><p>The web application is not built on this node. Run <code>npm run build:web</code>, then restart
the node. The API is available under /api/v1 (see /api/v1/openapi.json).</p></body></html>`;

export function registerWebApp(app: FastifyInstance, dist = WEB_DIST): void {
  const files = existsSync(join(dist, "index.html")) ? readTree(dist) : new Map<string, WebFile>();
  const index = files.get("/index.html");
  app.get("/", { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .header("cache-control", "no-cache")
      .type("text/html; charset=utf-8")
      .send(index?.body ?? NOT_BUILT),
  );
  for (const [path, file] of files) {
    if (path === "/index.html") continue;
    const immutable = path.startsWith("/assets/");
    app.get(path, { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
      reply
        .header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache")
        .type(file.type)
        .send(file.body),
    );
  }
}
