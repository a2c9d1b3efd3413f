// Built-in catalogue, access area: permissions, roles and sign-in of a no-code
// platform (version 1 of each). Credentials are secret, identities personal.
import type { ActionDefinition } from "./action-definition.js";
import { BOOLEAN, COUNT, NULLABLE_STRING, openObject, STRING, STRINGS, TIMESTAMP } from "./catalogue-schemas.js";

const grant = openObject({
  permission: STRING,
  scope: STRING,
  grantee_type: STRING,
  grantee_id: STRING,
  expires_at: { type: ["string", "null"], format: "date-time" },
});

export const accessActions: ActionDefinition[] = [
  {
    action: "permission.grant",
    version: 1,
    kind: "permission_change",
    category: "access",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} granted a permission on {target.type} {target.id}",
    metadataSchema: grant,
    privacy: { metadata: { "/grantee_email": "personal", "/grantee_name": "personal" } },
  },
  {
    action: "permission.revoke",
    version: 1,
    kind: "permission_change",
    category: "access",
    defaultRisk: "medium",
    messageTemplate: "{actor.type} {actor.id} revoked a permission on {target.type} {target.id}",
    metadataSchema: grant,
    privacy: { metadata: { "/grantee_email": "personal", "/grantee_name": "personal" } },
  },
  {
    action: "role.update",
    version: 1,
    kind: "permission_change",
    category: "access",
    defaultRisk: "high",
    messageTemplate: "{actor.type} {actor.id} updated role {target.name}",
    metadataSchema: openObject({ added_permissions: STRINGS, removed_permissions: STRINGS }),
    stateSchema: openObject({ name: STRING, description: NULLABLE_STRING, permissions: STRINGS, member_count: COUNT }),
  },
  {
    action: "user.login",
    version: 1,
    kind: "login",
    category: "authentication",
    defaultRisk: "low",
    messageTemplate: "{actor.type} {actor.id} signed in: {outcome}",
    metadataSchema: openObject({
      method: STRING,
      mfa: BOOLEAN,
      sso_provider: STRING,
      failed_attempts: COUNT,
      session_expires_at: TIMESTAMP,
    }),
    privacy: {
      metadata: {
        "/password": "secret",
        "/otp": "secret",
        "/session_token": "secret",
        "/email": "personal",
        "/username": "personal",
      },
    },
  },
  {
    action: "user.logout",
    version: 1,
    kind: "logout",
    category: "authentication",
    defaultRisk: "low",
    messageTemplate: "{actor.type} {actor.id} signed out",
    metadataSchema: openObject({ reason: STRING, session_duration_ms: COUNT }),
    privacy: { metadata: { "/session_token": "secret" } },
  },
];
