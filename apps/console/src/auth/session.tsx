// The signed-in person and the API client that acts for them. A session is
// the HttpOnly cookie (with its CSRF token) or, for operators, an API key kept
// in sessionStorage for this tab only. Who either is comes from
// /v1/auth/whoami at every page load (it never answers 401), so a page asks
// nothing its role may not read (the server still decides every request).
// Any later 401 sends the person to sign in, and forgets a kept key.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { ApiClient } from "../api/api-client.js";
import { ApiError } from "../api/api-error.js";
import type { SessionUser, SignedIn } from "../api/types.js";
import { navigate } from "../router/router.js";
import { whoAmI } from "./whoami.js";

export const API_KEY_STORAGE = "trailproof.apiKey";

function forgetKey(): void {
  window.sessionStorage.removeItem(API_KEY_STORAGE);
}

export type SessionState =
  | { status: "loading" }
  | { status: "signed-out"; reason?: string }
  | { status: "signed-in"; user: SessionUser; mode: "cookie" | "api-key"; api: ApiClient };

interface SessionContextValue {
  state: SessionState;
  /** A client without credentials beyond the cookie, for the sign-in steps. */
  anonymous: ApiClient;
  completeSignIn(signed: SignedIn): void;
  signInWithApiKey(key: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

function currentPath(): string {
  return window.location.pathname + window.location.search;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const expire = useCallback(() => {
    // A refused key is forgotten: the next page load finds no key and shows sign-in.
    forgetKey();
    setState({ status: "signed-out", reason: "Your session has ended. Sign in again." });
    if (!window.location.pathname.startsWith("/sign-in")) {
      navigate(`/sign-in?next=${encodeURIComponent(currentPath())}`, { replace: true });
    }
  }, []);

  const anonymous = useMemo(() => new ApiClient({}), []);

  /** Signs in with `key` if the server knows it; throws, saying why, if not. */
  const adoptKey = useCallback(
    async (key: string) => {
      const api = new ApiClient({ bearer: key }, expire);
      const identity = await whoAmI(api);
      if (identity?.mode !== "api-key") throw new Error("the server does not know it (mistyped, revoked or expired)");
      setState({ status: "signed-in", user: identity.user, mode: "api-key", api });
    },
    [expire],
  );

  useEffect(() => {
    let cancelled = false;
    const boot = async () => {
      // The embedded viewer carries its own token and never uses a session.
      if (window.location.pathname === "/embed") return;
      const key = window.sessionStorage.getItem(API_KEY_STORAGE);
      if (key) {
        try {
          await adoptKey(key);
        } catch (err) {
          // A server that could not answer (unreachable, overloaded) said nothing about the key: keep it.
          if (err instanceof ApiError) {
            if (!cancelled) setState({ status: "signed-out", reason: err.message });
            return;
          }
          forgetKey();
          if (!cancelled) setState({ status: "signed-out", reason: "The saved API key no longer works." });
        }
        return;
      }
      try {
        // With no cookie, or one whose session ended, whoami answers authenticated: false, not 401.
        const identity = await whoAmI(anonymous);
        if (cancelled) return;
        if (identity?.mode !== "cookie") {
          setState({ status: "signed-out" });
          return;
        }
        const api = new ApiClient({ csrfToken: identity.csrfToken }, expire);
        setState({ status: "signed-in", user: identity.user, mode: "cookie", api });
      } catch (err) {
        if (!cancelled) setState({ status: "signed-out", reason: (err as Error).message });
      }
    };
    void boot();
    return () => {
      cancelled = true;
    };
  }, [anonymous, expire, adoptKey]);

  const value = useMemo<SessionContextValue>(
    () => ({
      state,
      anonymous,
      completeSignIn(signed) {
        const api = new ApiClient({ csrfToken: signed.csrf_token }, expire);
        setState({ status: "signed-in", user: signed.user, mode: "cookie", api });
      },
      async signInWithApiKey(key) {
        await adoptKey(key);
        window.sessionStorage.setItem(API_KEY_STORAGE, key);
      },
      async signOut() {
        if (state.status === "signed-in" && state.mode === "cookie") {
          try {
            await state.api.send("POST", "/v1/auth/logout");
          } catch {
            // The cookie may already be gone; signing out locally is what the person asked for.
          }
        }
        forgetKey();
        setState({ status: "signed-out", reason: "You have signed out." });
        navigate("/sign-in", { replace: true });
      },
    }),
    [state, anonymous, expire, adoptKey],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}

/** The signed-in person's client; only pages behind the session gate call this. */
export function useSignedIn(): Extract<SessionState, { status: "signed-in" }> {
  const { state } = useSession();
  if (state.status !== "signed-in") throw new Error("useSignedIn without a session");
  return state;
}
