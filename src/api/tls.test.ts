// A node configured with a certificate and key serves its API over TLS only.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { createTestNode, type TestNode } from "../node/test-node.ts";
import { buildServer } from "./server.ts";

let node: TestNode;
let app: FastifyInstance;
let port = 0;
let certificate = "";

before(async () => {
  node = await createTestNode("us", "US");
  // A self-signed certificate for 127.0.0.1, made with OpenSSL as an operator would for a test deployment.
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      join(node.dir, "tls.key"),
      "-out",
      join(node.dir, "tls.crt"),
    ],
    { stdio: "ignore" },
  );
  certificate = readFileSync(join(node.dir, "tls.crt"), "utf8");
  app = await buildServer({ ...node, config: { ...node.config, tls: { certFile: "tls.crt", keyFile: "tls.key" } } });
  await app.listen({ host: "127.0.0.1", port: 0 });
  port = (app.server.address() as { port: number }).port;
});
after(async () => {
  await app.close();
  await node.dispose();
});

test("the API answers over TLS with the configured certificate, and not over plain HTTP", async () => {
  const status = await new Promise<number>((resolve, reject) => {
    httpsGet({ host: "127.0.0.1", port, path: "/api/v1/health", ca: certificate }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on("error", reject);
  });
  assert.equal(status, 200);
  const plain = await new Promise<string>((resolve) => {
    httpGet({ host: "127.0.0.1", port, path: "/api/v1/health" }, (response) => {
      response.resume();
      resolve(`status ${response.statusCode}`);
    }).on("error", (error) => resolve(`error ${error.message}`));
  });
  assert.match(plain, /^error|^status 400/u);
});

test("a missing certificate file is a configuration error naming the file", async () => {
  await assert.rejects(
    buildServer({ ...node, config: { ...node.config, tls: { certFile: "nowhere.crt", keyFile: "tls.key" } } }),
    /nowhere\.crt: cannot read the TLS certificate/u,
  );
});
