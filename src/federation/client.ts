// Calls a partner node: signs the request as this node, waits at most until the deadline, and accepts only an
// answer signed by that partner for this very request. Every outcome is one of ok, timeout, refused or error,
// with the time it took, so a search can report each partner without failing as a whole.
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
    const response = await fetch(new URL(path, partner.endpoint), {
      method,
      headers: { [SIGNATURE_HEADER]: header, ...(method === "POST" ? { "content-type": "application/json" } : {}) },
      ...(method === "POST" ? { body } : {}),
      signal: AbortSignal.timeout(deadlineMs),
    });
    const text = await response.text();
    if (response.status === 401 || response.status === 403)
      return { status: "refused", latencyMs: elapsed(), detail: problemTypeOf(text) ?? `HTTP ${response.status}` };
    await verifyResponse({
      header: response.headers.get(SIGNATURE_HEADER) ?? undefined,
      from: partner.nodeId,
      fromKey: partner.publicKey,
      request: claims,
      status: response.status,
      body: text,
      now: clock(),
    });
    if (!response.ok)
      return { status: "error", latencyMs: elapsed(), detail: problemTypeOf(text) ?? `HTTP ${response.status}` };
    return { status: "ok", latencyMs: elapsed(), body: JSON.parse(text) as T };
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError")
      return { status: "timeout", latencyMs: elapsed(), detail: `no answer within ${deadlineMs} ms` };
    if (error instanceof SignatureRefusedError)
      return { status: "error", latencyMs: elapsed(), detail: `answer refused: ${error.code}` };
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { status: "error", latencyMs: elapsed(), detail: cause ?? (error as Error).message };
  }
}

function problemTypeOf(text: string): string | undefined {
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return typeof type === "string" ? type : undefined;
  } catch {
    return undefined;
  }
}
