// People of a tenant (/v1/people): console accounts with a role.
import { type Static, Type } from "typebox";
import type { PersonRole } from "../roles.js";

/** The roles a person may hold: the read ladder, without ingest (a person never appends). */
export const PersonRoleSchema = Type.Union([Type.Literal("viewer"), Type.Literal("auditor"), Type.Literal("admin")]);

export const PersonSchema = Type.Object({
  username: Type.String(),
  display_name: Type.String(),
  role: PersonRoleSchema,
  enrolled: Type.Boolean({ description: "true once they set up TOTP" }),
  disabled: Type.Boolean(),
  created_at: Type.String(),
});
export type Person = Static<typeof PersonSchema>;

export const PeopleSchema = Type.Object({ people: Type.Array(PersonSchema) });

export const NewPersonSchema = Type.Object(
  {
    username: Type.String({ pattern: "^[a-z0-9][a-z0-9._-]{0,63}$" }),
    display_name: Type.String({ minLength: 1, maxLength: 128 }),
    role: PersonRoleSchema,
    password: Type.String({ minLength: 12, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type NewPerson = Static<typeof NewPersonSchema>;

export const PersonParamsSchema = Type.Object({ username: Type.String({ maxLength: 64 }) });

// The schema and roles.ts's ladder name the same roles, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const personRolesMatch: Same<Static<typeof PersonRoleSchema>, PersonRole> = true;
void personRolesMatch;
