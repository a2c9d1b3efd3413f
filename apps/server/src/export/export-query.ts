// The query string of GET /v1/export (docs/exports.md): the format, the
// spreadsheet-safe switch and the order, then the event search's own filters
// (the same parameters as GET /v1/events), which narrow the ndjson, csv and
// ocsf formats. The bundle is always the whole log: it is what `trailproof
// verify --bundle` checks, and a filtered bundle could not be verified.
import { TrailproofError } from "@trailproof/core";
import { EventFilterQueryProperties } from "@trailproof/protocol";
import type { FastifyError } from "fastify";
import { type Static, Type } from "typebox";
import { fromFastify } from "../http/problem.js";

export const EXPORT_FORMATS = ["bundle", "ndjson", "csv", "ocsf"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const ExportQuerySchema = Type.Object(
  {
    format: Type.Optional(
      Type.Union(
        EXPORT_FORMATS.map((f) => Type.Literal(f)),
        {
          description:
            "bundle (the verifiable log, the default), ndjson (one event view per line), csv, or ocsf (one OCSF 1.8.0 object per line)",
        },
      ),
    ),
    safe: Type.Optional(
      Type.Union([Type.Literal("true"), Type.Literal("false")], {
        description:
          "csv only, default true: prefix a cell starting with = + - @ tab or CR with a single quote, so a spreadsheet never runs it as a formula",
      }),
    ),
    order: Type.Optional(
      Type.Union([Type.Literal("asc"), Type.Literal("desc")], {
        description: "by occurred_at, as the event search sorts; default asc",
      }),
    ),
    ...EventFilterQueryProperties,
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuerySchema>;

export interface ExportRequest {
  format: ExportFormat;
  safe: boolean;
  order: "asc" | "desc";
  /** The event filter's parameters, as GET /v1/events takes them. */
  filter: Record<string, string>;
}

const OWN_PARAMS = new Set(["format", "safe", "order"]);

/**
 * The export the query asks for. Throws EXPORT_INVALID listing every problem:
 * the schema's (attached by the route, not answered alone) and a filter or
 * csv switch given to a format that ignores it.
 */
export function parseExportQuery(query: Readonly<Record<string, unknown>>, validationError?: unknown): ExportRequest {
  const invalid = validationError ? fromFastify(validationError as FastifyError) : undefined;
  const problems = [...(invalid?.problems ?? [])];
  const format = (EXPORT_FORMATS as readonly unknown[]).includes(query.format)
    ? (query.format as ExportFormat)
    : "bundle";
  const filter: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) {
    if (!OWN_PARAMS.has(key) && typeof value === "string") filter[key] = value;
  }
  if (!invalid && format === "bundle") {
    for (const key of Object.keys(filter)) {
      problems.push({
        pointer: `/querystring/${key}`,
        message: "the bundle is the whole log; filters apply to format=ndjson, csv or ocsf",
      });
    }
  }
  if (!invalid && query.safe !== undefined && format !== "csv") {
    problems.push({ pointer: "/querystring/safe", message: "applies to format=csv only" });
  }
  if (problems.length > 0) {
    throw new TrailproofError("EXPORT_INVALID", invalid?.detail ?? "the export cannot be made as asked", {
      problems,
    });
  }
  return { format, safe: query.safe !== "false", order: query.order === "desc" ? "desc" : "asc", filter };
}
