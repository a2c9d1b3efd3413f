// People of a tenant (admin): console accounts with a role, a password and,
// after their first sign-in, TOTP. Disabling signs them out everywhere, and
// is refused (LAST_ADMIN) for the tenant's last admin credential. Every
// change is recorded in the tenant's log.

import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { InvalidInputError, TrailproofError } from "@trailproof/core";
import type { PersonRecord } from "@trailproof/ledger";
import {
  NewPersonSchema,
  PeopleSchema,
  type Person,
  PersonParamsSchema,
  PersonSchema,
  ProblemResponses,
} from "@trailproof/protocol";
import type { FastifyInstance } from "fastify";
import type { MetaAudit } from "../audit/meta-audit.js";
import { tenantOf } from "../auth/authenticate.js";
import { hashPassword } from "../auth/passwords.js";
import type { AppDeps } from "../deps.js";

const common = { tags: ["admin"], security: [{ bearer: [] }] };

const toWire = (p: PersonRecord): Person => ({
  username: p.username,
  display_name: p.displayName,
  role: p.role,
  enrolled: p.totpEnrolledAt !== null,
  disabled: p.disabledAt !== null,
  created_at: p.createdAt,
});

export function registerPeopleRoutes(app: FastifyInstance, deps: AppDeps, audit: MetaAudit): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    "/v1/people",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "People who can sign in to the console",
        response: { 200: PeopleSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const record = await deps.ledger.tenantRecord(tenantOf(request));
      return { people: (await deps.people.listPeople(record.tenantId)).map(toWire) };
    },
  );

  api.post(
    "/v1/people",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Add a person; they set up TOTP at their first sign-in",
        body: NewPersonSchema,
        response: { 201: PersonSchema, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const tenant = tenantOf(request);
      const body = request.body;
      const record = await deps.ledger.tenantRecord(tenant);
      if (await deps.people.findPerson(record.tenantId, body.username)) {
        throw new TrailproofError("PERSON_EXISTS", `${body.username} already exists in this tenant`);
      }
      const person: PersonRecord = {
        tenantId: record.tenantId,
        username: body.username,
        displayName: body.display_name,
        role: body.role,
        passwordHash: await hashPassword(body.password),
        totpSecret: null,
        totpEnrolledAt: null,
        totpLastStep: 0,
        recoveryHashes: [],
        createdAt: new Date().toISOString(),
        disabledAt: null,
      };
      await deps.people.insertPerson(person);
      await audit.record(request, {
        action: "person.create",
        target: { type: "person", id: person.username },
        metadata: { role: person.role },
      });
      return reply.code(201).send(toWire(person));
    },
  );

  api.delete(
    "/v1/people/:username",
    {
      config: { permission: "administer" },
      schema: {
        ...common,
        summary: "Disable a person and end their sessions",
        description:
          "Refused with LAST_ADMIN (409) when the person is the tenant's last admin credential: no active admin key and no other enabled admin person would remain.",
        params: PersonParamsSchema,
        response: { 200: PersonSchema, ...ProblemResponses },
      },
    },
    async (request) => {
      const tenant = tenantOf(request);
      const { username } = request.params;
      const record = await deps.ledger.tenantRecord(tenant);
      const person = await deps.people.findPerson(record.tenantId, username);
      if (!person) throw new TrailproofError("PERSON_NOT_FOUND", `no person ${username} in this tenant`);
      if (request.principal?.via === "session" && request.principal.actor.id === username) {
        throw new InvalidInputError("PERSON_INVALID", "you cannot disable yourself", {
          problems: [{ pointer: "/username", message: "is the signed-in person" }],
        });
      }
      const now = new Date().toISOString();
      const outcome = await deps.people.disablePerson(record.tenantId, username, now);
      if (outcome === "last_admin") {
        throw new TrailproofError(
          "LAST_ADMIN",
          `${username} is the tenant's last admin credential: create another admin key or admin person first`,
        );
      }
      if (outcome === "not_found")
        throw new TrailproofError("PERSON_NOT_FOUND", `no person ${username} in this tenant`);
      const disabled = { ...person, disabledAt: person.disabledAt ?? now };
      await deps.people.revokeSessionsOf(record.tenantId, username, now);
      await audit.record(request, { action: "person.disable", target: { type: "person", id: username } });
      return toWire(disabled);
    },
  );
}
