// RFC 9457 problem details, the body of every error response
// (application/problem+json), with every validation problem listed.
import { Type } from "typebox";

export const ProblemDetailsSchema = Type.Object(
  {
    type: Type.String({ description: "urn:trailproof:problem:<code>" }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    code: Type.String({ description: "SCREAMING_SNAKE error code" }),
    request_id: Type.Optional(Type.String()),
    problems: Type.Optional(
      Type.Array(Type.Object({ pointer: Type.String(), message: Type.String() }), {
        description: "every problem found, each with an RFC 6901 pointer into the request",
      }),
    ),
  },
  { $id: "ProblemDetails" },
);

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  request_id?: string;
  problems?: { pointer: string; message: string }[];
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** The error answers of every route: problem+json for any 4xx and 5xx. */
export const ProblemResponses = { "4xx": ProblemDetailsSchema, "5xx": ProblemDetailsSchema };
