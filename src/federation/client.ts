// Calls a partner node: signs the request as this node, waits at most until the deadline, and accepts only an
// answer signed by that partner for this very request. Every outcome is one of ok, timeout, refused or error,
// with the time it took, so a search can report each partner without failing as a whole.
import http from "node:http";
import https from "node:https";
import type { Federation } from "./federation.ts";
import type { Member } from "./manifest.ts";
import { SIGNATURE_HEADER, SignatureRefusedError, signRequest, verifyResponse } from "./transport.ts";

export type PartnerStatus = "ok" | "timeout" | "refused" | "error";

export type CallOutcome<T> =
  | { status: "ok"; latencyMs: number; body: T }
  | { status: Exclude<PartnerStatus, "ok">; latencyMs: number; detail: string };

export async function callPartner<T>(
  federation: Federation,
  partner: Member,
  path: string,
  payload: unknown,
  deadlineMs: number,
  clock: () => Date = () => new Date(),
): Promise<CallOutcome<T>> {
  return exchange<T>(federation, partner, "POST", path, JSON.stringify(payload), deadlineMs, clock);
}

/** A signed GET of `path`, whose query string the signature covers like the rest of the path. */
export async function getFromPartner<T>(
  federation: Federation,
  partner: Member,
  path: string,
  deadlineMs: number,
  clock: () => Date = () => new Date(),
): Promise<CallOutcome<T>> {
  return exchange<T>(federation, partner, "GET", path, "", deadlineMs, clock);
}

async function exchange<T>(
  federation: Federation,
  partner: Member,
  method: "GET" | "POST",
  path: string,
  body: string,
  deadlineMs: number,
  clock: () => Date,
): Promise<CallOutcome<T>> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const { header, claims } = await signRequest(federation.signer, partner.nodeId, method, path, body, clock());
    const headers: Record<string, string> = { [SIGNATURE_HEADER]: header };
    if (method === "POST") headers["content-type"] = "application/json";
    const response = await send(new URL(path, partner.endpoint), method, headers, body, deadlineMs);
    const { status, text } = response;
    if (status === 401 || status === 403)
      return { status: "refused", latencyMs: elapsed(), detail: problemTypeOf(text) ?? `HTTP ${status}` };
    await verifyResponse({
      header: response.signature,
      from: partner.nodeId,
      fromKey: partner.publicKey,
      request: claims,
      status,
      body: text,
      now: clock(),
    });
    if (status < 200 || status > 299)
      return { status: "error", latencyMs: elapsed(), detail: problemTypeOf(text) ?? `HTTP ${status}` };
    const answer: unknown = JSON.parse(text);
    // Every answer a partner gives is an object; anything else (null, a list, a number) is not an answer.
    if (typeof answer !== "object" || answer === null || Array.isArray(answer))
      return { status: "error", latencyMs: elapsed(), detail: "malformed answer: not a JSON object" };
    return { status: "ok", latencyMs: elapsed(), body: answer as T };
  } catch (error) {
    if (error instanceof DeadlineError)
      return { status: "timeout", latencyMs: elapsed(), detail: `no answer within ${deadlineMs} ms` };
    if (error instanceof SignatureRefusedError)
      return { status: "error", latencyMs: elapsed(), detail: `answer refused: ${error.code}` };
    const code = (error as { code?: unknown }).code;
    return {
      status: "error",
      latencyMs: elapsed(),
      detail: typeof code === "string" ? code : (error as Error).message,
    };
  }
}

class DeadlineError extends Error {}

/** Partners' answers are small; a larger one is refused rather than held in memory. */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** Connections to partners stay open between calls: a search asks every partner, and the next one soon after. */
const AGENTS = {
  "http:": new http.Agent({ keepAlive: true }),
  "https:": new https.Agent({ keepAlive: true }),
} as const;

/**
 * One HTTP exchange through node:http (lighter than fetch, which a node calls for every partner of every search),
 * over keep-alive connections, abandoned at the deadline.
 */
function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string,
  deadlineMs: number,
): Promise<{ status: number; signature: string | undefined; text: string }> {
  const secure = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(url, {
      method,
      headers,
      agent: AGENTS[secure ? "https:" : "http:"],
    });
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      request.destroy(new DeadlineError());
    }, deadlineMs);
    // Cut off halfway through the answer, the response fails with its own error: the deadline is the reason.
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(late ? new DeadlineError() : error);
    };
    request.on("error", fail);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) request.destroy(new Error(`the answer is larger than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on("error", fail);
      response.on("end", () => {
        clearTimeout(timer);
        const signature = response.headers[SIGNATURE_HEADER];
        resolve({
          status: response.statusCode ?? 0,
          signature: typeof signature === "string" ? signature : undefined,
          text: Buffer.concat(chunks).toString("utf8"),
        });
      });
    });
    request.end(method === "POST" ? body : undefined);
  });
}

function problemTypeOf(text: string): string | undefined {
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return typeof type === "string" ? type : undefined;
  } catch {
    return undefined;
  }
}
