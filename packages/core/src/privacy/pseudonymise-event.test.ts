import { describe, expect, it } from "vitest";
import type { JsonObject } from "../canonical-json.js";
import { pseudonymiseEvent } from "./pseudonymise-event.js";

const fake = (id: string) => `psn_of_${id}`;

describe("pseudonymiseEvent", () => {
  it("replaces the ids of user actors, the user acted for, and person targets, and nothing else", () => {
    const event: JsonObject = {
      action: "permission.grant",
      actor: { type: "user", id: "usr_ada", on_behalf_of: { type: "user", id: "usr_bob" } },
      target: { type: "user", id: "usr_cy", name: "kept for redaction to decide" },
      metadata: { note: "usr_ada" },
    };
    const view = pseudonymiseEvent(event, fake);
    expect(view).toEqual({
      action: "permission.grant",
      actor: { type: "user", id: "psn_of_usr_ada", on_behalf_of: { type: "user", id: "psn_of_usr_bob" } },
      target: { type: "user", id: "psn_of_usr_cy", name: "kept for redaction to decide" },
      metadata: { note: "usr_ada" },
    });
    expect((event.actor as JsonObject).id).toBe("usr_ada");
  });

  it("replaces a replaced id in the message where it stands as a word, not inside longer ids", () => {
    const event: JsonObject = {
      actor: { type: "user", id: "usr_ada" },
      target: { type: "page", id: "pg_1" },
      message: "user usr_ada granted usr_ada_admin to ses_usr_ada and thanked usr_ada.",
    };
    expect(pseudonymiseEvent(event, fake).message).toBe(
      "user psn_of_usr_ada granted usr_ada_admin to ses_usr_ada and thanked psn_of_usr_ada.",
    );
    const special: JsonObject = {
      actor: { type: "user", id: "a+b(c)" },
      target: { type: "page", id: "p" },
      message: "by a+b(c)",
    };
    expect(pseudonymiseEvent(special, fake).message).toBe("by psn_of_a+b(c)");
  });

  it("keeps automations, service accounts and non-person targets as they are", () => {
    const event: JsonObject = {
      actor: { type: "automation", id: "wf_nightly" },
      target: { type: "page", id: "pg_1" },
    };
    expect(pseudonymiseEvent(event, fake)).toEqual(event);
    const service: JsonObject = {
      actor: { type: "service_account", id: "sa_ci" },
      target: { type: "person", id: "p1" },
    };
    expect(pseudonymiseEvent(service, fake)).toEqual({
      actor: { type: "service_account", id: "sa_ci" },
      target: { type: "person", id: "psn_of_p1" },
    });
  });
});
