// The node's API as the web application calls it: JSON over fetch with the session's bearer token. Errors arrive
// as application/problem+json and become ApiError, whose `type` screens use to pick a translated message.

/** One field's part of a validation problem. */
export interface ProblemIssue {
  path: string;
  code: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** Per-field issues of a validation problem. */
  issues?: ProblemIssue[];
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
  get status(): number {
    return this.problem.status;
  }
  /** The last part of the problem type URI (urn:puente:problem:…), e.g. "not-found-or-no-access". */
  get code(): string {
    return this.problem.type.split(/[/:]/u).pop() ?? this.problem.type;
  }
}

let token: string | undefined;
let onUnauthenticated: (() => void) | undefined;

export function setSessionToken(value: string | undefined): void {
  token = value;
}

/** Called when the node says the session is gone (idle timeout, signed out elsewhere). */
export function onSessionEnded(handler: () => void): void {
  onUnauthenticated = handler;
}

/** Reads a problem from a failed response; a body that is not problem+json still yields a problem. */
export async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (typeof body.type === "string" && typeof body.title === "string")
      return {
        type: body.type,
        title: body.title,
        status: response.status,
        ...(body.detail === undefined ? {} : { detail: body.detail }),
        ...(Array.isArray(body.issues) ? { issues: body.issues } : {}),
      };
  } catch {
    // Not JSON: fall through to a generic problem.
  }
  return { type: "about:blank", title: response.statusText || "Request failed", status: response.status };
}

export async function api<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json, application/problem+json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(path, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && token) onUnauthenticated?.();
    throw new ApiError(problem);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
