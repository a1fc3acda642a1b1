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
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const body = JSON.stringify(payload);
  try {
    const { header, claims } = await signRequest(federation.signer, partner.nodeId, "POST", path, body, clock());
    const response = await fetch(new URL(path, partner.endpoint), {
      method: "POST",
      headers: { "content-type": "application/json", [SIGNATURE_HEADER]: header },
      body,
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
