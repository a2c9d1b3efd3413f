import type { AppendResult } from "@trailproof/ledger";
import { IngestResponseSchema } from "@trailproof/protocol";
import { Value } from "typebox/value";
import { describe, expect, it } from "vitest";
import { encodeIngestResponse } from "./encode-ingest-response.js";

const created: AppendResult = {
  status: "created",
  id: "evt_1:a.b-c",
  index: 7,
  leafHash: "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=",
  receivedAt: "2026-12-03T20:30:00.123Z",
};

describe("encodeIngestResponse", () => {
  it("encodes every kind of result as JSON.stringify of the wire form would, and matches the schema", () => {
    const results: AppendResult[] = [
      created,
      { ...created, status: "duplicate", id: 'quote"back\\slash\u2028line' },
      {
        status: "rejected",
        id: null,
        problems: [{ pointer: "/actor/id", message: 'must be "x"', extra: 1 } as never],
      },
    ];
    const body = JSON.parse(encodeIngestResponse(results));
    expect(Value.Check(IngestResponseSchema, body)).toBe(true);
    expect(body).toEqual({
      results: [
        { id: created.id, status: "created", index: 7, leaf_hash: created.leafHash, received_at: created.receivedAt },
        {
          id: 'quote"back\\slash\u2028line',
          status: "duplicate",
          index: 7,
          leaf_hash: created.leafHash,
          received_at: created.receivedAt,
        },
        { id: null, status: "rejected", errors: [{ pointer: "/actor/id", message: 'must be "x"' }] },
      ],
    });
  });

  it("encodes an empty batch", () => {
    expect(JSON.parse(encodeIngestResponse([]))).toEqual({ results: [] });
  });
});
