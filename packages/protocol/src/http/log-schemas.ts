// The log's contract with external verifiers (/v1/log/*): signed
// checkpoints, raw entries and RFC 6962 proof requests. Sizes and indexes are
// JSON numbers below 2^53.
import { type Static, Type } from "typebox";

const Count = (description: string) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });

export const CheckpointsQuerySchema = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })) },
  { additionalProperties: false },
);

export const CheckpointSummarySchema = Type.Object({
  tree_size: Type.Integer(),
  root_hash: Type.String({ description: "standard base64 of 32 bytes" }),
  signed_at: Type.String(),
  cosignatures: Type.Optional(
    Type.Integer({ minimum: 0, description: "witness cosignatures the service holds for it (docs/witness.md)" }),
  ),
});
export type CheckpointSummary = Static<typeof CheckpointSummarySchema>;

export const CheckpointListSchema = Type.Object({ checkpoints: Type.Array(CheckpointSummarySchema) });

export const EntriesQuerySchema = Type.Object({ start: Count("first index"), end: Count("index after the last") });

/**
 * The entries as NDJSON, each line byte for byte an entry's leaf data, or a
 * pruned entry's stand-in: a string on the wire, bytes to the server, which
 * sends them unparsed.
 */
export const EntriesSchema = Type.Unsafe<Uint8Array>(
  Type.String({
    description:
      'NDJSON; each line is exactly one entry\'s leaf data, or for an entry whose body retention pruned {"pruned":{"index","leaf_hash","prune_index"}} (never leaf data: take leaf_hash as its leaf hash)',
  }),
);

export const InclusionQuerySchema = Type.Object({
  index: Count("entry index"),
  size: Count("tree size, at most the current one"),
});

export const ConsistencyQuerySchema = Type.Object({
  from: Count("older tree size, at least 1"),
  to: Count("newer tree size, at most the current one"),
});

export const VerifyJobParamsSchema = Type.Object({ job: Type.String({ maxLength: 64 }) });
