// Console sign-in (/v1/auth/*): password, then a TOTP code, an enrolment
// code or a recovery code, then a session cookie with a CSRF token.
import { type Static, Type } from "typebox";
import { PersonRoleSchema } from "./people-schemas.js";

export const LoginBodySchema = Type.Object(
  {
    tenant: Type.String({ maxLength: 63 }),
    username: Type.String({ maxLength: 64 }),
    password: Type.String({ maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBodySchema>;

/** Step 1's answer: the second step to take; `enroll` carries the TOTP secret to set up. */
export const LoginNextSchema = Type.Union([
  Type.Object({ next: Type.Literal("totp"), login_token: Type.String() }),
  Type.Object({
    next: Type.Literal("enroll"),
    login_token: Type.String(),
    otpauth_uri: Type.String(),
    secret: Type.String(),
  }),
]);
export type LoginNext = Static<typeof LoginNextSchema>;

/** A TOTP code (enrolment or sign-in) for a pending sign-in. */
export const CodeBodySchema = Type.Object(
  { login_token: Type.String({ maxLength: 64 }), code: Type.String({ maxLength: 12 }) },
  { additionalProperties: false },
);
export type CodeBody = Static<typeof CodeBodySchema>;

export const RecoveryBodySchema = Type.Object(
  { login_token: Type.String({ maxLength: 64 }), recovery_code: Type.String({ maxLength: 32 }) },
  { additionalProperties: false },
);
export type RecoveryBody = Static<typeof RecoveryBodySchema>;

export const SessionUserSchema = Type.Object({
  username: Type.String(),
  display_name: Type.String(),
  role: PersonRoleSchema,
  tenant: Type.String(),
});
export type SessionUser = Static<typeof SessionUserSchema>;

export const SignedInSchema = Type.Object({
  user: SessionUserSchema,
  csrf_token: Type.String(),
  recovery_codes: Type.Optional(Type.Array(Type.String(), { description: "shown once, at enrolment" })),
});
export type SignedIn = Static<typeof SignedInSchema>;

export const SessionSchema = Type.Object({ user: SessionUserSchema, csrf_token: Type.String() });
export type Session = Static<typeof SessionSchema>;

/**
 * GET /v1/auth/whoami: what the request's credential is, if any, so a client
 * asks only for what its role may read. Never a 401: no credential, or one
 * that is unknown, expired or revoked, is `authenticated: false`.
 */
export const WhoAmISchema = Type.Object({
  authenticated: Type.Boolean(),
  via: Type.Optional(Type.Union([Type.Literal("api_key"), Type.Literal("session"), Type.Literal("viewer_token")])),
  role: Type.Optional(Type.String({ description: "ingest, viewer, auditor, admin or operator" })),
  tenant: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: "null for the operator" })),
  /** API keys: the key's id; sessions: the person's username; viewer tokens: the viewer's id. */
  id: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  /** Sessions only: the token every state-changing request must echo in x-csrf-token. */
  csrf_token: Type.Optional(Type.String()),
  /** Platform keys only (role ingest, tenant null): the tenants it may append to, and whether it creates missing ones. */
  platform: Type.Optional(
    Type.Object({
      tenants: Type.Union([Type.Literal("all"), Type.Array(Type.String())]),
      create_tenants: Type.Boolean(),
    }),
  ),
});
export type WhoAmI = Static<typeof WhoAmISchema>;
