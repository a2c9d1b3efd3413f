// Console sign-in: password, then a TOTP code (enrolment with a QR code on
// first sign-in, recovery codes once), then an HttpOnly SameSite=Strict
// session cookie. Failures are throttled per person and per address and
// recorded in the tenant's log as user.login with outcome failure. Pending
// second steps and the throttle live in the nodes' shared state.
import { createHash, randomBytes } from "node:crypto";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { TrailproofError } from "@trailproof/core";
import type { PersonRecord } from "@trailproof/ledger";
import {
  CodeBodySchema,
  isPersonRole,
  LoginBodySchema,
  type LoginNext,
  LoginNextSchema,
  ProblemResponses,
  RecoveryBodySchema,
  SessionSchema,
  type SignedIn,
  SignedInSchema,
  WhoAmISchema,
} from "@trailproof/protocol";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { META_AUDIT_APPENDER } from "../audit/meta-audit.js";
import { passwordMatches } from "../auth/passwords.js";
import { createSession, SESSION_COOKIE, SESSION_TTL_MS, sessionHashOf } from "../auth/sessions.js";
import { SignInLimiter } from "../auth/sign-in-limiter.js";
import { acceptTotp, newTotpSecret, totpUri } from "../auth/totp.js";
import type { AppDeps } from "../deps.js";
import { sendProblem } from "../http/problem.js";

const LOGIN_TOKEN_TTL_MS = 5 * 60_000;
const RECOVERY_CODES = 10;
const common = { tags: ["console sign-in"] };
const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

/** A sign-in between its password and its second step, kept LOGIN_TOKEN_TTL_MS. */
interface PendingLogin {
  tenant: string;
  tenantId: number;
  username: string;
}

/** Pending sign-ins are kept under the token's hash: the shared state never holds a usable token. */
const pendingKey = (token: string) => `sign-in-pending:${sha256(token)}`;

