// /sign-in — password, then a TOTP code (or a recovery code); on first
// sign-in, TOTP enrolment with a QR code and recovery codes shown once.
import { type FormEvent, useEffect, useState } from "react";
import { ApiError } from "../api/api-error.js";
import type { LoginNext, SignedIn } from "../api/types.js";
import { useSession } from "../auth/session.js";
import { navigate, useLocation } from "../router/router.js";
import { ApiKeySignIn } from "../signin/ApiKeySignIn.js";
import { CodeInput } from "../signin/CodeInput.js";
import { EnrollInstructions } from "../signin/EnrollStep.js";
import { RecoveryCodes } from "../signin/RecoveryCodes.js";
import { safeNext } from "../signin/safe-next.js";

const TENANT_KEY = "trailproof.lastTenant";

type Step =
  | { kind: "credentials" }
  | { kind: "totp"; loginToken: string }
  | { kind: "recover"; loginToken: string }
  | { kind: "enroll"; loginToken: string; otpauthUri: string; secret: string }
  | { kind: "codes"; signed: SignedIn };

function describe(err: unknown, step: Step["kind"]): string {
  if (err instanceof ApiError) {
    if (err.status === 429) {
      return `Too many attempts. Try again in ${err.retryAfterSeconds ?? 60} seconds.`;
    }
    if (err.code === "AUTH_INVALID") {
      if (step === "credentials") return "The tenant, username or password is not right.";
      if (step === "recover") return "That recovery code is not valid or was already used.";
      return "That code is not right. Codes change every 30 seconds; enter the current one.";
    }
    if (err.status === 404) return "This server does not offer sign-in for people yet. Use an API key instead.";
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}

export function SignInPage() {
  const { state, anonymous, completeSignIn } = useSession();
  const { search } = useLocation();
  const next = safeNext(search.get("next"));
  const [step, setStep] = useState<Step>({ kind: "credentials" });
  const [tenant, setTenant] = useState(() => window.localStorage.getItem(TENANT_KEY) ?? "");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (state.status === "signed-in" && step.kind === "credentials") navigate(next, { replace: true });
  }, [state.status, step.kind, next]);

  const run = async (e: FormEvent, action: () => Promise<void>) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError("");
    try {
      await action();
    } catch (err) {
      setError(describe(err, step.kind));
    } finally {
      setBusy(false);
    }
  };

  const finish = (signed: SignedIn) => {
    completeSignIn(signed);
    navigate(next, { replace: true });
  };

  const login = (e: FormEvent) =>
    run(e, async () => {
      const res = await anonymous.send<LoginNext>("POST", "/v1/auth/login", { tenant, username, password });
      window.localStorage.setItem(TENANT_KEY, tenant);
      setPassword("");
      setCode("");
      setStep(
        res.next === "enroll"
          ? { kind: "enroll", loginToken: res.login_token, otpauthUri: res.otpauth_uri, secret: res.secret }
          : { kind: "totp", loginToken: res.login_token },
      );
    });

  const reason = state.status === "signed-out" ? state.reason : undefined;

  return (
    <div className="signin-page">
      <main className="signin-card" id="main">
        <div className="signin-brand">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          <span className="brand-name">Trailproof</span>
        </div>
        <h1 className="signin-title">
          {step.kind === "enroll"
            ? "Set up two-factor authentication"
            : step.kind === "codes"
              ? "Two-factor authentication is on"
              : step.kind === "credentials"
                ? "Sign in"
                : "Enter your code"}
        </h1>
        {reason && step.kind === "credentials" && (
          <p className="notice notice-info" role="status">
            {reason}
          </p>
        )}

        {step.kind === "credentials" && (
          <form className="stack-form" onSubmit={(e) => void login(e)}>
            <label className="field">
              <span className="field-label">Tenant</span>
              <input
                value={tenant}
                onChange={(e) => setTenant(e.target.value)}
                required
                autoComplete="organization"
                placeholder="acme"
              />
            </label>
            <label className="field">
              <span className="field-label">Username</span>
              <input value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="username" />
            </label>
            <label className="field">
              <span className="field-label">Password</span>
              <input
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
                autoComplete="current-password"
              />
            </label>
            <ErrorLine error={error} />
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              {busy ? "Signing in…" : "Continue"}
            </button>
          </form>
        )}

        {step.kind === "totp" && (
          <form
            className="stack-form"
            onSubmit={(e) =>
              void run(e, async () =>
                finish(await anonymous.send<SignedIn>("POST", "/v1/auth/totp", { login_token: step.loginToken, code })),
              )
            }
          >
            <p>Open your authenticator app and enter the 6-digit code for Trailproof.</p>
            <CodeInput id="totp-code" label="Authentication code" value={code} onChange={setCode} />
            <ErrorLine error={error} />
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              Verify and sign in
            </button>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                setCode("");
                setError("");
                setStep({ kind: "recover", loginToken: step.loginToken });
              }}
            >
              Lost your authenticator? Use a recovery code
            </button>
          </form>
        )}

        {step.kind === "recover" && (
          <form
            className="stack-form"
            onSubmit={(e) =>
              void run(e, async () =>
                finish(
                  await anonymous.send<SignedIn>("POST", "/v1/auth/recover", {
                    login_token: step.loginToken,
                    recovery_code: code,
                  }),
                ),
              )
            }
          >
            <p>Each recovery code works once. After signing in, ask an admin to reset your authenticator.</p>
            <CodeInput id="recovery-code" label="Recovery code" value={code} onChange={setCode} digits={false} />
            <ErrorLine error={error} />
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              Sign in with recovery code
            </button>
          </form>
        )}

        {step.kind === "enroll" && (
          <form
            className="stack-form"
            onSubmit={(e) =>
              void run(e, async () => {
                const signed = await anonymous.send<SignedIn>("POST", "/v1/auth/enroll", {
                  login_token: step.loginToken,
                  code,
                });
                setStep({ kind: "codes", signed });
              })
            }
          >
            <EnrollInstructions otpauthUri={step.otpauthUri} secret={step.secret} />
            <CodeInput id="enroll-code" label="Authentication code" value={code} onChange={setCode} />
            <ErrorLine error={error} />
            <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
              Turn on two-factor authentication
            </button>
          </form>
        )}

        {step.kind === "codes" && (
          <RecoveryCodes codes={step.signed.recovery_codes ?? []} onContinue={() => finish(step.signed)} />
        )}

        {step.kind === "credentials" && <ApiKeySignIn onDone={() => navigate(next, { replace: true })} />}
        {step.kind !== "credentials" && step.kind !== "codes" && (
          <button
            type="button"
            className="link-button signin-back"
            onClick={() => {
              setStep({ kind: "credentials" });
              setError("");
            }}
          >
            Start over
          </button>
        )}
      </main>
      <p className="signin-footer">Tamper-evident audit log · every sign-in is recorded</p>
    </div>
  );
}

function ErrorLine({ error }: { error: string }) {
  if (!error) return null;
  return (
    <p className="field-error" role="alert">
      {error}
    </p>
  );
}
