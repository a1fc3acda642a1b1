// The signed-in session: token, user and node, sign-in and sign-out, and the idle lock. The token lives in
// memory and sessionStorage (gone with the tab); after the node's idle timeout without keyboard or pointer
// input the screen locks and the token is dropped, as the node itself ends the session.
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { api, onSessionEnded, setSessionToken } from "./api.ts";

export interface SessionUser {
  username: string;
  displayName: string;
  roles: string[];
}

interface SignInAnswer {
  token: string;
  idleTimeoutSeconds: number;
  user: SessionUser;
}

interface StoredSession extends SignInAnswer {
  lastActivity: number;
}

export type SessionState =
  | { status: "signed-out" }
  | { status: "locked"; idleMinutes: number }
  | { status: "signed-in"; user: SessionUser; idleTimeoutSeconds: number };

interface SessionContext {
  state: SessionState;
  signIn(username: string, password: string, totp: string): Promise<void>;
  signOut(): Promise<void>;
  /** Whether the user holds any of these roles. */
  hasRole(...roles: string[]): boolean;
}

const STORAGE_KEY = "puente.session";
const Context = createContext<SessionContext | undefined>(undefined);

function readStored(): StoredSession | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? "null") as StoredSession | null;
    return stored?.token ? stored : undefined;
  } catch {
    return undefined;
  }
}

function initialState(): SessionState {
  const stored = readStored();
  if (!stored) return { status: "signed-out" };
  if (Date.now() - stored.lastActivity > stored.idleTimeoutSeconds * 1000) {
    sessionStorage.removeItem(STORAGE_KEY);
    return { status: "locked", idleMinutes: Math.round(stored.idleTimeoutSeconds / 60) };
  }
  setSessionToken(stored.token);
  return { status: "signed-in", user: stored.user, idleTimeoutSeconds: stored.idleTimeoutSeconds };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>(initialState);
  const queries = useQueryClient();

  const end = useCallback(
    (next: SessionState) => {
      setSessionToken(undefined);
      sessionStorage.removeItem(STORAGE_KEY);
      queries.clear();
      setState(next);
    },
    [queries],
  );

  useEffect(() => onSessionEnded(() => end({ status: "signed-out" })), [end]);

  // The idle lock: activity refreshes the clock; a check every few seconds locks once it has run out.
  useEffect(() => {
    if (state.status !== "signed-in") return;
    const touch = () => {
      const stored = readStored();
      if (stored) sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ ...stored, lastActivity: Date.now() }));
    };
    const check = () => {
      const stored = readStored();
      if (!stored || Date.now() - stored.lastActivity > stored.idleTimeoutSeconds * 1000)
        end({ status: "locked", idleMinutes: Math.round(state.idleTimeoutSeconds / 60) });
    };
    const events = ["keydown", "pointerdown", "wheel"] as const;
    for (const name of events) window.addEventListener(name, touch, { passive: true });
    const timer = window.setInterval(check, 5000);
    return () => {
      for (const name of events) window.removeEventListener(name, touch);
      window.clearInterval(timer);
    };
  }, [state, end]);

  const value = useMemo<SessionContext>(
    () => ({
      state,
      async signIn(username, password, totp) {
        const answer = await api<SignInAnswer>("/api/v1/auth/sign-in", { body: { username, password, totp } });
        setSessionToken(answer.token);
        sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ ...answer, lastActivity: Date.now() }));
        queries.clear();
        setState({ status: "signed-in", user: answer.user, idleTimeoutSeconds: answer.idleTimeoutSeconds });
      },
      async signOut() {
        await api("/api/v1/auth/sign-out", { method: "POST" }).catch(() => undefined);
        end({ status: "signed-out" });
      },
      hasRole: (...roles) => state.status === "signed-in" && state.user.roles.some((role) => roles.includes(role)),
    }),
    [state, end, queries],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): SessionContext {
  const context = useContext(Context);
  if (!context) throw new Error("useSession outside SessionProvider");
  return context;
}