export function registerAuthRoutes(app: FastifyInstance, deps: AppDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const limiter = new SignInLimiter(deps.shared);
  const throttleKeys = (request: FastifyRequest, tenant: string, username: string) => [
    `person:${tenant}/${username}`,
    `ip:${request.ip}`,
  ];

  const recordLogin = async (
    tenant: string,
    person: string,
    request: FastifyRequest,
    status: "success" | "failure",
    reason?: string,
  ) => {
    const userAgent = request.headers["user-agent"];
    await deps.ledger.append(
      tenant,
      [
        {
          action: "user.login",
          occurred_at: new Date().toISOString(),
          actor: { type: "user", id: person },
          target: { type: "console", id: tenant },
          outcome: { status, ...(reason ? { reason } : {}) },
          context: {
            request_id: request.id,
            ip: request.ip,
            ...(typeof userAgent === "string" && userAgent ? { user_agent: userAgent.slice(0, 1024) } : {}),
          },
          metadata: { method: "password+totp" },
        },
      ],
      { appendedBy: META_AUDIT_APPENDER, serviceRecord: true },
    );
  };

  const refuse = async (
    request: FastifyRequest,
    reply: FastifyReply,
    login: { tenant: string; username: string },
    reason: string,
  ) => {
    await limiter.recordFailure(throttleKeys(request, login.tenant, login.username));
    if (await deps.ledger.getTenant(login.tenant))
      await recordLogin(login.tenant, login.username, request, "failure", reason);
    return sendProblem(request, reply, "AUTH_INVALID", "the sign-in details are not right");
  };

  /**
   * Answers 429 when the person or the address is throttled, and says whether it did. A
   * boolean, never the reply: a FastifyReply is thenable, so an async function returning it
   * resolves to undefined, and the caller went on to check the password (and record a
   * failure) behind the 429 it had already sent.
   */
  const throttled = async (
    request: FastifyRequest,
    reply: FastifyReply,
    tenant: string,
    username: string,
  ): Promise<boolean> => {
    const wait = await limiter.retryAfterMs(throttleKeys(request, tenant, username));
    if (wait === 0) return false;
    reply.header("retry-after", String(Math.ceil(wait / 1000)));
    sendProblem(request, reply, "RATE_LIMITED", "too many failed sign-ins; wait before trying again");
    return true;
  };

  /**
   * The start of every second step (enrolment, TOTP, recovery code): the
   * pending sign-in, the throttle (a 6-digit code must not be guessable within
   * the token's five minutes), and the person; `sent` when the reply was sent.
   */
  const secondStep = async (request: FastifyRequest, reply: FastifyReply, token: string) => {
    const stored = await deps.shared.get(pendingKey(token));
    if (stored === undefined) throw expired();
    const login = JSON.parse(stored) as PendingLogin;
    if (await throttled(request, reply, login.tenant, login.username)) return { sent: true } as const;
    return { login, person: await deps.people.findPerson(login.tenantId, login.username) };
  };

  /**
   * Spends the pending sign-in once its second step passed. Of two requests
   * racing with one token (on any nodes) only one gets past this.
   */
  const spend = async (token: string) => {
    if ((await deps.shared.take(pendingKey(token))) === undefined) throw expired();
  };

  const startSession = async (
    reply: FastifyReply,
    request: FastifyRequest,
    login: PendingLogin,
    person: PersonRecord,
  ): Promise<SignedIn> => {
    const { cookieValue, session } = await createSession(deps.people, login.tenantId, person.username);
    await limiter.reset(throttleKeys(request, login.tenant, login.username));
    await recordLogin(login.tenant, person.username, request, "success");
    reply.setCookie(SESSION_COOKIE, cookieValue, {
      httpOnly: true,
      sameSite: "strict",
      secure: request.protocol === "https",
      path: "/",
      maxAge: SESSION_TTL_MS / 1000,
    });
    return {
      user: { username: person.username, display_name: person.displayName, role: person.role, tenant: login.tenant },
      csrf_token: session.csrfToken,
    };
  };

  api.post(
    "/v1/auth/login",
    {
      schema: {
        ...common,
        summary: "Step 1: tenant, username and password",
        body: LoginBodySchema,
        response: { 200: LoginNextSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { tenant, username, password } = request.body;
      if (await throttled(request, reply, tenant, username)) return reply;
      const record = await deps.ledger.getTenant(tenant);
      const person = record && (await deps.people.findPerson(record.tenantId, username));
      // The password is checked even for unknown people, so timing reveals nothing.
      const ok = await passwordMatches(person?.passwordHash ?? DUMMY_HASH, password);
      if (!record || !person || !ok || person.disabledAt !== null)
        return refuse(request, reply, { tenant, username }, "bad_credentials");
      const loginToken = randomBytes(24).toString("base64url");
      const login: PendingLogin = { tenant, tenantId: record.tenantId, username };
      await deps.shared.put(pendingKey(loginToken), JSON.stringify(login), LOGIN_TOKEN_TTL_MS);
      if (person.totpEnrolledAt !== null) return { next: "totp", login_token: loginToken } satisfies LoginNext;
      const secret = newTotpSecret();
      await deps.people.updatePerson({ ...person, totpSecret: secret });
      return {
        next: "enroll",
        login_token: loginToken,
        otpauth_uri: totpUri(secret, "Trailproof", `${tenant}:${username}`),
        secret,
      } satisfies LoginNext;
    },
  );

  api.post(
    "/v1/auth/enroll",
    {
      schema: {
        ...common,
        summary: "Step 2 on first sign-in: confirm TOTP enrolment with a code; answers recovery codes once",
        body: CodeBodySchema,
        response: { 200: SignedInSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { login_token: token, code } = request.body;
      const step2 = await secondStep(request, reply, token);
      if ("sent" in step2) return reply;
      const { login, person } = step2;
      if (!person?.totpSecret || person.totpEnrolledAt !== null)
        return refuse(request, reply, login, "enrolment_state");
      const step = acceptTotp(person.totpSecret, code.trim(), person.totpLastStep);
      if (step === undefined) return refuse(request, reply, login, "bad_totp");
      await spend(token);
      const codes = Array.from({ length: RECOVERY_CODES }, () =>
        randomBytes(6)
          .toString("hex")
          .replace(/(.{4})(.{4})(.{4})/, "$1-$2-$3"),
      );
      const enrolled = {
        ...person,
        totpEnrolledAt: new Date().toISOString(),
        totpLastStep: step,
        recoveryHashes: codes.map(sha256),
      };
      await deps.people.updatePerson(enrolled);
      return { ...(await startSession(reply, request, login, enrolled)), recovery_codes: codes };
    },
  );

  api.post(
    "/v1/auth/totp",
    {
      schema: {
        ...common,
        summary: "Step 2: a TOTP code; sets the session cookie",
        body: CodeBodySchema,
        response: { 200: SignedInSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { login_token: token, code } = request.body;
      const step2 = await secondStep(request, reply, token);
      if ("sent" in step2) return reply;
      const { login, person } = step2;
      if (!person?.totpSecret || person.totpEnrolledAt === null) return refuse(request, reply, login, "not_enrolled");
      const step = acceptTotp(person.totpSecret, code.trim(), person.totpLastStep);
      if (step === undefined) return refuse(request, reply, login, "bad_totp");
      await spend(token);
      const updated = { ...person, totpLastStep: step };
      await deps.people.updatePerson(updated);
      return startSession(reply, request, login, updated);
    },
  );

  api.post(
    "/v1/auth/recover",
    {
      schema: {
        ...common,
        summary: "Step 2 without the authenticator: a one-time recovery code",
        body: RecoveryBodySchema,
        response: { 200: SignedInSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const { login_token: token, recovery_code: code } = request.body;
      const step2 = await secondStep(request, reply, token);
      if ("sent" in step2) return reply;
      const { login, person } = step2;
      const hashed = sha256(code.trim().toLowerCase());
      if (!person?.recoveryHashes.includes(hashed)) return refuse(request, reply, login, "bad_recovery_code");
      await spend(token);
      const updated = { ...person, recoveryHashes: person.recoveryHashes.filter((h) => h !== hashed) };
      await deps.people.updatePerson(updated);
      return startSession(reply, request, login, updated);
    },
  );

  api.get(
    "/v1/auth/session",
    {
      config: { permission: "read" },
      schema: {
        ...common,
        summary: "Who is signed in, with the CSRF token to send on changes",
        response: { 200: SessionSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const p = request.principal;
      // A session is a person's, so its role is on the person ladder; anything else is no console session.
      if (p?.via !== "session" || !p.tenant || !p.csrfToken || !isPersonRole(p.role)) {
        return sendProblem(request, reply, "AUTH_MISSING", "no console session");
      }
      return {
        user: { username: p.actor.id, display_name: p.actor.name ?? p.actor.id, role: p.role, tenant: p.tenant },
        csrf_token: p.csrfToken,
      };
    },
  );

  api.get(
    "/v1/auth/whoami",
    {
      config: { identify: true },
      schema: {
        ...common,
        summary: "What the request's credential is (API key, session or viewer token), or authenticated: false",
        description:
          "Never a 401: a client (the console) learns its role and tenant here and then asks only for what that role may read.",
        response: { 200: WhoAmISchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const p = request.principal;
      if (p === undefined) return { authenticated: false };
      const id = p.via === "api_key" ? p.id : p.actor.id;
      return {
        authenticated: true,
        via: p.via,
        role: p.role,
        tenant: p.tenant,
        id,
        ...(p.actor.name === undefined ? {} : { name: p.actor.name }),
        ...(p.via === "session" && p.csrfToken ? { csrf_token: p.csrfToken } : {}),
        ...(p.platform
          ? { platform: { tenants: p.platform.tenants as "all" | string[], create_tenants: p.platform.createTenants } }
          : {}),
      };
    },
  );

  api.post(
    "/v1/auth/logout",
    {
      config: { permission: "read" },
      schema: { ...common, summary: "End the console session", response: { 204: Type.Null(), ...ProblemResponses } },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await deps.people.revokeSession(sessionHashOf(cookie), new Date().toISOString());
      reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return reply.code(204).send(null);
    },
  );
}

const expired = () => new TrailproofError("AUTH_INVALID", "the sign-in has expired; start again");

/** A valid scrypt hash of a random password, checked when the person does not exist. */
const DUMMY_HASH = `scrypt$32768$8$1$${randomBytes(16).toString("base64")}$${randomBytes(32).toString("base64")}`;
