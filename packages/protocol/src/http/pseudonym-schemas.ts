// Pseudonyms (/v1/pseudonyms/resolve): readers without the right to see
// personal values see people as keyed pseudonyms (psn_ and 32 hex digits);
// an auditor or admin may ask who one stands for, giving a reason, and the
// log records that they did.
import { type Static, Type } from "typebox";

export const PseudonymResolveBodySchema = Type.Object(
  {
    pseudonym: Type.String({ pattern: "^psn_[0-9a-f]{32}$", description: "a pseudonym as the service showed it" }),
    reason: Type.String({
      minLength: 3,
      maxLength: 500,
      description: "why the identity is needed; recorded in the log with the resolution",
    }),
  },
  { additionalProperties: false },
);
export type PseudonymResolveBody = Static<typeof PseudonymResolveBodySchema>;

export const PseudonymResolutionSchema = Type.Object({
  pseudonym: Type.String(),
  id: Type.String({ description: "the actor or target id the pseudonym stands for in this tenant" }),
});
export type PseudonymResolution = Static<typeof PseudonymResolutionSchema>;
